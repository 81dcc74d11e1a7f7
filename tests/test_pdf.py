"""The built PDFs, read back by independent readers: pages, text, fonts, metadata, bytes."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import kreport
from kreport.model import Breakdown, Briefing
from kreport.page import numbers
from kreport.page.charts import bar_text, change_groups
from kreport.page.precision import figures
from pdfread import PdfFacts, missing_from, read_pdf

EXAMPLES = ["karamay-en", "karamay-zh", "singapore-en", "jieyang-zh", "jieyang-en"]
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def briefing_of(key: str) -> Briefing:
    name, lang = key.split("-")
    return kreport.parse(kreport.example_path(name), lang)


def expected_texts(b: Briefing) -> list[str]:
    """Every text and formatted figure the page must show, computed from the briefing itself."""
    lang, cur = b.language, b.currency
    out = [b.title, b.agency, b.period, *b.highlights]
    out += [t for t in (b.baseline, b.source, b.marking, b.note) if t]
    if b.issued:
        out.append(numbers.date(b.issued, lang))
    shown = figures(b)  # one precision per column, changes to what their figures support
    for i, m in enumerate(b.metrics):
        out.append(m.label)
        out += [v for v in (shown.this[i], shown.last[i]) if v is not None]
        if m.change is not None:
            out.append(numbers.change_words(m.change, lang, shown.decimals(m)))
    for _, metrics in change_groups(b):  # the change charts' bar-end labels
        for m in metrics:
            out.append(bar_text(m, lang, shown.decimals(m)))
    for t in b.fraud_types:
        out.append(t.label)
        if b.breakdown is Breakdown.CASES:
            assert t.cases is not None
            out.append(numbers.number(t.cases, lang))
        elif b.breakdown is Breakdown.LOSSES:
            assert t.losses is not None
            out.append(numbers.money(t.losses, cur, lang))
    return out


@pytest.mark.parametrize("key", EXAMPLES)
def test_exactly_one_a4_page(facts: dict[str, PdfFacts], key: str) -> None:
    f = facts[key]
    assert f.pages == 1
    assert f.page_size == pytest.approx(A4, abs=0.01)


def test_letter_paper() -> None:
    f = read_pdf(kreport.build_bytes(kreport.example_path("karamay"), paper="letter"))
    assert f.pages == 1
    assert f.page_size == pytest.approx(LETTER, abs=0.01)


@pytest.mark.parametrize("key", EXAMPLES)
def test_every_label_and_figure_is_in_the_text(facts: dict[str, PdfFacts], key: str) -> None:
    expected = expected_texts(briefing_of(key))
    assert len(expected) > 15
    assert missing_from(facts[key], expected) == []


PUBLISHED = {
    "karamay-en": [
        "12.5%",
        "171%",
        "151",
        "954 cards",
        "CNY 1,902,600",  # published: 1.9026 million yuan; a short form would lose digits
        "CNY 113,500",
        "CNY 629,100",
        "41,573",
        "Issued 9 May 2023",
        "Page 1 of 1",
    ],
    "karamay-zh": [
        "下降12.5%",
        "上升171%",
        "151名",
        "954张",
        "190.26万元",
        "11.35万元",
        "62.91万元",
        "41,573条",
        "2023年5月9日",
        "第1页，共1页",
    ],
    "singapore-en": ["46,563", "31,728", "SGD 651.8 million", "SGD 13,999", "46.8%", "9,914"],
    "jieyang-zh": ["67起", "64万元", "下降86%", "6,029条", "16 · 24%", "8 · 12%"],
    "jieyang-en": ["CNY 640,000", "6,029", "86%", "Order-brushing rebates"],
}


@pytest.mark.parametrize("key", EXAMPLES)
def test_published_facts_literally(facts: dict[str, PdfFacts], key: str) -> None:
    assert missing_from(facts[key], PUBLISHED[key]) == []


def test_chart_labels_are_text(facts: dict[str, PdfFacts]) -> None:
    assert missing_from(facts["karamay-en"], ["+171%", "\u221212.5%"]) == []
    types = ["Job scams", "E-commerce scams", "Fake friend call scams", "Phishing scams"]
    assert missing_from(facts["singapore-en"], [*types, "Malware-enabled scams", "+46.8%"]) == []
    assert missing_from(facts["singapore-en"], ["This period", "Last year"]) == []


@pytest.mark.parametrize("key", EXAMPLES)
def test_fonts_embedded_and_subset(facts: dict[str, PdfFacts], key: str) -> None:
    fonts = facts[key].fonts
    assert fonts, "no fonts found"
    for name, embedded in fonts.items():
        assert embedded, f"{name} is not embedded"
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), f"{name} is not a subset"
        assert not any(b in name for b in BASE14), f"{name} is a base-14 font"


@pytest.mark.parametrize("highlights", [True, False])
def test_every_font_is_embedded_with_or_without_main_points(highlights: bool) -> None:
    """The numbered type list takes its numbers' font from its own style: on a page without
    main points (whose bullets once set it for both) it fell back to unembedded Helvetica."""
    path = Path(__file__).parent / "data" / "gallery" / "types-list.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if not highlights:
        del data["highlights"]
    facts = read_pdf(kreport.build_bytes(data))
    assert "1. Fake parcel-delivery messages" in " ".join(facts.text.split())
    for name, embedded in facts.fonts.items():
        assert embedded and not any(b in name for b in BASE14), name


@pytest.mark.parametrize("key", EXAMPLES)
def test_charts_are_vector(facts: dict[str, PdfFacts], key: str) -> None:
    assert facts[key].images == 0


@pytest.mark.parametrize("key", EXAMPLES)
def test_metadata(facts: dict[str, PdfFacts], key: str) -> None:
    b, f = briefing_of(key), facts[key]
    assert f.metadata["/Title"] == b.title
    assert f.metadata["/Author"] == b.agency
    assert b.period in f.metadata["/Subject"]
    assert f.lang == {"en": "en-GB", "zh": "zh-CN"}[b.language]


@pytest.mark.parametrize(
    ("key", "stamp"),
    [("karamay-en", "D:20230509000000"), ("singapore-en", "D:20240218000000")],
)
def test_creation_date_is_the_issue_date(facts: dict[str, PdfFacts], key: str, stamp: str) -> None:
    assert facts[key].metadata["/CreationDate"].startswith(stamp)


@pytest.mark.parametrize("key", ["karamay-en", "karamay-zh", "singapore-en"])
def test_rebuilds_are_byte_identical(built: dict[str, bytes], key: str) -> None:
    name, lang = key.split("-")
    assert kreport.build_bytes(kreport.example_path(name), language=lang) == built[key]


def test_source_date_epoch_without_issued(monkeypatch: pytest.MonkeyPatch) -> None:
    path = kreport.example_path("jieyang")  # has no `issued`
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    first = kreport.build_bytes(path)
    assert kreport.build_bytes(path) == first
    assert read_pdf(first).metadata["/CreationDate"].startswith("D:20231114221320")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert kreport.build_bytes(path) != first  # the date really comes from the variable


@pytest.mark.slow
def test_fresh_process_builds_the_same_bytes(built: dict[str, bytes]) -> None:
    """No state left over in this process (registered fonts, matplotlib rc) changes the bytes."""
    code = "import sys, kreport; sys.stdout.buffer.write(kreport.build_bytes('{}', 'zh'))"
    path = str(kreport.example_path("karamay"))
    run = subprocess.run(
        [sys.executable, "-c", code.format(path)], capture_output=True, check=True, timeout=120
    )
    assert run.stdout == built["karamay-zh"]


MARKUP = ["R&D <b>x</b>", '<img src="/etc/hostname"/>', "$5 to $10", "a<b and c>d", "&amp;"]


def markup_briefing() -> dict[str, Any]:
    return {
        "title": MARKUP[0],
        "agency": MARKUP[4],
        "period": MARKUP[2],
        "issued": dt.date(2024, 1, 1),
        "source": MARKUP[3],
        "highlights": MARKUP,
        "metrics": [
            {"label": text, "value": i + 1, "change_pct": 10 * (i + 1)}
            for i, text in enumerate(MARKUP)
        ],
        "fraud_types": [{"label": text, "cases": 5 - i} for i, text in enumerate(MARKUP)],
    }


def test_markup_in_data_prints_literally() -> None:
    f = read_pdf(kreport.build_bytes(markup_briefing()))
    assert f.pages == 1
    assert f.images == 0  # <img> did not pull a file in
    assert missing_from(f, MARKUP) == []
    squashed = "".join(f.text.split())
    # each label is printed in the table, the year-on-year chart and the types chart
    assert squashed.count("$5to$10") >= 4
    assert squashed.count("R&D<b>x</b>") >= 4
    assert "R&D;" not in f.text


def test_markup_in_chinese_data_prints_literally() -> None:
    data = {**markup_briefing(), "mixed_languages": True}  # the markup is Latin text
    f = read_pdf(kreport.build_bytes(data, language="zh"))
    assert missing_from(f, MARKUP) == []


@pytest.mark.parametrize(("lang", "budget"), [("en", 60_000), ("zh", 150_000)])
def test_size_budget(built: dict[str, bytes], lang: str, budget: int) -> None:
    for key, data in built.items():
        if key.endswith(lang):
            assert len(data) <= budget, f"{key} is {len(data)} bytes"


def test_a_render_leaves_its_objects_to_reference_counting() -> None:
    """The document, its canvas, text objects and structure tree are freed when ``render``
    returns, not left in cycles for the collector (which would walk the whole process every
    few pages); the same layout renders to the same bytes again."""
    import gc

    from reportlab.pdfbase.pdfdoc import PDFObject
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject

    from kreport.page.layout import lay_out
    from kreport.page.pdf import render
    from kreport.page.tags import Node

    kinds = (Canvas, PDFObject, PDFTextObject, Node)
    for key in ("karamay-en", "jieyang-zh"):
        layout = lay_out(briefing_of(key))
        first = render(layout)
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            again = render(layout)
            gc.collect()
            left = [type(o).__name__ for o in gc.garbage if isinstance(o, kinds)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
        assert again == first
        assert left == [], key
