"""Tagged PDF (PDF/UA-1): an independent checker passes every page; the structure tree and the
order a screen reader follows are read back from the file and compared with the briefing."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import ImageChops

import kreport
from bothways import GALLERY_PAGES
from kreport.model import LANGUAGES, Breakdown, Briefing, ChangeKind, bcp47
from kreport.page import spoken
from kreport.page.charts import change_groups
from kreport.page.layout import lay_out
from kreport.page.pdf import render
from kreport.page.precision import figures
from kreport.page.words import words
from pdfread import render_png, squash
from tagread import Elem, mcid_texts, reading_order, structure

EXAMPLES = [
    "karamay-en",
    "karamay-zh",
    "singapore-en",
    "jieyang-zh",
    "jieyang-en",
    "hongkong-zh-HK",
    "hongkong-zh-TW",
]


def briefing_of(key: str) -> Briefing:
    name, lang = key.split("-", 1)
    return kreport.parse(kreport.example_path(name), lang)


def base(**extra: Any) -> dict[str, Any]:
    return {"title": "Weekly briefing", "agency": "Test Police", "period": "Week 1", **extra}


METRICS_EN = [
    "Reports received",
    "Cases solved",
    "Suspects arrested",
    "Bank cards stopped",
    "Accounts frozen",
    "Funds returned",
    "Warnings sent",
    "Victims dissuaded",
]
METRICS_ZH = [
    "电信网络诈骗警情",
    "破获案件",
    "抓获犯罪嫌疑人",
    "止付银行卡",
    "冻结涉案资金",
    "返还涉案资金",
]
TYPES_EN = [
    "Investment scams",
    "Phishing messages",
    "Impersonating officials",
    "Online shopping",
    "Romance scams",
    "Fake loans",
    "Job scams",
    "Tech support",
    "Ticket scams",
    "Rental scams",
    "Lottery scams",
    "Other frauds",
]
TYPES_ZH = [
    "刷单返利类",
    "虚假投资理财类",
    "冒充客服类",
    "虚假网络贷款类",
    "冒充公检法类",
    "网络游戏交易类",
    "网络婚恋交友类",
    "冒充熟人类",
]

# pages unlike the bundled examples: every block at once, a breakdown chart with last year's
# bars, the comparison with the previous period, a page without charts, a Chinese heavy page
STRESS: dict[str, dict[str, Any]] = {
    "everything": base(
        baseline="Week 0",
        issued="2024-01-08",
        marking="OFFICIAL",
        source="Test data",
        note="Figures are provisional & subject to change <b>.",
        highlights=[f"Point {i}: reports fell in district {i}." for i in range(1, 6)],
        metrics=[
            {"label": label, "value": 100 * i, "previous": 90 * i + 7, "better": "down"}
            for i, label in enumerate(METRICS_EN, 1)
        ],
        fraud_types=[
            {"label": label, "cases": 40 - 3 * i, "previous_cases": 30 + i}
            for i, label in enumerate(TYPES_EN)
        ],
    ),
    "previous-period": base(
        comparison="previous_period",
        currency="USD",
        metrics=[{"label": "Reports", "value": 120, "previous": 100, "headline": True}],
        fraud_types=[{"label": t, "losses": 1000.0 * (i + 1)} for i, t in enumerate(TYPES_EN[:4])],
    ),
    "no-charts": base(metrics=[{"label": f"Metric {i}", "value": i * 7} for i in range(1, 5)]),
    "zh-heavy": {
        "title": "电信网络诈骗情况通报",
        "agency": "某市公安局",
        "period": "2024年第一季度",
        "language": "zh",
        "currency": "CNY",
        "highlights": ["警情同比下降，破案数上升。", "返还资金创新高。"],
        "metrics": [
            {"label": label, "value": 1000 * i, "previous": 900 * i, "better": "up"}
            for i, label in enumerate(METRICS_ZH, 1)
        ],
        "fraud_types": [
            {"label": t, "losses": 10000.0 * (10 - i), "previous_losses": 9000.0 * i}
            for i, t in enumerate(TYPES_ZH)
        ],
    },
}


@pytest.fixture(scope="session")
def stress() -> dict[str, bytes]:
    return {key: kreport.build_bytes(data) for key, data in STRESS.items()}


# figures in a chart's alternative text: digits, separators, signs, brackets
FIGURES = re.compile(r"[\d.,:;%+\u2212\u2192·()（）：；\s]+")


def outloud_findings(data: bytes, path: Path) -> list[str]:
    """What outloud reports on ``data``, except one heuristic explained away: FIG-012 ("does not
    read as language", under half letters) is dropped when every Figure's alternative text,
    once its figures are taken out, is words. A chart's description is mostly numbers when its
    labels are short, as Chinese labels are ("網購騙案 11,449, 29%")."""
    from outloud import check

    path.write_bytes(data)
    result = check(str(path))
    assert result.error is None, result.error
    found = [f"{f.rule} {f.severity}: {f.message}" for f in result.sorted_findings()]
    tagged = result.stats.get("tagged")
    alts = [f.alt or "" for f in structure(data).elements("Figure")] if tagged else []
    if alts and all(reads_as_words(a) for a in alts):
        found = [f for f in found if not f.startswith("FIG-012 warning")]
    return found


def reads_as_words(alt: str) -> bool:
    rest = FIGURES.sub("", alt)
    return len(rest) >= 4 and sum(c.isalpha() for c in rest) / len(rest) >= 0.8


def test_figures_taken_out_leave_words_or_not() -> None:
    assert reads_as_words("各類騙案宗數：網購騙案 11,449, 29%；假冒客服騙案 3,993, 10%")
    assert not reads_as_words("x_1 / y_2 / z_3 = 12, 13")
    assert not reads_as_words("11,449; 3,993")


def editions(source: Path) -> dict[str, bytes]:
    """``source`` built in every edition its texts allow."""
    out = {}
    for lang in LANGUAGES:
        try:
            out[lang] = kreport.build_bytes(source, language=lang)
        except kreport.InputError:
            continue  # no texts for this edition, or texts in another script
    return out


@pytest.mark.parametrize("name", kreport.example_names())
def test_outloud_passes_every_example_in_every_edition(name: str, tmp_path: Path) -> None:
    built = editions(kreport.example_path(name))
    assert len(built) >= 1
    for lang, data in built.items():
        assert outloud_findings(data, tmp_path / f"{lang}.pdf") == [], lang


@pytest.mark.parametrize("key", list(STRESS))
def test_outloud_passes_stress_pages(stress: dict[str, bytes], key: str, tmp_path: Path) -> None:
    assert outloud_findings(stress[key], tmp_path / f"{key}.pdf") == []


@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_outloud_passes_the_gallery(path: Path, tmp_path: Path) -> None:
    """Every stress file of the gallery, in each edition its texts allow."""
    built = editions(path)
    assert len(built) >= 1
    for lang, data in built.items():
        assert outloud_findings(data, tmp_path / f"{lang}.pdf") == [], lang


def test_outloud_fails_an_untagged_page(tmp_path: Path) -> None:
    """The checker can fail: the same page without tags is rejected."""
    b = kreport.parse(kreport.example_path("karamay"))
    findings = outloud_findings(render(lay_out(b), tagged=False), tmp_path / "untagged.pdf")
    assert any(f.startswith("DOC-002 error") for f in findings)


@pytest.mark.parametrize("key", EXAMPLES)
def test_document_level_entries(built: dict[str, bytes], key: str) -> None:
    b = briefing_of(key)
    with pikepdf.open(io.BytesIO(built[key])) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == bcp47(b.language)
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert root.StructTreeRoot.ParentTreeNextKey == 1
        page = pdf.pages[0].obj
        assert page.StructParents == 0
        assert page.Tabs == pikepdf.Name.S
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == b.title
            assert meta["pdfuaid:part"] == "1"
            assert "pdfaid:part" not in meta  # PDF/A is claimed only on request


@pytest.mark.parametrize("key", EXAMPLES)
def test_parent_tree_maps_every_mcid_to_its_element(built: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(built[key])) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        assert int(nums[0]) == 0
        parents = nums[1]
        for mcid, elem in enumerate(parents):
            kids = elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]
            assert mcid in [int(k) for k in kids if isinstance(k, int)]
            assert elem.Pg.objgen == pdf.pages[0].obj.objgen
    content_mcids = [k for k in mcid_texts(built[key]) if k is not None]
    assert sorted(content_mcids) == list(range(len(parents)))


# operators that only change the graphics state: allowed outside marked content
STATE_OPS = {"q", "Q", "cm", "rg", "RG", "g", "G", "w", "J", "j", "d", "M", "gs", "W", "W*", "n"}


@pytest.mark.parametrize("key", EXAMPLES)
def test_everything_drawn_is_tagged_or_an_artifact(built: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(built[key])) as pdf:
        depth, loose, artifacts = 0, [], 0
        for instr in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(instr.operator)
            if op in ("BDC", "BMC"):
                assert depth == 0, "marked content nested"
                depth += 1
                artifacts += str(instr.operands[0]) == "/Artifact"
            elif op == "EMC":
                depth -= 1
            elif depth == 0 and op not in STATE_OPS:
                loose.append(op)
    assert (depth, loose) == (0, [])
    assert artifacts >= 2  # the rules and backgrounds, and the footer's credit line


def headings(tree: Elem) -> list[tuple[str, str]]:
    return [(e.role, e.text) for e in tree.walk() if re.fullmatch(r"H\d", e.role)]


@pytest.mark.parametrize("key", EXAMPLES)
def test_title_and_section_headings(built: dict[str, bytes], key: str) -> None:
    b, w = briefing_of(key), words(briefing_of(key).language)
    found = headings(structure(built[key]))
    assert found[0] == ("H1", b.title)
    assert [r for r, _ in found[1:]] == ["H2"] * (len(found) - 1)
    assert (("H2", w.summary) in found) == bool(b.metrics)
    assert (("H2", w.highlights) in found) == bool(b.highlights)


@pytest.mark.parametrize("key", EXAMPLES)
def test_summary_table_has_scoped_headers(built: dict[str, bytes], key: str) -> None:
    b = briefing_of(key)
    [table] = structure(built[key]).elements("Table")
    rows = table.children("TR")
    assert len(rows) == len(b.metrics) + 1
    head = rows[0].children()
    assert {c.role for c in head} == {"TH"}
    assert {c.attrs["Scope"] for c in head} == {"Column"}
    assert all(c.attrs["O"] == "Table" for c in head)
    shown = figures(b)  # the page's precision: one per column
    for i, (m, row) in enumerate(zip(b.metrics, rows[1:], strict=True)):
        first, *rest = row.children()
        assert (first.role, first.attrs["Scope"], first.text) == ("TH", "Row", m.label)
        assert [c.role for c in rest] == ["TD"] * (len(head) - 1)
        if m.value is not None:
            assert shown.this[i] in [c.text for c in rest]


@pytest.mark.parametrize("key", EXAMPLES)
def test_highlights_and_type_lists_are_lists(built: dict[str, bytes], key: str) -> None:
    b = briefing_of(key)
    lists = structure(built[key]).elements("L")
    items = {
        tuple(squash(li.children("LBody")[0].text) for li in lst.children("LI")): lst
        for lst in lists
    }
    assert all(set(li.role for li in lst.children()) == {"LI"} for lst in lists)
    if b.highlights:
        lst = items[tuple(squash(h) for h in b.highlights)]
        assert [li.children("Lbl")[0].text for li in lst.children("LI")] == ["•"] * len(
            b.highlights
        )
    if b.breakdown is Breakdown.LIST:
        lst = items[tuple(squash(t.label) for t in b.fraud_types)]
        labels = [li.children("Lbl")[0].text for li in lst.children("LI")]
        assert labels == [f"{i}." for i in range(1, len(b.fraud_types) + 1)]


@pytest.mark.parametrize("key", EXAMPLES)
def test_charts_are_figures_read_from_their_data(built: dict[str, bytes], key: str) -> None:
    b = briefing_of(key)
    w = words(b.language)
    figures = structure(built[key]).elements("Figure")
    groups = change_groups(b)
    charts = len(groups) + int(b.breakdown in (Breakdown.CASES, Breakdown.LOSSES))
    assert len(figures) == charts
    alts = [f.alt or "" for f in figures]
    for (_, metrics), alt in zip(groups, alts, strict=False):
        title = w.previous_chart if b.comparison == "previous_period" else w.yoy_chart
        assert alt.startswith(title)
        for m in metrics:
            assert m.change is not None
            assert m.label in alt
            said = spoken.change(m, b.currency, b.language)
            assert said in alt
            if b.language == "en" and m.change.kind is not ChangeKind.NEW and m.change.amount:
                assert said.startswith("up " if m.change.amount > 0 else "down ")
    if b.breakdown in (Breakdown.CASES, Breakdown.LOSSES):
        assert all(t.label in alts[-1] or t.other for t in b.fraud_types[:3])


def test_karamay_alt_text_in_words(built: dict[str, bytes]) -> None:
    [figure] = structure(built["karamay-en"]).elements("Figure")
    assert figure.alt == (
        "Year-on-year change: Telecom fraud reports down 12.5%; Telecom fraud cases solved up 171%"
    )


def test_breakdown_alt_text_names_last_year(stress: dict[str, bytes]) -> None:
    figures = structure(stress["everything"]).elements("Figure")
    alt = figures[-1].alt or ""
    assert alt.startswith("Cases by fraud type: Investment scams 40 (Last year 30)")
    assert "·" not in alt


@pytest.mark.parametrize("key", EXAMPLES)
def test_reading_order_follows_the_page(built: dict[str, bytes], key: str) -> None:
    """Title, key figures, table, charts' alternative text, types, highlights, source: in the
    order the page shows its blocks."""
    b = briefing_of(key)
    w = words(b.language)
    read = [text for _, text in reading_order(built[key])]
    layout = lay_out(b)

    def at(text: str) -> int:
        return next(i for i, r in enumerate(read) if squash(text) in squash(r))

    def heading(text: str) -> int:
        return read.index(text)

    landmarks = {
        "header": b.title,
        "key figures": next(
            str(figures(b).this[b.metrics.index(m)])
            for m in ([m for m in b.metrics if m.headline] or list(b.metrics))
            if m.value is not None
        ),
        "main points": w.highlights,
        "summary table": w.summary,
        "charts": (w.previous_chart if b.comparison == "previous_period" else w.yoy_chart)
        if change_groups(b)
        else {
            Breakdown.LIST: w.types_list,
            Breakdown.CASES: w.types_chart_cases,
            Breakdown.LOSSES: w.types_chart_losses,
        }[b.breakdown or Breakdown.LIST],
        "note": b.note or "",
    }
    headings = {"main points", "summary table", "charts"}
    order = [(heading if name in headings else at)(landmarks[name]) for name, _ in layout.sections]
    assert order == sorted(order)
    assert read[0] == (b.marking or b.agency)
    assert b.source and squash(b.source) in squash(read[-1])
    for f in structure(built[key]).elements("Figure"):  # charts are read as one sentence each
        assert at(f.alt or "?") > at(w.summary)


def test_reading_order_of_karamay(built: dict[str, bytes]) -> None:
    """Title, key figures, main points, table, the chart's alternative text, types, source."""
    read = reading_order(built["karamay-en"])
    assert read[:8] == [
        ("P", "PUBLIC"),
        ("P", "Karamay Public Security Bureau"),
        ("P", "Issued 9 May 2023"),
        ("H1", "Telecom and online fraud briefing"),
        ("P", "January–April 2023 · compared with January–April 2022"),
        ("P", "down 12.5%"),  # the tile's arrow, said in words
        ("P", "Telecom fraud reports"),
        ("P", "on last year"),
    ]
    at: dict[str, int] = {}
    for i, (_, text) in enumerate(read):
        at.setdefault(text, i)
    landmarks = [
        "Telecom and online fraud briefing",
        "954 cards",
        "Main points",
        "Summary",
        "Year-on-year change: Telecom fraud reports down 12.5%; Telecom fraud cases solved up 171%",
        "Main fraud types",
        "Loan fraud",
    ]
    assert [at[t] for t in landmarks] == sorted(at[t] for t in landmarks)
    assert ("TD", "up 171%") in read  # the table's change column, direction in words
    assert read[-1][1].startswith("Source: Karamay City promotion meeting")
    assert all("Page 1 of 1" not in text for _, text in read)  # footer furniture


def test_tagging_changes_no_pixel() -> None:
    b = kreport.parse(kreport.example_path("karamay"), "zh")
    tagged = render_png(render(lay_out(b)))
    plain = render_png(render(lay_out(b), tagged=False))
    assert ImageChops.difference(tagged, plain).getbbox() is None


def test_untagged_page_claims_nothing() -> None:
    data = render(lay_out(kreport.parse(kreport.example_path("karamay"))), tagged=False)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
        assert "/Metadata" not in pdf.Root
        assert b"BDC" not in pdf.pages[0].Contents.read_bytes()
