"""Desktop integration files: the .desktop entry, AppStream metainfo and the app icon.

Checked with the freedesktop validators when they are installed
(Debian: desktop-file-utils, appstream), so a broken entry fails here and
not in a distribution's build farm.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from si_timer import APP_DISPLAY_NAME, APP_NAME, __version__, assets
from si_timer.desktop_id import APP_ID
from tests.helpers.fresh_python import fresh_python

REPO_ROOT = Path(__file__).resolve().parents[1]
# In the package, so that `si-timer desktop install` finds them in a wheel too.
PACKAGING = REPO_ROOT / "resources" / "desktop"
TOOLS = REPO_ROOT / "tools"
DESKTOP_FILE = PACKAGING / "io.github.si_timer.SiTimer.desktop"
METAINFO = PACKAGING / "io.github.si_timer.SiTimer.metainfo.xml"
SVG = "{http://www.w3.org/2000/svg}"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _desktop_entry() -> configparser.ConfigParser:
    # Desktop entries are case-sensitive and use ';' lists, not INI interpolation.
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser


# -- .desktop -------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)",
)
def test_desktop_file_passes_desktop_file_validate() -> None:
    result = _run("desktop-file-validate", str(DESKTOP_FILE))
    # It exits 0 even for hints, and a hint is worth fixing too.
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


def test_desktop_file_launches_the_installed_command_and_names_the_icon() -> None:
    entry = _desktop_entry()["Desktop Entry"]
    assert entry["Name"] == APP_DISPLAY_NAME
    assert entry["Exec"] == APP_NAME
    # One reverse-DNS id for the entry, the icon, AppStream and Wayland's app id;
    # `si-timer desktop install` installs the bundled icon under that name.
    assert entry["Icon"] == APP_ID
    assert DESKTOP_FILE.name == f"{APP_ID}.desktop"
    assert assets.resource("icons", f"{APP_NAME}.svg").is_file()


def test_desktop_action_starts_the_morning_routine() -> None:
    entry = _desktop_entry()
    assert "morning" in entry["Desktop Entry"]["Actions"].split(";")
    assert entry["Desktop Action morning"]["Exec"] == f"{APP_NAME} start morning"


# -- AppStream ------------------------------------------------------------------------


def _known_appstream_hints(validator_version: str) -> set[tuple[str, str]]:
    """Issues we accept on purpose, as (tag, hint)."""
    known = {
        # Reverse-DNS ids with CamelCase are the norm (org.gnome.TextEditor);
        # only the pedantic level objects.
        ("cid-contains-uppercase-letter", "io.github.si_timer.SiTimer"),
    }
    if tuple(int(part) for part in validator_version.split(".")[:2]) < (1, 0):
        # <developer id=…> is the AppStream 1.0 form that Flathub asks for;
        # validators before 1.0 do not know it yet.
        known.add(("unknown-tag", "developer"))
    return known


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None,
    reason="appstreamcli is not installed (Debian: appstream)",
)
def test_metainfo_passes_appstreamcli_validate() -> None:
    result = _run(
        "appstreamcli", "validate", "--no-net", "--pedantic", "--format", "yaml", str(METAINFO)
    )
    report = yaml.safe_load(result.stdout)
    assert report is not None, result.stderr
    issues = {(issue["tag"], str(issue.get("hint", ""))) for issue in report.get("Issues") or []}
    unexpected = issues - _known_appstream_hints(str(report["Validator"]))
    assert not unexpected, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_matches_the_project() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == "io.github.si_timer.SiTimer"
    assert component.findtext("name") == APP_DISPLAY_NAME
    assert component.findtext("project_license") == "GPL-3.0-or-later"
    assert component.findtext("metadata_license") == "CC0-1.0"
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("provides/binary") == APP_NAME
    assert component.find("content_rating") is not None
    releases = [release.get("version") for release in component.iterfind("releases/release")]
    assert __version__ in releases


# -- icon -----------------------------------------------------------------------------


def test_app_icon_is_a_square_svg() -> None:
    icon = Path(str(assets.resource("icons", "si-timer.svg")))
    root = ET.parse(icon).getroot()
    assert root.tag == f"{SVG}svg"
    viewbox = [float(part) for part in root.get("viewBox", "").split()]
    assert len(viewbox) == 4, "the icon needs a viewBox to scale"
    assert viewbox[2] == viewbox[3], "app icons are square"
    assert root.findtext(f"{SVG}title") == APP_DISPLAY_NAME
    # No external references: the icon must render on its own.
    assert "xlink:href" not in icon.read_text(encoding="utf-8")


def test_app_icon_renders_with_qt_at_small_sizes(qapp: QApplication) -> None:
    renderer = QSvgRenderer(str(assets.resource("icons", "si-timer.svg")))
    assert renderer.isValid()
    image = QImage(32, 32, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    # The rounded square fills the middle; the corners stay transparent.
    assert image.pixelColor(16, 16).alpha() == 255
    assert image.pixelColor(0, 0).alpha() == 0


def test_metainfo_screenshots_are_the_shipped_pngs_at_their_declared_size(
    qapp: QApplication,
) -> None:
    component = ET.parse(METAINFO).getroot()
    images = list(component.iterfind("screenshots/screenshot/image"))
    assert len(images) >= 2
    assert next(s.get("type") for s in component.iterfind("screenshots/screenshot")) == "default"
    for image in images:
        url = image.text or ""
        assert url.startswith("https://"), "Flathub fetches screenshots by URL"
        shipped = REPO_ROOT / url.split("/main/", 1)[1]  # the file in this repository
        picture = QImage(str(shipped))
        assert not picture.isNull(), shipped
        assert (picture.width(), picture.height()) == (
            int(image.get("width", 0)),
            int(image.get("height", 0)),
        )


def test_the_store_screenshots_tool_makes_both_pictures(tmp_path: Path) -> None:
    # The AppStream metainfo points at these pictures; the tool that makes them
    # must keep working as the app changes (it drives the App's own objects).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "screenshots.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in ("calendar.png", "player.png"):
        picture = QImage(str(tmp_path / name))
        assert (picture.width(), picture.height()) == (1280, 720), name
    for image in ET.parse(METAINFO).getroot().iter("image"):
        assert (REPO_ROOT / "packaging" / "screenshots" / Path(image.text or "").name).exists()


def test_the_window_icon_is_the_svg_rendered_by_the_tool(qapp: QApplication) -> None:
    """The PNG the window and tray show is what tools/make_icons.py renders from the SVG
    now: an SVG change without a new PNG fails here."""
    spec = importlib.util.spec_from_file_location("make_icons_under_test", TOOLS / "make_icons.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shipped = QImage(assets.window_icon_path()).convertToFormat(QImage.Format.Format_ARGB32)
    assert not shipped.isNull()
    assert shipped == tool.render()


def test_a_window_with_its_icon_loads_no_qtsvg(tmp_path: Path) -> None:
    """QtSvg and its icon engine are ~1.6 MiB resident: the window's icon is a pixmap."""
    code = """
from pathlib import Path
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget
from si_timer import assets
app = QApplication([])
window = QWidget()
window.setWindowIcon(QIcon(assets.window_icon_path()))
window.show()
app.processEvents()
assert not window.windowIcon().isNull()
maps = Path("/proc/self/maps")
print(maps.exists() and ("libQt6Svg" in maps.read_text() or "qsvgicon" in maps.read_text()))
"""
    done = fresh_python(code, tmp_path)
    assert done.stdout.split() == ["False"]
