"""The ``si-timer`` command: opens the app, or answers from the library and history.

A public interface: scripts and tests rely on the subcommands and their JSON.
Qt is imported only by the commands that open a window, so the text commands
stay fast and work on a machine without a display; ``start`` checks its routine
before that, so a typo is one line on stderr, display or not.
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from si_timer import APP_DISPLAY_NAME, __version__
from si_timer.config.paths import ENV_DATA_DIR, AppPaths, resolve_paths
from si_timer.config.settings import Settings, load_settings
from si_timer.library.cache import cached_catalog
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.model import Exercise, Range
from si_timer.library.resolve import ResolvedRoutine, RoutineNotFound, resolve_routine
from si_timer.session.options import plan_for
from si_timer.session.plan import Segment, SegmentKind
from si_timer.words import duration_text, stopwatch_text

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

DESCRIPTION = f"""\
{APP_DISPLAY_NAME} guides you through exercise routines for sacroiliac (SI) joint
and low-back pain, by voice, sound and a big clear countdown you can follow from
the floor.  Run it with no command to open the app.

Guidance, not diagnosis: stop if an exercise hurts, and see a doctor or physical
therapist if the pain is severe, lasts, or comes with numbness, weakness, fever,
or changes in bladder or bowel control.
"""

EPILOG = f"""\
examples:
  si-timer                          open the app
  si-timer start morning            go straight into the morning stretches
  si-timer routines                 list the routines
  si-timer plan morning             show every step of a routine and its timing
  si-timer validate my-routine.yaml check a routine or exercise you wrote
  si-timer share morning -o m.si-routine  a routine to pass on (import it with `import`)
  si-timer handout morning          a printable PDF of a routine, e.g. for your physio
  si-timer report -o report.pdf     your last 4 weeks as a PDF for your physio
  si-timer desktop install          add the app to your applications menu
  si-timer --background             run for reminders only (see Settings)

Your own routines and exercises go in the data folder, under routines/ and
exercises/ (see `si-timer paths`).  --data-dir DIR or the {ENV_DATA_DIR}
environment variable keep everything (settings, history, your files) in DIR.
"""


MAX_TIME_SCALE = 1000.0


def time_scale(text: str) -> float:
    """``--time-scale``: a finite factor above 0 (a usage error otherwise)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_SCALE):
        raise argparse.ArgumentTypeError(
            f"must be more than 0 and at most {MAX_TIME_SCALE:g}, not {text}"
        )
    return value


