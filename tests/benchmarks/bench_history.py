"""Benchmark: history at ten years of three sessions a day (a script, not a test).

Generates ~11,000 sessions and ~250,000 segment rows into a temporary
database through the real import path, then measures what a person waits
for: switching months, computing streaks, opening the history view
(offscreen Qt), and the other queries the view makes.  Prints a table of
medians and writes them as JSON.

    python tests/benchmarks/bench_history.py [--years 10] [--repeats 15] [--json FILE]

Goals (from the issue): month switch and streaks within 50 ms, the history
view open within 200 ms; on the session's path each segment write within 5 ms
and export / import of all of it within 1 s.  ``--years 12`` gives the issue's
~13,000 sessions.  ``--exchange-only`` times only the export and both imports,
``--repeats`` times each (no display stack; written to
``artifacts/bench_history_exchange.json`` unless ``--json`` says otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from si_timer.history.exchange import ExportFormat, export_to_path, import_history  # noqa: E402
from si_timer.history.model import SessionStatus  # noqa: E402
from si_timer.history.store import HistoryStore  # noqa: E402
from tests.helpers.history_factories import generate_sessions, make_plan, play_segments  # noqa: E402

TODAY = date(2025, 6, 30)
GOALS_MS = {
    "month switch (view)": 50.0,
    "streaks": 50.0,
    "history view open": 200.0,
    "history view open, first in the process": 200.0,
    "record_segment (commit + fsync)": 5.0,
    "record_segment, history view on screen": 5.0,
    "begin_session": 5.0,
    "finish_session": 5.0,
    "routine usage (home cards)": 5.0,
    "home status (today, streak)": 20.0,
    "export JSON (full backup)": 1000.0,
    "import same JSON again (all unchanged)": 1000.0,
    "import JSON into an empty history": 1000.0,
}


def measure(fn: Callable[[int], object], repeats: int, warmup: int = 2) -> list[float]:
    for i in range(warmup):
        fn(-1 - i)
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, times: list[float]) -> dict[str, Any]:
    goal = GOALS_MS.get(name)
    median = statistics.median(times)
    return {
        "name": name,
        "median_ms": round(median, 3),
        "min_ms": round(min(times), 3),
        "max_ms": round(max(times), 3),
        "repeats": len(times),
        "goal_ms": goal,
        "met": None if goal is None else median <= goal,
    }


def build(db: Path, years: int) -> tuple[int, int, float]:
    first = TODAY - timedelta(days=round(365.25 * years) - 1)
    start = time.perf_counter()
    sessions = list(generate_sessions(first, TODAY, seed=2025))
    store, _ = HistoryStore.open(db)
    with store:
        store.merge(sessions, [])
    seconds = time.perf_counter() - start
    return len(sessions), sum(len(s.segments) for s in sessions), seconds


def measure_exchange(store: HistoryStore, tmp: Path, repeats: int, results: list[Any]) -> float:
    """Export the full backup, import it over itself and into an empty history,
    ``repeats`` times each; returns the backup's size in MB."""
    export = tmp / "all.json"
    exports, again_ms, empty_ms = [], [], []
    for i in range(repeats):
        start = time.perf_counter()
        export_to_path(store, ExportFormat.JSON, export)
        exports.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        again = import_history(store, export)
        again_ms.append((time.perf_counter() - start) * 1000)
        assert not again.changed
        empty, _ = HistoryStore.open(tmp / f"empty-{i}" / "history.sqlite3")
        start = time.perf_counter()
        import_history(empty, export)
        empty_ms.append((time.perf_counter() - start) * 1000)
        empty.close()
    results.append(row("export JSON (full backup)", exports))
    results.append(row("import same JSON again (all unchanged)", again_ms))
    results.append(row("import JSON into an empty history", empty_ms))
    return round(export.stat().st_size / 1e6, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--exchange-only",
        action="store_true",
        help="time only export and import, --repeats times each (no display stack)",
    )
    args = parser.parse_args(argv)
    if args.json is None:
        name = "bench_history_exchange.json" if args.exchange_only else "bench_history.json"
        args.json = REPO / "artifacts" / name
    if args.exchange_only:
        return exchange_only(args)

    # Imported here so the module stays importable without a display stack.
    from PySide6.QtWidgets import QApplication

    from si_timer.ui.history.notifier import HistoryNotifier
    from si_timer.ui.history.view import HistoryView

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="si-timer-bench-") as tmp:
        db = Path(tmp) / "data" / "history.sqlite3"
        sessions, segments, build_s = build(db, args.years)
        size_mb = db.stat().st_size / 1e6
        print(
            f"generated {sessions} sessions, {segments} segment rows, "
            f"{size_mb:.1f} MB in {build_s:.1f} s"
        )

        open_times = measure(lambda _: HistoryStore.open(db)[0].close(), 5, warmup=1)
        results.append(
            row(
                "store open (no daily check)",
                measure(
                    lambda _: HistoryStore.open(
                        db,
                        backup_dir=Path(tmp) / "b",
                        now=lambda: datetime(2025, 6, 30, tzinfo=UTC),
                    )[0].close(),
                    5,
                ),
            )
        )
        results.append(row("store open + full check (once a day)", open_times))

        store, _ = HistoryStore.open(db, backup_dir=Path(tmp) / "b")
        months = [(TODAY.year - (i // 12), 12 - (i % 12)) for i in range(120)]
        rng = random.Random(1)
        results.append(
            row(
                "month (query)",
                measure(lambda i: store.month(*rng.choice(months), TODAY), args.repeats),
            )
        )
        results.append(row("streaks", measure(lambda _: store.streaks(TODAY), args.repeats)))
        results.append(
            row("heatmap, 53 weeks", measure(lambda _: store.heatmap(TODAY), args.repeats))
        )
        results.append(
            row("weekly totals", measure(lambda _: store.weekly_totals(TODAY), args.repeats))
        )
        results.append(
            row("pain trend, all 10 years", measure(lambda _: store.pain_trend(), args.repeats))
        )
        results.append(
            row("exercise stats", measure(lambda _: store.exercise_stats(), args.repeats))
        )
        results.append(
            row(
                "sessions of a day",
                measure(lambda i: store.sessions_on(TODAY - timedelta(days=i + 3)), args.repeats),
            )
        )

        plan = make_plan("morning")
        segs = play_segments(plan, datetime(2025, 6, 30, 18, tzinfo=UTC), random.Random(3))

        def record_all(label: str) -> None:
            sid = store.begin_session(
                "morning", plan, started_at=segs[0].ended_at, utc_offset_minutes=120
            )
            times = measure(lambda i: store.record_segment(sid, segs[i]), len(segs), warmup=0)
            store.finish_session(sid, SessionStatus.COMPLETED, ended_at=segs[-1].ended_at)
            results.append(row(label, times))

        record_all("record_segment (commit + fsync)")
        begins: list[float] = []
        finishes: list[float] = []
        for i in range(5):
            start = time.perf_counter()
            sid = store.begin_session(
                "morning", plan, started_at=segs[0].ended_at, utc_offset_minutes=120
            )
            begins.append((time.perf_counter() - start) * 1000)
            store.record_segment(sid, segs[i])
            start = time.perf_counter()
            store.finish_session(sid, SessionStatus.PARTIAL, ended_at=segs[i].ended_at)
            finishes.append((time.perf_counter() - start) * 1000)
        results.append(row("begin_session", begins))
        results.append(row("finish_session", finishes))
        results.append(
            row(
                "routine usage (home cards)", measure(lambda _: store.routine_usage(), args.repeats)
            )
        )
        from si_timer.history.overview import home_status

        evening = datetime(2025, 6, 30, 20, 0)
        results.append(
            row(
                "home status (today, streak)",
                measure(lambda _: home_status(store, {}, evening), args.repeats),
            )
        )

        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication([])
        try:
            from si_timer.config.settings import Theme
            from si_timer.ui.theme import apply_theme

            apply_theme(app, Theme.LIGHT)
        except ImportError:  # the theme module is someone else's; time without it
            pass
        notifier = HistoryNotifier(store)
        views: list[HistoryView] = []

        def open_view(_: int) -> None:
            view = HistoryView(store, notifier, lambda: TODAY)
            view.resize(1280, 720)
            view.show()
            view.repaint()  # the first full paint, synchronously
            views.append(view)

        view_times = measure(open_view, args.repeats + 1, warmup=0)
        results.append(row("history view open, first in the process", view_times[:1]))
        view_times = view_times[1:]
        for view in views:
            view.close()
            view.deleteLater()
        app.processEvents()
        results.append(row("history view open", view_times))

        view = HistoryView(store, notifier, lambda: TODAY)
        view.resize(1280, 720)
        view.show()
        view.repaint()

        def switch(i: int) -> None:
            view.step_month(-1 if i % 4 < 2 else 1)
            view.calendar.repaint()
            view.day_panel.repaint()

        results.append(row("month switch (view)", measure(switch, args.repeats * 2)))

        def open_tab(i: int) -> None:
            view.refresh()  # every tab stale again
            view.show_section(1 + i % 3)
            view.pages.currentWidget().repaint()
            view.show_section(0)

        results.append(
            row("open another tab (year/pain/exercises)", measure(open_tab, args.repeats))
        )

        record_all("record_segment, history view on screen")

        export_mb = measure_exchange(store, Path(tmp), 1, results)
        view.close()
        notifier.close()
        store.close()

    return report(args, results, sessions, segments, size_mb, build_s, export_mb)


def exchange_only(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="si-timer-bench-") as tmp:
        db = Path(tmp) / "data" / "history.sqlite3"
        sessions, segments, build_s = build(db, args.years)
        size_mb = db.stat().st_size / 1e6
        print(f"generated {sessions} sessions, {segments} segment rows, {size_mb:.1f} MB")
        store, _ = HistoryStore.open(db)
        with store:
            export_mb = measure_exchange(store, Path(tmp), args.repeats, results)
    return report(args, results, sessions, segments, size_mb, build_s, export_mb)


def report(
    args: argparse.Namespace,
    results: list[dict[str, Any]],
    sessions: int,
    segments: int,
    size_mb: float,
    build_s: float,
    export_mb: float,
) -> int:
    width = max(len(r["name"]) for r in results)
    print(f"\n{'measure':<{width}}  {'median':>10}  {'min':>9}  {'max':>9}  goal")
    for r in results:
        goal = (
            ""
            if r["goal_ms"] is None
            else (f"<= {r['goal_ms']:.0f} ms {'ok' if r['met'] else 'MISSED'}")
        )
        print(
            f"{r['name']:<{width}}  {r['median_ms']:>8.2f} ms  {r['min_ms']:>6.2f} ms  "
            f"{r['max_ms']:>6.2f} ms  {goal}"
        )
    document = {
        "benchmark": "history",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "years": args.years,
        "sessions": sessions,
        "segments": segments,
        "database_mb": round(size_mb, 1),
        "build_seconds": round(build_s, 1),
        "export_mb": export_mb,
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    missed = [r["name"] for r in results if r["met"] is False]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
