"""The bundled library carries the guides' facts (exercise-facts.md), and loads clean.

The table below is written from the facts file by hand, not from the YAML: a
change to a dose in content/ must be a change here too, on purpose.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import pytest

from si_timer import assets
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.loader import load_text
from si_timer.library.model import (
    MAX_SHORT_NAME,
    Category,
    DosePart,
    Exercise,
    Posture,
    Range,
    Side,
    Sides,
)
from si_timer.library.safety import load_safety

MAX_STEPS = 5
MAX_STEP_CHARS = 90


@dataclass(frozen=True)
class Fact:
    """One exercise's dose as the guides give it. ``None``: the dose has none."""

    category: Category
    sides: Sides
    source: str
    hold: tuple[float, float] | None = None
    reps: tuple[int, int] | None = None  # holds (or paced reps) per side per set
    sets: int = 1
    rest: tuple[float, float] | None = None
    tempo: tuple[float, ...] = ()  # the counted phases' seconds, in order (not the moves)
    progression_hold: tuple[float, float] | None = None
    alternate: bool = False
    suggested: frozenset[DosePart] = frozenset()  # the parts that are si-timer's, not the guide's


S, ST, R, Y = Category.STRETCH, Category.STRENGTH, Category.ROTATION, Category.YOGA
NONE, EACH, LRB = Sides.NONE, Sides.EACH, Sides.LEFT_RIGHT_BOTH
P = DosePart

FACTS: dict[str, Fact] = {
    # Source A: the morning five
    "knee-to-chest": Fact(S, LRB, "a", hold=(20, 20), reps=(1, 1)),
    "figure-4": Fact(S, EACH, "a", hold=(15, 15), reps=(1, 1)),
    # Two 2 s positions; the guide gives no count, so 10 cycles (and the time to move
    # between them) are the project's own.
    "cat-cow": Fact(
        S, NONE, "a", reps=(10, 10), tempo=(2, 2), suggested=frozenset({P.REPS, P.MOVES})
    ),
    "hip-flexor-lunge": Fact(S, EACH, "a", hold=(20, 20), reps=(1, 1)),
    "doorway-hamstring": Fact(S, EACH, "a", hold=(20, 60), reps=(1, 1)),
    # Source A: strengthening
    # The guide gives no tempo for self-paced reps: the pace of the count is ours.
    "kettlebell-lateral-swing": Fact(ST, EACH, "a", reps=(10, 10), suggested=frozenset({P.PACE})),
    "glute-bridge": Fact(
        ST,
        NONE,
        "a",
        hold=(5, 10),
        reps=(1, 1),
        sets=3,
        rest=(60, 90),
        suggested=frozenset({P.MOVES}),  # the lift before the count
    ),
    "side-lying-leg-raise": Fact(ST, EACH, "a", reps=(15, 20), suggested=frozenset({P.PACE})),
    "pelvic-tilt": Fact(ST, NONE, "a", reps=(15, 20), tempo=(3, 2)),
    "wall-sit": Fact(ST, NONE, "a", hold=(30, 60), reps=(1, 1)),
    # Source B: targeted muscle stretches
    "seated-hamstring": Fact(S, EACH, "b", hold=(15, 30), reps=(5, 5), alternate=True),
    "standing-quad": Fact(S, EACH, "b", hold=(15, 30), reps=(2, 2), alternate=True),
    "hip-adductor": Fact(S, NONE, "b", hold=(5, 10), reps=(1, 1), progression_hold=(15, 30)),
    "press-up": Fact(S, NONE, "b", hold=(5, 5), reps=(5, 10), progression_hold=(15, 30)),
    "knee-to-chest-isometric": Fact(S, EACH, "b", hold=(5, 5), reps=(5, 10)),
    # Source B: pelvic rotation stretches
    "lower-trunk-rotation": Fact(R, EACH, "b", hold=(5, 10), reps=(1, 1)),
    # The change between the two pushes and the rest between reps are the project's own.
    "pelvic-rotation": Fact(
        R, EACH, "b", reps=(3, 3), tempo=(5, 5), suggested=frozenset({P.RELAX, P.MOVES})
    ),
}

