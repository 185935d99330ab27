"""A 2D human figure as a tree of bones, posed by joint angles within their ranges.

Lengths are fractions of the standing height H (Drillis and Contini); a pose is the
pelvis position, the direction of the lower spine and one angle per joint.  In the
side view the figure faces +x and the near limbs are ``leg`` and ``arm``; in the
front (coronal) view ``leg`` and ``arm`` are the working side, drawn on the +x side,
and ``other_leg``/``other_arm`` mirror them.  Angles are degrees, counter-clockwise,
y up, the floor at y = 0.
"""

from __future__ import annotations

import math
from enum import StrEnum

from si_timer.records import record

Point = tuple[float, float]


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"


class Part(StrEnum):
    """A body part the renderer colours as one: the working limb, the far one, the trunk."""

    TRUNK = "trunk"
    LEG = "leg"
    OTHER_LEG = "other_leg"
    ARM = "arm"
    OTHER_ARM = "other_arm"

    @property
    def counterpart(self) -> Part:
        return _COUNTERPART[self]

    @property
    def is_leg(self) -> bool:
        return self in (Part.LEG, Part.OTHER_LEG)

    @property
    def is_far(self) -> bool:
        return self in (Part.OTHER_LEG, Part.OTHER_ARM)


_COUNTERPART = {
    Part.TRUNK: Part.TRUNK,
    Part.LEG: Part.OTHER_LEG,
    Part.OTHER_LEG: Part.LEG,
    Part.ARM: Part.OTHER_ARM,
    Part.OTHER_ARM: Part.ARM,
}
LIMBS = (Part.LEG, Part.OTHER_LEG, Part.ARM, Part.OTHER_ARM)


class Joint(StrEnum):
    SPINE = "spine"  # side view: flexion (+) and extension (-); front view: side bend
    NECK = "neck"
    HIP = "hip"  # side view: flexion (+) and extension (-); front view: abduction (+)
    KNEE = "knee"  # flexion
    ANKLE = "ankle"  # dorsiflexion (+) and plantar flexion (-)
    SHOULDER = "shoulder"  # side view: flexion (+) and extension (-); front view: abduction
    ELBOW = "elbow"  # flexion
    WRIST = "wrist"


LEG_JOINTS = (Joint.HIP, Joint.KNEE, Joint.ANKLE)
ARM_JOINTS = (Joint.SHOULDER, Joint.ELBOW, Joint.WRIST)
LEG_BONES = ("thigh", "shank", "foot")
ARM_BONES = ("upper_arm", "forearm", "hand")
# The point at the far end of each limb bone, for targets such as "leg.knee".
LEG_POINTS = ("knee", "ankle", "toe")
ARM_POINTS = ("elbow", "wrist", "fingers")


def joints_of(part: Part) -> tuple[Joint, ...]:
    return LEG_JOINTS if part.is_leg else ARM_JOINTS


def bones_of(part: Part) -> tuple[str, ...]:
    return LEG_BONES if part.is_leg else ARM_BONES


# Segment lengths (fraction of H) from the anthropometric tables.
LUMBAR = 0.145  # the trunk from hip to shoulder is 0.29, bent at the waist
THORAX = 0.145
NECK = 0.05
HEAD_RADIUS = 0.062  # chin to crown ≈ 0.13
HEAD_GAP = 0.012  # the pictogram's small gap between head and neck
LENGTHS: dict[str, float] = {
    "thigh": 0.245,
    "shank": 0.246,
    "foot": 0.13,  # ankle to toe (the heel adds the rest of the 0.152)
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.075,  # a palm without fingers: pictograms draw none
}
FRONT_FOOT = 0.06  # a foot seen from the front is foreshortened
HALF_HIPS = 0.08  # hip joints sit inside the 0.191 hip width
HALF_SHOULDERS = 0.115  # shoulder joints inside the 0.259 shoulder width
# Capsule radii: limbs 0.05-0.07 H thick, thigh thickest, forearm thinnest.
RADII: dict[str, float] = {
    "thigh": 0.036,
    "shank": 0.028,
    "foot": 0.021,
    "upper_arm": 0.026,
    "forearm": 0.021,
    "hand": 0.02,
    "lumbar": 0.062,
    "chest": 0.07,
    "neck": 0.024,
    "hips": 0.062,
    "shoulders": 0.05,
}
FRONT_CHEST = 0.085  # the chest is wider than deep
BREATH_SWELL = 0.05  # a full breath widens the chest by this share


