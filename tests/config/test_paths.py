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