# Source A names these poses without doses: any hold is the project's suggestion.
YOGA_POSES = (
    "child-pose",
    "pigeon-pose",
    "bridge-pose",
    "boat-pose",
    "chair-pose",
    "downward-dog",
    "upward-dog",
    "triangle-pose",
)

MORNING = ["knee-to-chest", "figure-4", "cat-cow", "hip-flexor-lunge", "doorway-hamstring"]
CORE_STRENGTH = {
    "kettlebell-lateral-swing",
    "glute-bridge",
    "side-lying-leg-raise",
    "pelvic-tilt",
    "wall-sit",
}
TARGETED = {
    "seated-hamstring",
    "standing-quad",
    "hip-adductor",
    "press-up",
    "knee-to-chest-isometric",
}
PELVIC_ROTATION = {"lower-trunk-rotation", "pelvic-rotation"}
KETTLEBELL = "kettlebell-lateral-swing"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _files(sub: str) -> list[Traversable]:
    folder = assets.content_root() / sub
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def _as_tuple(value: Range | None) -> tuple[float, float] | None:
    return None if value is None else (value.min, value.max)


# --- it loads ------------------------------------------------------------------


def test_every_bundled_file_loads_and_validates_with_no_problems() -> None:
    root = assets.content_root()
    results = [load_text((root / "sources.yaml").read_bytes(), "sources.yaml", kind="sources")]
    for sub, kind in (("exercises", "exercise"), ("routines", "routine")):
        files = _files(sub)
        assert files, f"no bundled {sub}"
        results += [load_text(f.read_bytes(), f"{sub}/{f.name}", kind=kind) for f in files]
    problems = [str(e) for r in results for e in r.errors]
    assert problems == []
    catalog = load_catalog()
    assert [str(e) for e in catalog.errors] == []
    assert catalog.notices == []
    assert len(catalog.exercises) == len(_files("exercises"))
    assert len(catalog.routines) == len(_files("routines"))


@pytest.mark.parametrize("sub", ["exercises", "routines"])
def test_each_file_name_is_its_id(sub: str) -> None:
    kind = sub[:-1]
    for f in _files(sub):
        result = load_text(f.read_bytes(), f.name, kind=kind)
        item = result.exercise or result.routine
        assert item is not None, f.name
        assert f.name == f"{item.id}.yaml"


def test_every_exercise_names_a_bundled_source(catalog: Catalog) -> None:
    assert {
        ex.id: ex.source for ex in catalog.exercises.values() if ex.source not in catalog.sources
    } == {}


def test_sources_are_the_two_guides(catalog: Catalog) -> None:
    a, b = catalog.sources["a"], catalog.sources["b"]
    assert a.title == "11 Sacroiliac Joint Pain Exercises for Relief and Strengthening"
    assert (a.kind, a.year) == ("wellness blog article", 2025)
    assert "spine-health" in b.kind


# --- the facts ------------------------------------------------------------------


def test_every_exercise_of_the_facts_file_is_there(catalog: Catalog) -> None:
    missing = (set(FACTS) | set(YOGA_POSES)) - set(catalog.exercises)
    assert missing == set()


def test_there_is_no_exercise_the_facts_do_not_give(catalog: Catalog) -> None:
    assert set(catalog.exercises) - set(FACTS) - set(YOGA_POSES) == set()


@pytest.mark.parametrize("exercise_id", sorted(FACTS))
def test_dose_sides_and_source_match_the_facts(catalog: Catalog, exercise_id: str) -> None:
    fact = FACTS[exercise_id]
    ex = catalog.exercise(exercise_id)
    dose = ex.dose
    progression_hold = dose.progression.hold if dose.progression else None
    actual = Fact(
        category=ex.category,
        sides=ex.sides,
        source=ex.source,
        hold=_as_tuple(dose.hold),
        reps=None if dose.reps is None else (int(dose.reps.min), int(dose.reps.max)),
        sets=dose.sets,
        rest=_as_tuple(dose.rest),
        tempo=tuple(p.seconds for p in dose.tempo if not p.move),
        progression_hold=_as_tuple(progression_hold),
        alternate=ex.alternate,
        suggested=dose.suggested_parts,
    )
    assert actual == fact


