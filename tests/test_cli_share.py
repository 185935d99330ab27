"""``si-timer share`` and ``si-timer import`` of a shared routine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from si_timer.cli import main
from si_timer.config.paths import resolve_paths
from tests.helpers.share_files import MY_STRETCH, catalog_of, make_person


@pytest.fixture
def share_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    make_person(tmp_path / "me")
    out = tmp_path / "core.si-routine"
    assert main(["--data-dir", str(tmp_path / "me"), "share", "my-core", "-o", str(out)]) == 0
    assert capsys.readouterr().out == (
        f"Wrote 'My core routine', with 2 exercises of your own to {out}\n"
    )
    return out


def run(data: Path, *argv: str) -> int:
    return main(["--data-dir", str(data), *argv])


def test_share_refuses_an_unknown_routine_and_an_existing_file(
    tmp_path: Path, share_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    me = tmp_path / "me"
    assert run(me, "share", "my-cor", "-o", str(tmp_path / "x")) == 1
    assert "unknown routine 'my-cor' (did you mean 'my-core'?)" in capsys.readouterr().err
    before = share_file.read_bytes()
    assert run(me, "share", "morning", "-o", str(share_file)) == 2
    assert capsys.readouterr().err == f"si-timer: {share_file} exists; add --force to replace it\n"
    assert share_file.read_bytes() == before
    assert run(me, "share", "morning", "-o", str(share_file), "--force") == 0
    assert share_file.read_bytes() != before


def test_import_prints_the_preview_and_refuses_to_replace_without_being_told(
    tmp_path: Path, share_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    you = tmp_path / "you"
    assert run(you, "import", str(share_file)) == 2
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "Routine: My core routine (my-core), 3 exercises"
    assert lines[2].split() == [
        "2.",
        "Glute",
        "bridge",
        "hold",
        "12",
        "s,",
        "3",
        "sets",
        "in",
        "the",
        "file",
    ]
    assert "replaces  exercise  exercises/glute-bridge.yaml" in captured.out
    assert "overrides the bundled exercise 'Glute bridge'" in captured.out
    assert "new       figure    figures/my-stretch.yaml" in captured.out
    assert captured.err.startswith("si-timer: this would replace 1 of your routines or exercises")
    assert "--replace" in captured.err
    assert "--keep-both" in captured.err
    paths = resolve_paths(you)
    assert not paths.user_routines_dir.exists() or not any(paths.user_routines_dir.iterdir())


def test_import_with_replace_writes_it_and_the_routine_runs(
    tmp_path: Path, share_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    you = tmp_path / "you"
    assert run(you, "import", "--replace", str(share_file)) == 0
    out = capsys.readouterr().out
    assert "wrote " in out
    assert out.endswith("Imported: `si-timer start my-core` runs it.\n")
    assert run(you, "plan", "my-core", "--json") == 0
    mine = json.loads(capsys.readouterr().out)
    assert run(tmp_path / "me", "plan", "my-core", "--json") == 0
    assert mine == json.loads(capsys.readouterr().out)
    # Again: nothing to do.
    assert run(you, "import", str(share_file)) == 0
    assert capsys.readouterr().out.endswith("Nothing to import: you have all of it already.\n")


def test_import_with_keep_both_keeps_the_persons_own(
    tmp_path: Path, share_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    you = tmp_path / "you"
    paths = resolve_paths(you)
    paths.user_exercises_dir.mkdir(parents=True)
    mine = MY_STRETCH.replace("Physio hip stretch", "Mine")
    (paths.user_exercises_dir / "my-stretch.yaml").write_text(mine)
    assert run(you, "import", "--keep-both", str(share_file)) == 0
    out = capsys.readouterr().out
    assert "'my-stretch' is imported as 'my-stretch-2'" in out
    assert (paths.user_exercises_dir / "my-stretch.yaml").read_text() == mine
    routine = catalog_of(paths).routine("my-core")
    assert [e.exercise for e in routine.entries] == [
        "pelvic-tilt",
        "glute-bridge-2",
        "my-stretch-2",
    ]


def test_import_of_a_broken_share_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.si-routine"
    bad.write_text("si-timer-routine: 1\nroutine: |\n  id: ../../etc\n  name: x\n")
    assert run(tmp_path / "you", "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "id: '../../etc' must be lowercase letters, digits and dashes" in err


def test_import_of_a_routine_with_problems_shows_them_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    later = tmp_path / "later.si-routine"
    later.write_text(
        "si-timer-routine: 1\nroutine: |\n  id: later\n  name: Later\n  exercises: [flying-lotus]\n"
    )
    assert run(tmp_path / "you", "import", "--replace", str(later)) == 1
    captured = capsys.readouterr()
    assert "Problems:\n" in captured.out
    assert "unknown exercise 'flying-lotus'" in captured.out
    assert "cannot be imported" in captured.err
    assert not resolve_paths(tmp_path / "you").user_routines_dir.exists()


def test_replace_and_keep_both_are_only_for_a_shared_routine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text("{}")
    with pytest.raises(SystemExit) as exited:
        run(tmp_path / "you", "import", "--replace", str(backup))
    assert exited.value.code == 2
    assert "are for a shared routine" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(tmp_path / "you", "import", "--replace", "--keep-both", str(backup))
