"""Giving a routine or exercise file a new id, and pointing a routine at renamed
exercises, without a YAML writer: the file's own text with one value changed on the
line where the loader found it, and loaded again to check that nothing else moved.

Importing a shared routine beside the person's own ("keep both") needs this; the
file keeps its comments and layout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from si_timer.library.loader import load_text
from si_timer.library.model import Exercise, Routine
from si_timer.library.sharing import ShareProblem
from si_timer.library.yamlread import parse
from si_timer.records import replace

KEPT_NAME = "{name} (imported)"


def pointed_at(text: str, routine: Routine, renamed: Mapping[str, str]) -> str:
    """``routine``'s file ``text`` with its references to renamed exercises changed, on
    the lines where the loader found each one, and checked by loading it again."""
    if not renamed:
        return text
    root = parse(text)
    assert root is not None  # it loaded as a routine
    lines = text.splitlines(keepends=True)
    for node in root.value["exercises"].value:
        ref = node.value.get("exercise") if node.is_mapping else node
        if ref is not None and ref.value in renamed:
            lines[ref.line - 1] = _swap_word(lines[ref.line - 1], ref.value, renamed[ref.value])
    pointed = "".join(lines)
    expected = tuple(
        replace(entry, exercise=renamed.get(entry.exercise, entry.exercise))
        for entry in routine.entries
    )
    result = load_text(pointed.encode("utf-8"), "routine", kind="routine")
    if result.routine is None or result.routine.entries != expected:
        raise ShareProblem("the routine's exercises cannot be renamed in its file")
    return pointed


def _swap_word(line: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, line)


def renamed_text(text: str, kind: str, old_id: str, new_id: str, name: str) -> str:
    """A routine's or exercise's text under a new id, named "... (imported)" where the
    name is a one-line value that can be swapped safely; checked by loading it again."""
    original = _loaded(text, kind, old_id)
    root = parse(text)
    assert original is not None  # it loaded
    assert root is not None
    items = root.value
    lines = text.splitlines(keepends=True)
    id_line = items["id"].line - 1
    lines[id_line] = _swap_word(lines[id_line], old_id, new_id)
    by_id = "".join(lines)
    name_line = items["name"].line - 1
    match = re.match(r"^(\s*name:\s*)", lines[name_line])
    if match and name_line != id_line:
        new_name = KEPT_NAME.format(name=name)
        lines[name_line] = f"{match.group(1)}{json.dumps(new_name, ensure_ascii=False)}\n"
        named = "".join(lines)
        if _loaded(named, kind, new_id) == replace(original, id=new_id, name=new_name):
            return named
    if _loaded(by_id, kind, new_id) != replace(original, id=new_id):
        raise ShareProblem(f"'{old_id}' cannot be imported under a new id")
    return by_id


def _loaded(text: str, kind: str, item_id: str) -> Exercise | Routine | None:
    result = load_text(text.encode("utf-8"), f"{item_id}.yaml", kind=kind)
    return result.routine if kind == "routine" else result.exercise
