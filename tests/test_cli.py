"""The ``si-timer`` text commands, called as ``main([...])``; two runs of the real entry points."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from si_timer import __version__, cli
from si_timer.cli import main
from si_timer.config.paths import resolve_paths
from si_timer.config.settings import Settings, load_settings
from si_timer.library.catalog import load_catalog
from si_timer.library.loader import EDITOR_HEADER
from si_timer.session.options import plan_for
from si_timer.words import duration_text

BUNDLED_ROUTINES = [
    "core-strength",
    "core-strength-kettlebell",
    "evening",
    "flare-up",
    "full",
    "morning",
    "pelvic-rotation",
    "targeted-stretches",
]

MY_ROUTINE = "id: my-routine\nname: My routine\nexercises:\n  - figure-4\n  - cat-cow\n"
BAD_ROUTINE = "id: bad\nname: Bad\nexercises:\n  - knee-to-chest\n  - knee-to-chst\n"
MY_FIGURE_4 = """\
id: figure-4
name: My figure-4
category: stretch
position: Lying on your back
source: my physio
sides: each
steps:
  - Cross one ankle over the other knee.
dose:
  hold: {min: 25, max: 40}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    return json.loads(out)


def data_dir() -> Path:
    """The folder conftest points SI_TIMER_DATA_DIR at for this test."""
    return Path(os.environ["SI_TIMER_DATA_DIR"])


def user_file(root: Path, kind: str, name: str, text: str) -> Path:
    folder = root / "data" / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


# --- routines and exercises ----------------------------------------------------


def test_routines_lists_each_routine_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "routines")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert sorted(line.split()[0] for line in lines) == BUNDLED_ROUTINES
    assert (
        "morning                   Morning stretches — 5 exercises, 7 min 31 s; "
        "needs mat, doorway" in lines
    )


def test_routines_json(capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, "routines", "--json")
    assert sorted(r["id"] for r in rows) == BUNDLED_ROUTINES
    morning = next(r for r in rows if r["id"] == "morning")
    assert morning == {
        "id": "morning",
        "name": "Morning stretches",
        "description": morning["description"],
        "exercises": [
            "knee-to-chest",
            "figure-4",
            "cat-cow",
            "hip-flexor-lunge",
            "doorway-hamstring",
        ],
        "total_seconds": 451,
        "times_per_day": 2,
        "equipment": ["mat", "doorway"],
        "before_you_start": morning["before_you_start"],
        "bundled": True,
        "changed": False,
        "prescribed": [],
    }
    assert "doorway" in morning["before_you_start"]
    assert morning["description"].startswith("Five gentle stretches")


def test_exercises_json_has_every_field_a_script_needs(capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, "exercises", "--json")
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows) == len(load_catalog().exercises)
    required = {"id", "name", "source", "category", "sides", "hold", "reps", "sets", "rest"}
    for row in rows:
        assert required <= row.keys(), row["id"]
        for key in ("hold", "reps", "rest"):
            assert row[key] is None or row[key].keys() == {"min", "max"}, (row["id"], key)
        assert isinstance(row["sets"], int)
    bridge = by_id["glute-bridge"]
    assert {k: bridge[k] for k in sorted(required)} == {
        "id": "glute-bridge",
        "name": "Glute bridge",
        "source": "a",
        "category": "strength",
        "sides": "none",
        "hold": {"min": 5, "max": 10},
        "reps": {"min": 1, "max": 1},
        "sets": 3,
        "rest": {"min": 60, "max": 90},
    }
    swing = by_id["kettlebell-lateral-swing"]
    assert (swing["hold"], swing["reps"], swing["rest"], swing["sides"]) == (
        None,
        {"min": 10, "max": 10},
        None,
        "each",
    )
    assert by_id["knee-to-chest"]["sides"] == "left-right-both"


def test_exercises_text_has_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "exercises")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(load_catalog().exercises)
    bridge = next(line for line in lines if line.startswith("glute-bridge "))
    assert bridge.split(None, 1)[1] == "Glute bridge (strength): hold 5-10 s, 3 sets, rest 60-90 s"


# --- plan -------------------------------------------------------------------------

SEGMENT_KEYS = {"kind", "exercise", "name", "side", "set", "rep", "seconds", "start"}


