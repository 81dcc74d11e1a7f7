"""Random briefings: valid ones give exactly one readable page or a specific KreportError; invalid
ones always a clean InputError. Never any other exception.

Examples per test come from the hypothesis profile (conftest.py): "ci" by default,
HYPOTHESIS_PROFILE=thorough for many more.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kreport
from kreport import fonts
from kreport.errors import InputError, KreportError
from kreport.model import LANGUAGES
from kreport.source.keys import MAX_HIGHLIGHTS, MAX_METRICS, MAX_TEXT, TOP_KEYS, text_length
from kreport.source.load import Format, loads
from kreport.source.script import one_script
from pdfread import read_pdf

# Han characters common to both scripts: a Simplified-only one in a Traditional edition (or the
# reverse) is refused by design (tests/test_traditional.py), which is not what is tested here.
_ONE_SCRIPT = {ord(c) for table in one_script().values() for c in table}
_CJK = sorted(
    c for c in fonts._cmap(fonts.CJK.regular) if 0x4E00 <= c <= 0x9FFF and c not in _ONE_SCRIPT
)
LATIN = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éüñçøß&<>$\"'%()-.,"
)
CJK = st.sampled_from([chr(c) for c in _CJK] + list("，。、（）：" + "  "))
MIXED = st.one_of(LATIN, CJK)


@st.composite
def text(draw: st.DrawFn, limit: int, script: st.SearchStrategy[str] | None = None) -> str:
    chars = script or draw(st.sampled_from([LATIN, CJK, MIXED]))
    value = draw(st.text(chars, min_size=1, max_size=limit))
    while text_length(" ".join(value.split())) > limit:  # a Chinese character counts two
        value = value[:-1]
    return value if value.strip() else "x"  # a blank required text is invalid, not random


NUMBER = st.one_of(
    st.integers(0, 10**15),
    st.floats(1e-6, 1e15),
    st.sampled_from([0, 0.001, 1e14, 1e15, 123_456_789.5]),
)


@st.composite
def metric(draw: st.DrawFn) -> dict[str, Any]:
    m: dict[str, Any] = {"label": draw(text(MAX_TEXT["label"]))}
    m["value"] = draw(NUMBER)
    if draw(st.booleans()):
        m["previous"] = draw(NUMBER)
    for key, strategy in (
        ("money", st.booleans()),
        ("better", st.sampled_from(["up", "down"])),
        ("headline", st.booleans()),
        ("unit", st.sampled_from(["%", "cases", "起", "个"])),
    ):
        if draw(st.booleans()):
            m[key] = draw(strategy)
    if m.get("unit") == "%":
        m.pop("money", None)
    return m


@st.composite
def briefing(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "title": draw(text(MAX_TEXT["title"])),
        "agency": draw(text(MAX_TEXT["agency"])),
        "period": draw(text(MAX_TEXT["period"])),
        "language": draw(st.sampled_from(LANGUAGES)),
        "currency": draw(st.sampled_from(["CNY", "SGD", "USD", "EUR"])),
        "mixed_languages": True,  # random Latin and Chinese text in every edition
    }
    for key in ("baseline", "source", "marking", "note"):
        if draw(st.booleans()):
            raw[key] = draw(text(MAX_TEXT[key]))
    if draw(st.booleans()):
        raw["highlights"] = draw(st.lists(text(MAX_TEXT["highlight"]), max_size=MAX_HIGHLIGHTS))
    raw["metrics"] = draw(st.lists(metric(), max_size=MAX_METRICS))
    labels = draw(
        st.lists(text(MAX_TEXT["label"]), max_size=30, unique_by=lambda s: " ".join(s.split()))
    )
    figure = draw(st.sampled_from(["cases", "losses", None]))
    types = []
    for label in labels:
        t: dict[str, Any] = {"label": label}
        if figure == "cases":
            t["cases"] = draw(st.integers(0, 10**9))
        elif figure == "losses":
            t["losses"] = draw(NUMBER)
        types.append(t)
    raw["fraud_types"] = types
    if not raw["metrics"] and not types:
        raw["metrics"] = [{"label": "Cases", "value": 1}]
    return raw


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(briefing())
def test_valid_briefings_give_one_page(raw: dict[str, Any]) -> None:
    """Within the documented limits a briefing always fits one page: never a LayoutError."""
    try:
        data = kreport.build_bytes(raw)
    except InputError as exc:  # only characters the fonts lack may be refused here
        assert all("bundled fonts" in p.message for p in exc.problems), str(exc)
        return
    facts = read_pdf(data)
    assert facts.pages == 1


# -- invalid input ----------------------------------------------------------------------------

JSONISH = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),  # NaN and infinities included
        st.text(max_size=30),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
NUMBER_FIELDS = ["metrics[0].value", "metrics[0].previous", "fraud_types[0].cases"]
TEXT_FIELDS = ["title", "agency", "period", "metrics[0].label", "fraud_types[0].label"]
BASE: dict[str, Any] = {
    "title": "T",
    "agency": "A",
    "period": "P",
    "metrics": [{"label": "M", "value": 1}],
    "fraud_types": [{"label": "F", "cases": 2}],
}


def _put(raw: dict[str, Any], path: str, value: Any) -> None:
    table = raw
    if "." in path:
        head, path = path.split(".")
        table = raw[head.split("[")[0]][0]
    table[path] = value


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value == 0 or 1e-6 <= value <= 1e15)
    )


@given(
    field=st.sampled_from(NUMBER_FIELDS + TEXT_FIELDS + ["issued", "language", "currency"]),
    value=JSONISH,
)
def test_random_values_in_fields_give_a_clean_input_error(field: str, value: Any) -> None:
    raw = json.loads(json.dumps(BASE))
    _put(raw, field, value)
    wrong = (field in NUMBER_FIELDS and not _is_number(value) and value is not None) or (
        field in TEXT_FIELDS and not isinstance(value, str | dict)
    )
    try:
        kreport.parse(raw)
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert not wrong, f"{field} = {value!r} was accepted"


@given(key=st.text(min_size=1, max_size=12), value=JSONISH)
def test_unknown_keys_are_always_refused(key: str, value: Any) -> None:
    raw = json.loads(json.dumps(BASE))
    if key in TOP_KEYS:
        key = key + "_x"
    raw[key] = value
    try:
        kreport.parse(raw)
    except InputError as exc:
        # a top-level key's path is the key itself, dots and all
        assert any(p.path == key and "unknown key" in p.message for p in exc.problems)
        return
    raise AssertionError(f"unknown key {key!r} accepted")


@given(data=st.binary(max_size=300), fmt=st.sampled_from(list(Format)))
def test_random_bytes_never_crash_the_loader(data: bytes, fmt: Format) -> None:
    try:
        raw = loads(data, fmt, "f")
        kreport.parse(raw)
    except InputError:
        pass


@given(doc=st.dictionaries(st.text(max_size=10), JSONISH, max_size=6))
def test_random_json_documents_never_crash(doc: dict[str, Any]) -> None:
    with contextlib.suppress(InputError):
        kreport.parse(loads(json.dumps(doc).encode(), Format.JSON, "f.json"))


# -- metrics at their limits --------------------------------------------------------------------

WIDE_UNIT = st.sampled_from(["W" * MAX_TEXT["unit"], "大" * (MAX_TEXT["unit"] // 2), "%", "cases"])
EXTREME = st.sampled_from([0, 1, 19, 999_999, 9_999_999, 999_999_999_999_999, 10**15, 1.005e-6])


@st.composite
def extreme_metric(draw: st.DrawFn) -> dict[str, Any]:
    longest = MAX_TEXT["label"]
    labels = ["W" * longest, "大" * (longest // 2), "Wide " * (longest // 5), "Reports"]
    m: dict[str, Any] = {"label": draw(st.sampled_from(labels)).strip()}
    m["value"] = draw(EXTREME)
    if draw(st.booleans()):
        m["previous"] = draw(EXTREME)
    elif draw(st.booleans()):
        m["change_pct"] = draw(st.sampled_from([0.001, -99.99, 123_456_789.25]))
    if draw(st.booleans()):
        m["money"] = True
    else:
        m["unit"] = draw(WIDE_UNIT)
    m["better"] = draw(st.sampled_from(["up", "down"]))
    m["headline"] = draw(st.booleans())
    return m


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    metrics=st.lists(extreme_metric(), min_size=1, max_size=MAX_METRICS),
    language=st.sampled_from(LANGUAGES),
    paper=st.sampled_from(["a4", "letter"]),
)
def test_metrics_at_their_limits_give_one_page_or_a_kreport_error(
    metrics: list[dict[str, Any]], language: str, paper: Any
) -> None:
    """Huge figures from a base of 1 with the longest units and labels: the table's columns
    squeeze (a change breaks between words) and never raise anything but a KreportError."""
    raw = {"title": "T", "agency": "A", "period": "P", "currency": "USD", "metrics": metrics}
    try:
        data = kreport.build_bytes(raw, language, paper)
    except KreportError:
        return
    assert read_pdf(data).pages == 1
