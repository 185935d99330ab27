"""Reads figure YAML into a :class:`~si_timer.figures.pose.Figure`, or problems.

Read through the library's YAML reader, so a mistake is one ``FILE:LINE: field:
problem`` line like any other.  A limb is posed by joint angles (``hip: 90``), by
the absolute direction of a bone (``shank: 180``), or by reaching a point
(``ankle_at: [0.3, 0.02]``, ``wrist_at: leg.knee``); every joint must stay inside
its range of motion (:data:`si_timer.figures.skeleton.LIMITS`).  Apart from
:mod:`.loader` (which finds the files and keeps what was read): PyYAML loads
only when a figure file has to be read.
"""

from __future__ import annotations

import math
from pathlib import Path

from si_timer.figures.loader import FigureResult
from si_timer.figures.pose import START, Figure, centred
from si_timer.figures.props import Facing, PropKind, PropSpec
from si_timer.figures.skeleton import (
    LIMBS,
    Part,
    Point,
    Pose,
    View,
    bone_length,
    bones_of,
    direction,
    joints_of,
    limb_angles,
    limb_directions,
    limit_of,
    pose_body,
    trunk_frame,
)
from si_timer.library.fields import FieldReader, kind_of
from si_timer.library.model import LoadError
from si_timer.library.yamlread import Node, YamlProblem, decode, parse
from si_timer.records import replace

FIGURE_KEYS = ("view", "props", "accent", "arrow", "touch", "poses", "both")
POSE_KEYS = ("like", "pelvis", "trunk", "spine", "chest", "neck", "head", "touch", *LIMBS)
LEG_KEYS = ("hip", "knee", "ankle", "thigh", "shank", "foot", "ankle_at")
ARM_KEYS = ("shoulder", "elbow", "wrist", "upper_arm", "forearm", "hand", "wrist_at")
PROP_KEYS = ("kind", "at", "facing", "to")
MAX_POSES = 12


def read_figure_text(text: str, file: str, figure_id: str) -> FigureResult:
    try:
        root = parse(text)
    except YamlProblem as exc:
        return FigureResult(None, (LoadError(file, exc.line, exc.field, exc.message),))
    reader = _FigureReader(file)
    figure = reader.figure(root, figure_id)
    if reader.errors:
        return FigureResult(None, tuple(reader.errors))
    return FigureResult(figure, ())


def read_figure_file(path: Path) -> FigureResult:
    try:
        text = decode(path.read_bytes())
    except YamlProblem as exc:
        return FigureResult(None, (LoadError(str(path), exc.line, exc.field, exc.message),))
    except OSError as exc:
        return FigureResult(None, (LoadError(str(path), 1, "file", exc.strerror or str(exc)),))
    return read_figure_text(text, str(path), path.stem)


class _FigureReader(FieldReader):
    def figure(self, root: Node | None, figure_id: str) -> Figure | None:
        if root is None:
            self.error(1, "file", "is empty")
            return None
        items = self.mapping(root, "", FIGURE_KEYS)
        if items is None:
            return None
        view = self.choice(items.get("view"), "view", View, [v.value for v in View]) or View.SIDE
        props = self._props(items.get("props"))
        accent = frozenset(self._parts(items.get("accent"), "accent"))
        arrows = self.text_list(items.get("arrow") and _as_list(items["arrow"]), "arrow")
        touch = self.text_list(items.get("touch"), "touch")
        poses_node = self.required(items, "poses", root)
        poses: dict[str, Pose] = {}
        touches: dict[str, tuple[str, ...]] = {}
        if poses_node is not None:
            poses = self._poses(poses_node, "poses", view, touch, touches, {})
            if poses_node.is_mapping and START not in poses_node.value:
                self.error(poses_node.line, "poses", "needs a 'start' pose")
        both: dict[str, Pose] = {}
        if items.get("both") is not None:
            both = self._poses(items["both"], "both", view, touch, touches, poses)
        if self.errors:
            return None
        figure = Figure(
            id=figure_id,
            view=view,
            poses=poses,
            both_poses=both,
            props=props,
            accent=accent,
            arrows=arrows,
            touch=touches,
        )
        for name in arrows:
            if name not in pose_body(poses[START], view).points:
                self.error(items["arrow"].line, "arrow", f"'{name}' is not a point of the body")
        for spec in props:
            self._check_anchor(spec, poses[START], view, items["props"].line)
        return None if self.errors else centred(figure)

    def _check_anchor(self, spec: PropSpec, pose: Pose, view: View, line: int) -> None:
        body = pose_body(pose, view)
        names = {f"{c.part.value}.{c.bone}" for c in body.capsules} | {p.value for p in Part}
        needs_point = spec.kind in (PropKind.KETTLEBELL, PropKind.BAND)
        for anchor in (spec.at, spec.to) if spec.kind is PropKind.BAND else (spec.at,):
            if spec.kind is PropKind.MAT:
                continue
            known = body.points if needs_point else names
            if anchor not in known:
                what = "a point of the body" if needs_point else "a body part or bone"
                self.error(line, f"props.{spec.kind.value}", f"'{anchor}' is not {what}")

    def _parts(self, node: Node | None, field: str) -> list[Part]:
        out = []
        for i, value in enumerate(self.text_list(node, field)):
            if value not in {p.value for p in Part}:
                assert node is not None
                self.error(
                    node.value[i].line,
                    f"{field}[{i}]",
                    f"'{value}' is not one of {', '.join(p.value for p in Part)}",
                )
            else:
                out.append(Part(value))
        return out

    def _props(self, node: Node | None) -> tuple[PropSpec, ...]:
        if node is None or node.value is None:
            return ()
        if not node.is_list:
            self.error(node.line, "props", f"must be a list, not {kind_of(node.value)}")
            return ()
        kinds = [k.value for k in PropKind]
        out: list[PropSpec] = []
        for i, child in enumerate(node.value):
            field = f"props[{i}]"
            if isinstance(child.value, str):
                kind = self.choice(child, field, PropKind, kinds)
                if kind is not None and kind is not PropKind.MAT:
                    self.error(child.line, field, f"a {kind.value} needs 'kind' and 'at'")
                elif kind is not None:
                    out.append(PropSpec(kind))
                continue
            items = self.mapping(child, field, PROP_KEYS)
            if items is None:
                continue
            kind = self.choice(
                self.required(items, "kind", child, field + "."), field + ".kind", PropKind, kinds
            )
            at = self.text(items.get("at"), field + ".at") or ""
            facing = self.choice(
                items.get("facing"), field + ".facing", Facing, [f.value for f in Facing]
            )
            to = self.text(items.get("to"), field + ".to") or ""
            if kind is None:
                continue
            if kind is not PropKind.MAT and not at:
                self.error(child.line, field + ".at", "is required")
            if kind is PropKind.BAND and not to:
                self.error(child.line, field + ".to", "is required")
            out.append(PropSpec(kind, at, facing or Facing.FRONT, to))
        return tuple(out)

    def _poses(
        self,
        node: Node,
        field: str,
        view: View,
        touch: tuple[str, ...],
        touches: dict[str, tuple[str, ...]],
        inherited: dict[str, Pose],
    ) -> dict[str, Pose]:
        items = self.mapping(node, field, list(node.value) if node.is_mapping else ())
        if items is None:
            return {}
        if len(items) > MAX_POSES:
            self.error(node.line, field, f"too many poses ({len(items)}; at most {MAX_POSES})")
            return {}
        poses: dict[str, Pose] = {}
        for name, child in items.items():
            where = f"{field}.{name}"
            pose = self._pose(child, where, view, {**inherited, **poses})
            if pose is not None:
                poses[name] = pose
                prefix = "both:" if field == "both" else ""
                own = None
                if child.is_mapping and "touch" in child.value:
                    own = self.text_list(child.value["touch"], where + ".touch")
                touches[prefix + name] = touch if own is None else own
        return poses

    def _angle(self, node: Node | None, field: str) -> float | None:
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node.line, field, f"must be a number of degrees, not {kind_of(value)}")
            return None
        if not math.isfinite(value) or abs(value) > 360:
            self.error(node.line, field, f"{value} is not an angle in degrees (-360 to 360)")
            return None
        return float(value)

    def _point(self, node: Node, field: str, body_points: dict[str, Point]) -> Point | None:
        value = node.value
        if isinstance(value, str):
            value = [Node(value, node.line), Node(0, node.line), Node(0, node.line)]
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0].value, str):
            name = value[0].value
            if name not in body_points:
                self.error(node.line, field, f"'{name}' is not a point of the body")
                return None
            dx, dy = (self._coordinate(v, field) for v in value[1:])
            if dx is None or dy is None:
                return None
            base = body_points[name]
            return (base[0] + dx, base[1] + dy)
        if isinstance(value, list) and len(value) == 2:
            x, y = (self._coordinate(v, field) for v in value)
            return None if x is None or y is None else (x, y)
        self.error(
            node.line, field, "must be [x, y], a body point such as leg.knee, or [point, dx, dy]"
        )
        return None

    def _coordinate(self, node: Node, field: str) -> float | None:
        value = node.value
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.error(
                node.line, field, f"must be a number (in body heights), not {kind_of(value)}"
            )
            return None
        if abs(value) > 3:
            self.error(node.line, field, f"{value} is too far (at most 3 body heights)")
            return None
        return float(value)

    def _pose(self, node: Node, field: str, view: View, known: dict[str, Pose]) -> Pose | None:
        items = self.mapping(node, field, POSE_KEYS)
        if items is None:
            return None
        pose = Pose(0.0, 0.5, 90.0)
        like = self.text(items.get("like"), field + ".like")
        if like is not None:
            if like not in known:
                self.error(items["like"].line, field + ".like", f"no earlier pose '{like}'")
                return None
            pose = known[like]
        if items.get("pelvis") is not None:
            point = self._point(items["pelvis"], field + ".pelvis", {})
            if point is not None:
                pose = replace(pose, x=point[0], y=point[1])
        for key in ("trunk", "spine", "neck"):
            value = self._angle(items.get(key), f"{field}.{key}")
            if value is not None:
                pose = _with_angle(pose, key, value)
        chest = self._angle(items.get("chest"), field + ".chest")
        if chest is not None:
            pose = replace(pose, spine=pose.trunk - chest)
        head = self._angle(items.get("head"), field + ".head")
        if head is not None:
            pose = replace(pose, neck=(pose.trunk - pose.spine) - head)
        # Limbs in the order written: a hand can reach for a knee posed just before.
        for key in [k for k in items if k in {p.value for p in LIMBS}]:
            if items[key].value is not None:
                part = Part(key)
                pose = self._limb(items[key], f"{field}.{key}", view, part, pose)
        for key, value in pose.angles().items():
            limit = limit_of(view, key)
            if not limit.contains(value):
                line = _line_of(items, key, node.line)
                self.error(
                    line,
                    f"{field}.{key}",
                    f"{value:.0f} degrees is outside its range ({limit.low:g} to {limit.high:g})",
                )
        return pose

    def _limb(self, node: Node, field: str, view: View, part: Part, pose: Pose) -> Pose:
        keys = LEG_KEYS if part.is_leg else ARM_KEYS
        items = self.mapping(node, field, keys)
        if items is None:
            return pose
        joints = [j.value for j in joints_of(part)]
        bones = list(bones_of(part))
        frame = trunk_frame(pose, view)
        base = frame.leg_base if part.is_leg else frame.arm_base
        angles = list(pose.limb(part))
        target_key = keys[-1]
        if items.get(target_key) is not None:
            root = frame.hip[part] if part.is_leg else frame.shoulder[part]
            target = self._point(
                items[target_key], f"{field}.{target_key}", pose_body(pose, view).points
            )
            if target is not None:
                solved = self._reach(
                    root,
                    target,
                    view,
                    part,
                    base,
                    bones,
                    items[target_key].line,
                    f"{field}.{target_key}",
                )
                if solved is not None:
                    angles[0], angles[1] = solved
        for i, (joint, bone) in enumerate(zip(joints, bones, strict=True)):
            value = self._angle(items.get(joint), f"{field}.{joint}")
            if value is not None:
                angles[i] = value
            absolute = self._angle(items.get(bone), f"{field}.{bone}")
            if absolute is not None:
                if value is not None:
                    self.error(
                        items[bone].line, f"{field}.{bone}", f"give {joint} or {bone}, not both"
                    )
                # This joint turns the bone to ``absolute``; the joints beyond keep their
                # angles, so the rest of the limb follows it.
                dirs = limb_directions(view, part, base, tuple(angles))
                dirs[i] = absolute
                angles[i] = limb_angles(view, part, base, dirs)[i]
        return _with_limb(pose, part, (angles[0], angles[1], angles[2]))

    def _reach(
        self,
        root: Point,
        target: Point,
        view: View,
        part: Part,
        base: float,
        bones: list[str],
        line: int,
        field: str,
    ) -> tuple[float, float] | None:
        """Two-bone inverse kinematics: the first two joint angles that put the end of the
        second bone on ``target``, bending the way the joint bends."""
        a, b = bone_length(view, bones[0]), bone_length(view, bones[1])
        d = math.dist(root, target)
        if d > a + b + 0.005 or d < abs(a - b) - 0.005:
            self.error(
                line,
                field,
                f"out of reach ({d:.2f} H away; the {part.value.replace('_', ' ')} reaches "
                f"{abs(a - b):.2f} to {a + b:.2f} H)",
            )
            return None
        d = min(max(d, abs(a - b) + 1e-9), a + b - 1e-9)
        cos_root = (a * a + d * d - b * b) / (2 * a * d)
        bend = math.degrees(math.acos(max(-1.0, min(1.0, cos_root))))
        aim = direction(root, target)
        s = -1.0 if view is View.FRONT and part.is_far else 1.0
        first = aim + s * bend if part.is_leg else aim - s * bend
        end_first = (
            root[0] + a * math.cos(math.radians(first)),
            root[1] + a * math.sin(math.radians(first)),
        )
        second = direction(end_first, target)
        angles = limb_angles(view, part, base, [first, second, second])
        return angles[0], angles[1]


def _with_angle(pose: Pose, key: str, value: float) -> Pose:
    if key == "trunk":
        return replace(pose, trunk=value)
    if key == "spine":
        return replace(pose, spine=value)
    return replace(pose, neck=value)


def _with_limb(pose: Pose, part: Part, angles: tuple[float, float, float]) -> Pose:
    if part is Part.LEG:
        return replace(pose, leg=angles)
    if part is Part.OTHER_LEG:
        return replace(pose, other_leg=angles)
    if part is Part.ARM:
        return replace(pose, arm=angles)
    return replace(pose, other_arm=angles)


def _as_list(node: Node) -> Node:
    return node if node.is_list or not isinstance(node.value, str) else Node([node], node.line)


def _line_of(items: dict[str, Node], key: str, default: int) -> int:
    part, _, joint = key.partition(".")
    node = items.get(part)
    if node is None:
        return default
    if joint and node.is_mapping:
        child = node.value.get(joint)
        return child.line if child is not None else node.line
    return node.line