def test_plan_json_shape_and_times(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "plan", "morning", "--json")
    assert {"routine", "total_seconds", "segments"} <= data.keys()
    assert (data["routine"], data["total_seconds"]) == ("morning", 451)
    segments = data["segments"]
    offset = 0
    for seg in segments:
        assert seg.keys() >= SEGMENT_KEYS
        assert seg["start"] == offset
        offset += seg["seconds"] if seg["seconds"] is not None else seg["estimate"]
    assert offset == data["total_seconds"]
    assert segments[:3] == [
        {
            **segments[0],
            "kind": "lead_in",
            "exercise": "knee-to-chest",
            "side": "left",
            "seconds": 15,  # time to get from the keyboard onto the mat
        },
        {**segments[1], "kind": "hold", "side": "left", "seconds": 20, "set": 1, "rep": 1},
        {**segments[2], "kind": "switch", "side": "right", "seconds": 5},
    ]
    catalog = load_catalog()
    # The routine's own timing, with the default time to get there (settings).
    assert data == plan_for(catalog.routine("morning"), catalog.exercises, Settings()).to_json()


def test_plan_json_shows_self_paced_segments_with_no_seconds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = run_json(capsys, "plan", "core-strength", "--json")
    manual = [s for s in data["segments"] if s["kind"] == "manual"]
    assert manual
    assert {s["seconds"] for s in manual} == {None}


def test_plan_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "morning")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Morning stretches (morning): 63 steps, 7 min 31 s"
    assert len(lines) == 65  # the title, the steps and the note for before you start
    assert lines[1].endswith("15 s  left (Left knee to your chest)")
    assert lines[2].split() == ["0:15", "Hold", "Knee-to-chest", "stretch", "20", "s", "left"]
    assert lines[-1].startswith("Before you start: Put your mat in an open doorway")


def test_plan_text_shows_moves_sides_and_phases(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(capsys, "plan", "full")
    lines = out.splitlines()
    doorway = next(line for line in lines if "Move " in line and "Doorway" in line)
    assert doorway.endswith("15 s  lie on your back in the doorway")
    assert any("Move: Lift your hips" in line for line in lines)
    assert any("Move: Round up into cat" in line for line in lines)
    assert any("right (Lie on your left side, lift your right leg)" in line for line in lines)


def test_plan_of_a_routine_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(MY_ROUTINE)
    data = run_json(capsys, "plan", str(path), "--json")
    assert data["routine"] == "my-routine"
    assert data["segments"][0]["exercise"] == "figure-4"


def test_plan_of_a_broken_routine_file_shows_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_ROUTINE)
    assert run(capsys, "plan", str(path)) == (
        1,
        "",
        f"si-timer: {path}:5: exercises[1]: unknown exercise 'knee-to-chst' "
        "(did you mean 'knee-to-chest'?)\n",
    )


def test_plan_of_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gone.yaml"
    assert run(capsys, "plan", str(path)) == (1, "", f"si-timer: {path}: no such file\n")


def test_plan_of_an_exercise_file(capsys: pytest.CaptureFixture[str]) -> None:
    from si_timer import assets

    path = str(assets.content_root() / "exercises" / "figure-4.yaml")
    assert run(capsys, "plan", path) == (
        1,
        "",
        f"si-timer: {path}: is not a routine (it has no 'exercises' list)\n",
    )


def test_plan_of_an_unknown_routine_suggests_the_close_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "plan", "mornin") == (
        1,
        "",
        "si-timer: unknown routine 'mornin' (did you mean 'morning'?); known: "
        + ", ".join(BUNDLED_ROUTINES)
        + "\n",
    )


def test_plan_of_an_unknown_routine_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "plan", "handstands")
    assert (code, out) == (1, "")
    assert err == f"si-timer: unknown routine 'handstands'; known: {', '.join(BUNDLED_ROUTINES)}\n"


# --- the person's settings shape plans -------------------------------------------------


