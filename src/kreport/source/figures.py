"""The validator's figures: the ``metrics`` and ``fraud_types`` lists -> ``Metric`` and
``FraudType`` entries, their changes checked against their values, the fraud types' breakdown
and ``types_total`` worked out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from ..model import Better, Breakdown, Change, ChangeKind, FraudType, Metric, RawBriefing
from .keys import MAX_METRICS, MAX_TEXT, MAX_TYPES, METRIC_KEYS, TYPE_KEYS
from .scalars import Checks, show

_OTHER_LABELS = re.compile(r"^\s*(other|others|other types|其他|其它)", re.IGNORECASE)


class FigureChecks(Checks):
    def metrics(self, value: Any) -> tuple[Metric, ...]:
        out = []
        for path, t in self.table_list(value, "metrics", MAX_METRICS):
            self.unknown_keys(t, METRIC_KEYS, path)
            unit = self.text(t, "unit", f"{path}.unit", limit=MAX_TEXT["unit"])
            value_ = self.number(t, "value", f"{path}.value")
            previous = self.number(t, "previous", f"{path}.previous")
            better = t.get("better")
            if better is not None and better not in ("up", "down"):
                self.problem(f"{path}.better", f'expected "up" or "down", got {show(better)}')
                better = None
            out.append(
                Metric(
                    label=self.text(
                        t, "label", f"{path}.label", required=True, limit=MAX_TEXT["label"]
                    )
                    or "",
                    value=value_,
                    previous=previous,
                    change=self.change(t, path, value_, previous, points=unit == "%"),
                    money=self.flag(t, "money", f"{path}.money"),
                    unit=unit,
                    better=cast(Better | None, better),
                    headline=self.flag(t, "headline", f"{path}.headline"),
                )
            )
        return tuple(out)

    def change(
        self,
        t: Mapping[str, Any],
        path: str,
        value: float | None,
        previous: float | None,
        *,
        points: bool,
    ) -> Change | None:
        published = self.number(t, "change_pct", f"{path}.change_pct", signed=True)
        kind = ChangeKind.POINTS if points else ChangeKind.PERCENT
        if published is not None and not points and published < -100:
            self.problem(
                f"{path}.change_pct", f"a fall of more than 100% is impossible, got {published:g}"
            )
            return None
        derived: Change | None = None
        if value is not None and previous is not None:
            if points:
                derived = Change(value - previous, kind, derived=True)
            elif previous == 0:
                derived = Change(None if value else 0.0, ChangeKind.NEW if value else kind, True)
            else:
                derived = Change((value - previous) / previous * 100, kind, derived=True)
        if published is None:
            if derived is None and value is None and "value" not in t:
                self.problem(path, "a metric needs a value or a change_pct")
            return derived
        if derived is not None:
            if derived.amount is None:
                self.problem(
                    f"{path}.change_pct",
                    "previous is 0, so no percentage change exists; leave change_pct out",
                )
            elif abs(derived.amount - published) > _tolerance(published):
                self.problem(
                    f"{path}.change_pct",
                    f"{published:g} contradicts value and previous "
                    f"(which give {derived.amount:.2f})",
                )
        return Change(published, kind, derived=False)

    def fraud_types(self, value: Any) -> tuple[FraudType, ...]:
        out, seen = [], set()
        for path, t in self.table_list(value, "fraud_types", MAX_TYPES):
            self.unknown_keys(t, TYPE_KEYS, path)
            label = self.text(t, "label", f"{path}.label", required=True, limit=MAX_TEXT["label"])
            if label and label in seen:
                self.problem(f"{path}.label", f"{label!r} is listed twice")
            seen.add(label)
            counts = {
                k: self.number(t, k, f"{path}.{k}", integer=k.endswith("cases"))
                for k in ("cases", "losses", "previous_cases", "previous_losses")
            }
            other = self.flag(t, "other", f"{path}.other") or bool(
                label and _OTHER_LABELS.match(label)
            )
            out.append(
                FraudType(
                    label=label or "",
                    other=other,
                    cases=None if counts["cases"] is None else int(counts["cases"]),
                    previous_cases=(
                        None if counts["previous_cases"] is None else int(counts["previous_cases"])
                    ),
                    losses=counts["losses"],
                    previous_losses=counts["previous_losses"],
                )
            )
        return tuple(out)

    def breakdown(self, value: Any, types: tuple[FraudType, ...]) -> Breakdown | None:
        if not types:
            return None
        if value is not None:
            if value not in ("cases", "losses", "both"):
                self.problem(
                    "breakdown", f'expected "cases", "losses" or "both", got {show(value)}'
                )
                return None
            chosen = Breakdown(value)
            needed = ("cases", "losses") if chosen is Breakdown.BOTH else (chosen.value,)
            for i, t in enumerate(types):
                for key in needed:
                    if getattr(t, key) is None:
                        self.problem(
                            f"fraud_types[{i}].{key}",
                            f"missing, but breakdown = {chosen.value!r} needs it on every type",
                        )
            return chosen
        if all(t.cases is not None and t.losses is not None for t in types):
            return Breakdown.BOTH
        for kind in (Breakdown.CASES, Breakdown.LOSSES):
            if all(getattr(t, kind.value) is not None for t in types):
                return kind
        numbered = [i for i, t in enumerate(types) if t.cases is not None or t.losses is not None]
        if not numbered:
            return Breakdown.LIST
        for i in range(len(types)):
            if i not in numbered:
                self.problem(
                    f"fraud_types[{i}]",
                    "has no cases or losses while other types do; "
                    "give every type the same figure or none",
                )
        return None

    def types_total(
        self, raw: RawBriefing, types: tuple[FraudType, ...], breakdown: Breakdown | None
    ) -> float | None:
        total = self.number(raw, "types_total", "types_total")
        if total is None:
            return None
        if breakdown not in (Breakdown.CASES, Breakdown.LOSSES, Breakdown.BOTH):
            self.problem("types_total", "given, but the fraud types have no counts to share it")
            return None
        # with both measures drawn, the shares are of cases
        key = "cases" if breakdown is Breakdown.BOTH else breakdown.value
        parts = sum(getattr(t, key) or 0 for t in types)
        if parts > total * (1 + 1e-9):
            self.problem(
                "types_total",
                f"the fraud types add up to {parts:g}, more than types_total = {total:g}",
            )
        return total


def _tolerance(published: float) -> float:
    """Half a unit in the last published decimal: 12.5 allows 12.45..12.55."""
    text = repr(float(published))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return float(0.5 * 10.0**-decimals + 1e-9)
