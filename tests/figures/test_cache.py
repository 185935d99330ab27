"""Figures kept in the cache folder: the same figure, PyYAML only when a file changed."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from si_timer.figures import cache
from si_timer.figures.loader import FigureResult, load_figure_file

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "content" / "figures" / "bridge-pose.yaml"


@pytest.fixture(autouse=True)
def no_cache_after() -> Iterator[None]:
    yield
    cache.keep_figures_in(None)


class Reads:
    """The real reader, counted."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __call__(self, path: Path) -> FigureResult:
        self.paths.append(path)
        return load_figure_file(path)


def _copy(tmp_path: Path) -> str:
    mine = tmp_path / "figures" / "bridge-pose.yaml"
    mine.parent.mkdir()
    mine.write_bytes(BUNDLED.read_bytes())
    return str(mine)


def test_a_figure_read_once_comes_from_the_cache_folder_next_time(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    cache.keep_figures_in(tmp_path / "cache")
    reads = Reads()
    first = cache.kept_figure(path, reads)
    assert first.figure is not None
    assert first.errors == ()
    cache.keep_figures_in(tmp_path / "cache")  # as a new start: only the file is left
    again = cache.kept_figure(path, reads)
    assert again == first
    assert reads.paths == [Path(path)]
    assert (tmp_path / "cache" / cache.CACHE_NAME).stat().st_mode & 0o077 == 0


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    cache.keep_figures_in(tmp_path / "cache")
    reads = Reads()
    cache.kept_figure(path, reads)
    Path(path).write_text("view: side\nposes: {}\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new stamp even on a coarse clock
    cache.keep_figures_in(tmp_path / "cache")
    changed = cache.kept_figure(path, reads)
    assert len(reads.paths) == 2
    assert changed.figure is None
    assert changed.errors


@pytest.mark.parametrize(
    "content",
    [b"not a pickle", pickle.dumps((("another", "key"), {})), pickle.dumps("no tuple")],
    ids=["garbage", "another key", "another shape"],
)
def test_a_cache_file_that_does_not_fit_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = _copy(tmp_path)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / cache.CACHE_NAME).write_bytes(content)
    cache.keep_figures_in(tmp_path / "cache")
    reads = Reads()
    assert cache.kept_figure(path, reads).figure is not None
    assert len(reads.paths) == 1


def test_without_a_cache_folder_every_start_reads(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    reads = Reads()
    cache.kept_figure(path, reads)
    cache.kept_figure(path, reads)
    assert len(reads.paths) == 2
    assert not (tmp_path / "cache").exists()


_HOME = """
import sys
from pathlib import Path
from si_timer.figures.cache import keep_figures_in
from si_timer.figures.loader import figure_for
from si_timer.library.cache import cached_catalog

cache_dir = Path(sys.argv[1])
catalog = cached_catalog(cache_dir)
keep_figures_in(cache_dir)
for exercise in list(catalog.exercises.values())[:6]:
    figure_for(exercise)
print("yaml" in sys.modules)
"""


def test_from_the_second_start_on_figures_take_no_pyyaml(tmp_path: Path) -> None:
    """PyYAML and the field reader are ~3 MiB resident: home's figures come without them."""

    def start() -> str:
        done = subprocess.run(
            [sys.executable, "-c", _HOME, str(tmp_path / "cache")],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert start() == "True"  # the first start reads the library and the figures
    assert start() == "False"
