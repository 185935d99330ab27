"""Random ids for sessions and imports: version-4 UUID strings, without :mod:`uuid`.

``uuid`` brings ``platform`` and libuuid with it (~0.5 MiB resident in every
start, as the history opens right after the first paint) for what is sixteen
random bytes with six bits set.
"""

from __future__ import annotations

import os


def new_id() -> str:
    """A new random id in UUID form, as ``str(uuid.uuid4())`` gives it."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
