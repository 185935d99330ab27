"""Decoding a large JSON backup a piece at a time, so other threads keep running.

One ``json.loads`` of ten years of history (~40 MB) is a single C call that
holds the GIL for a second or more: while a worker thread imports, the GUI
thread would freeze for that long.  :func:`loads` decodes the top-level
object's arrays one element at a time instead (a backup is an object of a few
fields and two long arrays), and the interpreter switches threads between
elements.  The result is exactly that of ``json.loads``; anything this
scanner does not expect falls back to ``json.loads``, so errors still name
the line and column.
"""

from __future__ import annotations

import json
import re
from typing import Any

_decoder = json.JSONDecoder()
_space = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, no more


class _Unexpected(Exception):
    """Leave it to ``json.loads``."""


def loads(text: str) -> Any:
    """``json.loads(text)``, without holding the GIL through a whole large document."""
    try:
        return _document(text)
    except (_Unexpected, ValueError, IndexError):  # JSONDecodeError is a ValueError
        return json.loads(text)


def _skip(text: str, index: int) -> int:
    return _space.match(text, index).end()  # type: ignore[union-attr]  # * always matches


def _document(text: str) -> dict[str, Any]:
    index = _skip(text, 0)
    if text[index] != "{":
        raise _Unexpected
    result: dict[str, Any] = {}
    index = _skip(text, index + 1)
    if text[index] == "}":
        index += 1
    else:
        while True:
            if text[index] != '"':
                raise _Unexpected
            key, index = _decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] != ":":
                raise _Unexpected
            index = _skip(text, index + 1)
            if text[index] == "[":
                result[key], index = _array(text, index)
            else:
                result[key], index = _decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] == "}":
                index += 1
                break
            if text[index] != ",":
                raise _Unexpected
            index = _skip(text, index + 1)
    if _skip(text, index) != len(text):
        raise _Unexpected
    return result


def _array(text: str, index: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    index = _skip(text, index + 1)
    if text[index] == "]":
        return items, index + 1
    while True:
        item, index = _decoder.raw_decode(text, index)
        items.append(item)
        index = _skip(text, index)
        if text[index] == "]":
            return items, index + 1
        if text[index] != ",":
            raise _Unexpected
        index = _skip(text, index + 1)