# Errors of writing our output itself (`si-timer routines > /dev/full`).
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", -1)})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="si-timer",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep settings, history and your own files in DIR (also: ${ENV_DATA_DIR})",
    )
    parser.add_argument(
        "--background",
        action="store_true",
        help="start without a window, for reminders (a tray icon where there is a tray)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("open", help="open the app (the default)")
    start = sub.add_parser("start", help="open the app straight into a routine")
    start.add_argument("routine", help="a routine id (see `si-timer routines`) or a YAML file")
    start.add_argument("--fullscreen", action="store_true", help="start in full screen")
    start.add_argument(
        "--time-scale",
        type=time_scale,
        default=1.0,
        metavar="FACTOR",
        help="run the session FACTOR times faster (demos and automated checks)",
    )
    start.add_argument(
        "--events",
        type=Path,
        metavar="FILE",
        help="append one JSON line per segment start/end and per cue to FILE",
    )

    for name, what in (("routines", "routines"), ("exercises", "exercises")):
        cmd = sub.add_parser(name, help=f"list the {what} (bundled and your own)")
        cmd.add_argument("--json", action="store_true", help="machine-readable output")

    plan = sub.add_parser("plan", help="show every step of a routine with its timing")
    plan.add_argument("routine", help="a routine id or a path to a routine YAML file")
    plan.add_argument("--json", action="store_true", help="machine-readable output")

    validate = sub.add_parser("validate", help="check exercise and routine YAML files")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")

    history = sub.add_parser("history", help="list your sessions")
    history.add_argument("--json", action="store_true", help="machine-readable output")
    history.add_argument("--since", metavar="DATE", help="from this day on (YYYY-MM-DD)")
    history.add_argument(
        "--until", metavar="DATE", help="up to and including this day (YYYY-MM-DD)"
    )

    export = sub.add_parser("export", help="export your history (spreadsheet, calendar or backup)")
    export.add_argument(
        "--format",
        choices=("csv", "ics", "json"),
        default="json",
        help="csv: one row per session; ics: calendar events; json: a full backup (default)",
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE, not the screen"
    )
    export.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (otherwise: refused)"
    )

    imp = sub.add_parser(
        "import",
        help="add a shared routine (.si-routine), or merge a JSON backup into your history",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    clash = imp.add_mutually_exclusive_group()
    clash.add_argument(
        "--replace", action="store_true", help="a shared routine: replace what it clashes with"
    )
    clash.add_argument(
        "--keep-both",
        action="store_true",
        help="a shared routine: keep yours, import what clashes under new names",
    )

    share = sub.add_parser("share", help="write a routine and your exercises it uses to a file")
    share.add_argument("routine", help="a routine id (see `si-timer routines`)")
    share.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="e.g. mine.si-routine"
    )
    share.add_argument("--force", action="store_true", help="replace FILE if it exists")

    report = sub.add_parser(
        "report",
        help="a PDF report of your sessions and pain for your physiotherapist",
        description="A one-to-three-page PDF for your physiotherapist: sessions against "
        "your plan, each exercise, pain before and after, how hard it felt, your notes "
        "and the doses you did.",
    )
    report.add_argument(
        "--from",
        dest="first",
        metavar="DATE",
        help="the first day, YYYY-MM-DD (default: four weeks before the last day)",
    )
    report.add_argument(
        "--to", dest="last", metavar="DATE", help="the last day, YYYY-MM-DD (default: today)"
    )
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", required=True, help="the PDF to write"
    )
    report.add_argument(
        "--page-size", choices=("a4", "letter"), default="a4", help="the paper (default: a4)"
    )
    report.add_argument("--force", action="store_true", help="replace FILE if it exists")

    sub.add_parser("paths", help="show where settings, history and your own files live")

    desktop = sub.add_parser(
        "desktop", help="add the app to (or remove it from) the desktop's menu"
    )
    desktop.add_argument("action", choices=("install", "uninstall"))
    handout = sub.add_parser(
        "handout", help="a printable PDF of a routine: figures, steps, doses, warning signs"
    )
    handout.add_argument("routine", help="a routine id or a path to a routine YAML file")
    handout.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="the PDF to write (ROUTINE-handout.pdf)"
    )
    handout.add_argument(
        "--page-size",
        choices=("a4", "letter"),
        help="paper size (default: what the locale uses, A4 or US Letter)",
    )
    figure = sub.add_parser("figure", help="draw an exercise's figure (or all of them) as PNG")
    figure.add_argument("exercise", nargs="?", metavar="ID", help="an exercise id")
    figure.add_argument("--side", choices=("left", "right", "both", "none"))
    figure.add_argument("--pose", metavar="NAME", help="start, hold or a tempo phase's name")
    figure.add_argument("-o", "--output", type=Path, metavar="FILE", help="the PNG to write")
    figure.add_argument("--size", default="800x480", metavar="WxH", help="image size in pixels")
    figure.add_argument("--sheet", action="store_true", help="a contact sheet of every exercise")
    return parser


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The common window commands read by hand: what ``build_parser().parse_args(argv)``
    gives for them, without building the parser (a few ms before the window).

    Takes ``[--data-dir DIR] [--background] [open | start ROUTINE [--fullscreen]
    [--time-scale FACTOR] [--events FILE]]``, each option once and spelt out;
    anything else (help, abbreviations, a bad value, a text command) is None and
    goes to argparse, which answers it as before."""
    rest = list(argv)
    found: dict[str, Any] = {"data_dir": None, "background": False}

    def value(option: str) -> str | None:
        token = rest.pop(0)
        if token.startswith(option + "="):
            return token[len(option) + 1 :]
        if not rest or rest[0].startswith("-"):
            return None
        return rest.pop(0)

    while rest and rest[0].startswith("-"):
        name = rest[0].split("=", 1)[0]
        if name == "--data-dir" and found["data_dir"] is None:
            found["data_dir"] = value(name)
            if found["data_dir"] is None:
                return None
        elif rest[0] == "--background" and not found["background"]:
            found["background"] = True
            rest.pop(0)
        else:
            return None
    command = rest.pop(0) if rest else None
    if command is None or command == "open":
        return None if rest else argparse.Namespace(**found, command=command)
    if command != "start":
        return None
    found.update(routine=None, fullscreen=False, time_scale=None, events=None)
    while rest:
        name = rest[0].split("=", 1)[0]
        if not rest[0].startswith("-") and found["routine"] is None:
            found["routine"] = rest.pop(0)
        elif rest[0] == "--fullscreen" and not found["fullscreen"]:
            found["fullscreen"] = True
            rest.pop(0)
        elif name in ("--time-scale", "--events") and found[name[2:].replace("-", "_")] is None:
            text = value(name)
            if text is None:
                return None
            if name == "--events":
                found["events"] = Path(text)
            else:
                try:
                    found["time_scale"] = time_scale(text)
                except argparse.ArgumentTypeError:
                    return None  # argparse says what is wrong with it
        else:
            return None
    if found["routine"] is None:
        return None
    if found["time_scale"] is None:
        found["time_scale"] = 1.0
    return argparse.Namespace(**found, command=command)


def main(argv: Sequence[str] | None = None) -> int:
    args = window_args(sys.argv[1:] if argv is None else argv)
    parser = None
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
    paths = resolve_paths(args.data_dir)
    linked = paths.linked_out()
    if linked is not None:
        print(
            f"si-timer: {linked}; run as root, si-timer does not follow it."
            " Use --data-dir with a folder of root's own.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    command = args.command or "open"
    out = sys.stdout
    catalog = None
    if command == "start":
        # Before Qt: a routine that cannot start is a usage error, not a window.
        try:
            catalog = _resolve(paths, args.routine).catalog  # the app uses it: read once
        except RoutineNotFound as exc:
            for problem in exc.problems:
                print(f"si-timer: {problem}", file=sys.stderr)
            return EXIT_USAGE
    if command in ("open", "start"):
        from si_timer.ui.launch import run_app  # Qt loads only for the window

        return run_app(paths, args, catalog=catalog)
    assert parser is not None  # (window_args takes window commands only)
    try:
        code = _run_text_command(parser, paths, args, command, out)
        out.flush()  # here, not at exit: a full disk is one line, not a traceback
        return code
    except BrokenPipeError:
        # The reader left early (`si-timer exercises | head`): no traceback.  Point
        # stdout at devnull so the interpreter's final flush does not fail again
        # (https://docs.python.org/3/library/signal.html#note-on-sigpipe).
        _stdout_to_devnull()
        return EXIT_PROBLEMS
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS:
            raise
        _stdout_to_devnull()
        print(f"si-timer: cannot write the output ({error.strerror or error})", file=sys.stderr)
        return EXIT_PROBLEMS


def _stdout_to_devnull() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _run_text_command(
    parser: argparse.ArgumentParser,
    paths: AppPaths,
    args: argparse.Namespace,
    command: str,
    out: TextIO,
) -> int:
    if command == "routines":
        return cmd_routines(paths, args.json, out)
    if command == "exercises":
        return cmd_exercises(paths, args.json, out)
    if command == "plan":
        return cmd_plan(paths, args.routine, args.json, out)
    if command == "validate":
        return cmd_validate(paths, args.files, out)
    if command == "paths":
        return cmd_paths(paths, out)
    if command == "desktop":
        return cmd_desktop(args.action, out)
    if command == "handout":
        return cmd_handout(paths, args.routine, args.output, args.page_size, out)
    if command == "figure":
        from si_timer.ui.figure_render import run_figure_command  # Qt only here

        catalog = user_catalog(paths)
        return run_figure_command(
            catalog.exercises,
            args.exercise,
            args.side,
            args.pose,
            args.output,
            args.size,
            args.sheet,
            out,
        )
    if command in ("share", "import"):
        from si_timer.cli_share import run_share_command

        code = run_share_command(parser, paths, args, out)
        if code is not None:  # else: a history backup
            return code
    if command == "report":
        from si_timer.cli_history import run_report_command

        return run_report_command(paths, args, out)
    if command in ("history", "export", "import"):
        from si_timer.cli_history import run_history_command

        return run_history_command(paths, args, out)
    parser.error(f"unknown command {command}")


def user_catalog(paths: AppPaths, extra: Sequence[Path] = ()) -> Catalog:
    """The library with the person's own files (read from the cache when unchanged)."""
    if not extra:
        return cached_catalog(paths.cache_dir, paths.user_exercises_dir, paths.user_routines_dir)
    return load_catalog(paths.user_exercises_dir, paths.user_routines_dir, extra)


