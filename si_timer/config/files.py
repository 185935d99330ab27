"""Reading the person's files without trusting them; writing ours without exposing them.

Every file si-timer reads goes through :func:`read_limited`: only a regular
file (a FIFO would hang the read, ``/dev/zero`` would fill memory), and never
more than a cap.  JSON goes through :func:`parse_json`: nesting, non-finite
numbers (``NaN``, ``Infinity``, ``1e999``) and integers outside 64 bits are
refused with one clear reason instead of a traceback later.

Every file si-timer writes goes through :func:`write_private`: a temporary file
made exclusively in the target's own folder (``mkstemp``: ``O_EXCL``, a fresh
random name, mode 0600), flushed to disk, then renamed over the target, so the
file is whole or absent and a planted symlink is never followed.  A target
that is itself a symlink (settings kept with dotfiles) is written through: the
file it points to is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
import stat
from collections.abc import Callable, Sequence, Set
from pathlib import Path
from typing import Any, BinaryIO

from si_timer.config.paths import FILE_MODE, ensure_dir

_POSIX = os.name == "posix"

# Integers are stored in SQLite's signed 64 bits; JSON may carry any length.
INT_LIMIT = 2**63
MAX_JSON_DEPTH = 64


class FileProblem(Exception):
    """A file that cannot be used; ``reason`` reads after its name ("a folder, not a file")."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


def open_regular(path: Path, limit: int) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file of at most ``limit`` bytes.

    The checks are made on the opened file itself, so nothing can be swapped in
    between.  Raises :class:`FileNotFoundError` for a missing file (callers often
    treat that as "use the defaults") and :class:`FileProblem` for anything else.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror or error})") from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a special file"
            raise FileProblem(f"cannot be read ({kind}, not a regular file)")
        if info.st_size > limit:
            raise FileProblem(_too_large(info.st_size, limit))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes
    (see :func:`open_regular`)."""
    with open_regular(path, limit) as handle:
        return read_capped(handle, limit)


def read_capped(handle: BinaryIO, limit: int) -> bytes:
    """The rest of ``handle``, refusing more than ``limit`` bytes (a file may grow
    while it is read)."""
    try:
        data = handle.read(limit + 1)
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror or error})") from error
    if len(data) > limit:
        raise FileProblem(_too_large(len(data), limit))
    return data


def is_regular_file(path: Path) -> bool:
    """True for a regular file (following links), False for anything else or nothing."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _too_large(size: int, limit: int) -> str:
    return f"too large ({size:,} bytes; the limit is {limit:,})"


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NumberProblem(text, f"the number {_short(text)} is out of range")
    return value


def _bounded_int(text: str) -> int:
    # Checked before conversion: a 5000-digit number costs time and trips
    # Python's own digit limit with a traceback.
    if len(text.lstrip("-")) > 19 or not -INT_LIMIT <= int(text) < INT_LIMIT:
        raise _NumberProblem(text, f"the number {_short(text)} is too large")
    return int(text)


def _constant(name: str) -> Any:
    raise _NumberProblem(name, f"{name} is not a number JSON allows")


def _short(text: str) -> str:
    return text[:20] + ("…" if len(text) > 20 else "")


class _NumberProblem(ValueError):
    def __init__(self, token: str, message: str) -> None:
        super().__init__(message)
        self.token = token

    def place(self, text: str) -> tuple[int | None, int | None]:
        """Line and column of the token, found as a value (not inside a string)."""
        match = re.search(rf"(?<=[\[:,\s]){re.escape(self.token)}(?=[\s,\]}}]|$)", text)
        if match is None:
            return None, None
        line = text.count("\n", 0, match.start()) + 1
        return line, match.start() - text.rfind("\n", 0, match.start())


# Only a number token of 19 or more digits, or with an exponent of three
# digits, can overflow a float or 64 bits; text without one parses at C speed.
# Found on the bytes with every digit made "0" (str.find is ~20x faster than a
# regular expression over 100 MB); a run of digits inside text (an id, a note)
# is not a number, which the byte before the token tells: a number starts the
# text or follows "[", ":", "," or white space.
_ZEROED = bytes.maketrans(b"123456789E+", b"000000000e-")
_NUMBER_BYTES = frozenset(b"0.-e")
_BEFORE_NUMBER = frozenset(b"[:, \t\r\n")


def _is_number_token(zeroed: bytes, index: int) -> bool:
    """Whether the digits at ``index`` belong to a number token (not to text).

    A walk back of more than a few dozen bytes says yes: hostile text cannot
    make this slow, only send it to the exact parse.
    """
    start = index
    while start > 0 and zeroed[start - 1] in _NUMBER_BYTES:
        start -= 1
        if index - start > 64:
            return True
    return start == 0 or zeroed[start - 1] in _BEFORE_NUMBER


# Both exponents in one pass (an id's hex digits hold many "e000"s, all text); "[e]"
# rather than "e": measured a third faster here.
_LONG_EXPONENT = re.compile(rb"[e]-?000")


def _has_long_number(data: bytes) -> bool:
    zeroed = data.translate(_ZEROED)
    needle = b"0" * 19
    index = zeroed.find(needle)
    while index >= 0:
        if _is_number_token(zeroed, index):
            return True
        end = index + len(needle)
        while end < len(zeroed) and zeroed[end] == 48:  # past the rest of the run of "0"
            end += 1
        index = zeroed.find(needle, end)
    return any(_is_number_token(zeroed, m.start()) for m in _LONG_EXPONENT.finditer(zeroed))


