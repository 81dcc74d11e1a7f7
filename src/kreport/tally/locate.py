"""Turn the validator's paths in a computed briefing (``metrics[0].value``) back into what the
user wrote: the tally's cells (``metrics!C14:C17``) or the briefing TOML's keys
(``columns."Reports".label``).

A tally briefing is validated like any data file, but nobody wrote its ``metrics[0]``: each
``Problem`` the validator finds is mapped here, so that no tally error names an internal path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import Problem
from .spec import PASSED_KEYS

_ENTRY = re.compile(r"(metrics|fraud_types)\[(\d+)\](?:\.([a-z_]+))?(.*)", re.DOTALL)
_BLOCK = re.compile(r"(trend|ranking)(?:\.([a-z_]+))?(?:\[(\d+)\](?:\.([a-z_]+))?)?(.*)", re.DOTALL)
_HEAD = re.compile(r"[^.\[]*")


@dataclass(frozen=True, slots=True)
class Place:
    """Where one computed entry (a metric or a fraud type) comes from."""

    source: str
    """The tally file its column is in."""
    header: str | None
    """Its column's header cell, such as ``metrics!C1``; None for a placeholder entry (the
    tally could not be read), whose problems other than its TOML keys' are left out."""
    settings: str | None = None
    """Its table in the briefing TOML, such as ``columns."Reports"``, if the TOML has one."""
    keys: frozenset[str] = frozenset()
    """The keys that table gives, which the TOML (not the tally) is answerable for."""
    cells: Mapping[str, str] = field(default_factory=dict)
    """Each computed key (``value``, ``previous``, ``cases``...) -> the cells added up for it."""


@dataclass(frozen=True, slots=True)
class Locator:
    """Maps a validator ``Problem`` of one computed briefing to its cell or TOML key."""

    toml: str
    """The briefing TOML, or the tally itself when there is none: where top-level keys are."""
    metrics: tuple[Place, ...] = ()
    fraud_types: tuple[Place, ...] = ()
    sheets: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """``metrics``/``fraud_types`` -> (file, sheet name), for problems with a whole list."""
    total: tuple[str, str] | None = None
    """(file, cells) the ``types_total`` was added up from."""
    measure: Place | None = None
    """The column the ``trend`` and the ``ranking`` show."""
    ranked: tuple[Mapping[str, tuple[str, str]], ...] = ()
    """Per ``ranking.regions`` entry: its keys (``name``, ``value``, ``population``...) ->
    (file, cell or TOML key); ``""`` -> the region's cell, for anything else."""
    trended: tuple[Mapping[str, tuple[str, str]], ...] = ()
    """Per ``trend.months`` entry: its keys (``month``, ``value``, ``previous``) -> (file,
    cells): that month's rows, never the column's header."""
    partial: bool = False
    """The briefing is a stand-in (the tally could not be read): only the TOML's own keys are
    checked, everything else is left out."""

    def __call__(self, problem: Problem) -> Problem | None:
        """The problem at the cell or TOML key it is about; None if it is about a stand-in."""
        message = problem.message
        entry = _ENTRY.fullmatch(problem.path)
        if entry is not None:
            places = self.metrics if entry[1] == "metrics" else self.fraud_types
            index, key, rest = int(entry[2]), entry[3], entry[4]
            if index >= len(places):
                return None if self.partial else self._sheet(entry[1], message)
            return self._at(places[index], key, rest, message)
        block = _BLOCK.fullmatch(problem.path)
        if block is not None:
            return self._block(block, message)
        if problem.path == "types_total" and self.total is not None:
            return Problem(self.total[1], message, self.total[0])
        if problem.path in self.sheets:
            return self._sheet(problem.path, message)
        head = _HEAD.match(problem.path)
        if head is not None and head.group() in PASSED_KEYS:
            return Problem(problem.path, message, self.toml)  # as written in the TOML
        return None if self.partial else Problem(problem.path, message, self.toml)

    def _at(self, place: Place, key: str | None, rest: str, message: str) -> Problem | None:
        """A problem with ``key`` of an entry: the TOML's if it gave the key, else the tally's."""
        if key is not None and key in place.keys and place.settings is not None:
            return Problem(f"{place.settings}.{key}{rest}", message, self.toml)
        if place.header is None:
            return None
        if key is not None and key in place.cells:
            return Problem(place.cells[key], message, place.source)
        return Problem(place.header, message, place.source)

    def _block(self, found: re.Match[str], message: str) -> Problem | None:
        """A problem with the ``trend`` or ``ranking`` computed from the measure's column."""
        key, index, sub, rest = found[2], found[3], found[4], found[5]
        if key in ("noun", "rate_per"):
            return Problem(("region_noun" if key == "noun" else key) + rest, message, self.toml)
        if key == "regions" and index is not None and int(index) < len(self.ranked):
            spots = self.ranked[int(index)]
            source, where = spots.get(sub or "", spots[""])
            return Problem(where + (rest if source == self.toml else ""), message, source)
        if key == "months" and index is not None and int(index) < len(self.trended):
            source, where = self.trended[int(index)].get(sub or "", self.trended[int(index)][""])
            return Problem(where, message, source)
        if key == "regions":
            return Problem("population", message, self.toml)  # rates need every population
        if self.measure is None:
            return None if self.partial else Problem(found[0], message, self.toml)
        return self._at(self.measure, key if key in ("label", "money") else None, rest, message)

    def _sheet(self, name: str, message: str) -> Problem:
        source, sheet = self.sheets.get(name, (self.toml, name))
        return Problem(sheet, message, source)