def person_settings(paths: AppPaths) -> Settings:
    """The person's settings; a setting that cannot be read is a warning on stderr."""
    settings, warnings = load_settings(paths.settings_file)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return settings


def _resolve(paths: AppPaths, routine_arg: str) -> ResolvedRoutine:
    return resolve_routine(
        routine_arg,
        user_catalog(paths),
        user_exercises=paths.user_exercises_dir,
        user_routines=paths.user_routines_dir,
    )


def _report_library_problems(catalog: Catalog) -> None:
    for note in catalog.notices:
        print(f"note: {note}", file=sys.stderr)
    for error in catalog.errors:
        print(f"warning: {error} (left out)", file=sys.stderr)


def cmd_routines(paths: AppPaths, as_json: bool, out: TextIO) -> int:
    catalog = user_catalog(paths)
    _report_library_problems(catalog)
    settings = person_settings(paths)
    rows: list[dict[str, Any]] = []
    for routine in catalog.routines.values():
        plan = plan_for(routine, catalog.exercises, settings)
        rows.append(
            {
                "id": routine.id,
                "name": routine.name,
                "description": routine.description,
                "exercises": [entry.exercise for entry in routine.entries],
                "total_seconds": round(plan.total_seconds),
                "times_per_day": routine.times_per_day,
                "equipment": list(routine.equipment(catalog.exercises)),
                "before_you_start": routine.before_you_start,
                "bundled": bool(routine.origin and routine.origin.bundled),
                "changed": catalog.is_changed_bundled(routine.id),
                "prescribed": [e.exercise for e in routine.entries if e.prescribed],
            }
        )
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return EXIT_OK
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        count = len(r["exercises"])
        own = "  (your version)" if r["changed"] else "" if r["bundled"] else "  (yours)"
        needs = f"; needs {', '.join(r['equipment'])}" if r["equipment"] else ""
        out.write(
            f"{r['id']:<{width}}  {r['name']} — {count} exercise{'s' * (count != 1)}, "
            f"{duration_text(r['total_seconds'])}{needs}{own}\n"
        )
    return EXIT_OK


