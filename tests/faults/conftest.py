"""Fault-suite fixtures: real processes that never outlive their test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.realapp import Launcher
from tests.helpers.xserver import XServer, start_xvfb


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    apps = Launcher(tmp_path)
    try:
        yield apps
    finally:
        apps.close()


@pytest.fixture
def xserver() -> Iterator[XServer]:
    """A private X server, for the few faults a person must click through (e2e tests)."""
    yield from start_xvfb(1280, 720)
