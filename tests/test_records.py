"""``@record`` behaves as ``@dataclass`` does, for everything the app relies on.

Where it can, each test builds the same class both ways and requires the same
answer from both, so ``dataclasses`` itself is the reference.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from si_timer.records import (
    MISSING,
    FrozenInstanceError,
    asdict,
    field,
    fields,
    record,
    replace,
)


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    label: str | None = field(default=None, compare=False)


@dataclasses.dataclass(frozen=True)
class RefPoint:
    x: int
    y: int = 0
    label: str | None = dataclasses.field(default=None, compare=False)


@record
class Bag:
    name: str
    items: list[int] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)


@record(frozen=True, order=True)
class Slot:
    hour: int
    name: str


@record(frozen=True)
class Checked:
    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")
        object.__setattr__(self, "low", int(self.low))


@record(frozen=True, slots=True)
class Slim:
    a: int
    b: tuple[int, ...] = ()


@record(frozen=True)
class Outer:
    point: Point
    points: tuple[Point, ...]
    named: dict[str, Point]


def test_equality_follows_the_compared_fields_only() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2, "a") == Point(1, 2, "b")  # compare=False
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != (1, 2)
    assert (Point(1, 2) == RefPoint(1, 2)) is False  # another class is never equal
    assert (RefPoint(1, 2, "a") == RefPoint(1, 2, "b")) is (Point(1, 2, "a") == Point(1, 2, "b"))


def test_equality_is_the_field_tuples_including_nan_identity() -> None:
    nan = float("nan")
    assert Point(nan) == Point(nan)  # type: ignore[arg-type]
    assert RefPoint(nan) == RefPoint(nan)  # type: ignore[arg-type]
    assert Point(float("nan")) != Point(float("nan"))  # type: ignore[arg-type]


def test_hash_is_the_hash_of_the_compared_fields_as_dataclasses_makes_it() -> None:
    for args in ((1,), (1, 2), (3, 4, "x")):
        assert hash(Point(*args)) == hash(RefPoint(*args))
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b"))
    assert len({Point(1, 2), Point(1, 2, "z"), Point(2, 2)}) == 2


def test_a_mutable_record_is_unhashable_like_a_plain_dataclass() -> None:
    assert Bag.__hash__ is None
    with pytest.raises(TypeError, match="unhashable"):
        hash(Bag("a"))


def test_a_class_that_defines_its_own_methods_keeps_them() -> None:
    @record(frozen=True)
    class Own:
        a: int

        def __repr__(self) -> str:
            return "mine"

        def __hash__(self) -> int:
            return 7

    assert repr(Own(1)) == "mine"
    assert hash(Own(1)) == 7
    assert Own(1) == Own(1)


def test_frozen_fields_refuse_assignment_and_deletion() -> None:
    point = Point(1, 2)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'y'"):
        del point.y  # type: ignore[misc]
    with pytest.raises(AttributeError):  # an AttributeError, as dataclasses raises
        point.other = 1  # type: ignore[attr-defined]
    assert point == Point(1, 2)


def test_a_mutable_record_takes_assignment() -> None:
    bag = Bag("a")
    bag.name = "b"
    assert bag == Bag("b")


def test_ordering_compares_field_tuples_within_one_class() -> None:
    slots = [Slot(9, "b"), Slot(7, "z"), Slot(9, "a")]
    assert sorted(slots) == [Slot(7, "z"), Slot(9, "a"), Slot(9, "b")]
    assert Slot(1, "a") <= Slot(1, "a") < Slot(1, "b")
    assert Slot(2, "a") >= Slot(1, "z") > Slot(1, "y")
    with pytest.raises(TypeError):
        _ = Slot(1, "a") < (1, "a")  # type: ignore[operator]


def test_order_refuses_a_class_with_its_own_comparison() -> None:
    with pytest.raises(TypeError, match="__lt__"):

        @record(frozen=True, order=True)
        class Clash:
            a: int

            def __lt__(self, other: object) -> bool:
                return False


def test_defaults_are_class_attributes_and_factories_are_called_per_record() -> None:
    first, second = Bag("a"), Bag("b")
    first.items.append(1)
    first.tags["x"] = 1
    assert second.items == []
    assert second.tags == {}
    assert first.items is not second.items
    assert Point.y == 0
    assert Point.label is None
    assert "items" not in Bag.__dict__  # as dataclasses: a factory leaves no attribute


def test_a_mutable_plain_default_is_refused() -> None:
    with pytest.raises(ValueError, match="mutable default"):

        @record
        class Bad:
            items: list[int] = []  # noqa: RUF012


def test_a_required_field_after_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b'"):

        @record
        class Bad:
            a: int = 0
            b: int  # type: ignore[misc]


def test_init_takes_positions_and_keywords_and_names_what_is_wrong() -> None:
    assert Point(1, 2, "l") == Point(x=1, label="l", y=2) == Point(1, label="l", y=2)
    assert Point(x=1).y == 0
    with pytest.raises(TypeError, match="missing required arguments: 'x'"):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(1, z=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        Point(1, x=2)  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 4 positional arguments but 5 were given"):
        Point(1, 2, "a", 4)  # type: ignore[call-arg]


def test_the_instance_dict_is_in_field_order_however_the_call_names_them() -> None:
    """As dataclasses' __init__ sets them: pickles and vars() come out the same."""
    for made in (Point(1, 2, "l"), Point(label="l", y=2, x=1), Point(1, label="l"), Point(x=1)):
        assert list(vars(made)) == ["x", "y", "label"]
    assert list(vars(Bag(items=[1], name="b"))) == ["name", "items", "tags"]


