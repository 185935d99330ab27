"""si-timer against the physical floor: start-up, memory, CPU and timing accuracy.

Run:  .venv/bin/python tests/benchmarks/bench_app.py            (about 16 minutes)
      .venv/bin/python tests/benchmarks/bench_app.py --quick    (about 1 minute: no long runs)

Needs Xvfb (the app runs in a real X server, as a person's would).  Prints a
table, each figure beside its goal (met or missed, and by how much), the
machine's load while it ran and what each part costs in memory; writes all of
it as JSON (``--json FILE``, default artifacts/bench_app.json).  Start-up is
timed from outside the process: from spawning it to the line it prints once
the window has painted (SI_TIMER_PAINT_PROBE); the bare PySide6 script prints
the same line, and they run alternately so machine noise hits both alike;
each figure is the median of ``--rounds`` runs.  The programs run from
compiled bytecode, as an installed app does (an environment that says
PYTHONDONTWRITEBYTECODE would have every run compile every module).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
SI_TIMER = [str(Path(PYTHON).with_name("si-timer"))]
CLK_TCK = os.sysconf("SC_CLK_TCK")


@contextmanager
def xvfb() -> Iterator[str]:
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait()


def _env(display: str, data: Path | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("QT_QPA") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", SI_TIMER_PAINT_PROBE="1")
    if data is not None:
        env["SI_TIMER_DATA_DIR"] = str(data)
    return env


def _data_dir(root: Path, speech: str = "mock") -> Path:
    (root / "config").mkdir(parents=True, exist_ok=True)
    # Sessions start at once, on each routine's own lead-ins: timings stay comparable.
    settings = {
        "safety_acknowledged": True,
        "speech_engine": speech,
        "start_wait": 0,
        "first_lead_in": 0,
        "change_lead_in": 0,
    }
    (root / "config" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    return root


def _rss_peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _time_to_paint(
    cmd: list[str], env: dict[str, str], marker: str, settle: float = 0.0
) -> tuple[float, int, float]:
    """Seconds from spawn to ``painted:marker`` on stdout, the peak RSS (KiB) after
    ``settle`` seconds, and the CPU seconds the process had used when it painted
    (less bent by other load on the machine than the wall clock)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == f"painted:{marker}":
                elapsed = time.monotonic() - start
                cpu = _cpu_seconds(proc.pid)
                break
        else:
            raise RuntimeError(f"{cmd} exited before painting {marker}")
        if settle:
            time.sleep(settle)
        return elapsed, _rss_peak_kib(proc.pid), cpu
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _compile_bytecode() -> None:
    """Every module as an installed app has it: compiled once, not on each run."""
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(REPO / "si_timer"), str(HERE)],
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        stdout=subprocess.DEVNULL,
    )


