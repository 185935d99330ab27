"""Decoding a backup a piece at a time gives exactly what json.loads gives, errors included."""

from __future__ import annotations

import json

import pytest

from si_timer.history import json_pieces

DOCUMENTS = [
    '{\n"format": "si-timer-history",\n"sessions": [\n{"id": "a", "segments": [1, 2]},\n'
    '{"id": "b", "segments": []}\n],\n"day_marks": [\n]\n}\n',
    json.dumps(
        {"sessions": [{"id": str(i), "n": [i, {"x": None}]} for i in range(5)], "v": 1.5},
        indent=4,
    ),
    '  { "a" : [ ] , "b" : { "c" : [1] } , "d" : "]}" , "e" : [ "[", "," ] }  ',
    '{"same": 1, "same": [2]}',
    "{}",
    '{"nan": NaN, "big": [1e400, -0.0, "\\u00e9\\ud83d\\ude00"]}',
]

BROKEN = [
    "",
    "{",
    '{"sessions": [1, 2,]}',
    '{"a": 1} trailing',
    '{"a" 1}',
    '{"a": [1 2]}',
    "{1: 2}",
    "\ufeff{}",
    '[{"a": 1}]',  # valid JSON, just not an object: json.loads decides
    '"text"',
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_result_as_json_loads(text: str) -> None:
    expected = json.loads(text)
    got = json_pieces.loads(text)
    assert json.dumps(got, allow_nan=True) == json.dumps(expected, allow_nan=True)
    assert type(got) is type(expected)


def outcome(loads: object, text: str) -> tuple[str, object]:
    """What decoding gives: the value, or the error's message and place."""
    try:
        return "value", loads(text)  # type: ignore[operator]
    except json.JSONDecodeError as error:
        return "error", (error.msg, error.lineno, error.colno)


@pytest.mark.parametrize("text", BROKEN)
def test_same_error_or_result_as_json_loads(text: str) -> None:
    assert outcome(json_pieces.loads, text) == outcome(json.loads, text)
    assert outcome(json.loads, text)[0] == ("value" if text.startswith(("[", '"')) else "error")


def test_long_arrays_are_decoded_element_by_element(monkeypatch: pytest.MonkeyPatch) -> None:
    """No single decoder call covers the whole array (that is what holds the GIL)."""
    text = json.dumps({"format": "x", "sessions": [{"id": i} for i in range(1000)]})
    spans: list[int] = []
    real = json_pieces._decoder.raw_decode

    def measured(s: str, idx: int = 0) -> tuple[object, int]:
        value, end = real(s, idx)
        spans.append(end - idx)
        return value, end

    monkeypatch.setattr(json_pieces._decoder, "raw_decode", measured)
    assert json_pieces.loads(text) == json.loads(text)
    assert len(spans) > 1000
    assert max(spans) < 20