def test_init_false_fields_take_their_default_and_no_argument() -> None:
    @record
    class Counter:
        name: str
        count: int = field(default=0, init=False)
        seen: set[int] = field(default_factory=set, init=False)

    one = Counter("a")
    assert (one.count, one.seen) == (0, set())
    with pytest.raises(TypeError, match="unexpected keyword argument 'count'"):
        Counter("a", count=2)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="init=False"):
        replace(one, count=3)
    assert Counter.__match_args__ == ("name",)


def test_post_init_runs_after_the_fields_are_set_and_can_refuse() -> None:
    assert Checked(True, 3).low == 1  # type: ignore[arg-type]
    assert type(Checked(True, 3).low) is int  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="low above high"):
        Checked(5, 1)


def test_replace_makes_a_new_record_through_init() -> None:
    point = Point(1, 2, "a")
    moved = replace(point, y=5)
    assert moved == Point(1, 5)
    assert moved.label == "a"
    assert point.y == 2
    with pytest.raises(ValueError, match="low above high"):
        replace(Checked(1, 2), low=9)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        replace(point, nope=1)


def test_repr_matches_dataclasses() -> None:
    assert repr(Point(1, 2, "a")) == repr(RefPoint(1, 2, "a")).replace("RefPoint", "Point")
    assert repr(Bag("b", [1])) == "Bag(name='b', items=[1], tags={})"

    @record
    class Hidden:
        shown: int
        secret: str = field(default="x", repr=False)

    assert repr(Hidden(1)) == "test_repr_matches_dataclasses.<locals>.Hidden(shown=1)"


def test_repr_of_a_record_that_contains_itself_does_not_recurse() -> None:
    bag = Bag("loop")
    bag.items.append(bag)  # type: ignore[arg-type]
    assert repr(bag) == "Bag(name='loop', items=[...], tags={})"


@pytest.mark.parametrize(
    "value",
    [
        Point(1, 2, "a"),
        Bag("b", [1, 2], {"x": 3}),
        Slot(3, "s"),
        Checked(1, 2),
        Slim(4, (5,)),
        Outer(Point(1), (Point(2),), {"p": Point(3)}),
    ],
    ids=repr,
)
def test_records_pickle_and_copy_round_trip(value: object) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(value, protocol))
        assert back == value
        assert type(back) is type(value)
        assert repr(back) == repr(value)
    assert copy.deepcopy(value) == value
    assert copy.copy(value) == value


