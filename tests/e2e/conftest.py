"""End-to-end fixtures: a private X server (Xvfb) per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.xserver import XServer, start_xvfb

pytestmark = pytest.mark.e2e


@pytest.fixture
def xserver() -> Iterator[XServer]:
    yield from start_xvfb(1280, 720)


@pytest.fixture
def xserver_hd() -> Iterator[XServer]:
    yield from start_xvfb(1920, 1080)
