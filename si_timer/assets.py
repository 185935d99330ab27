"""The one place that finds bundled files (exercise library, sounds, icons, themes).

In the source tree they live in the top-level ``content/`` and ``resources/``
folders; the build maps those into the package as ``si_timer.content`` and
``si_timer.resources``, so :mod:`importlib.resources` finds them in an editable
install, a wheel and a frozen app alike.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

CONTENT_PACKAGE = "si_timer.content"
RESOURCES_PACKAGE = "si_timer.resources"


def content_root() -> Traversable:
    """The bundled exercise library (``content/`` in the source tree)."""
    return resources.files(CONTENT_PACKAGE)


def resource(*parts: str) -> Traversable:
    """A bundled resource, e.g. ``resource("sounds", "chime.wav")``."""
    node = resources.files(RESOURCES_PACKAGE)
    for part in parts:
        node = node / part
    return node


def sound_path(name: str) -> str:
    """A filesystem path for a bundled sound (Qt's audio classes need a real file).

    Wheels and editable installs keep resources as plain files, so
    ``str()`` of the traversable is a path; a zip import would need
    ``resources.as_file`` and is not a layout we ship.
    """
    return str(resource("sounds", f"{name}.wav"))
