"""The history commands of ``si-timer``: history, export and import.

Kept apart from :mod:`si_timer.cli` so the library commands never open the
database.  Problems a person can cause (a newer database, a bad backup file,
an unwritable folder) are one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
from typing import TextIO

from si_timer.config.paths import AppPaths
from si_timer.history.errors import HistoryError
from si_timer.history.exchange import export_history, export_to_path, import_history
from si_timer.history.listing import format_history_table, history_rows, parse_day
from si_timer.history.store import HistoryStore

EXIT_OK = 0
EXIT_PROBLEMS = 1


def _fail(message: str) -> int:
    print(f"si-timer: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


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
                count = export_to_path(
                    store, args.format, args.output, overwrite=getattr(args, "force", False)
                )
                print(
                    f"Exported {count} session{'s' * (count != 1)} to {args.output}",
                    file=sys.stderr,
                )
                return EXIT_OK
            # CSV and iCalendar write their own CRLF line ends: no newline translation.
            if out is sys.stdout:
                stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
                export_history(store, args.format, stream)
                stream.flush()
                stream.detach()
            else:
                export_history(store, args.format, out)
            return EXIT_OK
        result = import_history(store, args.file)
        out.write(result.describe() + "\n")
        return EXIT_OK
    except (HistoryError, OSError, sqlite3.Error) as exc:
        return _fail(str(exc))
    finally:
        store.close()
