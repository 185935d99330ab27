"""The history commands of ``si-timer``: history, export, import and report.

Kept apart from :mod:`si_timer.cli` so the library commands never open the
database.  Problems a person can cause (a newer database, a bad backup file,
an unwritable folder) are one line on stderr and exit code 1.  Long exports
and imports show a percentage on stderr when it is a terminal.  An import
while another si-timer writes waits for it (and says so) instead of failing.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TextIO

from si_timer.config.paths import AppPaths
from si_timer.config.settings import load_settings
from si_timer.history.errors import HistoryError
from si_timer.history.exchange import export_history, export_to_path, import_history
from si_timer.history.listing import format_history_table, history_rows, parse_day
from si_timer.history.progress import Progress
from si_timer.history.report import DEFAULT_DAYS, clinician_report, default_range
from si_timer.history.store import HistoryStore

EXIT_OK = 0
EXIT_PROBLEMS = 1

# An import waits this long for the history's write lock: the running app holds
# it for milliseconds at a time, another import for as long as its merge takes.
IMPORT_BUSY_TIMEOUT_SECONDS = 120.0
WAITING = "waiting for the history, which another si-timer is using…"


def _fail(message: str) -> int:
    print(f"si-timer: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


@contextmanager
def _terminal_progress(doing: str) -> Iterator[Progress | None]:
    """``Exporting… 42 %`` on stderr, rewritten in place and wiped at the end;
    nothing when stderr is not a terminal (a log file, a pipe)."""
    err = sys.stderr
    if not err.isatty():
        yield None
        return
    shown = [False]

    def show(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        print(f"\r{doing}… {percent:3d} %", end="", file=err, flush=True)
        shown[0] = True

    try:
        yield show
    finally:
        if shown[0]:
            print("\r\x1b[K", end="", file=err, flush=True)  # back to column 0, line cleared


def run_history_command(paths: AppPaths, args: argparse.Namespace, out: TextIO) -> int:
    try:
        store, report = HistoryStore.open(paths.database_file, backup_dir=paths.backup_dir)
    except (HistoryError, OSError, sqlite3.Error) as exc:
        return _fail(str(exc))
    for message in report.messages():
        print(f"note: {message}", file=sys.stderr)
    try:
        if args.command == "history":
            try:
                since = parse_day(args.since) if args.since else None
                until = parse_day(args.until) if args.until else None
            except ValueError as exc:
                return _fail(str(exc))
            sessions = store.session_summaries(since=since, until=until)
            if args.json:
                json.dump(history_rows(sessions), out, indent=2)
                out.write("\n")
            else:
                table = format_history_table(sessions)
                out.write(table if table.endswith("\n") else table + "\n")
            return EXIT_OK
        if args.command == "export":
            if args.output is not None:
                with _terminal_progress("Exporting") as progress:
                    count = export_to_path(
                        store,
                        args.format,
                        args.output,
                        progress=progress,
                        overwrite=getattr(args, "force", False),
                    )
                print(
                    f"Exported {count} session{'s' * (count != 1)} to {args.output}",
                    file=sys.stderr,
                )
                return EXIT_OK
            # CSV and iCalendar write their own CRLF line ends: no newline translation.
            if out is sys.stdout:
                stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
                with _terminal_progress("Exporting") as progress:
                    export_history(store, args.format, stream, progress=progress)
                stream.flush()
                stream.detach()
            else:
                export_history(store, args.format, out)
            return EXIT_OK
        if store.write_locked():
            print(f"si-timer: {WAITING}", file=sys.stderr, flush=True)
        store.set_busy_timeout(IMPORT_BUSY_TIMEOUT_SECONDS)
        with _terminal_progress("Importing") as progress:
            result = import_history(store, args.file, progress=progress)
        out.write(result.describe() + "\n")
        return EXIT_OK
    except (HistoryError, OSError, sqlite3.Error) as exc:
        return _fail(str(exc))
    finally:
        store.close()


def report_range(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """The days of ``--from``/``--to``: four weeks up to today by default, four weeks
    up to ``--to``, or ``--from`` up to today; ValueError names a bad value."""
    end = parse_day(last) if last else None
    start = parse_day(first) if first else None
    if start is None:
        start = (end - timedelta(days=DEFAULT_DAYS - 1)) if end else default_range(today)[0]
    if end is None:
        end = max(today, start)
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    return start, end


def run_report_command(
    paths: AppPaths, args: argparse.Namespace, out: TextIO, today: date | None = None
) -> int:
    """``si-timer report``: the clinician's report of a date range, as a PDF."""
    today = today or date.today()
    try:
        first, last = report_range(args.first, args.last, today)
    except ValueError as exc:
        return _fail(str(exc))
    settings, warnings = load_settings(paths.settings_file)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    reminders = settings.reminders if settings.reminders_on else ()
    try:
        store, opened = HistoryStore.open(paths.database_file, backup_dir=paths.backup_dir)
    except (HistoryError, OSError, sqlite3.Error) as exc:
        return _fail(str(exc))
    for message in opened.messages():
        print(f"note: {message}", file=sys.stderr)
    try:
        report = clinician_report(store, first, last, today, reminders=reminders)
    except (HistoryError, sqlite3.Error) as exc:
        return _fail(str(exc))
    finally:
        store.close()
    from si_timer.ui.printing.pdf import PageSize  # Qt loads only to paint
    from si_timer.ui.printing.report import save_report_pdf

    try:
        pages = save_report_pdf(report, args.output, PageSize(args.page_size), overwrite=args.force)
    except FileExistsError:
        return _fail(f"{args.output} already exists; nothing was written (--force replaces it)")
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    out.write(f"{report.summary}\n")
    out.write(f"Saved the report ({pages} page{'s' * (pages != 1)}) to {args.output}\n")
    return EXIT_OK
