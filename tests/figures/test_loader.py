"""A mistake in a figure file is one FILE:LINE: field: problem line."""

from __future__ import annotations

from pathlib import Path

import pytest

from si_timer.figures.loader import figure_for, figure_problems, load_figure_text
from si_timer.figures.skeleton import Part, View
from si_timer.library.loader import load_file

GOOD = """\
view: side
props: [mat]
accent: [leg]
touch: [trunk.chest]
poses:
  start:
    pelvis: [0.2, 0.06]
    trunk: 180
    leg: {hip: 0, knee: 0}
  hold:
    like: start
    leg: {hip: 90, knee: 90}
"""


def problems(text: str) -> list[str]:
    result = load_figure_text(text, "mine.yaml", "mine")
    assert result.figure is None
    return [str(e) for e in result.errors]


def test_a_good_file_loads() -> None:
    result = load_figure_text(GOOD, "mine.yaml", "mine")
    assert result.errors == ()
    assert result.figure is not None
    assert result.figure.view is View.SIDE
    assert result.figure.accent == {Part.LEG}
    assert result.figure.pose("hold").leg[:2] == (90.0, 90.0)
    # "like" keeps what the pose does not change.
    assert result.figure.pose("hold").trunk == 180.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("knee: 90}", "knee: 170}"),
            "mine.yaml:12: poses.hold.leg.knee: 170 degrees is outside its range (0 to 160)",
        ),
        (
            GOOD.replace("view: side", "view: top"),
            "mine.yaml:1: view: 'top' is not one of side, front",
        ),
        (
            GOOD.replace("  hold:\n    like: start", "  hold:\n    like: begin"),
            "mine.yaml:11: poses.hold.like: no earlier pose 'begin'",
        ),
        (
            GOOD.replace("  start:", "  begin:").replace("like: start", "like: begin"),
            "mine.yaml:6: poses: needs a 'start' pose",
        ),
        (
            GOOD.replace("trunk: 180", "trunk: level"),
            "mine.yaml:8: poses.start.trunk: must be a number of degrees, not text 'level'",
        ),
        (
            GOOD.replace("props: [mat]", "props: [mattress]"),
            "mine.yaml:2: props[0]: 'mattress' is not one of mat, chair, wall, doorway, kettlebell",
        ),
        (
            GOOD.replace("props: [mat]", "props: [chair]"),
            "mine.yaml:2: props[0]: a chair needs 'kind' and 'at'",
        ),
        (
            GOOD.replace("props: [mat]", "props: [{kind: wall, at: tail}]"),
            "mine.yaml:2: props.wall: 'tail' is not a body part or bone",
        ),
        (
            GOOD.replace("accent: [leg]", "accent: [foot]"),
            "mine.yaml:3: accent[0]: 'foot' is not one of trunk, leg, other_leg, arm, other_arm",
        ),
        (
            GOOD.replace("leg: {hip: 90, knee: 90}", "leg: {hip: 90, kne: 90}"),
            "mine.yaml:12: poses.hold.leg.kne: unknown key (did you mean 'knee'?)",
        ),
        (
            GOOD.replace("leg: {hip: 90, knee: 90}", "leg: {ankle_at: [1.5, 0.0]}"),
            "mine.yaml:12: poses.hold.leg.ankle_at: out of reach (1.30 H away; "
            "the leg reaches 0.00 to 0.49 H)",
        ),
        (
            GOOD.replace("leg: {hip: 90, knee: 90}", "leg: {ankle_at: nose}"),
            "mine.yaml:12: poses.hold.leg.ankle_at: 'nose' is not a point of the body",
        ),
        (
            GOOD.replace("pelvis: [0.2, 0.06]", "pelvis: [0.2]"),
            "mine.yaml:7: poses.start.pelvis: must be [x, y], a body point such as leg.knee, or "
            "[point, dx, dy]",
        ),
        (GOOD + "oops: 1\n", "mine.yaml:13: oops: unknown key"),
        ("poses: [\n", "mine.yaml:2: yaml:"),
        ("", "mine.yaml:1: file: is empty"),
    ],
)
def test_each_mistake_is_one_located_line(text: str, expected: str) -> None:
    found = problems(text)
    assert any(p.startswith(expected) for p in found), found


def test_a_users_exercise_uses_its_own_figure_from_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "figures").mkdir()
    exercise_file = tmp_path / "exercises" / "mine.yaml"
    exercise_file.write_text(
        "id: mine\nname: Mine\ncategory: stretch\nposition: On my back\nposture: back\n"
        "source: me\nsides: none\ndose: {hold: 10}\nsteps: [Lie down.]\n",
        encoding="utf-8",
    )
    result = load_file(exercise_file, bundled=False)
    exercise = result.exercise
    assert exercise is not None, result.errors
    (tmp_path / "figures" / "mine.yaml").write_text(GOOD, encoding="utf-8")
    figure = figure_for(exercise)
    assert figure.id == "mine"
    assert "hold" in figure.poses
    assert figure_problems(exercise) == ()


def test_a_named_figure_wins_over_a_figure_file_of_the_same_id(tmp_path: Path) -> None:
    """ "Draw it like the glute bridge" is what the person chose, even beside a file."""
    (tmp_path / "exercises").mkdir()
    (tmp_path / "figures").mkdir()
    exercise_file = tmp_path / "exercises" / "mine.yaml"
    exercise_file.write_text(
        "id: mine\nname: Mine\ncategory: stretch\nposition: On my back\nposture: back\n"
        "source: me\nsides: none\ndose: {hold: 10}\nsteps: [Lie down.]\nfigure: glute-bridge\n",
        encoding="utf-8",
    )
    (tmp_path / "figures" / "mine.yaml").write_text(GOOD, encoding="utf-8")
    exercise = load_file(exercise_file, bundled=False).exercise
    assert exercise is not None
    assert figure_for(exercise).id == "glute-bridge"
