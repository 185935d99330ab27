"""Reads the fields of one YAML mapping into checked values, collecting problems.

Each reader method returns the value, or None after recording one
:class:`LoadError` that names the file, the line and the field; the file loaders
in :mod:`si_timer.library.loader` build exercises and routines from these.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from si_timer.library.model import LoadError, Range
from si_timer.library.yamlread import Node, is_plain_key

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 40  # an id names its file: long enough for any name, short enough to read


def new_id(name: str, taken: Collection[str], fallback: str) -> str:
    """An id made from ``name``: lowercase ASCII words joined by dashes ("Hips & back,
    2x" → "hips-back-2x"; ``fallback`` when nothing is left), with "-2", "-3"... added
    until it is not in ``taken``, never longer than :data:`MAX_ID_LENGTH`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    base = base[:MAX_ID_LENGTH].rstrip("-") or fallback
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    return candidate


MAX_SECONDS = 3600.0  # an hour-long hold is a typo, not a dose
MAX_COUNT = 1000

T = TypeVar("T")


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close choice exists, else ``""``."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class FieldReader:
    """Collects problems while reading one file's fields."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[LoadError] = []

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(LoadError(self.file, line, field, message))

    def mapping(self, node: Node, field: str, allowed: Iterable[str]) -> dict[str, Node] | None:
        if not node.is_mapping:
            self.error(node.line, field, f"must be a mapping of keys, not {kind_of(node.value)}")
            return None
        allowed = tuple(allowed)
        items: dict[str, Node] = node.value
        for key, child in items.items():
            if key not in allowed and is_plain_key(key):
                where = f"{field}.{key}" if field else key
                self.error(child.line, where, f"unknown key{suggest(key, allowed)}")
            elif key not in allowed:  # "", "a:b", "a\nb" would garble FILE:LINE: field:
                self.error(child.line, field or "file", f"unknown key {key!r}")
        return items

    def required(
        self, items: dict[str, Node], key: str, parent: Node, prefix: str = ""
    ) -> Node | None:
        node = items.get(key)
        if node is None or node.value is None:
            self.error(parent.line, prefix + key, "is required")
            return None
        return node

    def text(
        self, node: Node | None, field: str, *, required_line: int | None = None
    ) -> str | None:
        if node is None or node.value is None:
            if required_line is not None:
                self.error(required_line, field, "is required")
            return None
        if not isinstance(node.value, str):
            self.error(node.line, field, f"must be text, not {kind_of(node.value)}")
            return None
        value = node.value.strip()
        if not value:
            self.error(node.line, field, "must not be empty")
            return None
        return value

    def ident(self, node: Node | None, field: str, parent_line: int) -> str | None:
        value = self.text(node, field, required_line=parent_line)
        if value is not None and not ID_PATTERN.match(value):
            assert node is not None
            self.error(node.line, field, f"'{value}' must be lowercase letters, digits and dashes")
            return None
        return value

    def choice(
        self, node: Node | None, field: str, enum: Callable[[str], T], allowed: Iterable[str]
    ) -> T | None:
        if node is None or node.value is None:
            return None
        allowed = tuple(allowed)
        if not isinstance(node.value, str) or node.value not in allowed:
            shown = node.value if isinstance(node.value, str) else kind_of(node.value)
            hint = suggest(node.value, allowed) if isinstance(node.value, str) else ""
            self.error(node.line, field, f"'{shown}' is not one of {', '.join(allowed)}{hint}")
            return None
        return enum(node.value)

    def boolean(self, node: Node | None, field: str) -> bool:
        if node is None or node.value is None:
            return False
        if not isinstance(node.value, bool):
            self.error(node.line, field, f"must be true or false, not {kind_of(node.value)}")
            return False
        return node.value

    def number(
        self, node: Node | None, field: str, *, whole: bool = False, maximum: float = MAX_SECONDS
    ) -> float | None:
        if node is None or node.value is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node.line, field, f"must be a number, not {kind_of(value)}")
            return None
        # Only floats can be fractional or infinite; float() of a huge int overflows.
        if isinstance(value, float) and not math.isfinite(value):
            self.error(node.line, field, "must be a finite number")
            return None
        if whole and isinstance(value, float) and not value.is_integer():
            self.error(node.line, field, f"must be a whole number, not {value}")
            return None
        if value <= 0:
            unit = "" if whole else " seconds"
            self.error(node.line, field, f"must be more than 0{unit}, not {value}")
            return None
        if value > maximum:
            self.error(node.line, field, f"{value} is too large (at most {maximum:g})")
            return None
        return float(value)

    def range(self, node: Node | None, field: str, *, whole: bool = False) -> Range | None:
        if node is None or node.value is None:
            return None
        maximum = MAX_COUNT if whole else MAX_SECONDS
        if node.is_mapping:
            items = self.mapping(node, field, ("min", "max"))
            if items is None:
                return None
            low_node = self.required(items, "min", node, field + ".")
            high_node = self.required(items, "max", node, field + ".")
            low = self.number(low_node, field + ".min", whole=whole, maximum=maximum)
            high = self.number(high_node, field + ".max", whole=whole, maximum=maximum)
            if low is None or high is None:
                return None
            if low > high:
                self.error(node.line, field, f"min ({low:g}) is above max ({high:g})")
                return None
            return Range(low, high)
        value = self.number(node, field, whole=whole, maximum=maximum)
        return None if value is None else Range(value, value)

    def text_list(
        self, node: Node | None, field: str, *, required: bool = False, parent_line: int = 1
    ) -> tuple[str, ...]:
        if node is None or node.value is None:
            if required:
                self.error(parent_line, field, "is required")
            return ()
        if not node.is_list:
            self.error(node.line, field, f"must be a list, not {kind_of(node.value)}")
            return ()
        values: list[str] = []
        for i, child in enumerate(node.value):
            value = self.text(child, f"{field}[{i}]")
            if value is not None:
                values.append(value)
        if required and not node.value:
            self.error(node.line, field, "must list at least one item")
        return tuple(values)


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text '{value}'" if len(value) <= 30 else "text"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
