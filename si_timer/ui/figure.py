"""Paints an exercise's figure (:mod:`si_timer.figures`) and animates it in the player.

A pictogram: one flat colour per body, no outline, limbs as round-ended capsules, the
working side in the accent colour and far limbs in a lighter tint, on a floor line
and mat with muted props.  The view has no timer: the player moves and breathes it
from the session's clock, and it repaints only what moved.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from si_timer.figures.loader import figure_for
from si_timer.figures.pose import (
    FRAME_BOTTOM,
    FRAME_HALF_WIDTH,
    FRAME_TOP,
    START,
    Extent,
    Figure,
    Scene,
    ease,
    extent,
)
from si_timer.figures.props import PropKind
from si_timer.figures.skeleton import BREATH_SWELL, Capsule, Part, Point, View
from si_timer.library.model import Exercise, Posture, Side
from si_timer.ui.theme import LIGHT, Palette

FRAME_WIDTH = 2 * FRAME_HALF_WIDTH
FRAME_HEIGHT = FRAME_TOP - FRAME_BOTTOM
ASPECT = FRAME_HEIGHT / FRAME_WIDTH
ToPx = Callable[[Point], QPointF]
BREATH_STEPS = 3  # visible steps per breath in (and out): one a second at most


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


class FigurePainter:
    """Draws scenes with one palette into any QPainter (widget, image, contact sheet)."""

    def __init__(self, palette: Palette) -> None:
        self.palette = palette
        self.body = QColor(palette.figure)
        self.far = QColor(palette.figure_far)
        self.accent = QColor(palette.accent)
        self.accent_far = _mix(self.accent, QColor(palette.window), 0.45)
        self.prop = QColor(palette.figure_prop)
        self.floor = QColor(palette.border)
        self._clip: QRectF | None = None

    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        scenes: list[Scene],
        clip: QRectF | None = None,
        frame: Extent | None = None,
    ) -> None:
        """Fit the frame into ``rect`` (one frame per scene, side by side); with ``clip``,
        only the limbs that reach into it are drawn (a breath repaints the chest alone).
        ``frame``: see :func:`_cells`."""
        self._clip = clip
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for scene, (cell, to_px, scale) in zip(
            scenes, _cells(rect, len(scenes), frame), strict=True
        ):
            self._scene(painter, scene, to_px, scale, cell)
        painter.restore()

    def _scene(
        self, painter: QPainter, scene: Scene, to_px: ToPx, scale: float, cell: QRectF
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        # The floor line across the cell, then props behind the body.
        floor_y = to_px((0.0, -0.014)).y()
        pen = QPen(self.floor, max(1.0, 0.006 * scale))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(
            QPointF(cell.left() + 0.04 * scale, floor_y),
            QPointF(cell.right() - 0.04 * scale, floor_y),
        )
        painter.setPen(Qt.PenStyle.NoPen)
        late = []
        for prop in scene.props:
            if prop.kind is PropKind.KETTLEBELL or prop.kind is PropKind.BAND:
                late.append(prop)
                continue
            colour = (
                self.prop
                if prop.kind is not PropKind.MAT
                else _mix(self.prop, QColor(self.palette.window), 0.35)
            )
            painter.setBrush(colour)
            for r in prop.rects:
                top_left = to_px((r.left, r.top))
                bottom_right = to_px((r.right, r.bottom))
                radius = min(0.008 * scale, (bottom_right.y() - top_left.y()) / 2)
                painter.drawRoundedRect(QRectF(top_left, bottom_right), radius, radius)
        for capsule in scene.body.capsules:
            if self._clip is not None:
                grow = capsule.radius * scale + 1
                box = QRectF(to_px(capsule.a), to_px(capsule.b)).normalized()
                if not box.adjusted(-grow, -grow, grow, grow).intersects(self._clip):
                    continue
            self._capsule(painter, capsule, to_px, scale, scene.accent, scene.view)
        head_colour = self.accent if Part.TRUNK in scene.accent else self.body
        painter.setBrush(head_colour)
        painter.setPen(Qt.PenStyle.NoPen)
        head_r = scene.body.head_radius * scale
        painter.drawEllipse(to_px(scene.body.head), head_r, head_r)
        for prop in late:
            if prop.circle is not None:
                centre, radius = prop.circle
                painter.setBrush(self.prop.darker(130))
                painter.drawEllipse(to_px(centre), radius * scale, radius * scale)
                handle = QPen(self.prop.darker(130), 0.014 * scale)
                painter.setPen(handle)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                top = to_px((centre[0], centre[1] + radius + 0.015))
                painter.drawEllipse(top, 0.032 * scale, 0.028 * scale)
                painter.setPen(Qt.PenStyle.NoPen)
            if prop.line is not None:
                band = QPen(self.accent_far, 0.012 * scale)
                band.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(band)
                painter.drawLine(to_px(prop.line[0]), to_px(prop.line[1]))
                painter.setPen(Qt.PenStyle.NoPen)
        for path in scene.arrows:
            self._arrow(painter, [to_px(p) for p in path], scale)

    def _capsule(
        self,
        painter: QPainter,
        c: Capsule,
        to_px: ToPx,
        scale: float,
        accent: frozenset[Part],
        view: View,
    ) -> None:
        # Seen from the front, the other side is not further away: no lighter tint.
        far = c.part.is_far and view is View.SIDE
        if c.part in accent:
            colour = self.accent_far if far else self.accent
        else:
            colour = self.far if far else self.body
        pen = QPen(colour, 2 * c.radius * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(to_px(c.a), to_px(c.b))
        painter.setPen(Qt.PenStyle.NoPen)

    def _arrow(self, painter: QPainter, points: list[QPointF], scale: float) -> None:
        if len(points) < 2:
            return
        path = QPainterPath(points[0])
        for p in points[1:]:
            path.lineTo(p)
        pen = QPen(self.accent, 0.014 * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen)
        painter.drawPath(path)
        tip, before = points[-1], points[-3] if len(points) > 2 else points[0]
        angle = math.atan2(tip.y() - before.y(), tip.x() - before.x())
        size = 0.045 * scale
        head = QPolygonF(
            [
                tip + QPointF(math.cos(angle) * size * 0.6, math.sin(angle) * size * 0.6),
                tip + QPointF(math.cos(angle + 2.5) * size, math.sin(angle + 2.5) * size),
                tip + QPointF(math.cos(angle - 2.5) * size, math.sin(angle - 2.5) * size),
            ]
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.accent)
        painter.drawPolygon(head)


def _cells(
    rect: QRectF, count: int, frame: Extent | None = None
) -> list[tuple[QRectF, ToPx, float]]:
    """Each scene's cell, its H-to-pixel mapping and its scale (pixels per H).

    ``frame`` is the part of the figure's space to fit (its :func:`extent`); without
    it the fixed frame every figure shares, so thumbnails in a list line up."""
    left, bottom, right, top = (
        frame
        if frame is not None
        else (-FRAME_HALF_WIDTH, FRAME_BOTTOM, FRAME_HALF_WIDTH, FRAME_TOP)
    )
    out: list[tuple[QRectF, ToPx, float]] = []
    width = rect.width() / count
    for i in range(count):
        cell = QRectF(rect.left() + i * width, rect.top(), width, rect.height())
        scale = min(cell.width() / (right - left), cell.height() / (top - bottom))
        cx = cell.center().x() - (left + right) / 2 * scale
        base = cell.center().y() + (top + bottom) / 2 * scale

        def to_px(p: Point, cx: float = cx, base: float = base, scale: float = scale) -> QPointF:
            return QPointF(cx + p[0] * scale, base - p[1] * scale)

        out.append((cell, to_px, scale))
    return out


def breathing_area(
    rect: QRectF, scenes: list[Scene], frame: Extent | None = None
) -> tuple[QRectF, float]:
    """The pixels a breath changes (around each chest) and the chest's radius in pixels."""
    area = QRectF()
    radius_px = 0.0
    for scene, (_, to_px, scale) in zip(scenes, _cells(rect, len(scenes), frame), strict=True):
        for c in scene.body.capsules:
            if c.bone != "chest":
                continue
            grow = c.radius * (1 + BREATH_SWELL) * scale + 2
            a, b = to_px(c.a), to_px(c.b)
            box = QRectF(a, b).normalized().adjusted(-grow, -grow, grow, grow)
            area = area.united(box)
            radius_px = max(radius_px, c.radius * scale)
    return area, radius_px


