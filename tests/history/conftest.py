"""Fixtures for the history tests: a store on a fresh file and a clock moved by hand."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from si_timer.config.paths import resolve_paths
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 14, 6, 0, tzinfo=UTC))


@pytest.fixture
def db_path(_isolated_data_dir: Path) -> Path:
    """Where the app keeps history, below this test's own data folder."""
    return resolve_paths().database_file


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[HistoryStore]:
    opened, report = HistoryStore.open(
        db_path, backup_dir=resolve_paths().backup_dir, now=clock.now
    )
    assert report.created
    with opened:
        yield opened
