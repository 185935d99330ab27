"""Reading files without trusting them, writing them without exposing them."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from si_timer.config.files import (
    FileProblem,
    ensure_dir,
    parse_json,
    read_limited,
    write_private,
    write_private_all,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX special files and modes")


@posix_only
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="not a regular file"):
        read_limited(fifo, 1024)


@posix_only
def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    with pytest.raises(FileProblem, match="special file, not a regular file"):
        read_limited(link, 1024)


def test_a_folder_and_a_large_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="a folder"):
        read_limited(tmp_path, 1024)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1025)
    with pytest.raises(FileProblem, match=r"too large \(1,025 bytes; the limit is 1,024\)"):
        read_limited(big, 1024)
    assert read_limited(big, 1025) == b"x" * 1025
    with pytest.raises(FileNotFoundError):
        read_limited(tmp_path / "missing", 1024)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"a":' * 70 + "1" + "}" * 70, "nested too deeply"),
        ("1" * 5000, "is too large"),
        (str(2**63), "is too large"),
        (str(-(2**63) - 1), "is too large"),
        ("1e999", "out of range"),
        ("-1e999", "out of range"),
        ('{"x": NaN}', "NaN is not a number JSON allows"),
        ("[Infinity]", "Infinity is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        ('{"a": 1,}', "not valid JSON"),
        ('{"a":[0,' + "9" * 30 + "]}", "is too large"),
        ('{"a":' + "-" + "9" * 30 + "}", "is too large"),
        ('{"a":\n' + "9" * 30 + "}", "is too large"),
        ('{"a":[2e400]}', "out of range"),
        ('{"a":[1, -2.5E+400]}', "out of range"),
    ],
)
def test_json_that_would_break_the_program_later_is_refused(text: str, reason: str) -> None:
    with pytest.raises(FileProblem, match=reason):
        parse_json(text)


def test_json_within_the_limits_is_read() -> None:
    assert parse_json(f'{{"a": [{2**63 - 1}, -{2**63}, 1.5e300]}}') == {
        "a": [2**63 - 1, -(2**63), 1.5e300]
    }
    with pytest.raises(FileProblem, match="not UTF-8"):
        parse_json(b'{"a": "\xff"}')
    with pytest.raises(FileProblem) as info:
        parse_json('{\n"a": }')
    assert (info.value.line, info.value.column) == (2, 6)


@posix_only
def test_writes_are_private_and_whole(tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "file.json"
    write_private(target, "hello")
    assert target.read_text() == "hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.json"]


@posix_only
def test_a_planted_link_at_the_old_temporary_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("theirs")
    victim.chmod(0o644)
    target = tmp_path / "out.json"
    for name in (f".{target.name}.partial", f".{target.name}.tmp", f"{target.name}.partial"):
        (tmp_path / name).symlink_to(victim)
    write_private(target, "ours")
    assert victim.read_text() == "theirs"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert target.read_text() == "ours"


@posix_only
def test_a_symlinked_file_is_written_through(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "settings.json"
    real.write_text("old")
    link = tmp_path / "config" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(real)
    write_private(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


@posix_only
def test_only_folders_made_here_are_made_owner_only(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    ensure_dir(shared / "mine")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "mine").stat().st_mode) == 0o700
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError):
        ensure_dir(tmp_path / "file")


def test_long_digit_runs_inside_text_keep_the_fast_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ids and notes full of digits are text, not numbers: no per-number hooks then."""
    seen: list[dict[str, object]] = []

    def loads(text: str, **hooks: object) -> object:
        seen.append(hooks)
        return json.loads(text, **hooks)  # type: ignore[arg-type]

    digits = "1234567890" * 3
    text = f'{{"id": "9e105-{digits}", "note": "ref#{digits}", "n": 7}}'
    assert parse_json(text, loads=loads) == json.loads(text)
    assert set(seen[0]) == {"parse_constant"}


def test_several_files_are_written_as_one_private_and_whole(tmp_path: Path) -> None:
    mine = tmp_path / "a" / "mine.yaml"
    ensure_dir(mine.parent)
    mine.write_text("old")
    new = tmp_path / "b" / "new.yaml"
    write_private_all([(mine, "replaced"), (new, b"made")], replacing={mine})
    assert (mine.read_text(), new.read_text()) == ("replaced", "made")
    assert stat.S_IMODE(mine.stat().st_mode) == stat.S_IMODE(new.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["mine.yaml", "new.yaml"]


def test_a_file_not_named_as_replaced_is_never_written_over(tmp_path: Path) -> None:
    first, taken = tmp_path / "first.yaml", tmp_path / "taken.yaml"
    taken.write_text("theirs")
    with pytest.raises(FileExistsError):
        write_private_all([(first, "one"), (taken, "two")], replacing=set())
    assert taken.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["taken.yaml"]  # "first" taken back too
