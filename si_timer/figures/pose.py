"""An exercise's figure: its named key poses, eased in between, mirrored for the other side.

A :class:`Figure` turns (pose from, pose to, progress, side) into a :class:`Scene`: the
posed body resting on the floor, the props placed against it and the arrows that show
which way it moves, all in H units inside :data:`FRAME`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

from si_timer.figures.props import PlacedProp, PropKind, PropSpec, Rect, place
from si_timer.figures.skeleton import (
    BREATH_SWELL,
    Body,
    Part,
    Point,
    Pose,
    View,
    grounded,
    pose_body,
    wrap,
)
from si_timer.library.model import Side
from si_timer.records import field, record, replace

START = "start"
HOLD = "hold"
# Every figure is drawn at the same scale on the same baseline: x in [-0.75, 0.75] and
# y in [FRAME_BOTTOM, FRAME_TOP], so thumbnails line up in lists.
FRAME_HALF_WIDTH = 0.75
FRAME_BOTTOM = -0.05
FRAME_TOP = 1.15
MAT_MARGIN = 0.06
ARROW_OFFSET = 0.1


def ease(t: float) -> float:
    """Smooth in and out (a cubic smoothstep), clamped to [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def _mix(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix3(
    a: tuple[float, float, float], b: tuple[float, float, float], t: float
) -> tuple[float, float, float]:
    return (_mix(a[0], b[0], t), _mix(a[1], b[1], t), _mix(a[2], b[2], t))


def interpolate(a: Pose, b: Pose, t: float) -> Pose:
    """The pose ``t`` of the way from ``a`` to ``b`` (linear in joint angles; ease first)."""
    return Pose(
        x=_mix(a.x, b.x, t),
        y=_mix(a.y, b.y, t),
        trunk=a.trunk + wrap(b.trunk - a.trunk) * t,
        spine=_mix(a.spine, b.spine, t),
        neck=_mix(a.neck, b.neck, t),
        leg=_mix3(a.leg, b.leg, t),
        other_leg=_mix3(a.other_leg, b.other_leg, t),
        arm=_mix3(a.arm, b.arm, t),
        other_arm=_mix3(a.other_arm, b.other_arm, t),
    )


@record(frozen=True)
class Scene:
    """Everything to draw for one moment, in H units (floor at y = 0)."""

    body: Body
    props: tuple[PlacedProp, ...]
    arrows: tuple[tuple[Point, ...], ...]
    accent: frozenset[Part]
    view: View

    def breathing(self, breath: float) -> Scene:
        """The scene with the chest a little fuller (``breath`` 0..1), as
        :func:`pose_body` draws it; cheap, for a hold's breathing."""
        scale = 1.0 + BREATH_SWELL * breath
        capsules = tuple(
            replace(c, radius=c.radius * scale) if c.bone == "chest" else c
            for c in self.body.capsules
        )
        return replace(self, body=replace(self.body, capsules=capsules))


@record(frozen=True)
class Figure:
    """The figure of one exercise (or one posture's neutral figure)."""

    id: str
    view: View
    poses: Mapping[str, Pose]
    both_poses: Mapping[str, Pose] = field(default_factory=dict)
    props: tuple[PropSpec, ...] = ()
    accent: frozenset[Part] = frozenset()
    arrows: tuple[str, ...] = ()  # body points whose path into a pose is drawn as an arrow
    touch: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # pose -> on the floor
    offset: float = 0.0  # x shift that centres the figure in the frame
    mat: tuple[float, float] = (-0.6, 0.6)

    @property
    def has_both(self) -> bool:
        return bool(self.both_poses)

    def pose_names(self, side: Side = Side.LEFT) -> tuple[str, ...]:
        names = dict.fromkeys(self.poses)
        if side is Side.BOTH:
            names.update(dict.fromkeys(self.both_poses))
        return tuple(names)

    def pose(self, name: str, side: Side = Side.LEFT) -> Pose:
        """The named pose (the "both" version on that side), or the start pose."""
        if side is Side.BOTH and name in self.both_poses:
            return self.both_poses[name]
        if name in self.poses:
            return self.poses[name]
        if side is Side.BOTH and START in self.both_poses:
            return self.both_poses[START]
        return self.poses[START]

    def body(self, pose: Pose, breath: float = 0.0) -> Body:
        """A pose's body on the floor and centred in the frame, as for the left side."""
        return grounded(pose_body(pose, self.view, breath)).shifted(self.offset, 0.0)

    def scene(
        self,
        pose_from: str,
        pose_to: str,
        progress: float,
        side: Side = Side.LEFT,
        breath: float = 0.0,
    ) -> Scene:
        """The figure ``progress`` (already eased) of the way between two named poses.

        The right side is the mirror image of the left; "both" uses the figure's
        both-sides poses and accents both limbs."""
        a = self.pose(pose_from, side)
        b = self.pose(pose_to, side)
        body = self.body(interpolate(a, b, progress), breath)
        props = tuple(place(spec, body, self.mat) for spec in self.props)
        arrows: tuple[tuple[Point, ...], ...] = ()
        if pose_from != pose_to and a != b:
            arrows = tuple(self._path(name, a, b) for name in self.arrows)
            arrows = tuple(p for p in arrows if _path_length(p) > 0.06)
        accent = self.accent
        if side is Side.BOTH:
            accent = accent | {part.counterpart for part in accent}
        scene = Scene(body, props, arrows, frozenset(accent), self.view)
        return mirrored(scene) if side is Side.RIGHT else scene

    def _path(self, point: str, a: Pose, b: Pose) -> tuple[Point, ...]:
        out: list[Point] = []
        for i in range(13):
            body = self.body(interpolate(a, b, ease(i / 12)))
            p = body.points[point]
            centre = body.points["pelvis"]
            d = math.dist(p, centre) or 1.0
            k = ARROW_OFFSET / d
            out.append((p[0] + (p[0] - centre[0]) * k, p[1] + (p[1] - centre[1]) * k))
        return tuple(out)


def _path_length(path: tuple[Point, ...]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(path))


def _mirror_rect(r: Rect) -> Rect:
    return Rect(-r.right, r.bottom, -r.left, r.top)


def mirrored(scene: Scene) -> Scene:
    """The scene seen in a mirror: the other side's exercise."""
    props = tuple(
        replace(
            p,
            rects=tuple(_mirror_rect(r) for r in p.rects),
            circle=None if p.circle is None else ((-p.circle[0][0], p.circle[0][1]), p.circle[1]),
            line=None
            if p.line is None
            else ((-p.line[0][0], p.line[0][1]), (-p.line[1][0], p.line[1][1])),
        )
        for p in scene.props
    )
    arrows = tuple(tuple((-x, y) for x, y in path) for path in scene.arrows)
    return Scene(scene.body.mirrored(), props, arrows, scene.accent, scene.view)


def centred(figure: Figure) -> Figure:
    """``figure`` shifted so that all its poses, props and mat sit in the middle of the
    frame (one shift for all poses, so nothing slides while it moves)."""
    lefts: list[float] = []
    rights: list[float] = []
    bare = replace(figure, offset=0.0)
    for side in (Side.LEFT, Side.BOTH) if figure.has_both else (Side.LEFT,):
        for name in figure.pose_names(side):
            body = bare.body(figure.pose(name, side))
            left, _, right, _ = body.bounds()
            lefts.append(left)
            rights.append(right)
    left, right = min(lefts), max(rights)
    offset = -(left + right) / 2
    mat = (left + offset - MAT_MARGIN, right + offset + MAT_MARGIN)
    moved = replace(figure, offset=offset, mat=mat)
    # Props such as a chair may reach further than the body: centre them too.
    extra_left, extra_right = [], []
    for name in figure.pose_names():
        scene = moved.scene(name, name, 1.0)
        for prop in scene.props:
            if prop.kind is PropKind.MAT:
                continue
            for r in prop.rects:
                extra_left.append(r.left)
                extra_right.append(r.right)
    if extra_left:
        shift = -(min(*extra_left, mat[0]) + max(*extra_right, mat[1])) / 2
        moved = replace(moved, offset=offset + shift, mat=(mat[0] + shift, mat[1] + shift))
    return moved


Extent = tuple[float, float, float, float]  # left, bottom, right, top, in H units

EXTENT_MARGIN = 0.06  # around the figure, so a limb or an arrow never touches the edge


def extent(figure: Figure) -> Extent:
    """Everything ``figure`` draws in any of its poses, on either side, with its props
    and arrows: one frame for the whole exercise, so a large view can fill itself with
    the figure without zooming as it moves."""
    xs: list[float] = []
    ys: list[float] = [FRAME_BOTTOM]  # the floor line stays in view
    sides = (Side.LEFT, Side.RIGHT, Side.BOTH) if figure.has_both else (Side.LEFT, Side.RIGHT)
    for side in sides:
        for name in figure.pose_names(side):
            scene = figure.scene(name, name, 1.0, side)
            left, bottom, right, top = scene.body.bounds()
            xs += [left, right]
            ys += [bottom, top]
            for prop in scene.props:
                for r in prop.rects:
                    xs += [r.left, r.right]
                    ys += [r.bottom, r.top]
            for path in scene.arrows:
                xs += [x for x, _ in path]
                ys += [y for _, y in path]
    m = EXTENT_MARGIN
    return min(xs) - m, min(ys) - m, max(xs) + m, max(ys) + m