def write_settings(text: str) -> Path:
    path = resolve_paths(str(data_dir())).settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_and_routines_use_the_settings_as_the_app_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_settings('{"lead_in": 20}')
    data = run_json(capsys, "plan", "morning", "--json")
    paths = resolve_paths(str(data_dir()))
    catalog = load_catalog(paths.user_exercises_dir, paths.user_routines_dir)
    settings, warnings = load_settings(paths.settings_file)
    assert (settings.lead_in, warnings) == (20, [])
    assert data == plan_for(catalog.routine("morning"), catalog.exercises, settings).to_json()
    lead_ins = {s["seconds"] for s in data["segments"] if s["kind"] == "lead_in"}
    assert lead_ins == {20}
    default = plan_for(catalog.routine("morning"), catalog.exercises, Settings())
    longer = sum(20 - s.seconds for s in default.segments if s.kind.value == "lead_in")
    assert longer > 0
    assert data["total_seconds"] == default.total_seconds + longer
    rows = run_json(capsys, "routines", "--json")
    morning = next(r for r in rows if r["id"] == "morning")
    assert morning["total_seconds"] == round(data["total_seconds"])
    code, out, _ = run(capsys, "plan", "morning")
    steps = len(data["segments"])
    total = duration_text(data["total_seconds"])
    assert (code, out.splitlines()[0]) == (
        0,
        f"Morning stretches (morning): {steps} steps, {total}",
    )
    assert out.splitlines()[1].split()[:3] == ["0:00", "Get", "ready"]
    assert "20 s" in out.splitlines()[1]


def test_a_broken_setting_is_a_warning_and_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_settings('{"lead_in": "soon"}')
    code, out, err = run(capsys, "plan", "morning", "--json")
    assert code == 0
    catalog = load_catalog()
    default = plan_for(catalog.routine("morning"), catalog.exercises, Settings())
    assert json.loads(out)["total_seconds"] == default.total_seconds
    assert err.startswith(f"warning: {path}")
    assert "lead_in" in err
    assert err.count("\n") == 1


# --- start: the routine is checked before any window ------------------------------------


def test_start_of_an_unknown_routine_is_a_usage_error_without_qt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A None entry makes any import of these fail: the check must come first.
    for name in ("PySide6", "shiboken6", "si_timer.ui", "si_timer.ui.app", "si_timer.ui.launch"):
        monkeypatch.setitem(sys.modules, name, None)
    code, out, err = run(capsys, "start", "mornin")
    assert (code, out) == (2, "")
    assert err == (
        "si-timer: unknown routine 'mornin' (did you mean 'morning'?); known: "
        + ", ".join(BUNDLED_ROUTINES)
        + "\n"
    )


def test_handout_of_an_unknown_routine_is_a_usage_error_before_qt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("PySide6", "shiboken6", "si_timer.ui", "si_timer.ui.printing.save"):
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "x.pdf"
    code, stdout, err = run(capsys, "handout", "mornin", "-o", str(out))
    assert (code, stdout) == (2, "")
    assert err.startswith("si-timer: unknown routine 'mornin' (did you mean 'morning'?)")
    code, _, err = run(capsys, "handout", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "no such file" in err
    assert not out.exists()


def test_start_of_a_broken_routine_file_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "si_timer.ui.launch", None)
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_ROUTINE)
    code, _, err = run(capsys, "start", str(path))
    assert code == 2
    assert err == (
        f"si-timer: {path}:5: exercises[1]: unknown exercise 'knee-to-chst' "
        "(did you mean 'knee-to-chest'?)\n"
    )


