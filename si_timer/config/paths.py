"""Every directory the app reads or writes, declared once.

The platform's conventions come from platformdirs.  ``--data-dir DIR`` or the
``SI_TIMER_DATA_DIR`` environment variable redirect *everything* (config, data,
cache) below one folder: tests, bug reports and portable installs use it.
"""

from __future__ import annotations

import os
from pathlib import Path

from si_timer import APP_NAME
from si_timer.records import record

ENV_DATA_DIR = "SI_TIMER_DATA_DIR"

# Owner-only: history is health data.
DIR_MODE = 0o700
FILE_MODE = 0o600


@record(frozen=True)
class AppPaths:
    """The folders the app uses; build one with :func:`resolve_paths`."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    given_root: Path | None = None  # ``--data-dir`` as given, before its links were followed

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

    def linked_out(self, euid: int | None = None) -> str | None:
        """Why these folders must not be used as root, or None when they may.

        Run as root, si-timer never follows a link into a place another user owns (their
        folder would be written as root), nor, in a folder another user owns, a link
        from one of its files to anywhere outside it (``history.sqlite3`` linked to a
        system file). ``euid``: the effective user, for tests; other users are
        protected by the system's permissions and are not checked.
        """
        if euid is None:
            euid = os.geteuid() if hasattr(os, "geteuid") else -1
        if euid != 0:
            return None
        if self.given_root is not None:
            problem = _foreign_target(self.given_root, euid)
            if problem:
                return problem
        for folder in (self.config_dir, self.data_dir, self.cache_dir):
            problem = _foreign_target(folder, euid)
            if problem:
                return problem
        for inside, folder in self._children():
            if not inside.is_symlink():
                continue
            problem = _foreign_target(inside, euid)
            if problem:
                return problem
            # A link root made in root's own folder is root's choice (dotfiles); one in
            # a folder another user owns was planted by them.
            target = inside.resolve()
            owner = folder.stat().st_uid
            if owner != euid and not target.is_relative_to(folder.resolve()):
                return f"{inside} is a link to {target}, outside {folder} (of user {owner})"
        return None

    def _children(self) -> list[tuple[Path, Path]]:
        """The fixed files and folders inside the app's folders, with their folder."""
        return [
            (self.settings_file, self.config_dir),
            (self.window_state_file, self.config_dir),
            (self.database_file, self.data_dir),
            (self.backup_dir, self.data_dir),
            (self.user_exercises_dir, self.data_dir),
            (self.user_routines_dir, self.data_dir),
            (self.data_dir / "figures", self.data_dir),
            (self.log_file, self.cache_dir),
        ]

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
        given = Path(override).expanduser().absolute()
        root = given.resolve()
        return AppPaths(
            config_dir=root / "config",
            data_dir=root / "data",
            cache_dir=root / "cache",
            given_root=given if given != root else None,
        )

    import platformdirs  # imported here: only the default path needs it

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return AppPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        cache_dir=Path(dirs.user_cache_dir),
    )


def _foreign_target(path: Path, euid: int) -> str | None:
    """Why following the links in ``path`` leads somewhere ``euid`` must not go, or None."""
    path = path.absolute()
    real = path.resolve()
    if real == path:
        return None
    probe = real
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    owner = probe.stat().st_uid
    if owner == euid:
        return None
    return f"{path} is a link to {real}, which belongs to user {owner}"


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