@pytest.mark.parametrize("exercise_id", YOGA_POSES)
def test_yoga_poses_are_marked_as_suggestions_with_a_caution(
    catalog: Catalog, exercise_id: str
) -> None:
    ex = catalog.exercise(exercise_id)
    assert ex.category is Category.YOGA
    assert ex.source == "a"
    assert ex.dose.suggested_parts == ex.dose.parts()  # all of the dose is ours
    assert "all of it is si-timer's suggestion" in ex.dose.suggestion_note
    assert any("health professional" in c for c in ex.cautions), ex.cautions


def test_only_yoga_and_the_timed_moves_carry_suggestions(catalog: Catalog) -> None:
    suggested = {ex.id for ex in catalog.exercises.values() if ex.dose.suggested}
    counted = {"side-lying-leg-raise", "kettlebell-lateral-swing"}  # the pace of the count
    assert suggested == set(YOGA_POSES) | {"cat-cow", "glute-bridge", "pelvic-rotation"} | counted


def test_the_cat_cow_note_says_the_count_is_the_guide_s_and_the_cycles_are_ours(
    catalog: Catalog,
) -> None:
    assert catalog.exercise("cat-cow").dose.suggestion_note == (
        "The number of reps and the time to move are si-timer's suggestion; "
        "everything else is the guide's."
    )


def test_cat_cow_moves_then_holds_each_shape(catalog: Catalog) -> None:
    tempo = catalog.exercise("cat-cow").dose.tempo
    assert [p.move for p in tempo] == [True, False, True, False]


def test_the_glute_bridge_lifts_before_its_count(catalog: Catalog) -> None:
    move_in = catalog.exercise("glute-bridge").dose.move_in
    assert move_in is not None
    assert move_in.move
    assert move_in.seconds >= 2


# --- positions and sides ----------------------------------------------------------

# Where the body is, which side comes first as the guides give it (None: the guide does
# not say), and the exercise's own side-change time (None: the routine's).
POSITIONS: dict[str, tuple[Posture, Side | None, float | None]] = {
    "knee-to-chest": (Posture.BACK, Side.LEFT, None),  # "bend your left leg"
    "figure-4": (Posture.BACK, Side.LEFT, 8),  # "cross your left leg over your right"
    "cat-cow": (Posture.ALL_FOURS, None, None),
    "hip-flexor-lunge": (Posture.STANDING, Side.LEFT, 8),  # "the left leg behind"
    "doorway-hamstring": (Posture.DOORWAY, Side.LEFT, 15),  # "left leg against the doorframe"
    "kettlebell-lateral-swing": (Posture.STANDING, Side.RIGHT, 8),  # "outside your right foot"
    "glute-bridge": (Posture.BACK, None, None),
    "side-lying-leg-raise": (Posture.SIDE, Side.RIGHT, 8),  # "lie on your left side"
    "pelvic-tilt": (Posture.BACK, None, None),
    "wall-sit": (Posture.WALL, None, None),
    "seated-hamstring": (Posture.CHAIR, None, 10),
    "standing-quad": (Posture.STANDING, Side.RIGHT, 8),  # "pull the right leg up"
    "hip-adductor": (Posture.SITTING, None, None),
    "press-up": (Posture.FRONT, None, None),
    "knee-to-chest-isometric": (Posture.BACK, None, None),
    "lower-trunk-rotation": (Posture.BACK, None, None),
    "pelvic-rotation": (Posture.BACK, None, None),
}
MAX_SIDE_NOTE_CHARS = 60


@pytest.mark.parametrize("exercise_id", sorted(POSITIONS))
def test_position_first_side_and_switch_time(catalog: Catalog, exercise_id: str) -> None:
    posture, first, switch = POSITIONS[exercise_id]
    ex = catalog.exercise(exercise_id)
    assert ex.posture is posture
    if first is not None:
        assert ex.first_side is first
    assert ex.switch == switch


def test_every_exercise_has_a_short_name_for_the_mat(catalog: Catalog) -> None:
    """The player shows it in type read from 2.5 m: every bundled one is short and unique."""
    shorts = [ex.short_name for ex in catalog.exercises.values() if ex.origin and ex.origin.bundled]
    assert None not in shorts
    assert len(set(shorts)) == len(shorts)
    assert all(s is not None and len(s) <= MAX_SHORT_NAME for s in shorts)


def test_every_exercise_names_its_position(catalog: Catalog) -> None:
    assert {ex.id for ex in catalog.exercises.values() if ex.posture is None} == set()


def test_every_side_says_what_it_means_in_a_few_words(catalog: Catalog) -> None:
    for ex in _exercises(catalog):
        meanings = ex.side_meanings
        if ex.sides is Sides.NONE:
            assert (meanings.left, meanings.right, meanings.both) == (None, None, None), ex.id
            continue
        wanted = ex.side_order()
        notes = [meanings.of(side) for side in wanted]
        assert all(notes), (ex.id, notes)
        assert all(len(n or "") <= MAX_SIDE_NOTE_CHARS for n in notes), (ex.id, notes)


def test_the_sides_the_guides_describe(catalog: Catalog) -> None:
    def first(exercise_id: str) -> str | None:
        ex = catalog.exercise(exercise_id)
        return ex.side_meanings.of(ex.side_order()[0])

    assert first("figure-4") == "Left ankle over the right knee"
    assert first("side-lying-leg-raise") == "Lie on your left side, lift your right leg"
    assert first("hip-flexor-lunge") == "Left leg back, right foot forward"
    assert first("kettlebell-lateral-swing") == "Kettlebell by your right foot, left hand takes it"
    assert catalog.exercise("knee-to-chest").side_order() == (Side.LEFT, Side.RIGHT, Side.BOTH)


# --- safety -------------------------------------------------------------------------


def _mentions_pain(text: str) -> bool:
    lowered = text.lower().replace("si pain", "")
    return "pain" in lowered or "hurt" in lowered


def test_one_wording_for_pain_across_the_library(catalog: Catalog) -> None:
    rule = load_safety().pain_rule
    assert rule == "A stretch or tightness is fine; pain means ease off or stop."
    other = {(ex.id, c) for ex in _exercises(catalog) for c in ex.cautions if _mentions_pain(c)} - {
        (ex.id, rule) for ex in _exercises(catalog)
    }
    assert other == set()
    assert {ex.id for ex in _exercises(catalog) if rule not in ex.cautions} == set()
    assert not [c for ex in _exercises(catalog) for c in ex.cautions if "sharp" in c.lower()]
    assert [p for p in load_safety().principles if _mentions_pain(p)] == [
        f"{rule} Breathe into tightness."
    ]


def test_the_guides_tips_are_there_with_their_source(catalog: Catalog) -> None:
    tips = load_safety().tips
    text = " ".join(t.text for t in tips).lower()
    for words in ("cold", "first two days", "pillow between your knees", "stomach", "walks"):
        assert words in text
    assert {t.source for t in tips} <= set(catalog.sources)
    assert all(t.title and len(t.text) < 250 for t in tips)


def test_pelvic_rotation_warns_it_is_not_for_everyone(catalog: Catalog) -> None:
    cautions = " ".join(catalog.exercise("pelvic-rotation").cautions).lower()
    assert "doesn't suit everyone" in cautions or "not recommended" in cautions
    assert "physio" in cautions or "doctor" in cautions


def test_equipment_the_guides_name(catalog: Catalog) -> None:
    assert "kettlebell" in catalog.exercise("kettlebell-lateral-swing").equipment
    assert catalog.exercise("seated-hamstring").equipment.count("chair") == 2


# --- house style of the text ---------------------------------------------------------


def _exercises(catalog: Catalog) -> list[Exercise]:
    return sorted(catalog.exercises.values(), key=lambda e: e.id)


def test_every_exercise_has_one_to_five_short_steps(catalog: Catalog) -> None:
    too_many = {
        ex.id: len(ex.steps) for ex in _exercises(catalog) if not 1 <= len(ex.steps) <= MAX_STEPS
    }
    too_long = {
        (ex.id, step): len(step)
        for ex in _exercises(catalog)
        for step in ex.steps
        if len(step) > MAX_STEP_CHARS
    }
    assert too_many == {}
    assert too_long == {}


