"""Themes: one stylesheet template plus a palette per theme.

Widget code never names a colour: it asks for a role (``palette.hold``) or
uses an objectName/property the stylesheet styles.  Phase colours always come
with a word on screen, never colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from si_timer import assets
from si_timer.config.settings import Theme
from si_timer.records import asdict, record
from si_timer.session.plan import SegmentKind


@record(frozen=True)
class Palette:
    name: str
    window: str
    surface: str
    raised: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    focus: str
    ready: str  # get into position
    hold: str  # holds and paced reps
    reps: str  # self-paced reps
    rest: str  # rests and transitions
    switch: str  # change sides
    paused: str
    danger: str
    warning: str  # a notice that something is off
    track: str  # the ring's empty part
    on_phase: str  # text on a phase-coloured pill
    border_width: int = 1
    figure: str = "#3d4b5c"  # the exercise figure's body
    figure_far: str = "#a3afbc"  # its far-side limbs, a lighter tint
    figure_prop: str = "#c3ccd6"  # mat, chair, wall and door frame, muted

    def phase_colour(self, kind: SegmentKind | None, *, paused: bool = False) -> QColor:
        if paused or kind is None:
            return QColor(self.paused)
        return QColor(
            {
                SegmentKind.LEAD_IN: self.ready,
                SegmentKind.HOLD: self.hold,
                SegmentKind.PHASE: self.hold,
                SegmentKind.MANUAL: self.reps,
                SegmentKind.REST: self.rest,
                SegmentKind.TRANSITION: self.rest,
                SegmentKind.SWITCH: self.switch,
            }[kind]
        )


LIGHT = Palette(
    name="light",
    window="#eef1f4",
    surface="#ffffff",
    raised="#f7f9fb",
    border="#d5dbe2",
    text="#17202b",
    muted="#566270",
    accent="#0b6e66",
    accent_text="#ffffff",
    focus="#f59e0b",
    ready="#b45309",
    hold="#0b7a70",
    reps="#2f7d32",
    rest="#3949ab",
    switch="#c2410c",
    paused="#6b7280",
    danger="#b42318",
    warning="#a15c07",
    track="#dfe5ea",
    on_phase="#ffffff",
)
DARK = Palette(
    name="dark",
    window="#10151c",
    surface="#18202a",
    raised="#1f2935",
    border="#2c3846",
    text="#e9eef4",
    muted="#9aa7b4",
    accent="#2cc4b3",
    accent_text="#06201d",
    focus="#fbbf24",
    ready="#f4b740",
    hold="#2cc4b3",
    reps="#6bd17a",
    rest="#8fa2ff",
    switch="#fb923c",
    paused="#8b95a3",
    danger="#ff7a6b",
    warning="#f5b83d",
    track="#263140",
    on_phase="#0b1016",
    figure="#d3dce6",
    figure_far="#6e7c8c",
    figure_prop="#3a4757",
)
HIGH_CONTRAST = Palette(
    name="high-contrast",
    window="#000000",
    surface="#000000",
    raised="#0a0a0a",
    border="#ffffff",
    text="#ffffff",
    muted="#e6e6e6",
    accent="#ffff00",
    accent_text="#000000",
    focus="#00ffff",
    ready="#ffd000",
    hold="#00ffd0",
    reps="#7dff6a",
    rest="#9ab0ff",
    switch="#ff9a3c",
    paused="#d0d0d0",
    danger="#ff6060",
    warning="#ffd000",
    track="#3a3a3a",
    on_phase="#000000",
    border_width=2,
    figure="#ffffff",
    figure_far="#9c9c9c",
    figure_prop="#595959",
)


# Paper: figures in dark ink on white that a black-and-white printer keeps apart by
# darkness alone (the working limb black, the body dark grey, far limbs and props light).
# Only the figure's roles matter on paper; the screen roles are greys so nothing prints
# in colour by accident.
PRINT = Palette(
    name="print",
    window="#ffffff",
    surface="#ffffff",
    raised="#ffffff",
    border="#444444",
    text="#000000",
    muted="#444444",
    accent="#000000",
    accent_text="#ffffff",
    focus="#000000",
    ready="#000000",
    hold="#000000",
    reps="#000000",
    rest="#000000",
    switch="#000000",
    paused="#444444",
    danger="#000000",
    warning="#000000",
    track="#cccccc",
    on_phase="#ffffff",
    figure="#6e6e6e",
    figure_far="#b4b4b4",
    figure_prop="#cfcfcf",
)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def palette_for(theme: Theme) -> Palette:
    if theme is Theme.HIGH_CONTRAST:
        return HIGH_CONTRAST
    if theme is Theme.DARK or (theme is Theme.SYSTEM and system_prefers_dark()):
        return DARK
    return LIGHT


def stylesheet(palette: Palette) -> str:
    template = assets.resource("themes", "style.qss").read_text(encoding="utf-8")
    values = {key: str(value) for key, value in asdict(palette).items()}
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


_FUSION_SET = "si-timer-fusion"


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set a property the stylesheet selects on, and restyle the widget by it.

    A changed property only restyles after a re-polish. A widget not yet polished
    (not yet shown) takes the property when it is, so it is left alone: asking it
    for its QStyle before the first paint costs PySide about 5 ms of QStyle's enums."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def fusion_application(program: str) -> QApplication:
    """The QApplication, drawn by Fusion from its first widget on.

    Fusion is asked for on the command line Qt reads, not with ``setStyle``: that
    way Python never holds a QStyle before the first paint, and PySide never pays
    for making QStyle's enums (about 5 ms) on the way to it."""
    app = QApplication([program, "-style", "fusion"])
    app.setProperty(_FUSION_SET, True)
    return app


def apply_theme(app: QApplication, theme: Theme) -> Palette:
    """Set the app's QPalette and stylesheet; returns the palette for painted widgets."""
    pal = palette_for(theme)
    # Fusion draws every control from the palette, so a theme looks the same
    # on every platform (and combo and spin boxes keep proper arrows).
    if not app.property(_FUSION_SET):
        style = app.style()
        if style is None or style.name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setProperty(_FUSION_SET, True)
    qpal = QPalette()
    roles = {
        QPalette.ColorRole.Window: pal.window,
        QPalette.ColorRole.WindowText: pal.text,
        QPalette.ColorRole.Base: pal.surface,
        QPalette.ColorRole.AlternateBase: pal.raised,
        QPalette.ColorRole.Text: pal.text,
        QPalette.ColorRole.Button: pal.raised,
        QPalette.ColorRole.ButtonText: pal.text,
        QPalette.ColorRole.Highlight: pal.accent,
        QPalette.ColorRole.HighlightedText: pal.accent_text,
        QPalette.ColorRole.ToolTipBase: pal.surface,
        QPalette.ColorRole.ToolTipText: pal.text,
        QPalette.ColorRole.PlaceholderText: pal.muted,
        QPalette.ColorRole.Link: pal.accent,
    }
    for role, colour in roles.items():
        qpal.setColor(role, QColor(colour))
    app.setPalette(qpal)
    app.setStyleSheet(stylesheet(pal))
    return pal
