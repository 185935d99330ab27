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

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from si_timer.history.progress import Progress

_decoder = json.JSONDecoder()
_space = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, no more


class _Unexpected(Exception):
    """Leave it to ``json.loads``."""


def loads(text: str, *, progress: Progress | None = None, **hooks: Any) -> Any:
    """``json.loads(text, **hooks)``, without holding the GIL through a whole large document.

    ``hooks`` are ``json.loads``'s ``parse_float``, ``parse_int`` and
    ``parse_constant``; an exception they raise comes out unchanged.
    ``progress(characters decoded, characters in all)`` is told every few hundred
    elements (and may raise to stop).
    """
    decoder = json.JSONDecoder(**hooks) if hooks else _decoder
    try:
        return _document(text, decoder, progress)
    except (_Unexpected, json.JSONDecodeError, IndexError):
        return json.loads(text, **hooks)


def _skip(text: str, index: int) -> int:
    return _space.match(text, index).end()  # type: ignore[union-attr]  # * always matches


def _document(text: str, decoder: json.JSONDecoder, progress: Progress | None) -> dict[str, Any]:
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
            key, index = decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] != ":":
                raise _Unexpected
            index = _skip(text, index + 1)
            if text[index] == "[":
                result[key], index = _array(text, index, decoder, progress)
            else:
                result[key], index = decoder.raw_decode(text, index)
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


_REPORT_EVERY = 512  # elements of a long array


def _array(
    text: str, index: int, decoder: json.JSONDecoder, progress: Progress | None
) -> tuple[list[Any], int]:
    items: list[Any] = []
    index = _skip(text, index + 1)
    if text[index] == "]":
        return items, index + 1
    while True:
        item, index = decoder.raw_decode(text, index)
        items.append(item)
        if progress is not None and len(items) % _REPORT_EVERY == 0:
            progress(index, len(text))
        index = _skip(text, index)
        if text[index] == "]":
            return items, index + 1
        if text[index] != ",":
            raise _Unexpected
        index = _skip(text, index + 1)


def reporting(progress: Progress | None) -> Callable[..., Any]:
    """:func:`loads` reporting to ``progress`` (for ``parse_json(loads=...)``)."""
    if progress is None:
        return loads
    return functools.partial(loads, progress=progress)
