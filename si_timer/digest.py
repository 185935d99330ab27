"""SHA-256 without OpenSSL: the interpreter's own module where it has one.

``hashlib`` loads OpenSSL's libcrypto (~3.5 MiB resident, several milliseconds)
on import; si-timer hashes a few short texts (the data folder's name, each
plan it stores), for which the built-in module gives the same digest.
"""

from __future__ import annotations

import importlib


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex digits, the same as ``hashlib.sha256``'s."""
    for module in ("_sha2", "_sha256"):  # Python 3.12+, 3.11
        try:
            return str(importlib.import_module(module).sha256(data).hexdigest())
        except (ImportError, AttributeError):
            continue
    import hashlib  # an interpreter built without its own hashes

    return hashlib.sha256(data).hexdigest()
