"""What the exercise form says: its choices in words, and where each of the loader's
messages about an exercise goes on the form and how it reads there."""

from __future__ import annotations

import re

from si_timer.library.model import Category, LoadError, Posture, Sides

PHYSIO = "My physiotherapist"
PAIN_LINE = "A stretch or tightness is fine; pain means ease off or stop."
POSITION_LINES = {
    Posture.BACK: "Lying on your back",
    Posture.SIDE: "Lying on your side",
    Posture.FRONT: "Lying on your front",
    Posture.ALL_FOURS: "On your hands and knees",
    Posture.KNEELING: "Kneeling",
    Posture.SITTING: "Sitting on the floor",
    Posture.CHAIR: "Sitting on a chair",
    Posture.STANDING: "Standing",
    Posture.DOORWAY: "Lying on your back in a doorway",
    Posture.WALL: "Standing with your back to a wall",
}
EQUIPMENT = ("mat", "chair", "wall", "doorway", "strap", "ball", "kettlebell")
# What a position needs, ticked for a new exercise until the person ticks boxes themselves.
POSITION_NEEDS = {
    Posture.DOORWAY: ("mat", "doorway"),
    Posture.CHAIR: ("chair",),
    Posture.WALL: ("wall",),
    Posture.STANDING: (),
}
SIDES_WORDS = {
    Sides.NONE: "No sides (or both at once)",
    Sides.EACH: "Each side: one, then the other",
    Sides.LEFT_RIGHT_BOTH: "Each side, then both together",
}
CATEGORY_WORDS = {
    Category.STRETCH: "Stretch",
    Category.STRENGTH: "Strength",
    Category.ROTATION: "Rotation",
    Category.YOGA: "Yoga",
}
_SIDE_FIELDS = ("sides", "first_side", "side_word", "left", "right", "both", "alternate", "switch")
_PHASE = re.compile(r"^dose\.(tempo|pace)\[(\d+)\]\.(name|seconds)$")
_ITEM = re.compile(r"^(steps|cautions|equipment)\[(\d+)\]$")
_NOUNS = {"steps": "Step", "cautions": "Caution", "equipment": "Item"}


def placed(error: LoadError) -> tuple[str, str]:
    """Which field's place a loader message goes to, and how it reads there."""
    field, message = error.field, error.message
    text = message[:1].upper() + message[1:]
    top = re.split(r"[.\[]", field, maxsplit=1)[0]
    if top == "id":
        return "name", text
    if top in _SIDE_FIELDS:
        return "sides", text
    if (phase := _PHASE.match(field)) is not None:
        what = "name" if phase.group(3) == "name" else "time"
        return "dose", f"Phase {int(phase.group(2)) + 1}'s {what}: {message}"
    if (item := _ITEM.match(field)) is not None:
        noun = _NOUNS[item.group(1)]
        return top, f"{noun} {int(item.group(2)) + 1}: {message}"
    return top, text
