"""The one place that finds bundled files (exercise library, sounds, icons, themes).

In the source tree they live in the top-level ``content/`` and ``resources/``
folders; the build maps those into the package as ``si_timer.content`` and
``si_timer.resources``, so :mod:`importlib.resources` finds them in an editable
install, a wheel and a frozen app alike.

Where the package is a plain folder (a wheel, an editable install) its path
comes from the import system's own record of it, without loading
:mod:`importlib.resources` (which brings ``tempfile``, ``zipfile`` and more):
every start reads bundled files, and most never need more than a path.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CONTENT_PACKAGE = "si_timer.content"
RESOURCES_PACKAGE = "si_timer.resources"


@cache
def _package_root(package: str) -> Traversable:
    spec = importlib.util.find_spec(package)
    places = list(spec.submodule_search_locations or ()) if spec is not None else []
    if len(places) == 1 and Path(places[0]).is_dir():
        return Path(places[0])
    from importlib import resources  # a zip or another loader: let it find the files

    return resources.files(package)


def content_root() -> Traversable:
    """The bundled exercise library (``content/`` in the source tree)."""
    return _package_root(CONTENT_PACKAGE)


def resource(*parts: str) -> Traversable:
    """A bundled resource, e.g. ``resource("sounds", "chime.wav")``."""
    node = _package_root(RESOURCES_PACKAGE)
    for part in parts:
        node = node / part
    return node


def window_icon_path() -> str:
    """The app icon as the window and the tray show it: a PNG rendered from the SVG by
    ``tools/make_icons.py`` (the SVG would load QtSvg into every start)."""
    return str(resource("icons", "si-timer-128.png"))


def sound_path(name: str) -> str:
    """A filesystem path for a bundled sound (Qt's audio classes need a real file).

    Wheels and editable installs keep resources as plain files, so
    ``str()`` of the traversable is a path; a zip import would need
    ``resources.as_file`` and is not a layout we ship.
    """
    return str(resource("sounds", f"{name}.wav"))