def parse_json(
    data: bytes | str,
    *,
    max_depth: int | None = MAX_JSON_DEPTH,
    loads: Callable[..., Any] = json.loads,
) -> Any:
    """Parse JSON, refusing what would break the program later.

    Raises :class:`FileProblem` (with ``line`` where known) for text that is
    not JSON, not UTF-8, nested deeper than ``max_depth``, or holding a
    non-finite number or an integer outside 64 bits.  With ``max_depth``
    None only the parser's own limit applies (~1000 levels, raised as
    "nested too deeply"), for large documents whose reader checks the shape
    of each part itself.  ``loads`` is ``json.loads`` or a drop-in with its
    hooks (one that decodes a large document in pieces).
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise FileProblem(f"not UTF-8 text (byte {error.start})") from error
    exact = _has_long_number(data if isinstance(data, bytes) else text.encode("utf-8"))
    try:
        if exact:
            value = loads(
                text, parse_float=_finite, parse_int=_bounded_int, parse_constant=_constant
            )
        else:
            value = loads(text, parse_constant=_constant)
    except _NumberProblem as error:
        raise FileProblem(str(error), *error.place(text)) from None
    except json.JSONDecodeError as error:
        raise FileProblem(f"not valid JSON ({error.msg})", error.lineno, error.colno) from None
    except RecursionError:
        raise FileProblem(_too_deep(max_depth)) from None
    if max_depth is not None and depth_exceeds(value, max_depth):
        raise FileProblem(_too_deep(max_depth))
    return value


def _too_deep(max_depth: int | None) -> str:
    if max_depth is None:
        return "nested too deeply"
    return f"nested too deeply (the limit is {max_depth} levels)"


def depth_exceeds(value: Any, max_depth: int) -> bool:
    """True when lists and objects in ``value`` nest deeper than ``max_depth``."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def write_private(path: Path, data: bytes | str) -> None:
    """Replace ``path`` with ``data`` atomically, owner-only (0600).

    A symlink at ``path`` to a regular file is written through: the file it
    points to is replaced and the link kept.
    """
    path = Path(path)
    if path.is_symlink() and is_regular_file(path):
        path = path.resolve()  # else the link itself is replaced (a link to /dev/zero)
    ensure_dir(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    import tempfile  # here: its import (random, shutil) is not worth paying on every start

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if _POSIX:
            os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def private_temp_beside(path: Path) -> tuple[int, Path]:
    """A new, empty, owner-only temporary file in ``path``'s folder, opened for
    writing (created exclusively under a random name), and its path."""
    import tempfile

    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    if _POSIX:
        os.fchmod(fd, FILE_MODE)
    return fd, Path(temp)


def write_private_all(writes: Sequence[tuple[Path, bytes | str]], replacing: Set[Path]) -> None:
    """Write several files as one: every one of them, or none.

    Each file is first written whole to an exclusively created owner-only
    temporary file beside its target (:func:`private_temp_beside`) and flushed;
    only then are they renamed into place, in the order given.  A target in
    ``replacing`` may be written over (the file it replaces is kept aside until
    all are in); any other target must not exist, and one that has appeared
    since it was chosen is a :class:`FileExistsError`.  On any failure what was
    renamed into place is taken out again, what was replaced is put back and the
    temporary files are removed, then the error is raised.
    """
    staged: list[tuple[Path, Path]] = []  # (target, its written temporary file)
    placed: list[tuple[Path, Path | None]] = []  # (target, what it replaced, kept aside)
    try:
        for asked, data in writes:
            target = Path(asked)
            if target.is_symlink() and is_regular_file(target):
                target = target.resolve()  # written through, as write_private does
            ensure_dir(target.parent)
            fd, temp = private_temp_beside(target)
            staged.append((target, temp))
            payload = data.encode("utf-8") if isinstance(data, str) else data
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        for (target, temp), (asked, _) in zip(staged, writes, strict=True):
            if Path(asked) in replacing and os.path.lexists(target):
                aside = _keep_aside(target)
                placed.append((target, aside))
                os.replace(temp, target)
            else:
                _place_new(temp, target)
                placed.append((target, None))  # only now: a name found taken is not ours
    except BaseException:
        _undo(placed, staged)
        raise
    # All is in place: a hidden leftover that cannot be removed harms nothing.
    for leftover in [aside for _, aside in placed if aside is not None] + [t for _, t in staged]:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _keep_aside(target: Path) -> Path:
    """A second name for ``target``'s file (a hard link where the file system has
    them, else a copy), so it can be put back."""
    fd, aside = private_temp_beside(target)
    os.close(fd)
    try:
        os.unlink(aside)
        os.link(target, aside)
    except OSError:
        Path(aside).unlink(missing_ok=True)
        write_private(aside, read_limited(target, 2**31))  # no hard links here (FAT, some mounts)
    return aside


def _place_new(temp: Path, target: Path) -> None:
    """``temp`` given the name ``target`` (a hard link; the caller removes ``temp``),
    refusing to write over a file that exists."""
    try:
        os.link(temp, target)  # fails, atomically, when the name is taken
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(
                errno.EEXIST, "a file of that name appeared", str(target)
            ) from None
        os.replace(temp, target)  # no hard links here: checked, then renamed


def _undo(placed: Sequence[tuple[Path, Path | None]], staged: Sequence[tuple[Path, Path]]) -> None:
    """Take back what :func:`write_private_all` placed, newest first, and remove its temporary
    files; the original error is the one raised, so a failure here is only skipped past."""
    for target, aside in reversed(placed):
        try:
            if aside is not None:
                os.replace(aside, target)
                aside.unlink(missing_ok=True)  # still there when both names were one file
            else:
                target.unlink(missing_ok=True)
        except OSError:
            pass
    for _, temp in staged:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
