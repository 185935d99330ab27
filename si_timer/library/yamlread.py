"""Safe YAML reading that remembers the line of every value.

Validation messages name ``FILE:LINE``, so the loader walks PyYAML's composed
node tree (built by the *safe* loader only) instead of the plain objects
``yaml.safe_load`` returns.  Size, encoding, duplicate keys and alias bombs are
caught here, before any schema check.
"""

from __future__ import annotations

from typing import Any

import yaml

from si_timer.records import record

MAX_FILE_BYTES = 256 * 1024
# Anchors and aliases can make a tiny file expand into millions of nodes
# ("billion laughs"); no exercise or routine comes near this many values.
MAX_NODES = 20_000
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def is_plain_key(key: str) -> bool:
    """Whether ``key`` can stand as the field of ``FILE:LINE: field: message``."""
    return bool(key) and ":" not in key and key.isprintable()


class YamlProblem(Exception):
    """A file that cannot be read as YAML at all; carries a line and a field."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.field = field
        self.message = message


@record(frozen=True)
class Node:
    """A YAML value with its 1-based line. Mappings and lists hold Nodes."""

    value: Any
    line: int

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


def decode(data: bytes) -> str:
    """The file's text, or a :class:`YamlProblem` naming the size or the bad byte."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(
            1,
            "file",
            f"too large ({len(data):,} bytes); the limit is {MAX_FILE_BYTES // 1024} KiB",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(
            line,
            "file",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise YamlProblem(
            data.count(b"\n", 0, data.index(b"\x00")) + 1, "file", "contains a NUL byte"
        )
    return text


def parse(text: str) -> Node | None:
    """Compose ``text`` with the safe loader and convert it to located Nodes.

    Returns None for an empty document.  The C (libyaml) safe loader reads the
    bundled library about ten times faster, which matters on the start-up
    path; any file it finds fault with is read again by the pure-Python safe
    loader, whose messages name the problem more clearly.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            c_loader = fast(text)
            try:
                root = c_loader.get_single_node()
                if root is None:
                    return None
                return _convert(c_loader, root, [0])
            finally:
                c_loader.dispose()
        except (yaml.YAMLError, YamlProblem, RecursionError, ValueError):
            pass  # read again below for the precise message
    return _parse_precisely(text)


def _parse_precisely(text: str) -> Node | None:
    try:
        # The reader checks every character up front, in the constructor.
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise YamlProblem(
            text.count("\n", 0, exc.position) + 1,
            "file",
            f"contains a control character (U+{exc.character:04X}) that YAML does not allow",
        ) from None
    try:
        try:
            root = loader.get_single_node()
        except RecursionError:  # the composer recurses once per nesting level
            raise YamlProblem(1, "file", "nested too deeply") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            column = f" (column {mark.column + 1})" if mark is not None else ""
            problem = exc.problem or exc.context or "invalid YAML"
            if exc.context and problem.startswith("but "):  # "expected X" / "but found Y"
                problem = f"{exc.context}, {problem}"
            raise YamlProblem(line, "yaml", f"{problem}{column}") from None
        except yaml.YAMLError as exc:
            raise YamlProblem(1, "yaml", str(exc).splitlines()[0]) from None
        if root is None:
            return None
        counter = [0]
        try:
            return _convert(loader, root, counter)
        except RecursionError:
            raise YamlProblem(1, "file", "nested too deeply") from None
    finally:
        loader.dispose()


def _convert(loader: Any, node: yaml.Node, counter: list[int]) -> Node:
    counter[0] += 1
    line = node.start_mark.line + 1
    if counter[0] > MAX_NODES:
        raise YamlProblem(
            line, "file", f"too many values (over {MAX_NODES:,}); is an alias repeating?"
        )
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        # The safe loader would build sets and ordered maps; other tags (say,
        # !!python/object) it cannot build at all.  Ignoring a tag would load
        # the file as something it does not say, so refuse it.
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)  # as the file wrote it
        raise YamlProblem(line, "yaml", f"the tag '{tag}' is not allowed here")
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise YamlProblem(key_line, "yaml", f"the key '{key_node.value}' is not a word")
            if key in items:
                first = f"first on line {items[key].line}"
                if is_plain_key(key):
                    raise YamlProblem(key_line, key, f"appears twice ({first})")
                raise YamlProblem(key_line, "yaml", f"the key {key!r} appears twice ({first})")
            items[key] = _convert(loader, value_node, counter)
        return Node(items, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(loader, child, counter) for child in node.value], line)
    return Node(_scalar(loader, node), line)


def _scalar(loader: Any, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlProblem(node.start_mark.line + 1, "yaml", "a key must be a plain word")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise YamlProblem(
            node.start_mark.line + 1, "yaml", exc.problem or "unreadable value"
        ) from None
    except ValueError as exc:  # e.g. a timestamp PyYAML cannot build
        raise YamlProblem(node.start_mark.line + 1, "yaml", str(exc)) from None