@pytest.mark.parametrize("kind", ["id", "file"])
def test_start_of_a_known_routine_opens_the_app(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import si_timer.ui.launch

    path = tmp_path / "mine.yaml"
    path.write_text(MY_ROUTINE)
    arg = "morning" if kind == "id" else str(path)
    opened: list[str] = []

    def fake_run_app(paths: object, args: argparse.Namespace, **_: object) -> int:
        opened.append(args.routine)
        return 0

    monkeypatch.setattr(si_timer.ui.launch, "run_app", fake_run_app)
    assert run(capsys, "start", arg) == (0, "", "")
    assert opened == [arg]


def test_start_of_an_unknown_routine_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in _env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run(
        [sys.executable, "-m", "si_timer", "start", "mornin"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("si-timer: unknown routine 'mornin' (did you mean 'morning'?)")
    assert "xcb" not in done.stderr
    assert done.stdout == ""


# --- validate ---------------------------------------------------------------------


def test_validate_good_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exercise = tmp_path / "my-figure-4.yaml"
    exercise.write_text(MY_FIGURE_4.replace("id: figure-4", "id: my-figure-4"))
    routine = tmp_path / "mine.yaml"
    routine.write_text(MY_ROUTINE.replace("- cat-cow", "- my-figure-4"))
    assert run(capsys, "validate", str(exercise), str(routine)) == (
        0,
        f"{exercise}: ok\n{routine}: ok\n",
        "",
    )


def test_validate_bad_files_prints_only_their_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MY_ROUTINE)
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_ROUTINE)
    worse = tmp_path / "worse.yaml"
    worse.write_text(MY_FIGURE_4.replace("hold: {min: 25, max: 40}", "hold: -1\n  rep: 2"))
    code, out, err = run(capsys, "validate", str(good), str(bad), str(worse))
    assert (code, err) == (1, "")
    # Within a file the order is the loader's (unknown keys first), not by line.
    assert sorted(out.splitlines()) == [
        f"{bad}:5: exercises[1]: unknown exercise 'knee-to-chst' (did you mean 'knee-to-chest'?)",
        f"{worse}:10: dose.hold: must be more than 0 seconds, not -1",
        f"{worse}:11: dose.rep: unknown key (did you mean 'reps'?)",
    ]


def test_validate_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gone.yaml"
    assert run(capsys, "validate", str(path)) == (
        1,
        f"{path}:1: file: cannot be read (No such file or directory)\n",
        "",
    )


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


# --- the data folder ----------------------------------------------------------------


def test_a_user_routine_from_the_env_data_dir_is_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    user_file(data_dir(), "routines", "mine.yaml", MY_ROUTINE)
    rows = run_json(capsys, "routines", "--json")
    mine = next(r for r in rows if r["id"] == "my-routine")
    assert (mine["bundled"], mine["exercises"]) == (False, ["figure-4", "cat-cow"])
    code, out, _err = run(capsys, "routines")
    assert code == 0
    assert (
        "my-routine                My routine — 2 exercises, 3 min 3 s; needs mat  (yours)"
        in out.splitlines()
    )


def test_a_changed_bundled_routine_is_listed_as_the_person_s_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = MY_ROUTINE.replace("my-routine", "morning").replace(
        "- figure-4", ("- exercise: figure-4\n    prescribed: true\n    hold: 45")
    )
    # Written by the app's editor: the override is what the person wants, no note.
    user_file(data_dir(), "routines", "morning.yaml", EDITOR_HEADER + "\n" + text)
    rows = run_json(capsys, "routines", "--json")
    morning = next(r for r in rows if r["id"] == "morning")
    assert (morning["bundled"], morning["changed"], morning["prescribed"]) == (
        False,
        True,
        ["figure-4"],
    )
    _code, out, _err = run(capsys, "routines")
    assert next(line for line in out.splitlines() if line.startswith("morning ")).endswith(
        "  (your version)"
    )
    _code, out, _err = run(capsys, "plan", "morning")
    marked = [line for line in out.splitlines() if "as prescribed" in line]
    assert len(marked) == 1
    assert marked[0].split()[1:3] == ["Get", "ready"]
    assert "Figure-4" in marked[0]
    assert any(line.split()[1:2] == ["Hold"] and "45 s" in line for line in out.splitlines())


def test_data_dir_flag_redirects_user_files_and_beats_the_env(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flag_dir = tmp_path / "flag"
    user_file(flag_dir, "routines", "mine.yaml", MY_ROUTINE)
    user_file(data_dir(), "routines", "env.yaml", MY_ROUTINE.replace("my-routine", "env-routine"))
    rows = run_json(capsys, "--data-dir", str(flag_dir), "routines", "--json")
    ids = {r["id"] for r in rows}
    assert "my-routine" in ids
    assert "env-routine" not in ids


def test_a_user_exercise_with_a_bundled_id_overrides_it_with_a_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    mine = user_file(data_dir(), "exercises", "figure-4.yaml", MY_FIGURE_4)
    code, out, err = run(capsys, "exercises", "--json")
    assert code == 0
    assert err == f"note: {mine}: overrides the bundled exercise 'figure-4'\n"
    figure_4 = next(r for r in json.loads(out) if r["id"] == "figure-4")
    assert (figure_4["name"], figure_4["hold"], figure_4["source"]) == (
        "My figure-4",
        {"min": 25, "max": 40},
        "my physio",
    )
    # And a plan of a bundled routine uses it.
    data = run_json(capsys, "plan", "morning", "--json")
    assert {
        s["seconds"]
        for s in data["segments"]
        if s["exercise"] == "figure-4" and s["kind"] == "hold"
    } == {25}


def test_a_broken_user_file_is_left_out_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    bad = user_file(data_dir(), "routines", "bad.yaml", BAD_ROUTINE)
    code, out, err = run(capsys, "routines")
    assert code == 0
    assert err == (
        f"warning: {bad}:5: exercises[1]: unknown exercise 'knee-to-chst' "
        "(did you mean 'knee-to-chest'?) (left out)\n"
    )
    assert sorted(line.split()[0] for line in out.splitlines()) == BUNDLED_ROUTINES


def test_paths_are_all_under_the_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    root = data_dir().resolve()
    assert run(capsys, "paths") == (
        0,
        f"settings:          {root / 'config' / 'settings.json'}\n"
        f"history:           {root / 'data' / 'history.sqlite3'}\n"
        f"backups:           {root / 'data' / 'backups'}\n"
        f"your routines:     {root / 'data' / 'routines'}\n"
        f"your exercises:    {root / 'data' / 'exercises'}\n"
        f"log:               {root / 'cache' / 'si-timer.log'}\n",
        "",
    )


# --- help and version -----------------------------------------------------------------


def test_help_mentions_every_command_and_the_data_folder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("open", "start", "routines", "exercises", "plan", "validate", "paths"):
        assert f"\n    {command} " in out, command
    assert "--data-dir DIR" in out
    assert "SI_TIMER_DATA_DIR" in out
    assert "see a doctor or physical" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"si-timer {__version__}\n"


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["stretch"])
    assert info.value.code == 2
    assert "invalid choice: 'stretch'" in capsys.readouterr().err


# --- the real entry points --------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "error"}


def test_the_installed_console_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("si-timer")
    assert script.is_file(), f"{script} is missing: pip install -e ."
    done = subprocess.run(
        [str(script), "plan", "morning", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["total_seconds"] == 451


def test_python_dash_m_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "si_timer", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"si-timer {__version__}\n", "")


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    # `si-timer exercises --json | head -1`: head exits, the next write hits a
    # closed pipe.  Closing the read end first makes that certain, not a race.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "si_timer", "exercises", "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=_env(),
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["routines"], ["plan", "morning", "--json"]])
def test_a_full_disk_for_the_output_is_one_line(tmp_path: Path, command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "si_timer", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env=_env(),
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "si-timer: cannot write the output (No space left on device)\n"


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e999", "fast", "1001"])
def test_a_time_scale_that_cannot_work_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["start", "morning", "--time-scale", value])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --time-scale" in err
    assert "Traceback" not in err


