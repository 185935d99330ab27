"""The safety guidance: general principles, the warning signs that mean "stop and see
a professional", and the guides' tips for the rest of the day, read from the bundled
``content/safety.yaml``."""

from __future__ import annotations

import yaml

from si_timer import assets
from si_timer.records import record


@record(frozen=True)
class Tip:
    """One piece of the guides' advice for outside the sessions ("Cold first, then warmth")."""

    title: str
    text: str
    source: str  # id of an entry in sources.yaml


@record(frozen=True)
class SafetyGuide:
    title: str
    principles: tuple[str, ...]
    see_intro: str
    warning_signs: tuple[str, ...]
    disclaimer: str
    pain_rule: str = ""  # the one wording for pain, used word for word by every exercise
    tips: tuple[Tip, ...] = ()


def load_safety() -> SafetyGuide:
    """The bundled guide. It ships with the app, so a broken file is a bug and raises."""
    data = yaml.safe_load((assets.content_root() / "safety.yaml").read_text(encoding="utf-8"))
    see = data["see_a_professional"]
    return SafetyGuide(
        title=str(data["title"]),
        principles=tuple(str(p) for p in data["principles"]),
        see_intro=str(see["intro"]),
        warning_signs=tuple(str(s) for s in see["signs"]),
        disclaimer=str(data["disclaimer"]),
        pain_rule=str(data["pain_rule"]),
        tips=tuple(
            Tip(str(t["title"]), " ".join(str(t["text"]).split()), str(t["source"]))
            for t in data["tips"]
        ),
    )
