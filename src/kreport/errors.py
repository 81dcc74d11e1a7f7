"""The exceptions kreport raises: one base class the CLI catches, specific subclasses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (a field path such as ``metrics[2].value``) and what."""

    path: str
    message: str
    source: str | None = None
    """The file the path is in, when it is not the one the error is about (a tally's briefing
    TOML names its workbook: a problem may be in either)."""

    def render(self, source: str) -> str:
        source = self.source or source
        where = f"{source}: {self.path}" if self.path else source
        return one_line(f"{where}: {self.message}")


_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """``text`` with every character that ends a line written as its escape (``\\n``), so a
    cell or key holding a line break is still reported as one ``error:`` line."""
    return text.translate(_LINE_BREAKS)


def describe(exc: BaseException) -> str:
    """An unexpected exception in one line, for a report that goes on: ``ValueError: bad``."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class KreportError(Exception):
    """Base class of every error kreport reports to its user; the CLI exits 1 on these."""


class InputError(KreportError):
    """A data file could not be read or is not a valid briefing; lists every problem found."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__("\n".join(p.render(source) for p in self.problems))


class LayoutError(KreportError):
    """The briefing cannot be laid out on exactly one page; the message names the cause."""


class UsageError(KreportError):
    """The request itself is contradictory (options that do not apply to the inputs given)."""


class OutputError(KreportError):
    """A file could not be written (unwritable folder, full disk, ...); ``path`` names it."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        super().__init__(message)


class DeliveryError(KreportError):
    """A briefing could not be delivered: too large, refused by the mail server, cannot connect."""


class KreportWarning(UserWarning):
    """Something the user should know that does not stop the build (a hidden sheet was used);
    the CLI prints it as a ``note:`` line."""
