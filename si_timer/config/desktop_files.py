"""The app in the desktop's menu and at login: XDG desktop entry, icon, metainfo, autostart.

pip and pipx install no desktop entry, so ``si-timer desktop install`` copies
the packaged entry (with ``Exec`` resolved to this installation's
``si-timer``), the icon and the AppStream metainfo into the person's XDG data
folder; "Start at login" writes an autostart entry that runs the background
mode.  Paths follow the XDG base directory spec (``XDG_DATA_HOME``,
``XDG_CONFIG_HOME``), so tests point them at a temporary folder.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from si_timer import APP_NAME, assets
from si_timer.config.files import write_private
from si_timer.desktop_id import DESKTOP_FILE, ICON_NAME, METAINFO_FILE
from si_timer.records import record

BACKGROUND_FLAG = "--background"


def data_home(env: Mapping[str, str] = os.environ) -> Path:
    value = env.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def config_home(env: Mapping[str, str] = os.environ) -> Path:
    value = env.get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


def autostart_file(env: Mapping[str, str] = os.environ) -> Path:
    return config_home(env) / "autostart" / DESKTOP_FILE


@record(frozen=True)
class InstalledFiles:
    desktop_entry: Path
    icon: Path
    metainfo: Path

    @classmethod
    def under(cls, data: Path) -> InstalledFiles:
        return cls(
            data / "applications" / DESKTOP_FILE,
            data / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg",
            data / "metainfo" / METAINFO_FILE,
        )

    def all(self) -> tuple[Path, Path, Path]:
        return (self.desktop_entry, self.icon, self.metainfo)


def command_line() -> list[str]:
    """How to start this installation: its ``si-timer`` script, else ``python -m si_timer``."""
    beside = Path(sys.executable).parent / APP_NAME
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(APP_NAME)
    if found is not None:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "si_timer"]


def exec_value(argv: list[str]) -> str:
    """A desktop entry's ``Exec`` (quoted as the spec asks: double quotes, escaped)."""

    def quote(arg: str) -> str:
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
            return arg
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return f'"{escaped}"'

    return " ".join(quote(arg) for arg in argv)


def _packaged(name: str) -> str:
    return assets.resource("desktop", name).read_text(encoding="utf-8")


def desktop_entry(argv: list[str], *, background: bool = False) -> str:
    """The packaged desktop entry with every ``Exec`` pointing at ``argv``.

    ``background``: the autostart variant, which runs ``--background`` and
    has no actions.
    """
    program = exec_value(argv)
    lines: list[str] = []
    for line in _packaged(DESKTOP_FILE).splitlines():
        if background and line.startswith("[Desktop Action"):
            break
        if background and line.startswith("Actions="):
            continue
        if line.startswith("Exec="):
            rest = shlex.split(line.removeprefix("Exec="))[1:]
            if background:
                rest = [BACKGROUND_FLAG]
            lines.append("Exec=" + " ".join([program, *rest]))
        else:
            lines.append(line)
    if background:
        lines.append("X-GNOME-Autostart-enabled=true")
        lines.append("NoDisplay=true")
    return "\n".join(lines).rstrip("\n") + "\n"


def _write(path: Path, text: str | bytes) -> None:
    # Atomic, through an exclusive temporary file; the menu reads it as the same person.
    write_private(path, text)


def install(data: Path | None = None, argv: list[str] | None = None) -> InstalledFiles:
    """Put the app in the menu; returns where its files went.  Raises OSError."""
    files = InstalledFiles.under(data or data_home())
    _write(files.desktop_entry, desktop_entry(argv or command_line()))
    _write(files.icon, assets.resource("icons", f"{APP_NAME}.svg").read_bytes())
    _write(files.metainfo, _packaged(METAINFO_FILE))
    return files


def uninstall(data: Path | None = None) -> list[Path]:
    """Take the app out of the menu; returns the files removed."""
    removed = []
    for path in InstalledFiles.under(data or data_home()).all():
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def in_menu(env: Mapping[str, str] = os.environ) -> bool:
    """Whether a desktop entry for the app exists where the desktop's menu looks."""
    dirs = [data_home(env)] + [
        Path(d) for d in env.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":") if d
    ]
    return any((d / "applications" / DESKTOP_FILE).is_file() for d in dirs)


def set_autostart(on: bool, argv: list[str] | None = None, path: Path | None = None) -> Path:
    """Write or remove the login entry that runs ``si-timer --background``.  Raises OSError."""
    target = path or autostart_file()
    if on:
        _write(target, desktop_entry(argv or command_line(), background=True))
    else:
        target.unlink(missing_ok=True)
    return target
