"""Words for people."""

from __future__ import annotations

import pytest

from si_timer.history.labels import minutes_text, pain_text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 min"), (44.6, "45 s"), (89, "1 min"), (480, "8 min"), (3900, "1 h 05 min")],
)
def test_minutes_text(seconds: float, text: str) -> None:
    assert minutes_text(seconds) == text


def test_pain_text() -> None:
    assert pain_text(4, 2) == "4 → 2"
    assert pain_text(None, 2) == "? → 2"
    assert pain_text(None, None) == ""