@record(frozen=True)
class Limit:
    low: float
    high: float

    def contains(self, value: float, slack: float = 0.5) -> bool:
        return self.low - slack <= value <= self.high + slack


# Normal active ranges (AAOS-style), widened only where a pose is passive and says so.
LIMITS: dict[View, dict[Joint, Limit]] = {
    View.SIDE: {
        Joint.SPINE: Limit(-25, 80),
        Joint.NECK: Limit(-45, 45),
        # Folding over the thighs (child's pose, pigeon) is passive flexion, past 120.
        Joint.HIP: Limit(-30, 140),
        # Kneeling back toward the heels is passive flexion, past 135.
        Joint.KNEE: Limit(0, 160),
        # Kneeling with the tops of the feet flat on the mat: passive plantar flexion of
        # the ankle and midfoot together.
        Joint.ANKLE: Limit(-90, 20),
        Joint.SHOULDER: Limit(-60, 180),
        Joint.ELBOW: Limit(0, 150),
        # Hands flat under the shoulders take the wrist to about 90 degrees of extension.
        Joint.WRIST: Limit(-95, 95),
    },
    View.FRONT: {
        Joint.SPINE: Limit(-35, 35),
        Joint.NECK: Limit(-45, 45),
        # In the picture plane a turned-out hip's flexion (triangle) or a sitting wide V
        # (flexion with abduction) shows as abduction.
        Joint.HIP: Limit(-30, 90),
        Joint.KNEE: Limit(0, 135),
        # The foot, seen end-on and short, turned out (+) or pointing along the shin (-90).
        Joint.ANKLE: Limit(-90, 50),
        # Reaching across the body (flexion with adduction) shows as adduction here.
        Joint.SHOULDER: Limit(-60, 180),
        Joint.ELBOW: Limit(0, 150),
        Joint.WRIST: Limit(-80, 80),
    },
}


@record(frozen=True)
class Pose:
    """One key pose: where the pelvis is, which way the lower spine points, and the angle
    of every joint (see :class:`Joint` for the signs)."""

    x: float
    y: float
    trunk: float  # absolute direction of the lower spine, hip to waist
    spine: float = 0.0
    neck: float = 0.0
    leg: tuple[float, float, float] = (0.0, 0.0, 0.0)
    other_leg: tuple[float, float, float] = (0.0, 0.0, 0.0)
    arm: tuple[float, float, float] = (0.0, 0.0, 0.0)
    other_arm: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def limb(self, part: Part) -> tuple[float, float, float]:
        value: tuple[float, float, float] = getattr(self, part.value)
        return value

    def angles(self) -> dict[str, float]:
        """Every joint angle, keyed ``spine``, ``neck``, ``leg.hip``... for limit checks."""
        out = {Joint.SPINE.value: self.spine, Joint.NECK.value: self.neck}
        for part in LIMBS:
            for joint, value in zip(joints_of(part), self.limb(part), strict=True):
                out[f"{part.value}.{joint.value}"] = value
        return out


def limit_of(view: View, key: str) -> Limit:
    return LIMITS[view][Joint(key.rpartition(".")[2])]


@record(frozen=True)
class Capsule:
    """A bone drawn as a rounded bar from ``a`` to ``b``."""

    part: Part
    bone: str
    a: Point
    b: Point
    radius: float

    @property
    def length(self) -> float:
        return math.dist(self.a, self.b)

    @property
    def bottom(self) -> float:
        return min(self.a[1], self.b[1]) - self.radius

    def shifted(self, dx: float, dy: float) -> Capsule:
        return Capsule(
            self.part, self.bone, _add(self.a, dx, dy), _add(self.b, dx, dy), self.radius
        )

    def mirrored(self) -> Capsule:
        return Capsule(
            self.part, self.bone, (-self.a[0], self.a[1]), (-self.b[0], self.b[1]), self.radius
        )


