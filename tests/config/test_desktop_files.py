"""The menu entry and the login entry: written where XDG says, valid, and their Exec starts us."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from si_timer import __version__
from si_timer.cli import main
from si_timer.config import desktop_files
from si_timer.desktop_id import APP_ID

needs_validator = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)",
)


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _validate(path: Path) -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


def _run_exec(exec_line: str, *extra: str) -> str:
    argv = shlex.split(exec_line)
    result = subprocess.run(
        [*argv, *extra], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@needs_validator
def test_install_puts_a_valid_entry_icon_and_metainfo_in_the_data_dir(tmp_path: Path) -> None:
    files = desktop_files.install(tmp_path / "share")
    assert files.desktop_entry == tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    assert files.icon.name == f"{APP_ID}.svg"
    assert files.icon.read_bytes().startswith(b"<")
    assert files.metainfo.read_text(encoding="utf-8").count(f"<id>{APP_ID}</id>") == 1
    _validate(files.desktop_entry)
    entry = _entry(files.desktop_entry)
    assert entry["Icon"] == APP_ID
    program = shlex.split(entry["Exec"])[0]
    assert Path(program).is_absolute()  # this installation's si-timer, not whatever is on PATH
    assert _run_exec(entry["Exec"], "--version") == f"si-timer {__version__}"


@needs_validator
def test_the_installed_action_starts_a_routine_with_the_same_program(tmp_path: Path) -> None:
    files = desktop_files.install(tmp_path, ["/opt/si timer/bin/si-timer"])
    text = files.desktop_entry.read_text(encoding="utf-8")
    assert 'Exec="/opt/si timer/bin/si-timer"\n' in text
    assert 'Exec="/opt/si timer/bin/si-timer" start morning\n' in text
    _validate(files.desktop_entry)


def test_uninstall_removes_what_install_wrote(tmp_path: Path) -> None:
    files = desktop_files.install(tmp_path)
    assert desktop_files.in_menu({"XDG_DATA_HOME": str(tmp_path), "XDG_DATA_DIRS": ""})
    assert sorted(desktop_files.uninstall(tmp_path)) == sorted(files.all())
    assert not any(path.exists() for path in files.all())
    assert not desktop_files.in_menu({"XDG_DATA_HOME": str(tmp_path), "XDG_DATA_DIRS": ""})
    assert desktop_files.uninstall(tmp_path) == []


@needs_validator
def test_start_at_login_writes_a_valid_autostart_entry_for_the_background_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = desktop_files.set_autostart(True)
    assert path == tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    _validate(path)
    entry = _entry(path)
    assert entry["Exec"].endswith(" --background")
    assert "Actions" not in entry
    # --version stops before any window: it proves the Exec line starts this app.
    assert _run_exec(entry["Exec"], "--version") == f"si-timer {__version__}"
    desktop_files.set_autostart(False)
    assert not path.exists()
    desktop_files.set_autostart(False)  # already gone: fine


def test_relative_xdg_dirs_are_ignored_as_the_spec_says(tmp_path: Path) -> None:
    home = Path.home()
    assert desktop_files.data_home({"XDG_DATA_HOME": "rel"}) == home / ".local" / "share"
    assert desktop_files.config_home({"XDG_CONFIG_HOME": ""}) == home / ".config"
    assert desktop_files.config_home({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path


def test_the_desktop_command_installs_and_uninstalls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["desktop", "install"]) == 0
    assert (tmp_path / "applications" / f"{APP_ID}.desktop").is_file()
    assert "is in the menu now" in capsys.readouterr().out
    assert main(["desktop", "uninstall"]) == 0
    assert "removed" in capsys.readouterr().out
    assert main(["desktop", "uninstall"]) == 0
    assert "was not in the menu" in capsys.readouterr().out


def test_a_data_dir_that_cannot_be_written_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["desktop", "install"]) == 1
    assert capsys.readouterr().err.startswith("si-timer: cannot install the menu entry:")
