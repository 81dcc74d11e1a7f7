"""The data-file format described for editors and people: a JSON Schema and a commented template.

The schema is built from the key tuples and limits ``validate`` enforces, so it cannot drift from
them: a key added there without a description here makes ``schema()`` fail, and the tests with
it. The validator stays the authority (it also checks sums, contradictions and fonts); the
schema is for completion and early squiggles in an editor.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any, get_args

from ..errors import OutputError
from ..model import ALIASES, LANGUAGES, RATE_BASES, Better, Breakdown, Comparison
from .keys import (
    MAX_HIGHLIGHTS,
    MAX_ISSUE_NUMBER,
    MAX_METRICS,
    MAX_NUMBER,
    MAX_REGIONS,
    MAX_TEXT,
    MAX_TREND_MONTHS,
    MAX_TYPES,
    METRIC_KEYS,
    MIN_TREND_MONTHS,
    RANKING_KEYS,
    REGION_KEYS,
    TOP_KEYS,
    TREND_KEYS,
    TREND_MONTH_KEYS,
    TYPE_KEYS,
)

JSONSchema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _text(description: str, limit: int, *, required: bool = False) -> JSONSchema:
    """A text field: one string for every edition, or a table with one string per language."""
    one: JSONSchema = {"type": "string", "maxLength": limit}
    if required:
        one["pattern"] = r"\S"  # the validator refuses blank required text
    return {
        "description": description,
        "anyOf": [
            one,
            {
                "type": "object",
                "description": "One text per language (a BCP 47 tag); every edition built "
                "needs its entry, or with fallback = true one along its fallback chain.",
                "properties": {lang: dict(one) for lang in TAGS},
                "additionalProperties": False,
                "minProperties": 1,
            },
        ],
    }


def _number(description: str, *, integer: bool = False, signed: bool = False) -> JSONSchema:
    return {
        "description": description,
        "type": "integer" if integer else "number",
        "maximum": MAX_NUMBER,
        "minimum": -MAX_NUMBER if signed else 0,
    }


TAGS = (*LANGUAGES, *ALIASES)


def _flag(description: str) -> JSONSchema:
    return {"description": description, "type": "boolean", "default": False}


def _enum(description: str, values: tuple[str, ...], default: str | None = None) -> JSONSchema:
    out: JSONSchema = {"description": description, "type": "string", "enum": list(values)}
    if default is not None:
        out["default"] = default
    return out


_METRIC: dict[str, JSONSchema] = {
    "label": _text("What is counted, e.g. 'Scam cases'.", MAX_TEXT["label"], required=True),
    "value": _number("This period's figure."),
    "previous": _number(
        "The comparison period's figure; with value, the change is computed (previous = 0 with a "
        "non-zero value shows 'new')."
    ),
    "change_pct": _number(
        "The published change in % (in percentage points when unit is '%'). With value and "
        "previous it must agree with them to half a unit of its last decimal.",
        signed=True,
    ),
    "money": _flag("True when value and previous are amounts in the briefing's currency."),
    "unit": _text(
        "Printed after the number, e.g. 'cards' or '名'; '%' means the figure is a percentage "
        "and its change is in percentage points.",
        MAX_TEXT["unit"],
    ),
    "better": _enum(
        "Which way is good news; colours the change. Leave out when neither.", get_args(Better)
    ),
    "headline": _flag(
        "True: one of the big key-figure tiles (at most 4). With none marked, the first four "
        "metrics are the tiles."
    ),
}

_TYPE: dict[str, JSONSchema] = {
    "label": _text("The fraud type's name; each only once.", MAX_TEXT["label"], required=True),
    "cases": _number("Cases this period.", integer=True),
    "losses": _number("Amount lost this period, in the briefing's currency."),
    "previous_cases": _number("Cases in the comparison period.", integer=True),
    "previous_losses": _number("Amount lost in the comparison period."),
    "other": _flag("True: the catch-all row, always drawn last."),
}


_TREND_MONTH: dict[str, JSONSchema] = {
    "month": {
        "description": "The month, YYYY-MM; each entry the month after the one before.",
        "type": "string",
        "pattern": r"^\d{4}-(0[1-9]|1[0-2])$",
    },
    "value": _number("The month's figure."),
    "previous": _number("The same month a year earlier; leave out when there is no figure."),
}

_REGION: dict[str, JSONSchema] = {
    "name": _text("The region's name; each only once.", MAX_TEXT["region"], required=True),
    "value": _number("The region's figure this period; 0 lists it among the regions with none."),
    "previous": _number("The comparison period's figure; the change is computed."),
    "population": {
        **_number("People living in the region: rates are computed from it."),
        "exclusiveMinimum": 0,
    },
    "previous_population": {
        **_number("The population in the comparison period, when it has changed."),
        "exclusiveMinimum": 0,
    },
    "focus": _flag("True: the region this briefing is about; the page says where it stands."),
}


def _table(
    keys: tuple[str, ...], props: dict[str, JSONSchema], required: list[str], description: str
) -> JSONSchema:
    differ = set(keys) ^ set(props)
    if differ:  # every key validate accepts must be described here, and only those
        raise RuntimeError(f"schema and validator disagree on keys: {sorted(differ)}")
    return {
        "type": "object",
        "description": description,
        "properties": {k: props[k] for k in keys},
        "required": required,
        "additionalProperties": False,
    }


_TOP: dict[str, JSONSchema] = {
    "title": _text("The briefing's title.", MAX_TEXT["title"], required=True),
    "agency": _text("Who publishes the briefing.", MAX_TEXT["agency"], required=True),
    "period": _text("The period the figures cover.", MAX_TEXT["period"], required=True),
    "baseline": _text("What the figures are compared with.", MAX_TEXT["baseline"]),
    "issued": {
        "description": "Date of issue, YYYY-MM-DD (a TOML date, or a string in YAML and JSON).",
        "type": "string",
        "format": "date",
    },
    "language": _enum("The edition built unless --lang is given (a BCP 47 tag).", TAGS, "en"),
    "fallback": _flag(
        "True: an edition whose entry a table of translations lacks takes the entry along its "
        "fallback chain (en-US: en; zh-HK, zh-TW: zh-Hant; zh-MO: zh-HK, zh-Hant), never another "
        "script's."
    ),
    "mixed_languages": _flag(
        "True: plain-string texts in another language than the edition's (English words in a "
        "Chinese edition, Chinese in an English one) are printed as they are instead of "
        "refused; a table's entry for the edition is never refused."
    ),
    "currency": {
        "description": "ISO 4217 code such as 'CNY'; required when any figure is money.",
        "type": "string",
        "pattern": "^[A-Z]{3}$",
    },
    "source": _text("Where the figures come from; printed in the footer.", MAX_TEXT["source"]),
    "marking": _text("Handling marking, printed boxed at the top right.", MAX_TEXT["marking"]),
    "note": _text("A short note at the foot of the page body.", MAX_TEXT["note"]),
    "highlights": {
        "description": "Bullet points, in order.",
        "type": "array",
        "maxItems": MAX_HIGHLIGHTS,
        "items": _text("One highlight.", MAX_TEXT["highlight"], required=True),
    },
    "metrics": {
        "description": "The summary table, key-figure tiles and change chart, in this order.",
        "type": "array",
        "maxItems": MAX_METRICS,
        "items": {
            **_table(METRIC_KEYS, _METRIC, ["label"], "A value, a change_pct, or both."),
            "anyOf": [{"required": ["value"]}, {"required": ["change_pct"]}],
        },
    },
    "fraud_types": {
        "description": "The breakdown chart. Give every type cases, or every type losses, or "
        "no type any number (then they are listed in the order given).",
        "type": "array",
        "maxItems": MAX_TYPES,
        "items": _table(TYPE_KEYS, _TYPE, ["label"], "One fraud type."),
    },
    "breakdown": _enum(
        "What the fraud-type block shows; by default both when every type has cases and "
        "losses, else cases when every type has cases, else losses.",
        tuple(b.value for b in Breakdown if b is not Breakdown.LIST),
    ),
    "comparison": _enum(
        "Year-on-year wording, or period-on-period (e.g. week on week).",
        get_args(Comparison),
        "last_year",
    ),
    "types_total": _number(
        "The published total the fraud types are part of (same measure as the breakdown); "
        "enables shares. The types may add up to less, never to more."
    ),
}


_TOP.update(
    {
        "trend": {
            **_table(
                TREND_KEYS,
                {
                    "label": _text(
                        "The measure shown month by month, e.g. 'Fraud reports'.",
                        MAX_TEXT["label"],
                        required=True,
                    ),
                    "money": _flag("True when the figures are amounts in the currency."),
                    "months": {
                        "description": "The period's months in order, each with the figure "
                        "of the same month a year earlier.",
                        "type": "array",
                        "minItems": MIN_TREND_MONTHS,
                        "maxItems": MAX_TREND_MONTHS,
                        "items": _table(
                            TREND_MONTH_KEYS, _TREND_MONTH, ["month", "value"], "A month."
                        ),
                    },
                },
                ["label", "months"],
                "The monthly trend: the period's months against the same months a year earlier.",
            ),
        },
        "ranking": _table(
            RANKING_KEYS,
            {
                "label": _text(
                    "The measure the regions are ranked on.", MAX_TEXT["label"], required=True
                ),
                "noun": _text(
                    "What the regions are called, plural: 'districts', '区县'.", MAX_TEXT["noun"]
                ),
                "money": _flag("True when the figures are amounts in the currency."),
                "rate_per": {
                    "description": "Rates per this many people (default 10000) when every "
                    "region has a population.",
                    "type": "integer",
                    "enum": list(RATE_BASES),
                },
                "regions": {
                    "description": "Every region of the area, in any order.",
                    "type": "array",
                    "minItems": 2,
                    "maxItems": MAX_REGIONS,
                    "items": _table(REGION_KEYS, _REGION, ["name", "value"], "One region."),
                },
            },
            ["label", "regions"],
            "The regions ranked on one measure, by rate when every region has a population.",
        ),
        "logo": {
            "description": "The agency's logo, a PNG or JPEG file relative to this file; "
            "SVG is not accepted.",
            "type": "string",
            # .png, .jpg, .jpeg in any case (JSON Schema patterns have no case-insensitive flag)
            "pattern": r"\.([pP][nN][gG]|[jJ][pP][eE]?[gG])$",
        },
        "issue_number": {
            "description": "The issue's number, printed 'No. 12' / '第12期'.",
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_ISSUE_NUMBER,
        },
        "contact": _text(
            "A contact line printed in the header, e.g. 'Anti-fraud hotline 96110'.",
            MAX_TEXT["contact"],
        ),
        "advice": _text(
            "A short prevention-advice text, boxed as 'Prevention advice' / '防范提示'.",
            MAX_TEXT["advice"],
        ),
    }
)


def schema() -> JSONSchema:
    """The JSON Schema (draft 2020-12) of a kreport data file."""
    top = _table(
        TOP_KEYS, _TOP, ["title", "agency", "period"], "A one-page fraud briefing's figures."
    )
    return {
        "$schema": DIALECT,
        "title": "kreport briefing data file",
        **top,
        "anyOf": [{"required": ["metrics"]}, {"required": ["fraud_types"]}],
    }


def schema_json() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def template() -> str:
    """The commented template data file, with placeholder content that builds as written."""
    return (files("kreport") / "data" / "template.toml").read_text(encoding="utf-8")


def write_template(path: Path, *, force: bool = False) -> Path:
    """Write the template to ``path``; refuses to replace an existing file unless ``force``."""
    from .._atomic import write_atomic

    if path.suffix.lower() != ".toml":
        raise OutputError(f"{path}: the template is TOML; give a file name ending in .toml", path)
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; use --force to overwrite it", path)
    return write_atomic(template().encode("utf-8"), path)
