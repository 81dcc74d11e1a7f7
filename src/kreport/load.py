"""Turn a data file (TOML, YAML or JSON bytes) into a ``RawBriefing`` mapping.

Nothing here knows what a briefing means; it only guarantees a bounded, well-formed mapping.
"""

from __future__ import annotations

import enum
import json
import tomllib
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .model import RawBriefing

MAX_FILE_BYTES = 1024 * 1024
"""Larger files are refused before parsing: a briefing is a few kilobytes."""
MAX_DEPTH = 16
"""Deepest nesting of tables and lists accepted; a briefing needs 4."""
MAX_NODES = 50_000
"""Most values (keys, strings, numbers, ...) accepted in one file."""


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
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(
            source, [Problem("", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    return loads(data, fmt, source)


def loads(data: bytes, fmt: Format, source: str = "<data>") -> RawBriefing:
    """Parse bytes in the given format into a bounded mapping."""

    def fail(message: str) -> InputError:
        return InputError(source, [Problem("", message)])

    if len(data) > MAX_FILE_BYTES:
        raise fail(f"file is larger than the {MAX_FILE_BYTES // 1024} KiB limit")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            f"not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise fail("file is empty")
    try:
        parsed = _PARSERS[fmt](text)
    except InputError as exc:
        raise InputError(source, exc.problems) from None
    except RecursionError:
        raise fail(f"nested more than {MAX_DEPTH} levels deep") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise fail(f"malformed {fmt.name}: {exc}") from None
    except _yaml_errors() as exc:
        raise fail(f"malformed YAML: {_one_line(exc)}") from None
    if not isinstance(parsed, dict):
        raise fail(f"expected a table of keys at the top level, got {_kind(parsed)}")
    _check_bounds(parsed, source)
    return parsed


def _parse_toml(text: str) -> Any:
    return tomllib.loads(text)


def _parse_json(text: str) -> Any:
    def no_constants(name: str) -> Any:
        raise InputError("", [Problem("", f"{name} is not a number kreport accepts")])

    return json.loads(text, parse_constant=no_constants)


def _parse_yaml(text: str) -> Any:
    import yaml  # only YAML files pay for this import

    class _Loader(yaml.SafeLoader):
        """SafeLoader (no Python tags) that also refuses aliases, so no alias bomb can expand."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, "YAML aliases (*name) are not supported", event.start_mark
                )
            return super().compose_node(parent, index)

    return yaml.load(text, Loader=_Loader)


_PARSERS = {Format.TOML: _parse_toml, Format.JSON: _parse_json, Format.YAML: _parse_yaml}


def _yaml_errors() -> tuple[type[Exception], ...]:
    import sys

    yaml = sys.modules.get("yaml")
    return (yaml.YAMLError,) if yaml is not None else ()


def _check_bounds(root: Any, source: str) -> None:
    nodes = 0
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise InputError(source, [Problem("", f"more than {MAX_NODES} values in one file")])
        if depth > MAX_DEPTH:
            raise InputError(source, [Problem("", f"nested more than {MAX_DEPTH} levels deep")])
        if isinstance(node, dict):
            for key in node:
                if not isinstance(key, str):
                    raise InputError(source, [Problem("", f"key {key!r} is not text")])
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