def test_export_to_an_existing_file_needs_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    target.write_text("mine")
    code, out, err = run(capsys, "export", "-o", str(target))
    assert (code, out) == (1, "")
    assert err == (
        f"si-timer: {target} already exists; nothing was exported (--force replaces it)\n"
    )
    assert target.read_text() == "mine"
    code, out, err = run(capsys, "export", "-o", str(target), "--force")
    assert (code, err) == (0, f"Exported 0 sessions to {target}\n")
    assert json.loads(target.read_text())["sessions"] == []


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["open"],
        ["--background"],
        ["--data-dir", "/tmp/x", "open"],
        ["--data-dir=/tmp/x", "--background"],
        ["--background", "--data-dir", "d", "start", "morning"],
        ["start", "morning"],
        ["start", "my routine.yaml", "--fullscreen"],
        ["start", "--fullscreen", "morning", "--time-scale", "20"],
        ["start", "morning", "--time-scale=0.5", "--events", "ev.jsonl"],
        ["start", "morning", "--events=ev.jsonl", "--fullscreen", "--time-scale", "1000"],
    ],
)
def test_the_window_commands_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    fast = cli.window_args(argv)
    assert fast is not None  # read without building the parser
    assert vars(fast) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["start"],  # no routine: argparse's usage error
        ["start", "morning", "--time-scale", "0"],  # argparse's message for a bad value
        ["start", "morning", "--time-scale", "-1"],
        ["start", "morning", "--time"],  # an abbreviation argparse expands
        ["start", "morning", "evening"],
        ["start", "morning", "--fullscreen", "--fullscreen"],
        ["start", "morning", "--events"],
        ["open", "extra"],
        ["--data-dir"],
        ["--data-dir", "--background"],
        ["--data", "d"],
        ["routines"],
        ["start", "--", "morning"],
    ],
)
def test_anything_else_goes_to_argparse(argv: list[str]) -> None:
    assert cli.window_args(argv) is None
