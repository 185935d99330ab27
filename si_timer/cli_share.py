"""``si-timer share`` and the routine side of ``si-timer import``.

A share file (``NAME.si-routine``) holds a routine and the person's own
exercises it uses (:mod:`si_timer.library.sharing`).  Importing one prints
what it holds and what it would change first; when it would replace or
override anything, nothing is written unless ``--replace`` or ``--keep-both``
says how (exit code 2 otherwise).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from si_timer.config.files import write_private
from si_timer.config.paths import AppPaths
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.loader import suggest
from si_timer.library.share_import import (
    Choice,
    FileStatus,
    ImportPreview,
    apply_import,
    preview_import,
)
from si_timer.library.sharing import (
    SHARE_SUFFIX,
    ShareProblem,
    gather,
    is_share_file,
    read_share_file,
    share_text,
)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

STATUS_WORDS = {
    FileStatus.NEW: "new",
    FileStatus.SAME: "same",
    FileStatus.REPLACES: "replaces",
}


def _fail(message: str, code: int = EXIT_PROBLEMS) -> int:
    print(f"si-timer: {message}", file=sys.stderr)
    return code


def _catalog(paths: AppPaths) -> Catalog:
    return load_catalog(paths.user_exercises_dir, paths.user_routines_dir)


def cmd_share(paths: AppPaths, routine_id: str, output: Path, force: bool, out: TextIO) -> int:
    """Write ``routine_id`` with the person's own exercises it uses to ``output``."""
    catalog = _catalog(paths)
    routine = catalog.routines.get(routine_id)
    if routine is None:
        hint = suggest(routine_id, catalog.routines)
        return _fail(f"unknown routine '{routine_id}'{hint}; see `si-timer routines`")
    if (output.exists() or output.is_symlink()) and not force:
        return _fail(f"{output} exists; add --force to replace it", EXIT_USAGE)
    try:
        shared = gather(routine, catalog)
        write_private(output, share_text(shared))
    except ShareProblem as problem:
        return _fail(problem.message)
    except OSError as exc:
        return _fail(f"cannot write {output} ({exc.strerror or exc})")
    own = len(shared.exercises)
    brings = f", with {own} exercise{'s' * (own != 1)} of your own" if own else ""
    out.write(f"Wrote '{routine.name}'{brings} to {output}\n")
    if not output.name.endswith(SHARE_SUFFIX):
        out.write(f"(SI Timer's own name for such a file ends in {SHARE_SUFFIX})\n")
    return EXIT_OK


def preview_lines(preview: ImportPreview) -> list[str]:
    """The preview as text: the routine and its doses, then each file and what it does."""
    count = len(preview.entries)
    lines = [f"Routine: {preview.routine_name} ({preview.routine_id}), {count} exercises"]
    width = max((len(e.name) for e in preview.entries), default=0)
    for i, entry in enumerate(preview.entries, 1):
        where = "in the file" if entry.included else "from the library"
        if not entry.found:
            where = "missing"
        lines.append(f"  {i:>2}. {entry.name:<{width}}  {entry.dose:<34} {where}")
    lines.append("Files:")
    for item in preview.items:
        for file in item.files:
            what = file.replaces or (
                "already there, nothing to do" if file.status is FileStatus.SAME else ""
            )
            place = f"{file.target.parent.name}/{file.target.name}"
            lines.append(
                f"  {STATUS_WORDS[file.status]:<9} {file.kind.value:<9} {place:<34} {what}".rstrip()
            )
    if preview.problems:
        lines.append("Problems:")
        lines += [f"  {problem}" for problem in preview.problems]
    return lines


def run_share_command(
    parser: argparse.ArgumentParser, paths: AppPaths, args: argparse.Namespace, out: TextIO
) -> int | None:
    """``share ROUTINE -o FILE``, or ``import FILE`` of a share file; None for an
    ``import`` of anything else (a history backup)."""
    if args.command == "share":
        return cmd_share(paths, args.routine, args.output, args.force, out)
    if not is_share_file(args.file):
        if args.replace or args.keep_both:
            parser.error("--replace and --keep-both are for a shared routine (.si-routine)")
        return None
    choice = Choice.REPLACE if args.replace else Choice.KEEP_BOTH if args.keep_both else None
    return cmd_import_routine(paths, args.file, choice, out)


def cmd_import_routine(paths: AppPaths, file: Path, choice: Choice | None, out: TextIO) -> int:
    """Preview ``file``; import it when nothing clashes or ``choice`` says how."""
    try:
        shared = read_share_file(file)
    except ShareProblem as problem:
        return _fail(problem.message)
    preview = preview_import(shared, _catalog(paths), paths)
    for line in preview_lines(preview):
        out.write(line + "\n")
    if not preview.can_import:
        return _fail("this routine cannot be imported (see the problems above)")
    if preview.nothing_to_do:
        out.write("Nothing to import: you have all of it already.\n")
        return EXIT_OK
    clashes = preview.clashes
    if clashes and choice is None:
        n = len(clashes)
        return _fail(
            f"this would replace {n} of your routines or exercises (see above); "
            "run again with --replace to replace them, or --keep-both to import "
            "them under new names",
            EXIT_USAGE,
        )
    choices = {item.key: choice for item in clashes if choice is not None}
    try:
        result = apply_import(preview, choices, paths)
    except ShareProblem as problem:
        return _fail(problem.message)
    except OSError as exc:
        return _fail(f"cannot write your files ({exc.strerror or exc})")
    for path in result.written:
        out.write(f"wrote {path}\n")
    for old, new in result.renamed.items():
        out.write(f"'{old}' is imported as '{new}'\n")
    if result.routine_id is not None:
        out.write(f"Imported: `si-timer start {result.routine_id}` runs it.\n")
    return EXIT_OK
