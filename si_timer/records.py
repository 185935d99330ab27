"""Typed value records: what ``dataclasses`` gives this app, without its start-up cost.

``@record`` makes the same classes ``@dataclass`` does for the options this app
uses (``frozen``, ``order``, ``slots``; fields with ``default``,
``default_factory``, ``compare``, ``repr``, ``init``): the same ``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ordering, frozen ``__setattr__`` and
``__delattr__``, ``__post_init__`` call, ``__match_args__`` and pickling.

Why not ``dataclasses``: it ``exec``s generated source for every class (about
0.4 ms each, some fifty classes on the way to a session's first countdown), and
importing it pulls in ``inspect``, ``ast`` and ``dis`` (7-9 ms) for the command
line, where PySide has not loaded them already.  Together that was 20-30 ms of
CPU before the first paint.  Here the methods are closures over the field names, built once per
class, and ``typing.dataclass_transform`` tells type checkers these classes
behave as dataclasses do.

The helpers :func:`replace`, :func:`fields` and :func:`asdict` work as their
``dataclasses`` namesakes do, on records.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar, Final, TypeVar, dataclass_transform, overload

__all__ = [
    "MISSING",
    "Field",
    "FrozenInstanceError",
    "asdict",
    "field",
    "fields",
    "record",
    "replace",
]

_T = TypeVar("_T")


class _Missing:
    """The marker for "no default" (``dataclasses.MISSING``'s counterpart)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


class FrozenInstanceError(AttributeError):
    """Raised on assigning to, or deleting, a field of a frozen record."""


class Field:
    """One field of a record: its name, annotation and options."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr", "type")

    def __init__(
        self,
        default: object = MISSING,
        default_factory: Callable[[], object] | _Missing = MISSING,
        *,
        compare: bool = True,
        repr: bool = True,
        init: bool = True,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type: object = None  # the annotation as written (a string here)
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr
        self.init = init

    def __repr__(self) -> str:
        return (
            f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r}, "
            f"default_factory={self.default_factory!r}, compare={self.compare}, "
            f"repr={self.repr}, init={self.init})"
        )


@overload
def field(*, default: _T, compare: bool = ..., repr: bool = ..., init: bool = ...) -> _T: ...


@overload
def field(
    *, default_factory: Callable[[], _T], compare: bool = ..., repr: bool = ..., init: bool = ...
) -> _T: ...


@overload
def field(*, compare: bool = ..., repr: bool = ..., init: bool = ...) -> Any: ...


def field(
    *,
    default: object = MISSING,
    default_factory: Callable[[], object] | _Missing = MISSING,
    compare: bool = True,
    repr: bool = True,
    init: bool = True,
) -> Any:
    """A field with options, as ``dataclasses.field``: ``default`` or a
    ``default_factory`` called once per record, and whether the field takes part
    in comparison and hashing (``compare``), the repr, and ``__init__``."""
    return Field(default, default_factory, compare=compare, repr=repr, init=init)


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(
    *, frozen: bool = False, order: bool = False, slots: bool = False
) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def record(
    cls: type[_T] | None = None,
    /,
    *,
    frozen: bool = False,
    order: bool = False,
    slots: bool = False,
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """Make ``cls`` a record of its annotated fields (``@dataclass``'s counterpart)."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _build(cls, frozen=frozen, order=order, slots=slots)

    return wrap if cls is None else wrap(cls)


def fields(obj: object) -> tuple[Field, ...]:
    """The fields of a record or record class, in order (``init=False`` ones too)."""
    found: dict[str, Field] | None = getattr(obj, "__record_fields__", None)
    if found is None:
        raise TypeError("must be called with a record type or instance")
    return tuple(found.values())


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record ``obj`` with ``changes`` made, through its ``__init__``
    (so ``__post_init__`` checks the new values)."""
    for spec in fields(obj):
        if not spec.init:
            if spec.name in changes:
                raise ValueError(f"field {spec.name} is init=False: replace() cannot set it")
            continue
        if spec.name not in changes:
            changes[spec.name] = getattr(obj, spec.name)
    return obj.__class__(**changes)


def asdict(obj: object) -> dict[str, Any]:
    """The record ``obj`` as a dict of its fields, records inside turned into dicts
    too, and lists, tuples and dicts copied (``dataclasses.asdict``'s rules)."""
    if not hasattr(type(obj), "__record_fields__") or isinstance(obj, type):
        raise TypeError("asdict() should be called on record instances")

    def inner(value: Any) -> Any:
        if hasattr(type(value), "__record_fields__"):
            return {spec.name: inner(getattr(value, spec.name)) for spec in fields(value)}
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            return type(value)(*[inner(v) for v in value])
        if isinstance(value, list | tuple):
            return type(value)(inner(v) for v in value)
        if isinstance(value, dict):
            return type(value)((inner(k), inner(v)) for k, v in value.items())
        if type(value) in _ATOMIC:
            return value  # what deepcopy would give, without importing copy
        import copy

        return copy.deepcopy(value)

    result: dict[str, Any] = inner(obj)
    return result


_ATOMIC = frozenset({type(None), bool, int, float, complex, str, bytes, range})


def _is_classvar(annotation: object) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _collect(cls: type) -> dict[str, Field]:
    """The fields of ``cls``: its bases' first, then its own annotations, in order."""
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        found.update(base.__dict__.get("__record_fields__", {}))
    # Not inspect.get_annotations: importing inspect is what this module avoids.
    own: dict[str, object] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    for name, annotation in own.items():
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        spec.name = name
        spec.type = annotation
        if spec.default is not MISSING and type(spec.default).__hash__ is None:
            raise ValueError(
                f"mutable default {type(spec.default)} for field {name} is not allowed: "
                "use default_factory"
            )
        if isinstance(value, Field):
            # As dataclasses: the class attribute is the plain default, or none.
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        found[name] = spec
    return found


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving an object's values of ``names`` as a tuple."""
    if not names:
        return lambda _obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    many: Callable[[Any], tuple[Any, ...]] = attrgetter(*names)
    return many


def _set(cls: type, name: str, value: Any) -> None:
    """Add ``value`` as ``cls.name`` unless the class body defines it already."""
    if name in cls.__dict__:
        return
    if callable(value) and hasattr(value, "__qualname__"):
        value.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, value)


def _slotted(cls: type, names: list[str]) -> type:
    """``cls`` made again with ``__slots__`` for its fields (as dataclasses' slots=True)."""
    body = dict(cls.__dict__)
    inherited = {s for base in cls.__mro__[1:-1] for s in base.__dict__.get("__slots__", ())}
    body["__slots__"] = tuple(n for n in names if n not in inherited)
    for name in names:
        body.pop(name, None)  # a default would clash with the slot
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    made: type = type(cls)(cls.__name__, cls.__bases__, body)
    made.__qualname__ = cls.__qualname__
    return made


def _build(cls: type[_T], *, frozen: bool, order: bool, slots: bool) -> type[_T]:
    specs = _collect(cls)
    for base in cls.__mro__[1:]:
        if "__record_fields__" in base.__dict__ and base.__dict__["__record_frozen__"] != frozen:
            raise TypeError(f"cannot mix frozen and non-frozen records ({cls.__name__})")
    if slots:
        if "__slots__" in cls.__dict__:
            raise TypeError(f"{cls.__name__} already specifies __slots__")
        cls = _slotted(cls, list(specs))
    cls.__record_fields__ = specs  # type: ignore[attr-defined]
    cls.__record_frozen__ = frozen  # type: ignore[attr-defined]
    qualname = cls.__qualname__

    _set(cls, "__init__", _make_init(cls, specs, frozen=frozen, slots=slots))
    repr_names = tuple(s.name for s in specs.values() if s.repr)
    _set(cls, "__repr__", _make_repr(repr_names))

    key = _key(tuple(s.name for s in specs.values() if s.compare))

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    _set(cls, "__eq__", __eq__)

    class_hash = cls.__dict__.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in cls.__dict__))
    if not explicit_hash:
        if frozen:

            def __hash__(self: Any) -> int:
                return hash(key(self))

            __hash__.__qualname__ = f"{qualname}.__hash__"
            setattr(cls, "__hash__", __hash__)  # noqa: B010
        else:
            setattr(cls, "__hash__", None)  # noqa: B010

    if order:
        for name, compare in _ORDERINGS.items():
            if name in cls.__dict__:
                raise TypeError(
                    f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                    "Consider using functools.total_ordering"
                )
            setattr(cls, name, _make_order(key, compare, f"{qualname}.{name}"))

    if frozen:
        _add_frozen(cls, frozenset(specs))
        if slots:
            names = tuple(specs)
            _set(cls, "__getstate__", lambda self: [getattr(self, n) for n in names])

            def __setstate__(self: Any, state: list[Any]) -> None:
                for name, value in zip(names, state, strict=True):
                    object.__setattr__(self, name, value)

            _set(cls, "__setstate__", __setstate__)

    _set(cls, "__match_args__", tuple(s.name for s in specs.values() if s.init))
    return cls


