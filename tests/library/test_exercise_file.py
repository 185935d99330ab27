"""What the exercise writer puts in a file loads back to the same exercise, every time."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from si_timer.library.catalog import load_catalog
from si_timer.library.exercise_file import exercise_yaml, new_exercise_id, save_exercise
from si_timer.library.loader import SIDE_WORDS, bundled_figures, load_text
from si_timer.library.model import (
    EXERCISE_SIDES,
    MAX_SHORT_NAME,
    Category,
    Cues,
    Dose,
    DosePart,
    Exercise,
    Posture,
    Progression,
    Range,
    Side,
    SideMeanings,
    Sides,
    TempoPhase,
)

BUNDLED = load_catalog().exercises


def load_back(text: str) -> Exercise:
    result = load_text(text.encode("utf-8"), "mine.yaml", kind="exercise")
    assert result.errors == (), [str(e) for e in result.errors]
    assert result.exercise is not None
    return result.exercise


@pytest.mark.parametrize("exercise_id", sorted(BUNDLED))
def test_every_bundled_exercise_round_trips(exercise_id: str) -> None:
    exercise = BUNDLED[exercise_id]
    assert load_back(exercise_yaml(exercise)) == exercise


def plain_exercise(**changes: object) -> Exercise:
    fields: dict[str, object] = {
        "id": "my-stretch",
        "name": "My stretch",
        "category": Category.STRETCH,
        "position": "Lying on your back",
        "source": "My physiotherapist",
        "sides": Sides.NONE,
        "dose": Dose(hold=Range(20, 20)),
        "steps": ("Lie down.",),
    }
    fields.update(changes)
    return Exercise(**fields)  # type: ignore[arg-type]


def test_only_keys_that_differ_from_their_defaults_are_written() -> None:
    text = exercise_yaml(plain_exercise())
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == ["id", "name", "category", "position", "source", "sides", "dose", "steps"]
    assert "  hold: 20\n" in text
    for key in ("sets", "alternate", "figure", "cues", "cautions"):
        assert key not in text


def test_the_file_reads_like_the_bundled_ones() -> None:
    exercise = plain_exercise(
        sides=Sides.EACH,
        first_side=Side.RIGHT,
        figure="figure-4",
        posture=Posture.BACK,
        equipment=("mat", "strap, long"),
        dose=Dose(hold=Range(10, 30), reps=Range(2, 2), sets=2, rest=Range(30, 60)),
        steps=("Lie down.", "Cat: round your back."),
    )
    text = exercise_yaml(exercise)
    assert "first_side: right\n" in text
    assert "figure: figure-4\n" in text
    assert "equipment: [mat, 'strap, long']\n" in text
    assert "  hold: {min: 10, max: 30}\n  reps: 2\n  sets: 2\n  rest: {min: 30, max: 60}\n" in text
    assert "  - 'Cat: round your back.'\n" in text
    assert load_back(text) == exercise


@pytest.mark.parametrize("text", ["yes", "1.5", "null", "- a", "#x", "a\nb", "tab\there", "é ü"])
def test_text_that_looks_like_something_else_stays_text(text: str) -> None:
    exercise = plain_exercise(name=text, steps=(text,), cautions=(text,), equipment=(text,))
    assert load_back(exercise_yaml(exercise)) == exercise


def test_save_writes_an_owner_only_file_that_the_library_picks_up(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "exercises"
    exercise = plain_exercise(figure="glute-bridge", posture=Posture.BACK)
    path = save_exercise(exercise, folder)
    assert path == folder / "my-stretch.yaml"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    catalog = load_catalog(folder, tmp_path / "data" / "routines")
    assert catalog.errors == []
    assert catalog.exercises["my-stretch"] == exercise
    assert catalog.exercises["my-stretch"].figure == "glute-bridge"


def test_saving_again_replaces_the_file(tmp_path: Path) -> None:
    save_exercise(plain_exercise(), tmp_path)
    changed = plain_exercise(name="My longer stretch")
    path = save_exercise(changed, tmp_path)
    assert load_back(path.read_text(encoding="utf-8")) == changed
    assert [p.name for p in tmp_path.iterdir()] == ["my-stretch.yaml"]


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("My hip stretch", (), "my-hip-stretch"),
        ("  Knee to chest (physio)! ", (), "knee-to-chest-physio"),
        ("Knee-to-chest stretch", ("knee-to-chest-stretch",), "knee-to-chest-stretch-2"),
        ("Cat-cow", ("cat-cow", "cat-cow-2"), "cat-cow-3"),
        ("Übung für die Hüfte", (), "ubung-fur-die-hufte"),
        ("!!!", (), "my-exercise"),
        ("", ("my-exercise",), "my-exercise-2"),
        ("x" * 80, ("x" * 40,), "x" * 38 + "-2"),
    ],
)
def test_a_new_id_comes_from_the_name_and_is_never_taken(
    name: str, taken: tuple[str, ...], expected: str
) -> None:
    assert new_exercise_id(name, taken) == expected


def test_a_new_id_never_replaces_a_bundled_exercise() -> None:
    assert new_exercise_id("Glute bridge", BUNDLED) == "glute-bridge-2"


# --- random exercises ----------------------------------------------------------

# Text as the loader keeps it: no surrounding space (it strips), never empty.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and s != ""
)
IDS = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}\Z")
SECONDS = st.one_of(
    st.integers(1, 600).map(float),
    st.floats(0.1, 600, allow_nan=False, allow_infinity=False),
)


@st.composite
def ranges(draw: st.DrawFn, values: st.SearchStrategy[float]) -> Range:
    low, high = sorted((draw(values), draw(values)))
    return Range(low, high)


COUNTS = st.integers(1, 12).map(float)


@st.composite
def phases(draw: st.DrawFn, *, moves: bool) -> TempoPhase:
    return TempoPhase(draw(TEXT), draw(SECONDS), move=moves and draw(st.booleans()))


@st.composite
def doses(draw: st.DrawFn) -> Dose:
    mode = draw(st.sampled_from(("hold", "tempo", "self-paced")))
    sets = draw(st.integers(1, 4))
    rest = draw(ranges(SECONDS)) if sets > 1 or draw(st.booleans()) else None
    relax = draw(st.none() | SECONDS)
    hold = reps = progression = move_in = None
    tempo: tuple[TempoPhase, ...] = ()
    pace: tuple[TempoPhase, ...] = ()
    if mode == "hold":
        hold = draw(ranges(SECONDS))
        reps = draw(st.none() | ranges(COUNTS))
        move_in = draw(st.none() | phases(moves=False))
        if move_in is not None:
            move_in = TempoPhase(move_in.name, move_in.seconds, move=True)
        if draw(st.booleans()):
            top = draw(SECONDS.filter(lambda s: s >= hold.min))
            progression = Progression(hold=Range(hold.min, top))
    else:
        reps = draw(ranges(COUNTS))
        if mode == "tempo":
            tempo = tuple(draw(st.lists(phases(moves=True), min_size=1, max_size=4)))
            if all(p.move for p in tempo):
                tempo = (*tempo, TempoPhase("Hold", 2.0))
        else:
            pace = tuple(draw(st.lists(phases(moves=False), max_size=3)))
        if draw(st.booleans()):
            progression = Progression(reps=draw(ranges(COUNTS)))
    dose = Dose(
        hold=hold,
        reps=reps,
        sets=sets,
        rest=rest,
        relax=relax,
        tempo=tempo,
        progression=progression,
        move_in=move_in,
        pace=pace,
    )
    parts = sorted(dose.parts(), key=list(DosePart).index)
    suggested = frozenset(draw(st.lists(st.sampled_from(parts), unique=True)))
    return Dose(**{**dose.__dict__, "suggested_parts": suggested})


@st.composite
def exercises(draw: st.DrawFn) -> Exercise:
    sides = draw(st.sampled_from(EXERCISE_SIDES))
    meanings = SideMeanings()
    if sides is not Sides.NONE and draw(st.booleans()):
        both = draw(st.none() | TEXT) if sides is Sides.LEFT_RIGHT_BOTH else None
        meanings = SideMeanings(draw(TEXT), draw(TEXT), both)
    short = draw(st.none() | TEXT.filter(lambda s: len(s) <= MAX_SHORT_NAME))
    return Exercise(
        id=draw(IDS),
        name=draw(TEXT),
        category=draw(st.sampled_from(Category)),
        position=draw(TEXT),
        source=draw(TEXT),
        sides=sides,
        dose=draw(doses()),
        steps=tuple(draw(st.lists(TEXT, min_size=1, max_size=6))),
        equipment=tuple(draw(st.lists(TEXT, max_size=3))),
        alternate=sides is Sides.EACH and draw(st.booleans()),
        cues=Cues(draw(st.none() | TEXT), draw(st.none() | TEXT)),
        cautions=tuple(draw(st.lists(TEXT, max_size=3))),
        side_word=draw(st.sampled_from(SIDE_WORDS)),
        posture=draw(st.none() | st.sampled_from(Posture)),
        first_side=Side.RIGHT if sides is not Sides.NONE and draw(st.booleans()) else Side.LEFT,
        side_meanings=meanings,
        lead_in=draw(st.none() | SECONDS),
        switch=draw(st.none() | SECONDS) if sides is not Sides.NONE else None,
        short_name=short,
        figure=draw(st.none() | st.sampled_from(sorted(bundled_figures()))),
    )


@settings(
    max_examples=300,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(exercises())
def test_any_valid_exercise_round_trips(exercise: Exercise) -> None:
    assert load_back(exercise_yaml(exercise)) == exercise


def test_an_edited_file_is_written_in_place_whatever_its_name(tmp_path: Path) -> None:
    hand_named = tmp_path / "hip.yml"
    hand_named.write_text(exercise_yaml(plain_exercise()), encoding="utf-8")
    path = save_exercise(plain_exercise(name="Changed"), tmp_path, replacing=hand_named)
    assert path == hand_named
    assert [p.name for p in tmp_path.iterdir()] == ["hip.yml"]
    elsewhere = tmp_path / "other" / "hip.yaml"
    assert save_exercise(plain_exercise(), tmp_path, replacing=elsewhere) == (
        tmp_path / "my-stretch.yaml"
    )