def bench_startup(display: str, rounds: int) -> dict[str, Any]:
    bare = [PYTHON, str(HERE / "bare_qt.py")]
    _compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        data = _data_dir(Path(tmp))
        env = _env(display, data)
        # One warm-up of each so the first run's disk cache misses (and the
        # library cache's first write) are not counted.
        _time_to_paint(bare, env, "bare")
        _time_to_paint([*SI_TIMER, "open"], env, "home", settle=1.0)
        # A person's history exists: keep the one the warm-up made (with today's
        # backup taken) and put it back before each run, as the session run
        # leaves an unfinished session in it.
        history = data / "data" / "history.sqlite3"
        kept = Path(tmp) / "history-kept.sqlite3"
        subprocess.run(
            [
                PYTHON,
                "-c",
                f"import sqlite3; sqlite3.connect({str(history)!r}).backup("
                f"sqlite3.connect({str(kept)!r}))",
            ],
            check=True,
        )

        def restore_history() -> None:
            for f in (data / "data").glob("history.sqlite3*"):
                f.unlink()
            shutil.copyfile(kept, history)

        restore_history()
        _time_to_paint([*SI_TIMER, "start", "morning"], env, "countdown")
        restore_history()
        results: dict[str, list[float]] = {"bare": [], "home": [], "session": []}
        memory: dict[str, list[int]] = {"bare": [], "home": [], "session": []}
        cpu: dict[str, list[float]] = {"bare": [], "home": [], "session": []}
        for _ in range(rounds):
            for name, cmd, marker in (
                ("bare", bare, "bare"),
                ("home", [*SI_TIMER, "open"], "home"),
                ("session", [*SI_TIMER, "start", "morning"], "countdown"),
            ):
                elapsed, rss, used = _time_to_paint(cmd, env, marker, settle=1.0)
                results[name].append(elapsed)
                memory[name].append(rss)
                cpu[name].append(used)
                restore_history()
    med = {k: statistics.median(v) for k, v in results.items()}
    mem = {k: statistics.median(v) for k, v in memory.items()}
    used = {k: statistics.median(v) for k, v in cpu.items()}
    return {
        "startup_runs_s": results,
        "startup_cpu_bare_s": used["bare"],
        "startup_cpu_home_s": used["home"],
        "startup_cpu_session_s": used["session"],
        "startup_cpu_home_ratio": used["home"] / used["bare"],
        "startup_cpu_session_ratio": used["session"] / used["bare"],
        "startup_bare_s": med["bare"],
        "startup_home_s": med["home"],
        "startup_session_s": med["session"],
        "startup_home_ratio": med["home"] / med["bare"],
        "startup_session_ratio": med["session"] / med["bare"],
        "rss_bare_mib": mem["bare"] / 1024,
        "rss_home_mib": mem["home"] / 1024,
        "rss_session_mib": mem["session"] / 1024,
        "rss_home_ratio": mem["home"] / mem["bare"],
        "rss_session_ratio": mem["session"] / mem["bare"],
        "rounds": rounds,
    }


HOLD_ROUTINE = """\
id: bench-hold
name: One long hold
lead_in: 2
exercises:
  - exercise: wall-sit
    hold: 60
"""


