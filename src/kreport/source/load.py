"""Turn a data file (TOML, YAML or JSON bytes) into a ``RawBriefing`` mapping.

Nothing here knows what a briefing means; it only guarantees a bounded, well-formed mapping of
plain values (text, numbers, booleans, dates, lists and tables), or an ``InputError`` saying
where the file is broken.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError, Problem
from ..model import RawBriefing

MAX_FILE_BYTES = 1024 * 1024
"""Larger files are refused after reading at most this + 1 bytes: a briefing is a few KiB."""
MAX_DEPTH = 16
"""Deepest nesting of tables and lists accepted; a briefing needs 4."""
MAX_NODES = 50_000
"""Most values (keys, strings, numbers, ...) accepted in one file."""

_PLAIN = (str, int, float, bool, dt.date, dt.time)  # dt.datetime is a dt.date


class Format(enum.Enum):
    TOML = "toml"
    YAML = "yaml"
    JSON = "json"

    @classmethod
    def from_path(cls, path: Path) -> Format:
        suffix = path.suffix.lower().lstrip(".")
        if suffix == "yml":
            return cls.YAML
        try:
            return cls(suffix)
        except ValueError:
            raise InputError(
                str(path), [Problem("", "unknown file type; expected .toml, .yaml, .yml or .json")]
            ) from None


def load(path: Path) -> RawBriefing:
    """Read and parse one data file, refusing it early if it is too large."""
    source = str(path)
    fmt = Format.from_path(path)
    data = read_bounded(path, MAX_FILE_BYTES)
    return loads(data, fmt, source)


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of the regular file ``path``; ``InputError`` if not one.

    A folder, FIFO, device or socket (also behind a symlink: ``x.csv -> /dev/zero``) is refused
    by name before it is opened, so nothing blocks on a FIFO and nothing reads an endless device.
    The limit applies to what is read, not to the size ``stat`` reports.
    """
    with open_regular(path) as fh:
        try:
            return fh.read(limit + 1)  # never more: a huge (or growing) file costs nothing
        except OSError as exc:
            raise _unreadable(str(path), exc) from None


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading if it is a regular file (see ``read_bounded``); for a reader
    that takes it a slice at a time."""
    source = str(path)
    try:
        mode: int | None = os.stat(path).st_mode
    except (OSError, ValueError):  # opening it says why, in the words a missing file gets
        mode = None
    if mode is not None:
        _refuse_special(mode, source)
    try:
        return path.open("rb")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise _unreadable(source, exc) from None


def _unreadable(source: str, exc: Exception) -> InputError:
    reason = getattr(exc, "strerror", None) or exc
    return InputError(source, [Problem("", f"cannot read file: {reason}")])


def _refuse_special(mode: int, source: str) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(source, [Problem("", "is a folder, not a file")])
    if not stat.S_ISREG(mode):
        raise InputError(
            source, [Problem("", f"is {_special(mode)}, not a regular file; it is not read")]
        )


def _special(mode: int) -> str:
    kinds = (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def loads(data: bytes, fmt: Format, source: str = "<data>") -> RawBriefing:
    """Parse bytes in the given format into a bounded mapping."""

    def fail(message: str, path: str = "") -> InputError:
        return InputError(source, [Problem(path, message)])

    if len(data) > MAX_FILE_BYTES:
        raise fail(f"file is larger than the {MAX_FILE_BYTES // 1024} KiB limit")
    text = _decode(data, fail)
    if not text.strip():
        raise fail("file is empty")
    try:
        parsed = _PARSERS[fmt](text)
    except InputError as exc:
        raise InputError(source, exc.problems) from None
    except RecursionError:
        raise fail(f"nested more than {MAX_DEPTH} levels deep") from None
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"malformed TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        where = f"at line {exc.lineno}, column {exc.colno}"
        raise fail(f"malformed JSON: {exc.msg} ({where})") from None
    except ValueError as exc:
        # int() refuses numbers of more than sys.get_int_max_str_digits() digits.
        if "Exceeds the limit" in str(exc):
            raise fail(f"malformed {fmt.name}: a number has thousands of digits") from None
        raise fail(f"malformed {fmt.name}: {exc}") from None
    except _yaml_errors() as exc:
        raise fail(f"malformed YAML: {_yaml_message(exc)}") from None
    if parsed is None:  # a YAML file of comments only
        raise fail("file has no data (only comments)")
    if not isinstance(parsed, dict):
        raise fail(f"expected a table of keys at the top level, got {_kind(parsed)}")
    _check_bounds(parsed, source)
    return parsed


def _decode(data: bytes, fail: Any) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("the file is UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            f"not UTF-8 text (byte 0x{data[exc.start]:02X} at line {line}, column {column}); "
            "save it as UTF-8"
        ) from None


def _parse_toml(text: str) -> Any:
    return tomllib.loads(text)


def _parse_json(text: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputError("", [Problem("", f"malformed JSON: the key {key!r} is repeated")])
            out[key] = value
        return out

    # NaN and Infinity parse to floats so that validation names the field they are in.
    return json.loads(text, object_pairs_hook=no_duplicates)


def _parse_yaml(text: str) -> Any:
    import yaml  # only YAML files pay for this import

    class _Loader(yaml.SafeLoader):
        """SafeLoader (no Python tags) that refuses aliases, so no alias bomb can expand, and
        repeated keys, which PyYAML would otherwise silently overwrite."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, "YAML aliases (*name) are not supported", event.start_mark
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} is repeated", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep)

    return yaml.load(text, Loader=_Loader)


_PARSERS = {Format.TOML: _parse_toml, Format.JSON: _parse_json, Format.YAML: _parse_yaml}


def _yaml_errors() -> tuple[type[Exception], ...]:
    import sys

    yaml = sys.modules.get("yaml")
    return (yaml.YAMLError,) if yaml is not None else ()


def _yaml_message(exc: BaseException) -> str:
    """PyYAML's multi-line report as one line: problem, position (1-based), then context."""
    problem = getattr(exc, "problem", None)
    mark = getattr(exc, "problem_mark", None)
    if not problem or mark is None:
        return " ".join(str(exc).split())
    tag = re.search(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'", problem)
    if tag:  # SafeLoader's refusal of !!python/... and other object-building tags
        problem = f"the tag !!{tag.group(1)} is not allowed"
    out = f"{problem} (at line {mark.line + 1}, column {mark.column + 1})"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None:
        out += f", {context} at line {context_mark.line + 1}, column {context_mark.column + 1}"
    return out


def _check_bounds(root: dict[str, Any], source: str) -> None:
    """Refuse huge or deep trees and values no briefing field can hold, naming where they are."""
    nodes = 0
    stack: list[tuple[Any, str, int]] = [(root, "", 1)]
    problems: list[Problem] = []
    while stack:
        node, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise InputError(source, [Problem("", f"more than {MAX_NODES} values in one file")])
        if depth > MAX_DEPTH:
            raise InputError(source, [Problem("", f"nested more than {MAX_DEPTH} levels deep")])
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    stack.append((value, f"{path}.{key}" if path else key, depth + 1))
                else:
                    problems.append(Problem(path, f"the key {key!r} is not text; quote it"))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))
        elif node is not None and not isinstance(node, _PLAIN):
            problems.append(Problem(path, f"{_kind(node)} is not a value kreport accepts"))
    if problems:
        raise InputError(source, sorted(problems, key=lambda p: p.path))


def _kind(value: Any) -> str:
    kinds = {list: "a list", str: "text", int: "a number", float: "a number", bytes: "binary data"}
    return kinds.get(type(value), f"a {type(value).__name__}")