def _make_init(cls: type, specs: dict[str, Field], *, frozen: bool, slots: bool) -> Any:
    qualname = cls.__qualname__
    taken = [s for s in specs.values() if s.init]
    names = tuple(s.name for s in taken)
    known = frozenset(names)
    count = len(names)
    seen_default = False
    for spec in taken:
        has_default = spec.default is not MISSING or spec.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
        seen_default = seen_default or has_default
    # (name, its position among the arguments or -1, default, factory), in field order
    plan = tuple(
        (s.name, names.index(s.name) if s.init else -1, s.default, s.default_factory)
        for s in specs.values()
        if s.init or s.default is not MISSING or s.default_factory is not MISSING
    )
    plain = all(s.init and s.default_factory is MISSING for s in specs.values())
    post_init = hasattr(cls, "__post_init__")
    # Values go straight into the instance dict when nothing could see the
    # difference: a frozen record (dataclasses uses object.__setattr__) whose
    # fields are not data descriptors on the class.
    direct = (
        frozen
        and not slots
        and not any(hasattr(type(cls.__dict__.get(n)), "__set__") for n in specs)
    )
    setter: Callable[[Any, str, Any], None] = object.__setattr__ if frozen else setattr

    def values_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        given = len(args)
        if given > count:
            raise TypeError(
                f"{qualname}.__init__() takes {count + 1} positional arguments "
                f"but {given + 1} were given"
            )
        for name in kwargs:
            if name not in known:
                raise TypeError(
                    f"{qualname}.__init__() got an unexpected keyword argument {name!r}"
                )
            if names.index(name) < given:
                raise TypeError(f"{qualname}.__init__() got multiple values for argument {name!r}")
        values: dict[str, Any] = {}
        missing: list[str] = []
        for name, position, default, factory in plan:
            if 0 <= position < given:
                values[name] = args[position]
            elif position >= 0 and name in kwargs:
                values[name] = kwargs[name]
            elif factory is not MISSING:
                values[name] = factory()  # type: ignore[operator]
            elif default is not MISSING:
                values[name] = default
            else:
                missing.append(name)
        if missing:
            listed = ", ".join(repr(n) for n in missing)
            raise TypeError(f"{qualname}.__init__() missing required arguments: {listed}")
        return values

    if direct:

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            # The two common calls, every field given in order, skip the general path.
            if plain and not kwargs and len(args) == count:
                self.__dict__.update(zip(names, args, strict=True))
            elif plain and not args and tuple(kwargs) == names:
                self.__dict__.update(kwargs)
            else:
                self.__dict__.update(values_of(args, kwargs))
            if post_init:
                self.__post_init__()

    else:

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            for name, value in values_of(args, kwargs).items():
                setter(self, name, value)
            if post_init:
                self.__post_init__()

    return __init__


_repr_running: set[int] = set()


def _make_repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        mark = id(self)
        if mark in _repr_running:
            return "..."
        _repr_running.add(mark)
        try:
            shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        finally:
            _repr_running.discard(mark)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


_ORDERINGS: dict[str, Callable[[tuple[Any, ...], tuple[Any, ...]], bool]] = {
    "__lt__": lambda a, b: a < b,
    "__le__": lambda a, b: a <= b,
    "__gt__": lambda a, b: a > b,
    "__ge__": lambda a, b: a >= b,
}


def _make_order(
    key: Callable[[Any], tuple[Any, ...]],
    compare: Callable[[tuple[Any, ...], tuple[Any, ...]], bool],
    qualname: str,
) -> Callable[[Any, Any], Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compare(key(self), key(other))
        return NotImplemented

    method.__qualname__ = qualname
    return method


def _add_frozen(cls: type, names: frozenset[str]) -> None:
    owner: Any = cls  # (mypy reads super(cls, ...) inside a closure as not a type)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    for name, method in (("__setattr__", __setattr__), ("__delattr__", __delattr__)):
        if name in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