# --- routines ----------------------------------------------------------------------


def _ids(catalog: Catalog, routine_id: str) -> list[str]:
    return [entry.exercise for entry in catalog.routine(routine_id).entries]


def test_morning_is_the_five_source_a_stretches_in_order(catalog: Catalog) -> None:
    assert _ids(catalog, "morning") == MORNING
    # "do them at least twice a day"
    assert catalog.routine("morning").times_per_day == 2


def test_core_strength_leaves_the_intermediate_kettlebell_out(catalog: Catalog) -> None:
    assert sorted(_ids(catalog, "core-strength")) == sorted(CORE_STRENGTH - {KETTLEBELL})


def test_the_kettlebell_is_its_own_intermediate_routine(catalog: Catalog) -> None:
    ids = _ids(catalog, "core-strength-kettlebell")
    assert sorted(ids) == sorted(CORE_STRENGTH)
    assert ids[-1] == KETTLEBELL
    assert "(intermediate)" in catalog.routine("core-strength-kettlebell").name
    other = [r.id for r in catalog.routines.values() if KETTLEBELL in _ids(catalog, r.id)]
    assert other == ["core-strength-kettlebell"]


def test_targeted_stretches_are_the_five_source_b_stretches(catalog: Catalog) -> None:
    assert sorted(_ids(catalog, "targeted-stretches")) == sorted(TARGETED)


def test_pelvic_rotation_is_the_two_rotation_stretches(catalog: Catalog) -> None:
    assert sorted(_ids(catalog, "pelvic-rotation")) == sorted(PELVIC_ROTATION)


def test_full_is_morning_core_and_targeted_each_once(catalog: Catalog) -> None:
    ids = _ids(catalog, "full")
    assert sorted(ids) == sorted((set(MORNING) | CORE_STRENGTH | TARGETED) - {KETTLEBELL})


def _floor(catalog: Catalog, routine_id: str) -> list[bool]:
    return [
        (catalog.exercise(i).posture or Posture.BACK).on_floor for i in _ids(catalog, routine_id)
    ]


def _changes(values: list[bool]) -> int:
    return sum(a != b for a, b in itertools.pairwise(values))


def test_the_full_session_does_all_its_floor_work_in_one_block(catalog: Catalog) -> None:
    floor = _floor(catalog, "full")
    assert floor[0]
    assert _changes(floor) == 1
    assert "doorway" in catalog.routine("full").before_you_start


def test_every_routine_with_the_doorway_says_so_up_front(catalog: Catalog) -> None:
    for routine in catalog.routines.values():
        if "doorway-hamstring" in _ids(catalog, routine.id):
            assert "doorway" in routine.before_you_start, routine.id


def test_the_flare_up_routine_never_leaves_the_back(catalog: Catalog) -> None:
    postures = {catalog.exercise(i).posture for i in _ids(catalog, "flare-up")}
    assert postures == {Posture.BACK}
    assert len(_ids(catalog, "flare-up")) >= 3


def test_the_evening_routine_gets_down_once_and_has_a_tip_for_the_night(
    catalog: Catalog,
) -> None:
    assert sorted(_ids(catalog, "evening")) == sorted(MORNING)
    floor = _floor(catalog, "evening")
    assert not floor[0]
    assert _changes(floor) == 1
    assert "pillow" in catalog.routine("evening").after_you_finish


def test_equipment_comes_from_the_exercises(catalog: Catalog) -> None:
    assert catalog.routine("full").equipment(catalog.exercises) == (
        "mat",
        "doorway",
        "wall",
        "2 chairs",
    )
    assert catalog.routine("flare-up").equipment(catalog.exercises) == ("mat",)
    assert "kettlebell" in catalog.routine("core-strength-kettlebell").equipment(catalog.exercises)


def test_every_routine_of_the_issue_survives_the_cross_file_checks(catalog: Catalog) -> None:
    # check_routines drops a routine with an unknown exercise or an override
    # outside an exercise's range, so each must still be here.
    assert set(catalog.routines) >= {
        "morning",
        "core-strength",
        "targeted-stretches",
        "pelvic-rotation",
        "full",
        "evening",
        "flare-up",
        "core-strength-kettlebell",
    }