def _range_json(value: Range | None) -> dict[str, float | int] | None:
    return value.to_json() if value is not None else None


def exercise_json(ex: Exercise, catalog: Catalog) -> dict[str, Any]:
    dose = ex.dose
    return {
        "id": ex.id,
        "name": ex.name,
        "source": ex.source,
        "source_title": catalog.source_title(ex.source),
        "category": ex.category.value,
        "position": ex.position,
        "equipment": list(ex.equipment),
        "sides": ex.sides.value,
        "alternate": ex.alternate,
        "mode": dose.mode.value,
        "hold": _range_json(dose.hold),
        "reps": _range_json(dose.reps),
        "sets": dose.sets,
        "rest": _range_json(dose.rest),
        "tempo": [{"name": p.name, "seconds": p.seconds} for p in dose.tempo] or None,
        "progression": (
            {"hold": _range_json(dose.progression.hold), "reps": _range_json(dose.progression.reps)}
            if dose.progression
            else None
        ),
        "suggested": dose.suggested,
        "steps": list(ex.steps),
        "cautions": list(ex.cautions),
    }


def describe_dose(ex: Exercise) -> str:
    dose = ex.dose
    parts: list[str] = []
    if dose.hold is not None:
        parts.append(f"hold {dose.hold} s")
    if dose.tempo:
        parts.append(" / ".join(f"{p.name} {p.seconds:g} s" for p in dose.tempo))
    if dose.reps is not None and not (dose.reps.is_single and dose.reps.min == 1):
        parts.append(f"{dose.reps} reps")
    if dose.sets > 1:
        parts.append(f"{dose.sets} sets, rest {dose.rest} s")
    if dose.progression and dose.progression.hold:
        parts.append(f"building to {dose.progression.hold} s")
    sides = {"none": "", "each": "each side", "left-right-both": "left, right, both"}
    if side_text := sides.get(ex.sides.value, ""):
        parts.append(side_text)
    return ", ".join(parts)


