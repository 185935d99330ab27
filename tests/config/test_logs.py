"""The log: the terminal as before, plus an owner-only rotating file the notices can name."""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from si_timer.config import logs
from si_timer.config.logs import see_the_log, setup_logging
from si_timer.config.paths import AppPaths, resolve_paths

log = logging.getLogger("si_timer")


@pytest.fixture(autouse=True)
def _restore_logger() -> Iterator[None]:
    """Handlers added here hold the captured stderr of one test: never leak them."""
    before = list(log.handlers)
    level = log.level
    yield
    for handler in list(log.handlers):
        if handler not in before:
            log.removeHandler(handler)
            handler.close()
    log.setLevel(level)


def paths_in(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data-root")


def test_the_log_file_lives_in_the_cache_folder(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    assert paths.log_file == tmp_path / "data-root" / "cache" / "si-timer.log"


def test_messages_go_to_the_terminal_and_to_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = paths_in(tmp_path)
    assert setup_logging(paths) == paths.log_file
    logging.getLogger("si_timer.ui.system.speech").info("No speech engine found")
    log.debug("too detailed for either")

    assert capsys.readouterr().err == "si-timer: No speech engine found\n"
    lines = paths.log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    assert re.fullmatch(
        stamp + r" INFO si_timer\.ui\.system\.speech: No speech engine found", lines[0]
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_file_is_owner_only_even_if_it_existed(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    paths.cache_dir.mkdir(parents=True)
    paths.log_file.write_text("old line\n", encoding="utf-8")
    paths.log_file.chmod(0o644)

    setup_logging(paths)
    log.warning("a line")

    assert stat.S_IMODE(paths.log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.cache_dir.stat().st_mode) == 0o700
    assert paths.log_file.read_text(encoding="utf-8").startswith("old line\n")


def test_setting_up_twice_does_not_double_the_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = paths_in(tmp_path)
    setup_logging(paths)
    setup_logging(paths)
    log.info("once")
    assert capsys.readouterr().err == "si-timer: once\n"
    assert paths.log_file.read_text(encoding="utf-8").count("once") == 1


def test_the_file_rotates_and_every_generation_is_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 400)
    paths = paths_in(tmp_path)
    setup_logging(paths)
    for n in range(100):
        log.info("line %03d %s", n, "x" * 40)

    generations = sorted(paths.cache_dir.glob("si-timer.log*"))
    assert [p.name for p in generations] == [
        "si-timer.log",
        "si-timer.log.1",
        "si-timer.log.2",
        "si-timer.log.3",
    ]
    assert all(p.stat().st_size <= 400 for p in generations)
    assert "line 099" in paths.log_file.read_text(encoding="utf-8")
    if os.name == "posix":
        assert {stat.S_IMODE(p.stat().st_mode) for p in generations} == {0o600}


def test_an_unwritable_cache_folder_leaves_the_terminal_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = paths_in(tmp_path)
    # A file where the cache folder should be: cannot be created, even by root.
    paths.cache_dir.parent.mkdir(parents=True)
    paths.cache_dir.write_text("in the way", encoding="utf-8")

    assert setup_logging(paths) is None
    log.info("still heard")

    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"si-timer: The log file {paths.log_file} cannot be written (")
    assert err[0].endswith("): messages go to the terminal only.")
    assert err[1:] == ["si-timer: still heard"]


def test_see_the_log_names_the_file_or_says_there_is_none(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    assert see_the_log(paths.log_file) == f"see the log: {paths.log_file}"
    assert "terminal" in see_the_log(None)


def test_the_file_can_wait_and_keeps_what_came_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = paths_in(tmp_path)
    log_file, open_file = logs.setup_logging_later(paths)
    assert log_file == paths.log_file
    assert log_file.exists()
    assert log_file.read_text() == ""
    log.info("first")
    log.warning("second")
    assert capsys.readouterr().err == "si-timer: first\nsi-timer: second\n"  # at once
    assert log_file.read_text() == ""
    open_file()
    open_file()  # once
    log.info("third")
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 3)[2:] for line in lines] == [
        ["INFO", "si_timer: first"],
        ["WARNING", "si_timer: second"],
        ["INFO", "si_timer: third"],
    ]


def test_an_error_before_the_file_was_opened_opens_it(tmp_path: Path) -> None:
    paths = paths_in(tmp_path)
    log_file, _open_file = logs.setup_logging_later(paths)
    assert log_file is not None
    log.info("before")
    log.error("a bug")  # a crash before the first paint still reaches the file
    text = log_file.read_text(encoding="utf-8")
    assert "INFO si_timer: before" in text
    assert "ERROR si_timer: a bug" in text


def test_the_log_module_leaves_the_rotating_handler_for_later() -> None:
    import subprocess
    import sys

    code = (
        "import sys, si_timer.config.logs; "
        "print('logging.handlers' in sys.modules, 'queue' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_rotating_file_takes_no_logging_handlers(tmp_path: Path) -> None:
    """logging.handlers brings sockets, pickling and queues (~0.8 MiB) for one file."""
    import subprocess
    import sys

    code = f"""
import logging, sys
from si_timer.config.logs import setup_logging
from si_timer.config.paths import resolve_paths
log_file = setup_logging(resolve_paths({str(tmp_path / "data")!r}))
logging.getLogger("si_timer").info("written")
assert log_file is not None and "written" in log_file.read_text(encoding="utf-8")
print(sorted(m for m in ("logging.handlers", "socket", "queue") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]"]
