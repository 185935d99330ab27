"""The library as it was last read, kept in the cache folder so a start does not parse YAML.

Reading the bundled library and the person's own files costs more than the
rest of the start-up put together (PyYAML, then checking every field), and
it gives the same answer every time until a file changes.  So the parsed
:class:`~si_timer.library.catalog.Catalog` is pickled into our own cache
folder under a key made of the stamps (name, size, modification time) of
every file it came from, of the library's own code, and of the app's and
Python's versions.  A start compares the key with fresh stamps (a few dozen
``stat`` calls) and unpickles on a match; anything else (no cache, another
key, a file we cannot read, a cache of another format or one that fails to
unpickle) parses as before and writes a new cache.

Only our own file is ever unpickled: it is written owner-only by
:func:`~si_timer.config.files.write_private` and ignored unless it is a
regular file owned by the person running the app.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

from si_timer import __version__, assets
from si_timer.config.files import FileProblem, read_limited, write_private
from si_timer.library.catalog import Catalog

log = logging.getLogger("si_timer")

CACHE_NAME = "library.pickle"
FORMAT = 1  # bump when what is pickled changes shape in a way the key would not show
MAX_CACHE_BYTES = 16 * 1024 * 1024  # the bundled library pickles to well under 1 MiB
_LIBRARY_CODE = Path(__file__).resolve().parent

Stamp = tuple[str, int, int]  # name, size in bytes, modification time in ns


def _yaml_stamps(folder: Path) -> Iterator[Stamp]:
    """Every YAML file the catalog would read in ``folder`` (following links, as it does)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return  # no folder: nothing is read from it either
    for entry in entries:
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        try:
            info = entry.stat()
        except OSError:
            yield (entry.path, -1, -1)  # a broken link: the catalog reports it
            continue
        yield (entry.path, info.st_size, info.st_mtime_ns)


def library_key(user_exercises: Path | None, user_routines: Path | None) -> tuple[object, ...]:
    """What the cached catalog depends on; None when the bundled files are not plain files."""
    content = Path(str(assets.content_root()))
    stamps: list[Stamp] = []
    sources = content / "sources.yaml"
    info = sources.stat()
    stamps.append((str(sources), info.st_size, info.st_mtime_ns))
    for folder in (
        content / "exercises",
        content / "routines",
        *(p for p in (user_exercises, user_routines) if p is not None),
    ):
        stamps.append((f"dir:{folder}", 0, 0))  # a file moving between folders changes it
        stamps.extend(_yaml_stamps(folder))
    code = sorted(
        (str(p), (s := p.stat()).st_size, s.st_mtime_ns) for p in _LIBRARY_CODE.glob("*.py")
    )
    return (FORMAT, __version__, sys.version_info[:3], tuple(code), tuple(stamps))


def _read(cache_file: Path, key: tuple[object, ...]) -> Catalog | None:
    try:
        info = cache_file.lstat()
        if not cache_file.is_file() or info.st_uid != os.getuid():
            return None
        stored_key, catalog = pickle.loads(read_limited(cache_file, MAX_CACHE_BYTES))
    except FileNotFoundError:
        return None
    except (OSError, FileProblem) as error:
        log.info("library cache not read: %s", error)
        return None
    except Exception as error:
        log.info("library cache unusable, reading the library again: %s", error)
        return None
    if stored_key != key or not isinstance(catalog, Catalog):
        return None
    return catalog


def cached_catalog(
    cache_dir: Path | None,
    user_exercises: Path | None = None,
    user_routines: Path | None = None,
) -> Catalog:
    """The same catalog as :func:`load_catalog` with those folders, from the cache when
    nothing it was read from has changed (``cache_dir`` None: no cache)."""
    try:
        key = library_key(user_exercises, user_routines) if cache_dir is not None else None
    except OSError:
        key = None  # bundled files that are not plain files (a zip): parse every time
    from si_timer.library.catalog import load_catalog  # PyYAML: only when parsing

    if cache_dir is None or key is None:
        return load_catalog(user_exercises, user_routines)
    cache_file = cache_dir / CACHE_NAME
    catalog = _read(cache_file, key)
    if catalog is not None:
        return catalog
    catalog = load_catalog(user_exercises, user_routines)
    try:
        write_private(cache_file, pickle.dumps((key, catalog), protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError) as error:
        log.info("library cache not written: %s", error)
    return catalog