@record(frozen=True)
class Body:
    """A posed figure: capsules in drawing order (far limbs first), the head, named points."""

    capsules: tuple[Capsule, ...]
    head: Point
    head_radius: float
    points: dict[str, Point]

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of everything drawn."""
        xs = [self.head[0] - self.head_radius, self.head[0] + self.head_radius]
        ys = [self.head[1] - self.head_radius, self.head[1] + self.head_radius]
        for c in self.capsules:
            xs += [c.a[0] - c.radius, c.b[0] - c.radius, c.a[0] + c.radius, c.b[0] + c.radius]
            ys += [c.a[1] - c.radius, c.b[1] - c.radius, c.a[1] + c.radius, c.b[1] + c.radius]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def lowest(self) -> float:
        return self.bounds()[1]

    def capsule(self, name: str) -> Capsule:
        """The capsule called ``part.bone`` ("leg.shank", "trunk.chest")."""
        part, _, bone = name.partition(".")
        for c in self.capsules:
            if c.part.value == part and c.bone == bone:
                return c
        raise KeyError(name)

    def of_part(self, part: Part) -> tuple[Capsule, ...]:
        return tuple(c for c in self.capsules if c.part is part)

    def shifted(self, dx: float, dy: float) -> Body:
        return Body(
            tuple(c.shifted(dx, dy) for c in self.capsules),
            _add(self.head, dx, dy),
            self.head_radius,
            {k: _add(p, dx, dy) for k, p in self.points.items()},
        )

    def mirrored(self) -> Body:
        """The same figure seen from the other side: x flipped about 0."""
        return Body(
            tuple(c.mirrored() for c in self.capsules),
            (-self.head[0], self.head[1]),
            self.head_radius,
            {k: (-p[0], p[1]) for k, p in self.points.items()},
        )


def _add(p: Point, dx: float, dy: float) -> Point:
    return (p[0] + dx, p[1] + dy)


def step(p: Point, angle: float, length: float) -> Point:
    rad = math.radians(angle)
    return (p[0] + length * math.cos(rad), p[1] + length * math.sin(rad))


def direction(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def wrap(angle: float) -> float:
    """An angle in (-180, 180]."""
    a = (angle + 180.0) % 360.0 - 180.0
    return 180.0 if a == -180.0 else a


@record(frozen=True)
class Frame:
    """The trunk's joints: where each limb is rooted and which way its zero points."""

    hip: dict[Part, Point]
    shoulder: dict[Part, Point]
    leg_base: float  # the thigh's direction at hip angle 0
    arm_base: float
    waist: Point
    neck_base: float  # the chest's direction
    top: Point


def sign(view: View, part: Part) -> float:
    """+1 for the working or near side; -1 for the other side in the front view (mirrored)."""
    return -1.0 if view is View.FRONT and part.is_far else 1.0


def trunk_frame(pose: Pose, view: View) -> Frame:
    pelvis = (pose.x, pose.y)
    waist = step(pelvis, pose.trunk, LUMBAR)
    chest_dir = pose.trunk - pose.spine
    top = step(waist, chest_dir, THORAX)
    if view is View.SIDE:
        shoulder = step(top, chest_dir, -0.025)
        hips = {Part.LEG: pelvis, Part.OTHER_LEG: pelvis}
        shoulders = {Part.ARM: shoulder, Part.OTHER_ARM: shoulder}
    else:
        lateral = pose.trunk - 90.0  # toward the working side
        hips = {
            Part.LEG: step(pelvis, lateral, HALF_HIPS),
            Part.OTHER_LEG: step(pelvis, lateral, -HALF_HIPS),
        }
        base = step(top, chest_dir, -0.03)
        shoulders = {
            Part.ARM: step(base, chest_dir - 90.0, HALF_SHOULDERS),
            Part.OTHER_ARM: step(base, chest_dir - 90.0, -HALF_SHOULDERS),
        }
    return Frame(hips, shoulders, pose.trunk - 180.0, chest_dir - 180.0, waist, chest_dir, top)


