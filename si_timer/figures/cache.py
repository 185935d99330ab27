"""Figures as they were last read, kept in the cache folder so a start does not load PyYAML.

Home draws a figure on each routine's card right after the first paint, and a
session draws one for every exercise; reading their YAML costs PyYAML and the
field reader (~3 MiB resident) for the same answer every time until a file
changes.  So each figure read is pickled into our own cache folder with the
stamp (size, modification time) of its file, under a key made of the stamps of
the code that reads figures and of the app's and Python's versions; a file
whose stamp changed is read again.

As with the library's cache, only our own file is ever unpickled: it is written
owner-only by :func:`~si_timer.config.files.write_private` and ignored unless
it is a regular file owned by the person running the app.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from si_timer import __version__
from si_timer.config.files import FileProblem, read_limited, write_private

if TYPE_CHECKING:
    from si_timer.figures.loader import FigureResult

log = logging.getLogger("si_timer")

CACHE_NAME = "figures.pickle"
FORMAT = 1  # bump when what is pickled changes shape in a way the key would not show
MAX_CACHE_BYTES = 8 * 1024 * 1024  # the bundled figures pickle to well under 100 KiB
_CODE = (
    Path(__file__).resolve().parent,  # the figures package
    Path(__file__).resolve().parent.parent / "library",  # the YAML and field readers
)

Stamp = tuple[int, int]  # size in bytes, modification time in ns


class _Kept:
    """The cache file's entries, read once, and where they are written."""

    folder: Path | None = None
    entries: dict[str, tuple[Stamp, FigureResult]] | None = None
    key: tuple[object, ...] | None = None


_kept = _Kept()


def keep_figures_in(cache_dir: Path | None) -> None:
    """Keep figures read from now on in ``cache_dir`` (None: in memory only)."""
    _kept.folder = cache_dir
    _kept.entries = None


def figures_key() -> tuple[object, ...]:
    """What every kept figure depends on besides its own file."""
    code = sorted(
        (str(p), (s := p.stat()).st_size, s.st_mtime_ns) for d in _CODE for p in d.glob("*.py")
    )
    return (FORMAT, __version__, sys.version_info[:3], tuple(code))


def kept_figure(path: str, read: Callable[[Path], FigureResult]) -> FigureResult:
    """The figure in the file at ``path``: as kept, if the file has not changed since,
    else ``read(path)`` (which is then kept)."""
    try:
        info = os.stat(path)
    except OSError:
        return read(Path(path))  # it says what is wrong with the file
    stamp = (info.st_size, info.st_mtime_ns)
    entries = _entries()
    kept = entries.get(path) if entries is not None else None
    if kept is not None and kept[0] == stamp:
        return kept[1]
    result = read(Path(path))
    if entries is not None:
        entries[path] = (stamp, result)
        _write(entries)
    return result


def _entries() -> dict[str, tuple[Stamp, FigureResult]] | None:
    if _kept.folder is None:
        return None
    if _kept.entries is None:
        try:
            _kept.key = figures_key()
        except OSError:
            _kept.folder = None  # code that is not plain files (a zip): read every time
            return None
        _kept.entries = _read(_kept.folder / CACHE_NAME, _kept.key)
    return _kept.entries


def _read(cache_file: Path, key: tuple[object, ...]) -> dict[str, tuple[Stamp, FigureResult]]:
    try:
        info = cache_file.lstat()
        if not cache_file.is_file() or info.st_uid != os.getuid():
            return {}
        stored_key, entries = pickle.loads(read_limited(cache_file, MAX_CACHE_BYTES))
    except FileNotFoundError:
        return {}
    except (OSError, FileProblem) as error:
        log.info("figure cache not read: %s", error)
        return {}
    except Exception as error:
        log.info("figure cache unusable, reading figures again: %s", error)
        return {}
    if stored_key != key or not isinstance(entries, dict):
        return {}
    return entries


def _write(entries: dict[str, tuple[Stamp, FigureResult]]) -> None:
    assert _kept.folder is not None
    try:
        data = pickle.dumps((_kept.key, entries), protocol=pickle.HIGHEST_PROTOCOL)
        write_private(_kept.folder / CACHE_NAME, data)
    except (OSError, pickle.PicklingError) as error:
        log.info("figure cache not written: %s", error)
