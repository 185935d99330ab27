"""The safe YAML reader: located values, and the files it refuses before any schema check."""

from __future__ import annotations

import time

import pytest

from si_timer.library.yamlread import (
    MAX_FILE_BYTES,
    MAX_NODES,
    Node,
    YamlProblem,
    decode,
    is_plain_key,
    parse,
)


def problem(text: str) -> tuple[int, str, str]:
    with pytest.raises(YamlProblem) as info:
        parse(text)
    return info.value.line, info.value.field, info.value.message


def decode_problem(data: bytes) -> tuple[int, str, str]:
    with pytest.raises(YamlProblem) as info:
        decode(data)
    return info.value.line, info.value.field, info.value.message


# --- decode ------------------------------------------------------------------


def test_decode_returns_utf8_text_without_a_byte_order_mark() -> None:
    assert decode("\ufeffname: Café\n".encode()) == "name: Café\n"


def test_decode_names_the_bad_byte_its_offset_and_line() -> None:
    assert decode_problem(b"id: a\nname: caf\xe9\n") == (
        2,
        "file",
        "not UTF-8 text (byte 0xe9 at offset 15); save the file as UTF-8",
    )


def test_decode_refuses_utf16() -> None:
    line, field, message = decode_problem("id: a\n".encode("utf-16"))
    assert (line, field) == (1, "file")
    assert message.startswith("not UTF-8 text (byte 0xff at offset 0)")


def test_decode_refuses_a_nul_byte_and_names_its_line() -> None:
    assert decode_problem(b"id: a\nname: b\nx: \x00\n") == (3, "file", "contains a NUL byte")


def test_decode_accepts_a_file_exactly_at_the_limit() -> None:
    data = b"#" * MAX_FILE_BYTES
    assert len(decode(data)) == MAX_FILE_BYTES


def test_decode_refuses_a_file_one_byte_over_the_limit() -> None:
    assert decode_problem(b"#" * (MAX_FILE_BYTES + 1)) == (
        1,
        "file",
        "too large (262,145 bytes); the limit is 256 KiB",
    )


# --- parse: located values ---------------------------------------------------


def test_parse_keeps_the_line_of_every_value() -> None:
    root = parse("id: a\ndose:\n  hold: 20\nsteps:\n  - one\n  - two\n")
    assert root is not None
    assert root.line == 1
    assert root.value["id"] == Node("a", 1)
    dose = root.value["dose"]
    assert dose.is_mapping
    assert dose.value["hold"] == Node(20, 3)
    steps = root.value["steps"]
    assert steps.is_list
    assert steps.value == [Node("one", 5), Node("two", 6)]


def test_parse_builds_plain_scalars_only() -> None:
    root = parse("a: 1\nb: 2.5\nc: true\nd: ~\ne: text\n")
    assert root is not None
    assert {k: v.value for k, v in root.value.items()} == {
        "a": 1,
        "b": 2.5,
        "c": True,
        "d": None,
        "e": "text",
    }


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_parse_returns_none_for_an_empty_document(text: str) -> None:
    assert parse(text) is None


def test_parse_expands_a_small_alias() -> None:
    root = parse("a: &x [1, 2]\nb: *x\n")
    assert root is not None
    assert [n.value for n in root.value["b"].value] == [1, 2]


# --- parse: refusals ----------------------------------------------------------


def test_syntax_error_names_line_and_column() -> None:
    assert problem("id: a\n  name: b\n") == (
        2,
        "yaml",
        "mapping values are not allowed here (column 7)",
    )


def test_tab_indent_names_line_and_column() -> None:
    assert problem("id: a\n\tname: b\n") == (
        2,
        "yaml",
        "found character '\\t' that cannot start any token (column 1)",
    )


def test_two_documents_are_refused_in_plain_words() -> None:
    assert problem("a: 1\n---\nb: 2\n") == (
        2,
        "yaml",
        "expected a single document in the stream, but found another document (column 1)",
    )


def test_unclosed_list_names_where_the_file_ends() -> None:
    assert problem("id: a\nname: [b\n") == (
        3,
        "yaml",
        "expected ',' or ']', but got '<stream end>' (column 1)",
    )


def test_duplicate_key_names_both_lines() -> None:
    assert problem("id: a\nname: b\nid: c\n") == (3, "id", "appears twice (first on line 1)")


def test_duplicate_nested_key_names_both_lines() -> None:
    assert problem("dose:\n  hold: 5\n  reps: 2\n  hold: 6\n") == (
        4,
        "hold",
        "appears twice (first on line 2)",
    )


def test_duplicate_odd_key_keeps_the_field_clean() -> None:
    assert problem('"a:b": 1\n"a:b": 2\n') == (
        2,
        "yaml",
        "the key 'a:b' appears twice (first on line 1)",
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1: a\n", "1"), ("null: a\n", "null"), ("2001-01-01 10:00:00: a\n", "2001-01-01 10:00:00")],
)
def test_a_key_that_is_not_text_is_refused(text: str, shown: str) -> None:
    assert problem(text) == (1, "yaml", f"the key '{shown}' is not a word")


def test_a_list_as_a_key_is_refused() -> None:
    assert problem("? [a, b]\n: 1\n") == (1, "yaml", "a key must be a plain word")


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    line, field, message = problem(text)
    elapsed = time.perf_counter() - started
    assert (field, message) == (
        "file",
        f"too many values (over {MAX_NODES:,}); is an alias repeating?",
    )
    assert line >= 1
    # Expanded, this is 9**9 (387 million) strings; refusing it must not build them.
    assert elapsed < 1.0, f"took {elapsed:.2f} s"


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object/apply:os.system ['echo hi']\n",
        "x: !!python/object:builtins.dict {a: 1}\n",
        "x: !!python/object/new:builtins.list [[1]]\n",
    ],
)
def test_python_tags_on_collections_are_refused_not_ignored(text: str) -> None:
    line, field, message = problem(text)
    assert (line, field) == (1, "yaml")
    tag = text.split()[1]
    assert message == f"the tag '{tag}' is not allowed here"


def test_python_tag_on_a_scalar_is_refused() -> None:
    assert problem("x: !!python/name:os.system\n") == (
        1,
        "yaml",
        "could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'",
    )


@pytest.mark.parametrize(
    ("text", "tag"), [("x: !!set {a, b}\n", "!!set"), ("x: !mine [1]\n", "!mine")]
)
def test_other_collection_tags_are_refused(text: str, tag: str) -> None:
    assert problem(text) == (1, "yaml", f"the tag '{tag}' is not allowed here")


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_is_a_problem_with_its_line(char: str) -> None:
    line, field, message = problem(f"id: a\nname: b\nsource: c{char}d\n")
    assert (line, field) == (3, "file")
    assert message == (f"contains a control character (U+{ord(char):04X}) that YAML does not allow")


@pytest.mark.parametrize("text", ["[" * 1200, "{a: " * 3000])
def test_deep_nesting_is_a_problem_not_a_recursion_error(text: str) -> None:
    assert problem(text) == (1, "file", "nested too deeply")


@pytest.mark.parametrize(
    ("key", "plain"),
    [("hold", True), ("side word", True), ("", False), ("a:b", False), ("a\nb", False)],
)
def test_is_plain_key(key: str, plain: bool) -> None:
    assert is_plain_key(key) is plain
