"""The library's cache: the same catalog as a fresh read, and never a stale one."""

from __future__ import annotations

import os
import pickle
import shutil
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

import si_timer.library.catalog
from si_timer import assets
from si_timer.library import cache
from si_timer.library.cache import CACHE_NAME, cached_catalog
from si_timer.library.catalog import Catalog, load_catalog

MY_ROUTINE = "id: my-routine\nname: My routine\nexercises:\n  - figure-4\n  - cat-cow\n"
BROKEN_ROUTINE = "id: broken\nname: Broken\nexercises:\n  - knee-to-chst\n"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The cache folder and the person's exercise and routine folders."""
    exercises, routines = tmp_path / "exercises", tmp_path / "routines"
    exercises.mkdir()
    routines.mkdir()
    return tmp_path / "cache", exercises, routines


class Reads:
    """Counts how often the library is parsed (the cache's miss)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = si_timer.library.catalog.load_catalog

        def counting(*args: object, **kwargs: object) -> Catalog:
            self.count += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(si_timer.library.catalog, "load_catalog", counting)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def _same(a: Catalog, b: Catalog) -> None:
    assert a.exercises == b.exercises
    assert a.routines == b.routines
    assert a.sources == b.sources
    assert a.errors == b.errors
    assert a.notices == b.notices


def _bump(path: Path, text: str) -> None:
    """Rewrite ``path`` with a modification time surely unlike the last one."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_the_second_start_reads_no_yaml(folders: tuple[Path, Path, Path], reads: Reads) -> None:
    cache_dir, exercises, routines = folders
    (routines / "mine.yaml").write_text(MY_ROUTINE)
    first = cached_catalog(cache_dir, exercises, routines)
    second = cached_catalog(cache_dir, exercises, routines)
    assert reads.count == 1
    _same(first, second)
    _same(second, load_catalog(exercises, routines))
    assert "my-routine" in second.routines
    assert (cache_dir / CACHE_NAME).stat().st_mode & 0o777 == 0o600


def test_problems_of_a_cached_library_are_still_reported(
    folders: tuple[Path, Path, Path], reads: Reads
) -> None:
    cache_dir, exercises, routines = folders
    (routines / "broken.yaml").write_text(BROKEN_ROUTINE)
    cached_catalog(cache_dir, exercises, routines)
    again = cached_catalog(cache_dir, exercises, routines)
    assert reads.count == 1
    assert any("knee-to-chst" in str(e) for e in again.errors)


def test_a_changed_file_of_theirs_is_read_again(
    folders: tuple[Path, Path, Path], reads: Reads
) -> None:
    cache_dir, exercises, routines = folders
    mine = routines / "mine.yaml"
    _bump(mine, MY_ROUTINE)
    cached_catalog(cache_dir, exercises, routines)
    _bump(mine, MY_ROUTINE.replace("My routine", "My new routine"))
    catalog = cached_catalog(cache_dir, exercises, routines)
    assert reads.count == 2
    assert catalog.routines["my-routine"].name == "My new routine"


def test_a_file_added_or_removed_is_seen(folders: tuple[Path, Path, Path], reads: Reads) -> None:
    cache_dir, exercises, routines = folders
    assert "my-routine" not in cached_catalog(cache_dir, exercises, routines).routines
    (routines / "mine.yml").write_text(MY_ROUTINE)
    assert "my-routine" in cached_catalog(cache_dir, exercises, routines).routines
    (routines / "mine.yml").unlink()
    assert "my-routine" not in cached_catalog(cache_dir, exercises, routines).routines
    assert reads.count == 3


def test_a_file_moved_to_the_other_folder_is_read_again(
    folders: tuple[Path, Path, Path], reads: Reads
) -> None:
    cache_dir, exercises, routines = folders
    (routines / "mine.yaml").write_text(MY_ROUTINE)
    cached_catalog(cache_dir, exercises, routines)
    (routines / "mine.yaml").rename(exercises / "mine.yaml")  # same name, size and time
    catalog = cached_catalog(cache_dir, exercises, routines)
    assert reads.count == 2
    _same(catalog, load_catalog(exercises, routines))


def test_an_upgrade_of_the_app_reads_the_library_again(
    folders: tuple[Path, Path, Path], reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir, exercises, routines = folders
    cached_catalog(cache_dir, exercises, routines)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    cached_catalog(cache_dir, exercises, routines)
    assert reads.count == 2


def test_a_changed_bundled_file_is_read_again(
    folders: tuple[Path, Path, Path],
    reads: Reads,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """An upgrade that keeps the version (a reinstall, a source checkout) still changes
    the bundled files' stamps."""
    content = tmp_path / "content"
    shutil.copytree(Path(str(assets.content_root())), content)

    def content_root() -> Traversable:
        return content

    monkeypatch.setattr(assets, "content_root", content_root)
    cache_dir, exercises, routines = folders
    before = cached_catalog(cache_dir, exercises, routines)
    morning = content / "routines" / "morning.yaml"
    _bump(morning, morning.read_text().replace(before.routines["morning"].name, "Sunrise"))
    after = cached_catalog(cache_dir, exercises, routines)
    assert reads.count == 2
    assert after.routines["morning"].name == "Sunrise"


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a pickle at all",
        pickle.dumps(("a key", "not a catalog")),
        pickle.dumps({"an": "old layout"}),
    ],
    ids=["empty", "garbage", "wrong-content", "old-layout"],
)
def test_a_damaged_or_old_cache_is_read_past_and_rewritten(
    folders: tuple[Path, Path, Path], reads: Reads, damage: bytes
) -> None:
    cache_dir, exercises, routines = folders
    cached_catalog(cache_dir, exercises, routines)
    (cache_dir / CACHE_NAME).write_bytes(damage)
    catalog = cached_catalog(cache_dir, exercises, routines)
    _same(catalog, load_catalog(exercises, routines))
    cached_catalog(cache_dir, exercises, routines)  # rewritten: read from the cache again
    assert reads.count == 2


def test_a_cache_folder_that_cannot_be_written_still_gives_the_library(
    folders: tuple[Path, Path, Path], reads: Reads
) -> None:
    _, exercises, routines = folders
    blocker = exercises.parent / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    catalog = cached_catalog(blocker, exercises, routines)
    _same(catalog, load_catalog(exercises, routines))
    assert reads.count == 1


def test_no_cache_folder_means_no_cache(folders: tuple[Path, Path, Path], reads: Reads) -> None:
    _, exercises, routines = folders
    cached_catalog(None, exercises, routines)
    cached_catalog(None, exercises, routines)
    assert reads.count == 2


def test_reading_from_the_cache_loads_no_yaml(folders: tuple[Path, Path, Path]) -> None:
    """The point of it: a start with an unchanged library never imports PyYAML."""
    import subprocess
    import sys

    cache_dir, exercises, routines = folders
    cached_catalog(cache_dir, exercises, routines)
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from si_timer.library.cache import cached_catalog\n"
        f"c = cached_catalog(Path({str(cache_dir)!r}), Path({str(exercises)!r}),"
        f" Path({str(routines)!r}))\n"
        "print(len(c.routines), 'yaml' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[1] == "False"
    assert int(out[0]) > 0
