"""Words for people."""

from __future__ import annotations

from si_timer.history.labels import pain_text


def test_pain_text() -> None:
    assert pain_text(4, 2) == "4 → 2"
    assert pain_text(None, 2) == "? → 2"
    assert pain_text(None, None) == ""