def _wait_for_event(path: Path, predicate: Any, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for line in path.read_text().splitlines():
                event = json.loads(line)
                if predicate(event):
                    return event  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise RuntimeError("event never came")


def bench_cpu(display: str, speech: str) -> dict[str, Any]:
    """% of one core over the whole 60 s of a running hold, from its start to its end,
    its opening cues and closing ticks included; sound, voice and the figure on."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _data_dir(Path(tmp), speech)
        (data / "data" / "routines").mkdir(parents=True)
        (data / "data" / "routines" / "bench-hold.yaml").write_text(HOLD_ROUTINE)
        events = Path(tmp) / "events.jsonl"
        proc = subprocess.Popen(
            [*SI_TIMER, "start", "bench-hold", "--events", str(events)],
            env=_env(display, data),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_event(
                events,
                lambda e: e.get("event") == "segment_started" and e.get("kind") == "hold",
                30,
            )
            cpu0, t0 = _cpu_seconds(proc.pid), time.monotonic()
            _wait_for_event(
                events,
                lambda e: e.get("event") == "segment_finished" and e.get("index") == 1,
                90,
            )
            cpu1, t1 = _cpu_seconds(proc.pid), time.monotonic()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return {
        "cpu_hold_percent": 100 * (cpu1 - cpu0) / (t1 - t0),
        "cpu_window_s": t1 - t0,
        "speech_engine": speech,
    }


def _ten_years_of_history(data: Path) -> int:
    """Fill ``data``'s history with ten years of generated sessions; returns how many."""
    sys.path.insert(0, str(REPO))
    from datetime import date

    from si_timer.config.paths import resolve_paths
    from si_timer.history.store import HistoryStore
    from tests.helpers.history_factories import fill_history

    paths = resolve_paths(data)
    paths.ensure()
    store, _ = HistoryStore.open(paths.database_file)
    try:
        today = date.today()
        return fill_history(store, date(today.year - 10, today.month, 1), today, seed=2025)
    finally:
        store.close()


def _cue_lag_ms(records: list[dict[str, Any]]) -> list[float]:
    """Per segment: from its planned start to its first cue reaching the output (``out``)."""
    planned = {e["index"]: e["planned"] for e in records if e.get("event") == "segment_started"}
    first_out: dict[int, float] = {}
    for e in records:
        if e.get("event") == "cue" and "out" in e and e["index"] not in first_out:
            first_out[e["index"]] = e["out"]
    return sorted(1000 * (first_out[i] - planned[i]) for i in first_out if i in planned)


def bench_timing(display: str, routine: str, *, history: bool = False) -> dict[str, Any]:
    """A real-time run with the other core kept busy; a naive countdown runs beside it.

    With ``history``, ten years of sessions are in the database first: a slow
    history path shows as cues reaching their output late.
    """
    busy = subprocess.Popen([PYTHON, "-c", "while True: pass"])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = _data_dir(Path(tmp))
            sessions = _ten_years_of_history(data) if history else 0
            events = Path(tmp) / "events.jsonl"
            plan = json.loads(
                subprocess.run(
                    [*SI_TIMER, "plan", routine, "--json"],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=_env(display, data),
                ).stdout
            )
            total = float(plan["total_seconds"])
            naive = subprocess.Popen(
                [PYTHON, str(HERE / "naive_countdown.py"), str(int(total))],
                env=_env(display),
                stdout=subprocess.PIPE,
                text=True,
            )
            app = subprocess.Popen(
                [*SI_TIMER, "start", routine, "--events", str(events)],
                env=_env(display, data),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                ended = _wait_for_event(
                    events, lambda e: e.get("event") == "session_ended", total + 60
                )
                naive_out, _ = naive.communicate(timeout=120)
            finally:
                app.terminate()
                app.wait(timeout=10)
                naive.kill()
            records = [json.loads(line) for line in events.read_text().splitlines()]
    finally:
        busy.kill()
    starts = [e for e in records if e.get("event") == "segment_started"]
    errors = sorted(abs(e["t"] - e["planned"]) for e in starts)
    # Error as the session goes on: first and last fifth of the segments.
    fifth = max(1, len(starts) // 5)
    early = max(abs(e["t"] - e["planned"]) for e in starts[:fifth])
    late = max(abs(e["t"] - e["planned"]) for e in starts[-fifth:])
    naive_lines = [json.loads(line) for line in naive_out.splitlines() if line.strip()]
    naive_end = naive_lines[-1]["t"] - naive_lines[-1]["believed"] if naive_lines else float("nan")
    lags = _cue_lag_ms(records)
    if history:
        return {
            "history_sessions": sessions,
            "history_cue_lag_max_ms": lags[-1],
            "history_cue_lag_median_ms": statistics.median(lags),
            "history_start_error_max_ms": 1000 * errors[-1],
        }
    return {
        "cue_lag_max_ms": lags[-1],
        "cue_lag_median_ms": statistics.median(lags),
        "routine": routine,
        "session_seconds": total,
        "segments": len(starts),
        "start_error_max_ms": 1000 * errors[-1],
        "start_error_p99_ms": 1000 * errors[min(len(errors) - 1, int(0.99 * len(errors)))],
        "start_error_first_fifth_max_ms": 1000 * early,
        "start_error_last_fifth_max_ms": 1000 * late,
        "end_error_ms": 1000 * (ended["t"] - total),
        "naive_end_error_ms": 1000 * naive_end,
    }


def bench_memory_parts(display: str) -> dict[str, Any]:
    """What each part adds to the resident set, added one by one in one process.

    Measured on the second run: the first fills the library's and the figures'
    caches, as a person's first start does once, like bench_startup's warm-up."""
    with tempfile.TemporaryDirectory() as tmp:
        data = _data_dir(Path(tmp))
        for _ in range(2):
            done = subprocess.run(
                [PYTHON, str(HERE / "memory_parts.py"), str(data)],
                env=_env(display),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
    if done.returncode != 0:
        return {"memory_parts_error": done.stderr.strip().splitlines()[-1:]}
    return {"memory_parts": json.loads(done.stdout.strip().splitlines()[-1])}


def bench_history() -> dict[str, Any]:
    out = REPO / "artifacts" / "bench_history.json"
    # It exits 1 when a goal is missed: its figures are still in the JSON.
    done = subprocess.run(
        [PYTHON, str(HERE / "bench_history.py"), "--json", str(out)],
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
    )
    if not out.is_file():
        return {"history_error": f"bench_history.py exited {done.returncode} without figures"}
    data = json.loads(out.read_text())
    return {"history": data}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="start-up and memory only, fewer rounds"
    )
    parser.add_argument("--rounds", type=int, help="runs of each start-up (7; --quick: 3)")
    parser.add_argument("--routine", default="morning", help="routine for the real-time timing run")
    parser.add_argument("--json", type=Path, default=REPO / "artifacts" / "bench_app.json")
    args = parser.parse_args(argv)
    for tool in ("Xvfb",):
        if shutil.which(tool) is None:
            print(f"{tool} is needed (apt-get install xvfb)", file=sys.stderr)
            return 2
    results: dict[str, Any] = {
        "machine": (
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{platform.system()} {platform.release()}"
        ),
        "python": platform.python_version(),
    }
    load_before = os.getloadavg()
    with xvfb() as display:
        rounds = args.rounds or (3 if args.quick else 7)
        results.update(bench_startup(display, rounds))
        results["load_during_startup"] = [round(x, 2) for x in os.getloadavg()]
        results.update(bench_memory_parts(display))
        if not args.quick:
            speech = "speechd" if shutil.which("speech-dispatcher") else "mock"
            results.update(bench_cpu(display, speech))
            results.update(bench_timing(display, args.routine))
            results.update(bench_timing(display, args.routine, history=True))
    if not args.quick:
        results.update(bench_history())
    results["load_before"] = [round(x, 2) for x in load_before]
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    results["goals"] = goals(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    print_table(results)
    return 0


# figure -> (key in the results, what it is measured in, the goal, "ratio" or "max")
GOALS: tuple[tuple[str, str, str, float], ...] = (
    ("start-up to home painted", "startup_home_ratio", "× bare", 1.3),
    ("start-up into a session", "startup_session_ratio", "× bare", 1.5),
    ("peak memory at home", "rss_home_ratio", "× bare", 1.3),
    ("peak memory in a session", "rss_session_ratio", "× bare", 1.5),
    ("CPU during a hold", "cpu_hold_percent", " % of a core", 0.5),
    ("segment start error, max", "start_error_max_ms", " ms", 20.0),
    ("cue out vs planned start, max", "cue_lag_max_ms", " ms", 20.0),
    ("the same with ten years of history", "history_cue_lag_max_ms", " ms", 20.0),
)


def goals(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Each measured figure with a goal: its value, the goal, met or not, and by how much."""
    out = []
    for name, key, unit, goal in GOALS:
        if key not in r:
            continue
        value = float(r[key])
        out.append(
            {
                "figure": name,
                "key": key,
                "value": value,
                "unit": unit.strip(),
                "goal_at_most": goal,
                "met": value <= goal,
                "over_by_percent": round(100 * (value / goal - 1), 1) if value > goal else 0.0,
            }
        )
    return out


def _verdict(r: dict[str, Any], key: str) -> str:
    for g in r.get("goals", []):
        if g["key"] == key:
            unit = "×" if g["unit"] == "× bare" else f" {g['unit']}"
            over = f", {g['over_by_percent']:g} % over" if not g["met"] else ""
            return f"≤ {g['goal_at_most']:g}{unit}  {'met' if g['met'] else 'MISSED'}{over}"
    return ""


def print_table(r: dict[str, Any]) -> None:
    rows = [
        (
            "start-up to home painted",
            f"{r['startup_home_s'] * 1000:.0f} ms",
            f"{r['startup_home_ratio']:.2f}× bare",
            _verdict(r, "startup_home_ratio"),
        ),
        (
            "start-up into a session",
            f"{r['startup_session_s'] * 1000:.0f} ms",
            f"{r['startup_session_ratio']:.2f}× bare",
            _verdict(r, "startup_session_ratio"),
        ),
        ("bare PySide6 label", f"{r['startup_bare_s'] * 1000:.0f} ms", "", ""),
        (
            "  CPU to first paint: home / session",
            f"{r['startup_cpu_home_ratio']:.2f}× / {r['startup_cpu_session_ratio']:.2f}×",
            f"bare {r['startup_cpu_bare_s'] * 1000:.0f} ms",
            "(less bent by load)",
        ),
        (
            "peak RSS at home",
            f"{r['rss_home_mib']:.0f} MiB",
            f"{r['rss_home_ratio']:.2f}× bare",
            _verdict(r, "rss_home_ratio"),
        ),
        (
            "peak RSS in a session",
            f"{r['rss_session_mib']:.0f} MiB",
            f"{r['rss_session_ratio']:.2f}× bare",
            _verdict(r, "rss_session_ratio"),
        ),
        ("bare PySide6 label, peak RSS", f"{r['rss_bare_mib']:.0f} MiB", "", ""),
    ]
    if "cpu_hold_percent" in r:
        rows.append(
            (
                "CPU during a hold",
                f"{r['cpu_hold_percent']:.2f} %",
                f"voice: {r['speech_engine']}",
                _verdict(r, "cpu_hold_percent"),
            )
        )
        rows.append(
            (
                "segment start error, max",
                f"{r['start_error_max_ms']:.1f} ms",
                f"p99 {r['start_error_p99_ms']:.1f} ms",
                _verdict(r, "start_error_max_ms"),
            )
        )
        rows.append(
            (
                "  first / last fifth, max",
                f"{r['start_error_first_fifth_max_ms']:.1f} / "
                f"{r['start_error_last_fifth_max_ms']:.1f} ms",
                "",
                "no growth",
            )
        )
        rows.append(
            (
                "cue out vs planned start, max",
                f"{r['cue_lag_max_ms']:.1f} ms",
                f"median {r['cue_lag_median_ms']:.1f} ms",
                _verdict(r, "cue_lag_max_ms"),
            )
        )
        if "history_cue_lag_max_ms" in r:
            rows.append(
                (
                    f"  with {r['history_sessions']:,} sessions of history",
                    f"{r['history_cue_lag_max_ms']:.1f} ms",
                    f"median {r['history_cue_lag_median_ms']:.1f} ms",
                    _verdict(r, "history_cue_lag_max_ms"),
                )
            )
        rows.append(
            (
                "end-of-session error",
                f"{r['end_error_ms']:.1f} ms",
                f"naive: {r['naive_end_error_ms']:.0f} ms",
                "",
            )
        )
    if "history" in r:
        for item in r["history"].get("results", []):
            goal = f"≤ {item['goal_ms']:g} ms" if item.get("goal_ms") else ""
            rows.append((f"history: {item['name']}", f"{item['median_ms']:.1f} ms", "", goal))
    width = max(len(row[0]) for row in rows)
    print(f"machine: {r['machine']}, Python {r['python']}")
    print(
        "load average (1, 5, 15 min): before {}, during start-up {}, after {}".format(
            *(
                ", ".join(f"{x:.2f}" for x in r.get(k, ()))
                for k in ("load_before", "load_during_startup", "load_after")
            )
        )
    )
    for name, value, extra, goal in rows:
        print(f"{name:<{width}}  {value:>12}  {extra:<18} {goal}")
    parts = r.get("memory_parts")
    if parts:
        print("\nmemory, part by part (resident set in one process):")
        pw = max(len(p["part"]) for p in parts)
        for part in parts:
            print(
                f"  {part['part']:<{pw}}  +{part['added_kib'] / 1024:5.1f} MiB"
                f"  = {part['rss_kib'] / 1024:6.1f} MiB"
            )


if __name__ == "__main__":
    sys.exit(main())
