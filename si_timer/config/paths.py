"""Every directory the app reads or writes, declared once.

The platform's conventions come from platformdirs.  ``--data-dir DIR`` or the
``SI_TIMER_DATA_DIR`` environment variable redirect *everything* (config, data,
cache) below one folder: tests, bug reports and portable installs use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from si_timer import APP_NAME

ENV_DATA_DIR = "SI_TIMER_DATA_DIR"

# Owner-only: history is health data.
DIR_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class AppPaths:
    """The folders the app uses; build one with :func:`resolve_paths`."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def user_exercises_dir(self) -> Path:
        return self.data_dir / "exercises"

    @property
    def user_routines_dir(self) -> Path:
        return self.data_dir / "routines"

    @property
    def window_state_file(self) -> Path:
        return self.config_dir / "window.json"

    @property
    def log_file(self) -> Path:
        return self.cache_dir / "si-timer.log"

    def ensure(self) -> None:
        """Create the folders that are missing, owner-only on POSIX.

        Folders that already exist are never changed: one may be shared, a
        symlink into someone else's home, or read-only on purpose.
        """
        for folder in (self.config_dir, self.data_dir, self.cache_dir):
            ensure_dir(folder)


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The app's folders: an explicit ``data_dir`` wins, then the env variable,
    then the platform's standard places."""
    override = data_dir if data_dir is not None else os.environ.get(ENV_DATA_DIR) or None
    if override is not None:
        root = Path(override).expanduser().resolve()
        return AppPaths(
            config_dir=root / "config", data_dir=root / "data", cache_dir=root / "cache"
        )

    import platformdirs  # imported here: only the default path needs it

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return AppPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        cache_dir=Path(dirs.user_cache_dir),
    )


def ensure_dir(folder: Path) -> None:
    """Create ``folder`` and its parents as needed; only folders made here become 0700.

    A folder that already exists is left as it is: it may be shared, or the
    person's own choice (a read-only data folder stays read-only).
    """
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        if os.name == "posix":
            made.chmod(DIR_MODE)  # mkdir's mode is filtered by the umask
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
