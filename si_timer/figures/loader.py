"""Finds an exercise's figure (``figures/<exercise-id>.yaml``) and gives it, or its problems.

:mod:`.reading` reads the YAML; what it read is kept in memory and in the
cache folder (:mod:`.cache`), so showing figures at a start needs no PyYAML.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from si_timer import assets
from si_timer.figures.cache import kept_figure
from si_timer.figures.pose import Figure
from si_timer.library.model import Exercise, LoadError, Posture
from si_timer.records import record

FIGURES_DIR = "figures"
POSTURES_DIR = "postures"


@record(frozen=True)
class FigureResult:
    figure: Figure | None
    errors: tuple[LoadError, ...]


def load_figure_text(text: str, file: str, figure_id: str) -> FigureResult:
    from si_timer.figures.reading import read_figure_text  # PyYAML: only to read a file

    return read_figure_text(text, file, figure_id)


def load_figure_file(path: Path) -> FigureResult:
    from si_timer.figures.reading import read_figure_file  # PyYAML: only to read a file

    return read_figure_file(path)


@lru_cache(maxsize=128)
def _cached(path: str) -> FigureResult:
    return kept_figure(path, load_figure_file)


def bundled_figure_path(name: str, *, posture: bool = False) -> Path:
    folder = assets.content_root() / FIGURES_DIR
    if posture:
        folder = folder / POSTURES_DIR
    return Path(str(folder / f"{name}.yaml"))


def posture_figure(posture: Posture | None) -> Figure:
    """The neutral figure of a position (standing where none is given)."""
    name = (posture or Posture.STANDING).value
    result = _cached(str(bundled_figure_path(name, posture=True)))
    if result.figure is None:  # a bundled file: the tests keep this from happening
        raise RuntimeError("; ".join(str(e) for e in result.errors))
    return result.figure


def figure_path(exercise: Exercise) -> Path | None:
    """Where an exercise's figure lives: the bundled exercise's it names with ``figure:``
    (the person said "draw it like that one", so that wins), else ``figures/<id>.yaml``
    beside the folder of the exercise file (the data folder's ``figures/`` for your own),
    else the bundled figure of the same id; None when there is none."""
    if exercise.figure is not None:
        named = bundled_figure_path(exercise.figure)
        if named.is_file():
            return named
    if exercise.origin is not None and not exercise.origin.bundled:
        own = Path(exercise.origin.path).parent.parent / FIGURES_DIR / f"{exercise.id}.yaml"
        if own.is_file():
            return own
    bundled = bundled_figure_path(exercise.id)
    return bundled if bundled.is_file() else None


def figure_for(exercise: Exercise | None, posture: Posture | None = None) -> Figure:
    """The figure to show for an exercise: the one it names, its own, or its posture's
    neutral figure (a file with problems falls back too; ``si-timer figure ID`` names them)."""
    if exercise is None:
        return posture_figure(posture)
    path = figure_path(exercise)
    if path is not None:
        result = _cached(str(path))
        if result.figure is not None:
            return result.figure
    return posture_figure(exercise.posture or posture)


def figure_problems(exercise: Exercise) -> tuple[LoadError, ...]:
    path = figure_path(exercise)
    return () if path is None else _cached(str(path)).errors
