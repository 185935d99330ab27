"""The safety guidance: general principles and the warning signs that mean
"stop and see a professional", read from the bundled ``content/safety.yaml``."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from si_timer import assets


@dataclass(frozen=True)
class SafetyGuide:
    title: str
    principles: tuple[str, ...]
    see_intro: str
    warning_signs: tuple[str, ...]
    disclaimer: str


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
    )
