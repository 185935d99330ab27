"""A person's data folder with a routine of their own to share (tests of sharing)."""

from __future__ import annotations

from pathlib import Path

from si_timer import assets
from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.library.catalog import Catalog, load_catalog

MY_STRETCH = """\
# From my physio, March.
id: my-stretch
name: Physio hip stretch
category: stretch
position: Lying on your back
posture: back
source: my physiotherapist
sides: each
dose:
  hold: {min: 20, max: 40}
  reps: 2
steps:
  - Lie on your back.
  - Pull one knee across toward the other shoulder.
"""

# The person's own glute bridge: a bundled exercise with a longer hold.
MY_BRIDGE = (
    (assets.content_root() / "exercises" / "glute-bridge.yaml")
    .read_text(encoding="utf-8")
    .replace("hold: {min: 5, max: 10}", "hold: {min: 5, max: 15}")
)

MY_CORE = """\
id: my-core
name: My core routine
description: What my physio gave me.
rest_between: 12
exercises:
  - pelvic-tilt
  - {exercise: glute-bridge, hold: 12}
  - exercise: my-stretch
    hold: 30
"""


def bundled_figure(name: str) -> str:
    return (assets.content_root() / "figures" / f"{name}.yaml").read_text(encoding="utf-8")


def make_person(root: Path, *, figure: bool = True) -> AppPaths:
    """A data folder with my-core, my-stretch (with a figure) and a changed glute bridge."""
    paths = resolve_paths(root)
    paths.user_exercises_dir.mkdir(parents=True)
    paths.user_routines_dir.mkdir(parents=True)
    (paths.user_exercises_dir / "my-stretch.yaml").write_text(MY_STRETCH, encoding="utf-8")
    (paths.user_exercises_dir / "glute-bridge.yaml").write_text(MY_BRIDGE, encoding="utf-8")
    (paths.user_routines_dir / "my-core.yaml").write_text(MY_CORE, encoding="utf-8")
    if figure:
        figures = paths.data_dir / "figures"
        figures.mkdir()
        (figures / "my-stretch.yaml").write_text(bundled_figure("figure-4"), encoding="utf-8")
    return paths


def catalog_of(paths: AppPaths) -> Catalog:
    return load_catalog(paths.user_exercises_dir, paths.user_routines_dir)
