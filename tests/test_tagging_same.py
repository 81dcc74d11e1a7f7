"""Tagging through its shortcuts gives the page tagging gave without them, byte for byte.

``tagging_reference`` keeps the former way (each structure element registered with reportlab
and written on its own); every example, the gallery, the fullest pages and generated briefings
are built both ways and compared, and structure trees of any shape are written both ways and
compared object by object.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFPage

import bothways
import kreport
from bothways import GALLERY_PAGES
from gallery import maximal
from kreport.errors import InputError, LayoutError
from kreport.page import structure
from kreport.page.pack import Block, Written, reserve
from kreport.page.tags import Group, Node, Tag, Tagger
from tagging_reference import reference_tagging
from tagging_reference import write_tree as reference_write_tree
from test_property import briefing


def both_ways(source: Any, **options: Any) -> tuple[bytes, bytes]:
    return bothways.both_ways(source, reference_tagging, **options)


@pytest.mark.parametrize("name", kreport.example_names())
def test_each_example_is_tagged_as_before(name: str) -> None:
    own, reference = both_ways(kreport.example_path(name))
    assert own == reference
    own, reference = both_ways(kreport.example_path(name), pdfa=True)
    assert own == reference


@pytest.mark.slow
@pytest.mark.parametrize("path", GALLERY_PAGES, ids=[p.stem for p in GALLERY_PAGES])
def test_every_gallery_page_and_edition(path: Path) -> None:
    bothways.assert_every_edition_alike(path, reference_tagging)


@pytest.mark.slow
@pytest.mark.parametrize("script", ["en", "zh", "zh-Hant"])
def test_the_fullest_pages(script: str) -> None:
    for paper in ("a4", "letter"):
        own, reference = both_ways(maximal(script), paper=paper)
        assert own == reference, (script, paper)


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=briefing(), paper=st.sampled_from(["a4", "letter"]))
def test_any_page_is_tagged_as_before(raw: dict[str, Any], paper: str) -> None:
    try:
        b = kreport.parse(raw)
        own = kreport.build_bytes(b, paper=paper)  # type: ignore[arg-type]
    except (InputError, LayoutError):
        return  # characters the fonts lack; what cannot fit is the layout's tests' concern
    with reference_tagging():
        assert kreport.build_bytes(b, paper=paper) == own  # type: ignore[arg-type]


# -- structure trees of any shape ------------------------------------------------------------

ROLES = ["Document", "Table", "TR", "TH", "TD", "L", "LI", "LBody", "Lbl", "P", "H1", "Figure"]
TEXTS = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["down 12.5%", "下降12.5%"]))


@st.composite
def trees(draw: st.DrawFn) -> Tagger:
    """A tagger as drawing might leave it: elements with MCIDs, empty cells, and elements that
    own nothing (left out of the file), nested to any depth."""
    tagger = Tagger()

    def grow(node: Node, depth: int) -> None:
        for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
            if draw(st.booleans()):
                node.kids.append(len(tagger.parents))
                tagger.parents.append(node)
            else:
                kid = Node(draw(st.sampled_from(ROLES)), draw(st.integers(0, 3)))
                kid.empty = draw(st.integers(0, 5)) == 0
                kid.alt, kid.actual = draw(TEXTS), draw(TEXTS)
                if draw(st.booleans()):
                    kid.attrs = (("Scope", draw(st.sampled_from(["Row", "Column"]))),)
                node.kids.append(kid)
                grow(kid, depth + 1)

    grow(tagger.root, 0)
    return tagger


def _written(doc: PDFDocument) -> dict[int, bytes]:
    """Each registered object's number -> its bytes, a block's objects each under its own."""
    out: dict[int, bytes] = {}
    for num, name in doc.numberToId.items():
        obj = doc.idToObject[name]
        if isinstance(obj, Block):
            out.update(enumerate(obj.objects, num))
        elif isinstance(obj, Written):
            out[num] = obj.data
    return out


def _document() -> tuple[PDFDocument, PDFPage]:
    doc = PDFDocument(invariant=1)
    page = PDFPage()
    doc.Reference(PDFPage())  # an object before the page: numbers do not start at 1
    doc.addPage(page)
    return doc, page


@settings(max_examples=300)
@given(tagger=trees())
def test_any_tree_is_written_as_before(tagger: Tagger) -> None:
    doc, page = _document()
    ref_doc, ref_page = _document()
    try:
        expected = reference_write_tree(ref_doc, tagger, ref_page)
    except KeyError:  # the Document owns nothing: there is no tree to write
        with pytest.raises(ValueError, match="owns no content"):
            structure.write_tree(doc, tagger, page)
        return
    got = structure.write_tree(doc, tagger, page)
    assert (
        doc.idToObjectNumberAndVersion[got.name]
        == ref_doc.idToObjectNumberAndVersion[expected.name]
    )
    assert _written(doc) == _written(ref_doc)
    assert doc.objectcounter == ref_doc.objectcounter  # what is registered next, alike
    assert doc.Reference(PDFPage()).format(doc) == ref_doc.Reference(PDFPage()).format(ref_doc)


# -- a block of objects in the file -------------------------------------------------------------


def test_a_block_s_objects_are_numbered_in_turn_and_written_each_in_the_file() -> None:
    """Objects registered after a block follow its numbers; the file holds each of its
    objects under its number, and a reader resolves references into and out of it."""
    from reportlab.pdfgen.canvas import Canvas

    from kreport.page.pack import pack

    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    canvas.drawString(10, 10, "x")
    canvas.showPage()
    doc = canvas._doc
    first = doc.objectcounter + 1
    objects = [b"<</N %d/Next %d 0 R>>" % (i, first + i + 1) for i in range(4)]
    assert reserve(doc, objects) == first
    tail = doc.Reference(Written(b"<</Last true/Back %d 0 R>>" % first))
    assert doc.idToObjectNumberAndVersion[tail.name][0] == first + 4
    doc.Catalog.__NoDefault__ = [*doc.Catalog.__NoDefault__, "Chain"]
    doc.Catalog.Chain = tail
    data = pack(doc, canvas)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for i in range(4):
            obj = pdf.get_object((first + i, 0))
            assert i == obj.N
            assert obj.Next.objgen == (first + i + 1, 0)
        assert bool(pdf.Root.Chain.Last)
        assert pdf.Root.Chain.Back.N == 0
        assert len(pdf.pages) == 1


def test_no_block_is_empty() -> None:
    with pytest.raises(ValueError, match="no objects"):
        reserve(PDFDocument(invariant=1), [])


# -- the Tagger's bookkeeping, against the former ------------------------------------------------

GROUP_POOL = [
    (),
    (Group("Table", "t"), Group("TR", 0)),
    (Group("Table", "t"), Group("TR", 1)),
    (Group("L", "l"), Group("LI", 0)),
    (Group("L", "l"), Group("LI", 0), Group("LBody", 0)),
    (Group("L", "l"), Group("LI", None)),
    (Group("Div", None),),
]


def _dump(node: Node) -> Any:
    return (
        node.role,
        node.key,
        node.alt,
        node.actual,
        node.empty,
        node.attrs,
        [k if isinstance(k, int) else _dump(k) for k in node.kids],
    )


@settings(max_examples=300)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(range(len(GROUP_POOL))),
            st.booleans(),  # the same tuple object as the pool's, or an equal copy
            st.sampled_from(["P", "TD", "TH", "LBody", "Lbl", "Figure"]),
            st.sampled_from([None, 0, 1, (0, 1)]),
            st.sampled_from(["mcid", "empty"]),
        ),
        max_size=40,
    )
)
def test_elements_are_found_as_before(steps: list[tuple[int, bool, str, Any, str]]) -> None:
    """Found again from the last element's groups or by walking them from the root, the
    elements make the tree walking them always made, MCIDs and empty cells alike."""
    from tagging_reference import element

    own, reference = Tagger(), Tagger()
    for pool, same, role, key, what in steps:
        groups = GROUP_POOL[pool] if same else tuple(list(GROUP_POOL[pool]))
        t = Tag(role, groups, key, alt="a" if role == "Figure" else None)
        for tagger, find in ((own, Tagger._element), (reference, element)):
            node = find(tagger, t)
            if what == "empty":
                node.empty = True
            else:
                node.kids.append(len(tagger.parents))
                tagger.parents.append(node)
    assert _dump(own.root) == _dump(reference.root)
    assert [_dump(n) for n in own.parents] == [_dump(n) for n in reference.parents]


OPS = [
    "q",
    "Q",
    "1 0 0 1 72 500 cm",
    "0 0 10 10 re f",
    "BT /F1 9 Tf (S) Tj ET",
    "S",
    "f*",
    "0 0 m 5 5 l",
    "n",
    "W n",
    "B* q",
    "(a b) '",
    "/Im0 Do",
    "sh",
    "0.5 g",
    "Tjx",
    "BT",
    "s\n",
]


@settings(max_examples=300)
@given(
    code=st.lists(st.sampled_from(OPS) | st.text(" \nSsfFBbTjJ'\"Dohq*", max_size=8)),
    loose=st.integers(0, 12),
)
def test_loose_drawing_is_covered_as_before(code: list[str], loose: int) -> None:
    from tagging_reference import cover_loose

    own, reference = Tagger(), Tagger()
    own._loose = reference._loose = min(loose, len(code))
    own_code, reference_code = list(code), list(code)
    own._cover_loose(own_code)
    cover_loose(reference, reference_code)
    assert own_code == reference_code
    assert own._loose == reference._loose


QUIET_TAILS = [[], ["q"], ["q", "1 0 0 1 72 500 cm"], ["q", "1 0 0 1 -3.5 0 cm"]]
"""What a caller may say paints nothing: the last entries of the code before a mark."""


@settings(max_examples=300)
@given(
    code=st.lists(st.sampled_from(OPS) | st.text(" \nSsfFBbTjJ'\"Dohq*", max_size=8)),
    loose=st.integers(0, 12),
    tail=st.sampled_from(QUIET_TAILS),
)
def test_a_mark_after_entries_known_not_to_paint_is_as_before(
    code: list[str], loose: int, tail: list[str]
) -> None:
    """Marking content after entries the caller knows paint nothing (a paragraph's q and cm)
    covers the loose drawing before them as searching all of it did, and marks the same."""
    from types import SimpleNamespace

    from tagging_reference import cover_loose

    def draw(c: Any) -> None:
        c._code.append("BT (x) Tj ET")

    own, reference = Tagger(), Tagger()
    own._loose = reference._loose = min(loose, len(code))
    own_canvas = SimpleNamespace(_code=[*code, *tail])
    reference_canvas = SimpleNamespace(_code=[*code, *tail])
    own.mark(own_canvas, Tag("P"), draw, quiet=len(tail))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Tagger, "_cover_loose", cover_loose)
        reference.begin(reference_canvas, Tag("P"))
        draw(reference_canvas)
        reference.end(reference_canvas)
    assert own_canvas._code == reference_canvas._code
    assert own._loose == reference._loose
    assert _dump(own.root) == _dump(reference.root)


def test_a_tag_is_immutable_and_placing_keeps_what_the_flowable_reads_as() -> None:
    """A tag (a tuple now, a frozen dataclass before) has the same fields and defaults, cannot
    be changed, and a placed cell keeps its own tag's spoken text, taking role, groups, key,
    attributes and label from its place."""
    from reportlab.platypus import Flowable

    from kreport.page import tags

    t = Tag("P")
    assert (t.role, t.groups, t.key, t.alt, t.actual, t.attrs, t.label, t.artifact) == (
        "P", (), None, None, None, (), False, None,
    )  # fmt: skip
    with pytest.raises(AttributeError):
        t.role = "H1"  # type: ignore[misc]
    f = tags.tag(Flowable(), "P", actual="down 12.5%")
    groups = (Group("Table", "summary"), Group("TR", 2))
    tags._place(f, "TD", groups, (2, 1), attrs=(("Scope", "Row"),), label=True)
    assert f.tag == Tag("TD", groups, (2, 1), None, "down 12.5%", (("Scope", "Row"),), True)
    plain = Flowable()
    tags._place(plain, "LBody", groups, 0)
    assert plain.tag == Tag("LBody", groups, 0)


_PIECES = st.sampled_from(
    ["", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\u00ad", "a", "Fraud", "诈骗", "&amp;",
     "&lt;", "&nbsp;", "<b>", "</b>", "<i>x</i>", "<br/>", "<b> </b>", "<font size=\"12\">",
     "</font>", "<super>2</super>", "<bullet>\u2022</bullet>"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=6),
    bullet=st.sampled_from([None, "", "\u2022", "1."]),
    script=st.sampled_from(["en", "zh"]),
)
def test_a_paragraph_has_content_as_reportlab_s_plain_text_says(
    pieces: list[str], bullet: str | None, script: str
) -> None:
    """Whether a paragraph has content (is marked at all) is what reportlab's plain text and
    the bullet said, before and after wrapping, made by ``para`` (fragments kept or parsed)."""
    from reportlab.lib.styles import ParagraphStyle

    from kreport.fonts import choose
    from kreport.page.styles import make_styles, para
    from tagging_reference import has_content

    fonts = choose(script, [])
    fonts.register()
    styles = make_styles(fonts)
    markup = "".join(pieces)
    style = styles.body if bullet is None else ParagraphStyle("b", styles.body, bulletText=bullet)
    for _ in range(2):  # the second time from the kept parse, if kept
        try:
            p = para(markup, style, styles)
        except ValueError:
            return  # markup reportlab refuses (a tag left open) is refused before drawing
        assert p.has_content() == has_content(p)
        p.wrap(120, 1000)
        assert p.has_content() == has_content(p)


def test_the_metadata_kept_is_the_stream_made_afresh() -> None:
    """The /Metadata object is the bytes reportlab formats the stream of the XMP to, on a
    page's first sight, its second (kept then) and third (taken from what was kept); another
    date, language or title is not taken for it."""
    from reportlab.pdfbase.pdfdoc import format

    from kreport.page import pdfa

    doc, _ = _document()
    doc.info.title, doc.info.author, doc.info.subject = "Fraud (briefing) \\ 诈骗", "A & B", "Q1"

    def afresh(stamp: float, lang: str, archival: bool) -> bytes:
        stream = pdfa.metadata_stream(pdfa.xmp(doc.info, stamp, lang, archival))
        return bytes(format(stream, doc, toplevel=1))

    for stamp, lang, archival in [(1.7e9, "en", False), (1.7e9, "en", True), (0.0, "zh", False)]:
        made = [pdfa.metadata(doc, stamp, lang, archival).format(doc) for _ in range(3)]
        assert made == [afresh(stamp, lang, archival)] * 3
    before = pdfa.metadata(doc, 1.7e9, "en", False).format(doc)
    doc.info.title = "Another title"
    assert pdfa.metadata(doc, 1.7e9, "en", False).format(doc) == afresh(1.7e9, "en", False)
    assert afresh(1.7e9, "en", False) != before


@settings(max_examples=300)
@given(
    code=st.lists(st.sampled_from(OPS) | st.text(" \nSsfFBbTjJ'\"Dohq*", max_size=8)),
    loose=st.integers(0, 12),
    drawn=st.lists(st.sampled_from(["q", "0 g", "BT (1.) Tj ET", "BT /F1 8 Tf ET", "Q"])),
    nested=st.booleans(),
)
@example(code=["Q", "0 0 m 5 0 l S"], loose=0, drawn=["BT (1.) Tj ET"], nested=False)
@example(code=["Q"], loose=0, drawn=["BT (1.) Tj ET"], nested=False)
@example(code=["0 0 5 5 re f"], loose=0, drawn=[], nested=False)
def test_a_label_begun_after_any_drawing_and_switched_after_its_text_is_as_before(
    code: list[str], loose: int, drawn: list[str], nested: bool
) -> None:
    """A list item's label (begin, its drawing, the switch to its body after the first text
    object, end) after any loose drawing, or inside an open sequence, is marked and covered as
    when every begin searched the loose drawing and the switch searched with a generator."""
    from types import SimpleNamespace

    import tagging_reference as ref

    t = Tag("LBody", (Group("L", "h"), Group("LI", 0)), 0, label=True)
    results = []
    for reference in (False, True):
        tagger = Tagger()
        tagger._loose = min(loose, len(code))
        canvas = SimpleNamespace(_code=list(code))
        with pytest.MonkeyPatch.context() as mp:
            if reference:
                mp.setattr(Tagger, "_cover_loose", ref.cover_loose)
                mp.setattr(Tagger, "begin", ref.begin)
                mp.setattr(Tagger, "switch_after_text", ref.switch_after_text)
            if nested:
                tagger.begin(canvas, Tag("Figure", alt="x"))
            tagger.begin(canvas, Tag("Lbl", t.groups))
            start = len(canvas._code)
            canvas._code.extend(drawn)
            tagger.switch_after_text(canvas, start, t)
            tagger.end(canvas)
            if nested:
                tagger.end(canvas)
        results.append((canvas._code, tagger._loose, _dump(tagger.root), len(tagger.parents)))
    assert results[0] == results[1]
