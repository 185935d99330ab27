"""Props drawn to scale beside a posed figure: the mat, a chair, a wall, a door frame,
a kettlebell, a resistance band.

Each prop is placed from the posed body (a chair under the buttocks, a wall against
the back), so it stays in contact as the figure moves.
"""

from __future__ import annotations

from enum import StrEnum

from si_timer.figures.skeleton import Body, Part, Point
from si_timer.records import record


class PropKind(StrEnum):
    MAT = "mat"
    CHAIR = "chair"
    WALL = "wall"
    DOORWAY = "doorway"
    KETTLEBELL = "kettlebell"
    BAND = "band"


class Facing(StrEnum):
    """Which side of the anchor a prop stands on (x grows toward the figure's front)."""

    FRONT = "front"
    BEHIND = "behind"


# Sizes in H (a 1.75 m person): a chair seat 45 cm high and 42 cm deep.
SEAT_DEPTH = 0.24
SEAT_THICK = 0.025
CHAIR_BACK = 0.26
CHAIR_LEG = 0.02
WALL_THICK = 0.05
WALL_HEIGHT = 1.12
JAMB_THICK = 0.06
MAT_THICK = 0.014
BELL_RADIUS = 0.05
BELL_HANDLE = 0.03


@record(frozen=True)
class PropSpec:
    """A prop as a figure file names it: what, and what it is placed against."""

    kind: PropKind
    at: str = ""  # "part" or "part.bone", e.g. "trunk" or "leg.foot"
    facing: Facing = Facing.FRONT
    to: str = ""  # a band's other end, a body point such as "leg.toe"


@record(frozen=True)
class Rect:
    left: float
    bottom: float
    right: float
    top: float

    def depth_into(self, p: Point, radius: float) -> float:
        """How far a circle of ``radius`` at ``p`` reaches inside; <= 0 outside."""
        dx = min(p[0] + radius - self.left, self.right - (p[0] - radius))
        dy = min(p[1] + radius - self.bottom, self.top - (p[1] - radius))
        return min(dx, dy)


@record(frozen=True)
class PlacedProp:
    """A prop's solid shapes, in the same H units as the body. ``collides`` names the
    parts that must not pass through it (a leg through a doorway is at another depth)."""

    kind: PropKind
    rects: tuple[Rect, ...]
    circle: tuple[Point, float] | None = None
    line: tuple[Point, Point] | None = None
    collides: frozenset[Part] = frozenset(Part)


def _capsules(body: Body, at: str) -> list[tuple[Point, Point, float]]:
    part, _, bone = at.partition(".")
    return [
        (c.a, c.b, c.radius)
        for c in body.capsules
        if c.part.value == part and (not bone or c.bone == bone)
    ]


def _extent(body: Body, at: str) -> tuple[float, float, float]:
    """(left, right, bottom) of the named capsules, the head counting as trunk."""
    caps = _capsules(body, at)
    if at == "trunk":
        caps.append((body.head, body.head, body.head_radius))
    left = min(min(a[0], b[0]) - r for a, b, r in caps)
    right = max(max(a[0], b[0]) + r for a, b, r in caps)
    bottom = min(min(a[1], b[1]) - r for a, b, r in caps)
    return left, right, bottom


def place(spec: PropSpec, body: Body, span: tuple[float, float]) -> PlacedProp:
    """Where ``spec`` stands for this pose; ``span`` is the mat's (left, right)."""
    if spec.kind is PropKind.MAT:
        return PlacedProp(
            spec.kind, (Rect(span[0], -MAT_THICK, span[1], 0.0),), collides=frozenset()
        )
    if spec.kind is PropKind.CHAIR:
        left, right, seat = _extent(body, spec.at)
        x = (left + right) / 2
        # The chair's back is behind a sitter; a chair for a heel has it on the far side,
        # the heel near its front edge.
        back_x = x - SEAT_DEPTH * 0.55 if spec.facing is Facing.FRONT else x + SEAT_DEPTH * 0.85
        front_x = back_x + SEAT_DEPTH if spec.facing is Facing.FRONT else back_x - SEAT_DEPTH
        lo, hi = min(back_x, front_x), max(back_x, front_x)
        rects = [
            Rect(lo, seat - SEAT_THICK, hi, seat),
            Rect(lo, 0.0, lo + CHAIR_LEG, seat - SEAT_THICK),
            Rect(hi - CHAIR_LEG, 0.0, hi, seat - SEAT_THICK),
        ]
        if spec.facing is Facing.FRONT:
            rects.append(Rect(lo, seat, lo + CHAIR_LEG, seat + CHAIR_BACK))
        else:
            rects.append(Rect(hi - CHAIR_LEG, seat, hi, seat + CHAIR_BACK))
        return PlacedProp(spec.kind, tuple(rects))
    if spec.kind in (PropKind.WALL, PropKind.DOORWAY):
        left, right, _ = _extent(body, spec.at)
        thick = WALL_THICK if spec.kind is PropKind.WALL else JAMB_THICK
        if spec.facing is Facing.BEHIND:
            rect = Rect(left - thick, 0.0, left, WALL_HEIGHT)
        else:
            rect = Rect(right, 0.0, right + thick, WALL_HEIGHT)
        collides = frozenset(Part)
        if spec.kind is PropKind.DOORWAY:  # the other leg lies on through the door
            collides = frozenset({Part.TRUNK, Part(spec.at.partition(".")[0])})
        return PlacedProp(spec.kind, (rect,), collides=collides)
    if spec.kind is PropKind.KETTLEBELL:
        hand = body.points[spec.at]
        centre = (hand[0], hand[1] - BELL_HANDLE - BELL_RADIUS)
        return PlacedProp(spec.kind, (), circle=(centre, BELL_RADIUS), collides=frozenset())
    return PlacedProp(
        spec.kind, (), line=(body.points[spec.at], body.points[spec.to]), collides=frozenset()
    )
