"""Render si-timer's window icon (a PNG) from the app icon, resources/icons/si-timer.svg.

The window and the tray show a pixmap: loading the SVG there would bring QtSvg
and its icon engine into every start (~1.6 MiB resident) and render the icon
at every size the window system asks for.  The SVG stays the source, and what
the desktop menu installs.

Regenerate after changing the SVG, from the repository root::

    python tools/make_icons.py                 # writes resources/icons/si-timer-128.png
    python tools/make_icons.py --out-dir DIR   # writes elsewhere

``tests/test_packaging.py`` renders the SVG again and fails if the committed PNG's
pixels differ, so commit the PNG together with the change to the SVG.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "si-timer.svg"
SIZE = 128
PNG_NAME = f"si-timer-{SIZE}.png"


def render(svg: Path = SVG, size: int = SIZE) -> QImage:
    """The icon as a ``size``-pixel square, transparent around it."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out-dir", type=Path, default=SVG.parent)
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / PNG_NAME
    if not render().save(str(out), "PNG"):
        print(f"could not write {out}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
