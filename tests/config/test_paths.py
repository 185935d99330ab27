"""The app's folders: made owner-only when it makes them, never changed when they exist."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from si_timer.config.paths import resolve_paths

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def test_existing_folders_keep_their_mode(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "d")
    paths.data_dir.mkdir(parents=True)
    paths.data_dir.chmod(0o500)  # read-only on purpose
    (tmp_path / "d").chmod(0o755)
    try:
        paths.ensure()
        assert stat.S_IMODE(paths.data_dir.stat().st_mode) == 0o500
        assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o755
        assert stat.S_IMODE(paths.config_dir.stat().st_mode) == 0o700
    finally:
        paths.data_dir.chmod(0o700)


def test_a_symlinked_data_folder_is_not_changed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "someone-else"
    elsewhere.mkdir()
    elsewhere.chmod(0o755)
    paths = resolve_paths(tmp_path / "d")
    paths.data_dir.parent.mkdir(parents=True)
    paths.data_dir.symlink_to(elsewhere)
    paths.ensure()
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755


OTHER_USER = 4321


def _give_away(path: Path) -> None:
    """Make ``path`` another user's: as root by chown; otherwise it already is, seen from
    the ``euid=0`` these tests pass (our own uid is not 0)."""
    if os.geteuid() == 0:
        os.chown(path, OTHER_USER, OTHER_USER)


def test_as_root_a_data_folder_linked_into_another_users_home_is_refused(
    tmp_path: Path,
) -> None:
    theirs = tmp_path / "home-of-alice"
    theirs.mkdir()
    _give_away(theirs)
    link = tmp_path / "d"
    link.symlink_to(theirs)
    paths = resolve_paths(link)
    problem = paths.linked_out(euid=0)
    assert problem is not None
    assert str(link) in problem
    assert "belongs to user" in problem
    # The same link is fine for anyone else (their permissions protect them).
    assert paths.linked_out(euid=OTHER_USER + 1) is None


def test_as_root_a_linked_data_subfolder_is_refused_too(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    _give_away(theirs)
    paths = resolve_paths(tmp_path / "d")
    paths.data_dir.parent.mkdir(parents=True)
    if os.geteuid() != 0:
        os.chown(paths.data_dir.parent, os.geteuid(), os.getegid())
    paths.data_dir.symlink_to(theirs)
    problem = paths.linked_out(euid=0)
    assert problem is not None
    assert str(paths.data_dir) in problem


def test_as_root_a_planted_file_link_in_another_users_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "d"
    paths = resolve_paths(root)
    paths.ensure()
    target = tmp_path / "system-file"
    target.write_text("precious")
    if os.geteuid() == 0:
        # Their folder, our (root's) file outside it: a planted link to a system file.
        for folder in (root, paths.data_dir):
            _give_away(folder)
        paths.database_file.symlink_to(target)
        problem = paths.linked_out(euid=0)
        assert problem is not None
        assert "outside" in problem
    # A link root made in root's own folder to root's own file is root's choice.
    own = resolve_paths(tmp_path / "own")
    own.ensure()
    own.settings_file.symlink_to(target)
    euid = os.geteuid()
    assert own.linked_out(euid=0 if euid == 0 else euid) is None


def test_unlinked_folders_pass(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "d")
    paths.ensure()
    assert paths.linked_out(euid=0 if os.geteuid() == 0 else os.geteuid()) is None


def test_the_command_line_refuses_before_touching_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from si_timer import cli

    theirs = tmp_path / "home-of-alice"
    theirs.mkdir()
    theirs.chmod(0o755)
    _give_away(theirs)
    link = tmp_path / "d"
    link.symlink_to(theirs)
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert cli.main(["--data-dir", str(link), "history"]) == cli.EXIT_PROBLEMS
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "does not follow it" in err
    assert list(theirs.iterdir()) == [], "nothing was created in their folder"
    assert stat.S_IMODE(theirs.stat().st_mode) == 0o755