def limb_directions(view: View, part: Part, base: float, angles: tuple[float, ...]) -> list[float]:
    """Absolute directions of a limb's three bones from its joint angles."""
    s = sign(view, part)
    first = base + s * angles[0]
    if part.is_leg:
        second = first - s * angles[1]
        third = second + s * (90.0 + angles[2])
    else:
        second = first + s * angles[1]
        third = second + s * angles[2]
    return [first, second, third]


def limb_angles(view: View, part: Part, base: float, dirs: list[float]) -> tuple[float, ...]:
    """The inverse of :func:`limb_directions`."""
    s = sign(view, part)
    first = wrap(s * (dirs[0] - base))
    if part.is_leg:
        return (first, wrap(s * (dirs[0] - dirs[1])), wrap(s * (dirs[2] - dirs[1]) - 90.0))
    return (first, wrap(s * (dirs[1] - dirs[0])), wrap(s * (dirs[2] - dirs[1])))


def bone_length(view: View, bone: str) -> float:
    if view is View.FRONT and bone == "foot":
        return FRONT_FOOT
    return LENGTHS[bone]


def pose_body(pose: Pose, view: View, breath: float = 0.0) -> Body:
    """Forward kinematics: the capsules and points of ``pose`` (not yet on the floor).

    ``breath`` in [0, 1] widens the chest a little, for a hold's gentle breathing."""
    frame = trunk_frame(pose, view)
    pelvis = (pose.x, pose.y)
    points: dict[str, Point] = {"pelvis": pelvis, "waist": frame.waist, "top": frame.top}
    chest_r = (RADII["chest"] if view is View.SIDE else FRONT_CHEST) * (1.0 + BREATH_SWELL * breath)
    trunk: list[Capsule] = []
    if view is View.FRONT:
        trunk.append(
            Capsule(Part.TRUNK, "hips", frame.hip[Part.LEG], frame.hip[Part.OTHER_LEG], 0.07)
        )
        trunk.append(
            Capsule(
                Part.TRUNK,
                "shoulders",
                frame.shoulder[Part.ARM],
                frame.shoulder[Part.OTHER_ARM],
                RADII["shoulders"],
            )
        )
    lumbar_r = RADII["lumbar"] if view is View.SIDE else 0.075
    trunk.append(Capsule(Part.TRUNK, "lumbar", pelvis, frame.waist, lumbar_r))
    chest_start = step(frame.waist, frame.neck_base, 0.02)
    top_in = step(frame.top, frame.neck_base, -0.03)
    trunk.append(Capsule(Part.TRUNK, "chest", chest_start, top_in, chest_r))
    head_dir = frame.neck_base - pose.neck
    neck_top = step(frame.top, head_dir, NECK)
    trunk.append(Capsule(Part.TRUNK, "neck", step(frame.top, head_dir, -0.02), neck_top, 0.024))
    head = step(neck_top, head_dir, HEAD_RADIUS + HEAD_GAP)
    points["head"] = head
    limbs: dict[Part, list[Capsule]] = {}
    for part in LIMBS:
        root = frame.hip[part] if part.is_leg else frame.shoulder[part]
        base = frame.leg_base if part.is_leg else frame.arm_base
        dirs = limb_directions(view, part, base, pose.limb(part))
        names = LEG_POINTS if part.is_leg else ARM_POINTS
        here = root
        points[f"{part.value}.{'hip' if part.is_leg else 'shoulder'}"] = root
        caps: list[Capsule] = []
        for bone, angle, name in zip(bones_of(part), dirs, names, strict=True):
            end = step(here, angle, bone_length(view, bone))
            start = here
            if bone == "foot" and view is View.SIDE:
                start = step(here, angle, -0.02)  # the heel, a little behind the ankle
            caps.append(Capsule(part, bone, start, end, RADII[bone]))
            points[f"{part.value}.{name}"] = end
            here = end
        limbs[part] = caps
    order = [*limbs[Part.OTHER_ARM], *limbs[Part.OTHER_LEG], *trunk]
    order += [*limbs[Part.LEG], *limbs[Part.ARM]]
    return Body(tuple(order), head, HEAD_RADIUS, points)


def grounded(body: Body) -> Body:
    """The body moved up or down so that its lowest point rests on the floor."""
    return body.shifted(0.0, -body.lowest)