def test_the_compare_false_field_survives_pickling() -> None:
    back = pickle.loads(pickle.dumps(Point(1, 2, "kept")))
    assert back.label == "kept"


def test_slots_records_have_no_instance_dict() -> None:
    slim = Slim(1)
    assert not hasattr(slim, "__dict__")
    assert Slim.__slots__ == ("a", "b")
    assert slim == Slim(1)
    assert hash(slim) == hash(Slim(1))
    with pytest.raises(FrozenInstanceError):
        slim.a = 2  # type: ignore[misc]
    assert replace(slim, b=(1,)) == Slim(1, (1,))


def test_fields_lists_names_types_and_defaults_in_order() -> None:
    specs = fields(Point)
    assert [f.name for f in specs] == ["x", "y", "label"]
    assert [f.type for f in specs] == ["int", "int", "str | None"]
    assert [f.default for f in specs] == [MISSING, 0, None]
    assert [f.compare for f in specs] == [True, True, False]
    assert fields(Point(1)) == specs
    factory = {f.name: f.default_factory for f in fields(Bag)}
    assert factory == {"name": MISSING, "items": list, "tags": dict}
    with pytest.raises(TypeError):
        fields(RefPoint)


def test_asdict_matches_dataclasses_and_copies_containers() -> None:
    @dataclasses.dataclass(frozen=True)
    class RefOuter:
        point: RefPoint
        points: tuple[RefPoint, ...]
        named: dict[str, RefPoint]

    mine = asdict(Outer(Point(1), (Point(2, label="l"),), {"p": Point(3)}))
    reference = dataclasses.asdict(
        RefOuter(RefPoint(1), (RefPoint(2, label="l"),), {"p": RefPoint(3)})
    )
    assert mine == reference
    bag = Bag("b", [1])
    out = asdict(bag)
    out["items"].append(2)
    assert bag.items == [1]
    with pytest.raises(TypeError):
        asdict(Point)


def test_records_subclass_with_base_fields_first() -> None:
    @record(frozen=True)
    class Child(Point):
        z: int = 9

    assert [f.name for f in fields(Child)] == ["x", "y", "label", "z"]
    assert Child(1, 2, None, 3) != Point(1, 2)
    assert Child(1).z == 9
    with pytest.raises(TypeError, match="cannot mix frozen"):

        @record
        class Thawed(Point):
            w: int = 0


def test_importing_records_loads_neither_dataclasses_nor_inspect() -> None:
    code = (
        "import sys; import si_timer.records; "
        "print(sorted({'dataclasses', 'inspect', 'ast', 'dis'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_mypy_reads_records_as_dataclasses(tmp_path: Path) -> None:
    """dataclass_transform: mypy checks the generated __init__, frozen fields and
    field() defaults, so a wrong call is a type error, not a runtime surprise."""
    api = pytest.importorskip("mypy.api")
    source = tmp_path / "sample.py"
    source.write_text(
        textwrap.dedent(
            """
            from si_timer.records import field, record

            @record(frozen=True, order=True)
            class P:
                x: int
                tags: list[str] = field(default_factory=list)
                note: str | None = field(default=None, compare=False)

            ok = P(1, ["a"], note="n")
            reveal_type(ok.tags)
            P("one")
            P(1, wrong=2)
            ok.x = 2
            P(1) < P(2)
            """
        )
    )
    stdout, _, status = api.run(["--strict", "--no-incremental", str(source)])
    lines = [line for line in stdout.splitlines() if "sample.py" in line]
    assert status == 1, stdout
    revealed = [line for line in lines if "Revealed type is" in line]
    assert len(revealed) == 1
    assert revealed[0].endswith(('"list[str]"', '"builtins.list[builtins.str]"'))
    assert any('incompatible type "str"; expected "int"' in line for line in lines), stdout
    assert any('Unexpected keyword argument "wrong"' in line for line in lines), stdout
    assert any("read-only" in line for line in lines), stdout
    errors = [line for line in lines if ": error:" in line]
    assert len(errors) == 3, stdout  # the ordering line type-checks: order=True is understood