def cmd_exercises(paths: AppPaths, as_json: bool, out: TextIO) -> int:
    catalog = user_catalog(paths)
    _report_library_problems(catalog)
    if as_json:
        json.dump([exercise_json(ex, catalog) for ex in catalog.exercises.values()], out, indent=2)
        out.write("\n")
        return EXIT_OK
    width = max((len(ex.id) for ex in catalog.exercises.values()), default=2)
    for ex in sorted(catalog.exercises.values(), key=lambda e: (e.category.value, e.name)):
        out.write(f"{ex.id:<{width}}  {ex.name} ({ex.category.value}): {describe_dose(ex)}\n")
    return EXIT_OK


KIND_WORDS = {
    SegmentKind.LEAD_IN: "Get ready",
    SegmentKind.HOLD: "Hold",
    SegmentKind.PHASE: "Rep",
    SegmentKind.MANUAL: "Reps",
    SegmentKind.REST: "Rest",
    SegmentKind.SWITCH: "Switch",
    SegmentKind.TRANSITION: "Rest",
}


def cmd_plan(paths: AppPaths, routine_arg: str, as_json: bool, out: TextIO) -> int:
    try:
        found = _resolve(paths, routine_arg)
    except RoutineNotFound as exc:
        for problem in exc.problems:
            print(f"si-timer: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    plan = plan_for(found.routine, found.catalog.exercises, person_settings(paths))
    if as_json:
        json.dump(plan.to_json(), out, indent=2)
        out.write("\n")
        return EXIT_OK
    out.write(
        f"{plan.routine_name} ({plan.routine_id}): {len(plan.segments)} steps, "
        f"{duration_text(plan.total_seconds)}\n"
    )
    previous: Segment | None = None
    for seg in plan.segments:
        what = KIND_WORDS[seg.kind]
        if seg.change or seg.move:  # moving into a new position, not resting or holding
            what = "Move"
        if seg.phase:
            what = f"{what}: {seg.phase}"
        detail = []
        if seg.side.value != "none":
            side = seg.side.value
            if seg.side_note and seg.kind in (SegmentKind.LEAD_IN, SegmentKind.SWITCH):
                side = f"{side} ({seg.side_note})"
            detail.append(side)
        if seg.kind is SegmentKind.TRANSITION and seg.change and seg.posture:
            detail.append(seg.posture.instruction.lower())
        if seg.sets > 1 and seg.set:
            detail.append(f"set {seg.set}/{seg.sets}")
        if seg.rep and seg.reps and seg.reps > 1:
            detail.append(f"rep {seg.rep}/{seg.reps}")
        if seg.kind is SegmentKind.MANUAL and seg.reps:
            detail.append(f"{seg.reps} reps, press Done")
        if seg.prescribed and _starts_exercise(seg, previous):
            detail.append("as prescribed")
        previous = seg
        length = f"{seg.seconds:g} s" if seg.seconds is not None else f"~{seg.estimate:g} s"
        # The detail goes last: a side's meaning makes it long.
        out.write(
            f"{stopwatch_text(seg.start):>6}  {what:<34} {seg.exercise_name:<38} "
            f"{length:>6}  {', '.join(detail)}".rstrip()
            + "\n"
        )
    if plan.before_you_start:
        out.write(f"Before you start: {plan.before_you_start}\n")
    if plan.after_you_finish:
        out.write(f"Afterwards: {plan.after_you_finish}\n")
    return EXIT_OK


def _starts_exercise(seg: Segment, previous: Segment | None) -> bool:
    """The first step of an exercise after the rest that leads to it."""
    if seg.kind is SegmentKind.TRANSITION:
        return False
    return previous is None or previous.kind is SegmentKind.TRANSITION


def cmd_handout(
    paths: AppPaths, routine_arg: str, output: Path | None, page_size: str | None, out: TextIO
) -> int:
    """``si-timer handout ROUTINE``: the routine as a printable PDF; a routine that does
    not resolve is a usage error (exit 2) before Qt loads."""
    try:
        found = _resolve(paths, routine_arg)
    except RoutineNotFound as exc:
        for problem in exc.problems:
            print(f"si-timer: {problem}", file=sys.stderr)
        return EXIT_USAGE
    _report_library_problems(found.catalog)
    target = output or Path(f"{found.routine.id}-handout.pdf")
    from si_timer.ui.printing.save import HandoutFailed, save_handout  # Qt only here

    try:
        pages = save_handout(
            found.routine, found.catalog, person_settings(paths), target, page_size
        )
    except HandoutFailed as exc:
        print(f"si-timer: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    out.write(f"{target} ({pages} page{'s' * (pages != 1)})\n")
    return EXIT_OK


def cmd_validate(paths: AppPaths, files: Sequence[Path], out: TextIO) -> int:
    catalog = user_catalog(paths, files)
    named = {str(f) for f in files}
    problems = sorted(
        (e for e in catalog.errors if e.file in named), key=lambda e: (e.file, e.line)
    )
    for problem in problems:
        out.write(f"{problem}\n")
    if problems:
        return EXIT_PROBLEMS
    for f in files:
        out.write(f"{f}: ok\n")
    return EXIT_OK


def cmd_paths(paths: AppPaths, out: TextIO) -> int:
    out.write(f"settings:          {paths.settings_file}\n")
    out.write(f"history:           {paths.database_file}\n")
    out.write(f"backups:           {paths.backup_dir}\n")
    out.write(f"your routines:     {paths.user_routines_dir}\n")
    out.write(f"your exercises:    {paths.user_exercises_dir}\n")
    out.write(f"log:               {paths.log_file}\n")
    return EXIT_OK


def cmd_desktop(action: str, out: TextIO) -> int:
    """``si-timer desktop install|uninstall``: the menu entry, icon and metainfo."""
    from si_timer.config import desktop_files

    try:
        if action == "install":
            files = desktop_files.install()
            for path in files.all():
                print(f"wrote {path}", file=out)
            print(f"{APP_DISPLAY_NAME} is in the menu now.", file=out)
        else:
            removed = desktop_files.uninstall()
            for path in removed:
                print(f"removed {path}", file=out)
            if not removed:
                print(f"{APP_DISPLAY_NAME} was not in the menu.", file=out)
    except OSError as exc:
        print(f"si-timer: cannot {action} the menu entry: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK
