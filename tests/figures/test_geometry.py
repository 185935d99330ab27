"""Every bundled figure in every pose is a believable body: bones keep their length,
joints stay in range, it rests on the floor without sinking, it stays clear of its
props and inside its frame, and the right side mirrors the left."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from si_timer import assets
from si_timer.figures.loader import figure_for, load_figure_file, posture_figure
from si_timer.figures.pose import (
    FRAME_BOTTOM,
    FRAME_HALF_WIDTH,
    FRAME_TOP,
    HOLD,
    START,
    Figure,
    Scene,
    ease,
)
from si_timer.figures.props import PropKind
from si_timer.figures.skeleton import Capsule, limit_of
from si_timer.library.catalog import load_catalog
from si_timer.library.model import DoseMode, Exercise, Posture, Side, Sides

CATALOG = load_catalog(None, None)
EXERCISES = sorted(CATALOG.exercises.values(), key=lambda e: e.id)
FIGURES_DIR = Path(str(assets.content_root() / "figures"))
FIGURE_FILES = sorted(FIGURES_DIR.glob("*.yaml")) + sorted(
    (FIGURES_DIR / "postures").glob("*.yaml")
)
TOUCH_TOLERANCE = 0.015  # H: about 2.5 cm on a 1.75 m person
PROP_TOLERANCE = 0.012
STEPS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _load(path: Path) -> Figure:
    result = load_figure_file(path)
    assert not result.errors, "\n".join(str(e) for e in result.errors)
    assert result.figure is not None
    return result.figure


def _sides(figure: Figure) -> tuple[Side, ...]:
    return (Side.LEFT, Side.BOTH) if figure.has_both else (Side.LEFT,)


def _moments(figure: Figure, side: Side) -> list[tuple[str, Scene]]:
    """Every key pose, and the frames between the start and each pose."""
    out = []
    for name in figure.pose_names(side):
        for t in STEPS:
            out.append((f"{START}->{name}@{t}", figure.scene(START, name, ease(t), side)))
    return out


def test_every_bundled_exercise_has_a_figure_with_the_poses_its_dose_needs() -> None:
    for ex in EXERCISES:
        path = FIGURES_DIR / f"{ex.id}.yaml"
        assert path.is_file(), f"{ex.id} has no figure"
        figure = _load(path)
        needed = {START}
        if ex.dose.mode in (DoseMode.HOLD, DoseMode.SELF_PACED):
            needed.add(HOLD)
        needed |= {phase.name for phase in ex.dose.tempo}
        assert needed <= set(figure.poses), f"{ex.id} lacks {needed - set(figure.poses)}"
        if ex.sides is Sides.LEFT_RIGHT_BOTH:
            assert figure.has_both, f"{ex.id} needs poses for both sides at once"
        assert figure_for(ex) == figure


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.stem)
def test_bone_lengths_are_the_same_in_every_pose_and_frame(path: Path) -> None:
    figure = _load(path)
    reference = {(c.part, c.bone): c.length for c in figure.scene(START, START, 1.0).body.capsules}
    for side in _sides(figure):
        for label, scene in _moments(figure, side):
            for c in scene.body.capsules:
                assert c.length == pytest.approx(reference[(c.part, c.bone)], abs=1e-9), label


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.stem)
def test_joint_angles_stay_inside_their_range(path: Path) -> None:
    figure = _load(path)
    for side in _sides(figure):
        for name in figure.pose_names(side):
            for key, value in figure.pose(name, side).angles().items():
                limit = limit_of(figure.view, key)
                assert limit.contains(value), f"{path.stem} {name} {key} = {value:.0f}"


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.stem)
def test_rests_on_the_floor_without_sinking_or_floating(path: Path) -> None:
    figure = _load(path)
    for side in _sides(figure):
        for label, scene in _moments(figure, side):
            assert scene.body.lowest == pytest.approx(0.0, abs=1e-9), label
    for side in _sides(figure):
        for name in figure.pose_names(side):
            body = figure.scene(name, name, 1.0, side).body
            key = f"both:{name}" if side is Side.BOTH and name in figure.both_poses else name
            touching = figure.touch[key]
            assert touching, f"{path.stem} {name} names nothing resting on the floor"
            for capsule in touching:
                bottom = body.capsule(capsule).bottom
                assert bottom <= TOUCH_TOLERANCE, (
                    f"{path.stem} {name}: {capsule} floats at {bottom:.3f} H"
                )


def _depth(capsule: Capsule, rect_depth: object) -> float:
    assert callable(rect_depth)
    deepest = -math.inf
    for i in range(11):
        t = i / 10
        p = (
            capsule.a[0] + (capsule.b[0] - capsule.a[0]) * t,
            capsule.a[1] + (capsule.b[1] - capsule.a[1]) * t,
        )
        deepest = max(deepest, rect_depth(p, capsule.radius))
    return deepest


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.stem)
def test_nothing_passes_through_a_prop(path: Path) -> None:
    figure = _load(path)
    for side in _sides(figure):
        for label, scene in _moments(figure, side):
            for prop in scene.props:
                if prop.circle is not None:  # a kettlebell stays above the floor
                    centre, radius = prop.circle
                    assert centre[1] - radius >= -1e-9, label
                for rect in prop.rects:
                    for capsule in scene.body.capsules:
                        if capsule.part not in prop.collides:
                            continue
                        depth = _depth(capsule, rect.depth_into)
                        assert depth <= PROP_TOLERANCE, (
                            f"{path.stem} {label}: {capsule.part}.{capsule.bone} is "
                            f"{depth:.3f} H inside the {prop.kind}"
                        )
                    if prop.kind is not PropKind.MAT:
                        head_depth = rect.depth_into(scene.body.head, scene.body.head_radius)
                        assert head_depth <= PROP_TOLERANCE, f"{label}: head in the {prop.kind}"


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.stem)
def test_stays_inside_the_frame(path: Path) -> None:
    figure = _load(path)
    for side in (*_sides(figure), Side.RIGHT):
        for label, scene in _moments(figure, side):
            left, bottom, right, top = scene.body.bounds()
            boxes = [(left, bottom, right, top)]
            boxes += [(r.left, r.bottom, r.right, r.top) for p in scene.props for r in p.rects]
            boxes += [(x, y, x, y) for arrow in scene.arrows for x, y in arrow]
            for x0, y0, x1, y1 in boxes:
                assert x0 >= -FRAME_HALF_WIDTH, f"{path.stem} {label}"
                assert x1 <= FRAME_HALF_WIDTH, f"{path.stem} {label}"
                assert y0 >= FRAME_BOTTOM, f"{path.stem} {label}"
                assert y1 <= FRAME_TOP, f"{path.stem} {label}"


@pytest.mark.parametrize("path", FIGURE_FILES, ids=lambda p: p.stem)
def test_the_right_side_is_the_mirror_of_the_left(path: Path) -> None:
    figure = _load(path)
    for name in figure.pose_names():
        left = figure.scene(START, name, 0.6, Side.LEFT)
        right = figure.scene(START, name, 0.6, Side.RIGHT)
        for a, b in zip(left.body.capsules, right.body.capsules, strict=True):
            assert (a.part, a.bone) == (b.part, b.bone)
            assert [*b.a, *b.b] == pytest.approx([-a.a[0], a.a[1], -a.b[0], a.b[1]])
        assert list(right.body.head) == pytest.approx([-left.body.head[0], left.body.head[1]])
        for pa, pb in zip(left.props, right.props, strict=True):
            for ra, rb in zip(pa.rects, pb.rects, strict=True):
                assert (rb.left, rb.right) == pytest.approx((-ra.right, -ra.left))
        for arrow_a, arrow_b in zip(left.arrows, right.arrows, strict=True):
            mirrored = [v for x, y in arrow_a for v in (-x, y)]
            assert mirrored == pytest.approx([v for p in arrow_b for v in p])


def test_both_sides_accent_both_limbs() -> None:
    figure = figure_for(CATALOG.exercises["knee-to-chest"])
    one = figure.scene(START, HOLD, 1.0, Side.LEFT)
    both = figure.scene(START, HOLD, 1.0, Side.BOTH)
    assert len({p.value for p in both.accent}) == len({p.value for p in one.accent}) * 2
    # Both knees are up to the chest, not only the working one.
    assert both.body.points["other_leg.knee"][1] > 0.2 > one.body.points["other_leg.knee"][1]


@pytest.mark.parametrize("posture", list(Posture))
def test_every_posture_has_a_neutral_figure(posture: Posture) -> None:
    figure = posture_figure(posture)
    assert START in figure.poses
    on_floor = figure.scene(START, START, 1.0).body.lowest
    assert on_floor == pytest.approx(0.0, abs=1e-9)


def test_an_exercise_without_a_figure_gets_its_postures_figure() -> None:
    base = CATALOG.exercises["figure-4"]
    mine = Exercise(
        id="my-own-stretch",
        name="Mine",
        category=base.category,
        position="On all fours",
        source="me",
        sides=base.sides,
        dose=base.dose,
        steps=("Do it.",),
        posture=Posture.ALL_FOURS,
    )
    assert figure_for(mine) == posture_figure(Posture.ALL_FOURS)
    assert figure_for(None, None) == posture_figure(Posture.STANDING)


def test_figures_show_what_the_guide_describes() -> None:
    """Spot checks a physiotherapist would make."""

    def hold(ex_id: str, pose: str = HOLD) -> Scene:
        return figure_for(CATALOG.exercises[ex_id]).scene(pose, pose, 1.0)

    # Figure-4: the working ankle rests on the other knee.
    body = hold("figure-4").body
    assert math.dist(body.points["leg.ankle"], body.points["other_leg.knee"]) < 0.08
    # Knee-to-chest: the knee is up by the chest, the hands around the shin.
    body = hold("knee-to-chest").body
    assert body.points["leg.knee"][1] > 0.25
    assert math.dist(body.points["arm.wrist"], body.points["leg.knee"]) < 0.1
    # Glute bridge: shoulders, hips and knees in one line.
    body = hold("glute-bridge").body
    a, b, c = body.points["top"], body.points["pelvis"], body.points["leg.knee"]
    bend = math.degrees(
        abs(math.atan2(b[1] - a[1], b[0] - a[0]) - math.atan2(c[1] - b[1], c[0] - b[0]))
    )
    assert bend < 10
    # Wall sit: thighs near level, the back against the wall.
    scene = hold("wall-sit")
    hip, knee = scene.body.points["leg.hip"], scene.body.points["leg.knee"]
    assert abs(knee[1] - hip[1]) < 0.03
    # Cat rounds the back up, cow lets it dip.
    cat = hold("cat-cow", "Hold cat").body
    cow = hold("cat-cow", "Hold cow").body
    assert cat.points["waist"][1] > cow.points["waist"][1] + 0.05
    # Doorway hamstring: the raised leg is straight and high, the other leg long.
    figure = figure_for(CATALOG.exercises["doorway-hamstring"])
    pose = figure.pose(HOLD)
    assert pose.leg[1] == 0
    assert pose.leg[0] >= 70
    assert abs(pose.other_leg[0]) <= 5
    assert pose.other_leg[1] == 0


def test_an_exercise_drawn_like_a_bundled_one_gets_that_figure() -> None:
    base = CATALOG.exercises["figure-4"]
    mine = Exercise(
        id="my-bridge",
        name="My bridge",
        category=base.category,
        position="On my back",
        source="me",
        sides=base.sides,
        dose=base.dose,
        steps=("Lift.",),
        posture=Posture.BACK,
        figure="glute-bridge",
    )
    assert figure_for(mine) == figure_for(CATALOG.exercises["glute-bridge"])
    assert figure_for(mine) != posture_figure(Posture.BACK)