def scenes_for(
    figure: Figure, side: Side, pose_from: str, pose_to: str, progress: float, breath: float = 0.0
) -> list[Scene]:
    """One scene, or the left and right side by side for "both" without a both pose."""
    if side is Side.BOTH and not figure.has_both:
        return [
            figure.scene(pose_from, pose_to, progress, Side.LEFT, breath),
            figure.scene(pose_from, pose_to, progress, Side.RIGHT, breath),
        ]
    return [figure.scene(pose_from, pose_to, progress, side, breath)]


class FigureView(QWidget):
    """The exercise's figure for the player: shows a pose, eases between two poses as the
    session's clock says (:meth:`set_motion`), and breathes gently during a hold
    (:meth:`set_breath`, also from the session's clock).

    It has no timer of its own: a breath's step repaints around the chest in the frame
    the player paints for the countdown's second, not in a frame of its own.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._painter = FigurePainter(LIGHT)
        self._figure: Figure = figure_for(None, Posture.STANDING)
        self._frame: Extent = extent(self._figure)
        self._side = Side.NONE
        self._motion: tuple[str, str, float] = (START, START, 1.0)
        self._scenes: list[Scene] | None = None  # the still scenes, until the pose changes
        self._breath: float | None = None  # how full the chest is, or None: still
        self._breath_step = -1  # the swell last painted, in steps of 1 / _breath_levels
        self._breath_levels = BREATH_STEPS
        self._breath_area: QRect | None = None  # around the chest, for the scenes and size
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(120, 72)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    # --- the API the player uses -------------------------------------------------

    def set_palette(self, palette: Palette) -> None:
        self._painter = FigurePainter(palette)
        self.update()

    def show_exercise(self, exercise: Exercise | None, side: Side, posture: Posture | None) -> None:
        """Show ``exercise``'s figure for ``side`` (None: the posture's neutral figure)."""
        where = posture or (exercise.posture if exercise else None)
        # A screen reader says the position the picture shows.
        self.setAccessibleDescription(where.instruction if where is not None else "")
        figure = figure_for(exercise, posture)
        if figure is not self._figure or side is not self._side:
            if figure is not self._figure:
                self._frame = extent(figure)  # once per exercise: the whole figure fills the view
            self._figure = figure
            self._side = side
            self._motion = (START, START, 1.0)
            self._scenes = None
            self._breath_area = None
            self.update()

    def set_motion(self, pose_from: str, pose_to: str, progress: float) -> None:
        """Show the figure ``progress`` (0..1, eased here) of the way between two poses."""
        motion = (pose_from, pose_to, min(max(progress, 0.0), 1.0))
        if motion != self._motion:
            self._motion = motion
            self._scenes = None
            self._breath_area = None
            self.update()

    def set_breath(self, breath: float | None) -> None:
        """Show the chest ``breath`` full (0..1, a hold: see
        :func:`si_timer.figures.timeline.breath_at`), or still (None).

        Repaints only around the chest, and only when the swell moves a visible step."""
        if breath is None:
            if self._breath is not None:
                self._breath = None
                self._breath_step = -1
                self.update()
            return
        self._breath = min(max(breath, 0.0), 1.0)
        area = self._chest_area()
        if area is None:  # not painted yet: the next paint shows it
            self._breath_step = round(self._breath * self._breath_levels)
            self.update()
            return
        step = round(self._breath * self._breath_levels)
        if step != self._breath_step:
            self._breath_step = step
            self.update(area)

    @property
    def breath_step(self) -> int:
        """The swell painted, in steps of 1 / :attr:`breath_levels` (-1: still)."""
        return self._breath_step if self._breath is not None else -1

    @property
    def breath_levels(self) -> int:
        return self._breath_levels

    def breathing_rect(self) -> QRect | None:
        """What a breath's step repaints (None before the first paint)."""
        return self._chest_area()

    @property
    def figure(self) -> Figure:
        return self._figure

    # --- Qt --------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(400, round(400 * ASPECT))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * ASPECT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._breath_area = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            if self._scenes is None:
                pose_from, pose_to, progress = self._motion
                self._scenes = scenes_for(
                    self._figure, self._side, pose_from, pose_to, ease(progress)
                )
            scenes = self._scenes
            if self._breath is not None and self._breath_step >= 0:
                breath = self._breath_step / self._breath_levels
                scenes = [scene.breathing(breath) for scene in scenes]
            clip = QRectF(event.rect())
            whole = clip.contains(QRectF(self.rect()))
            self._painter.paint(
                painter, QRectF(self.rect()), scenes, None if whole else clip, self._frame
            )
        finally:
            painter.end()

    def _chest_area(self) -> QRect | None:
        """Around the chest at the current size, and the breath's steps that fit it:
        half-pixel steps, at most BREATH_STEPS per breath in or out, whatever the size."""
        if self._scenes is None:
            return None
        if self._breath_area is None:
            area, radius_px = breathing_area(QRectF(self.rect()), self._scenes, self._frame)
            levels = min(BREATH_STEPS, max(1, round(BREATH_SWELL * radius_px * 2)))
            if levels != self._breath_levels and self._breath is not None:
                self._breath_step = -1  # the steps changed size: repaint at the next
            self._breath_levels = levels
            self._breath_area = area.toAlignedRect()
        return self._breath_area
