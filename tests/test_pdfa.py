"""PDF/A-2b (``--pdfa``), checked clause by clause of ISO 19005-2 where a file can show it.

veraPDF, the reference validator, needs Java and cannot be installed here; each test names the
clause it checks, reading the file with pikepdf, fontTools, Pillow and the raw bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from PIL import ImageChops, ImageCms

import kreport
from kreport.errors import LayoutError
from kreport.page.layout import lay_out
from kreport.page.pdf import render
from kreport.page.pdfa import check_glyphs
from pdfread import read_pdf, render_png

# bundled examples with every kind of content: Latin and CJK fonts, a logo image, charts
CASES = [("karamay", "en"), ("karamay", "zh"), ("example-city", "en"), ("hongkong", "zh-HK")]


@pytest.fixture(scope="module")
def archived() -> dict[str, bytes]:
    return {
        f"{name}-{lang}": kreport.build_bytes(kreport.example_path(name), lang, pdfa=True)
        for name, lang in CASES
    }


KEYS = [f"{n}-{lang}" for n, lang in CASES]


def objects(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(number, raw bytes from "N 0 obj" to "endobj") of every object written at the top level
    of the file, found through its cross-reference stream."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        xref = pdf.trailer
        widths = [int(w) for w in xref.W]
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data)[1])  # type: ignore[index]
    head = re.match(rb"(\d+) 0 obj\n<<(.*?)>>\nstream\n", data[start:], re.S)
    assert head is not None
    length = int(re.search(rb"/Length (\d+)", head[2])[1])  # type: ignore[index]
    table = zlib.decompress(data[start + head.end() : start + head.end() + length])
    row = sum(widths)
    offsets = []
    for i in range(len(table) // row):
        fields, pos = [], i * row
        for w in widths:
            fields.append(int.from_bytes(table[pos : pos + w], "big"))
            pos += w
        if fields[0] == 1:
            offsets.append((fields[1], i))
    offsets.sort()
    ends = [o for o, _ in offsets[1:]] + [len(data)]
    for (offset, num), end in zip(offsets, ends, strict=True):
        yield num, data[offset : data.index(b"endobj\n", offset, end) + 7]


# -- 6.1 file structure ---------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_6_1_2_header(archived: dict[str, bytes], key: str) -> None:
    data = archived[key]
    assert re.match(rb"%PDF-1\.[0-7]\n%", data)
    comment = data.split(b"\n")[1]
    assert sum(b > 127 for b in comment[1:5]) == 4


@pytest.mark.parametrize("key", KEYS)
def test_6_1_3_trailer_id_from_the_content(archived: dict[str, bytes], key: str) -> None:
    data = archived[key]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        first, second = (bytes(x) for x in pdf.trailer.ID)
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
    assert first == second and len(first) == 16
    xref = int(re.search(rb"startxref\n(\d+)\n", data)[1])  # type: ignore[index]
    assert first == hashlib.md5(data[:xref]).digest()  # a digest of everything before it
    assert data.endswith(b"%%EOF\n")


def test_6_1_3_same_page_same_id_other_page_other_id(archived: dict[str, bytes]) -> None:
    again = kreport.build_bytes(kreport.example_path("karamay"), "en", pdfa=True)
    assert again == archived["karamay-en"]
    ids = {pikepdf.open(io.BytesIO(d)).trailer.ID[0] for d in archived.values()}
    assert len(ids) == len(archived)


@pytest.mark.parametrize("key", KEYS)
def test_6_1_7_streams(archived: dict[str, bytes], key: str) -> None:
    """Stream keyword and end of line, /Length exact, no external or LZW streams."""
    streams = 0
    for num, raw in objects(archived[key]):
        assert re.match(rb"\d+ 0 obj\n", raw), num  # 6.1.9: one space, one line
        if b"\nstream" not in raw:
            continue
        streams += 1
        head, _, rest = raw.partition(b"\nstream")
        assert rest.startswith(b"\n")  # 6.1.7.1: "stream" then a single LF
        length = int(re.search(rb"/Length (\d+)", head)[1])  # type: ignore[index]
        assert rest[1 + length :] == b"\nendstream\nendobj\n", num
        for key_ in (b"/F ", b"/FFilter", b"/FDecodeParms", b"/LZWDecode", b"/Crypt"):
            assert key_ not in head
    assert streams >= 4  # fonts, page content, metadata, profile, objects, cross-reference


@pytest.mark.parametrize("key", KEYS)
def test_6_1_6_hex_strings_and_6_1_13_limits(archived: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        seen: set[tuple[int, int]] = set()
        for obj in pdf.objects:
            _limits(obj, seen)
        depth = deepest = 0
        for instr in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(instr.operator)
            depth += {"q": 1, "Q": -1}.get(op, 0)
            deepest = max(deepest, depth)
            for operand in instr.operands:
                _limits(operand, seen)
        assert deepest <= 28
    raw = b"".join(body for _, body in objects(archived[key]) if b"\nstream" not in body)
    for hexes in re.findall(rb"(?<!<)<([0-9A-Fa-f\s]*)>(?!>)", raw):
        assert len(re.sub(rb"\s", b"", hexes)) % 2 == 0


def _limits(obj: Any, seen: set[tuple[int, int]]) -> None:
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, int | bool):
        assert -(2**31) <= int(obj) <= 2**31 - 1
    elif isinstance(obj, Decimal | float):
        assert abs(obj) <= Decimal("3.403e38")
        assert obj == 0 or abs(obj) >= Decimal("1.175e-38")
    elif isinstance(obj, pikepdf.Name):
        assert len(str(obj).encode()) <= 128  # the slash and 127 bytes
        str(obj).encode("utf-8")  # 6.1.8: names are UTF-8
    elif isinstance(obj, pikepdf.String):
        assert len(bytes(obj)) <= 32767
    elif isinstance(obj, pikepdf.Array):
        for x in obj:
            _limits(x, seen)
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for k, v in obj.items():
            _limits(pikepdf.Name(k), seen)
            _limits(v, seen)


# -- 6.2 graphics ---------------------------------------------------------------------------

# every content-stream operator ISO 32000-1 defines (6.2.2: no other)
_OPERATORS = (
    "b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j "
    "J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts "
    "Tw Tz v w W W* y ' \""
)
OPERATORS = frozenset(_OPERATORS.split())


@pytest.mark.parametrize("key", KEYS)
def test_6_2_2_content_and_6_2_4_3_device_colours(archived: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        page = pdf.pages[0]
        assert "/Resources" in page.obj
        used = {str(i.operator) for i in pikepdf.parse_content_stream(page)}
        assert used <= OPERATORS
        # DeviceRGB and DeviceGray only, which the sRGB output intent covers; no CMYK
        assert not used & {"k", "K"}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert obj.get("/ColorSpace") in (None, "/DeviceRGB", "/DeviceGray")


@pytest.mark.parametrize("key", KEYS)
def test_6_2_3_output_intent_is_srgb(archived: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.Type == "/OutputIntent"
        assert str(intent.OutputConditionIdentifier)
        profile = intent.DestOutputProfile
        assert profile.N == 3
        icc = profile.read_bytes()
    assert struct.unpack(">I", icc[:4])[0] == len(icc)
    assert icc[12:16] == b"mntr" and icc[16:20] == b"RGB " and icc[36:40] == b"acsp"
    assert 2 <= icc[8] < 5  # version below 5
    embedded = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    assert "sRGB" in ImageCms.getProfileDescription(embedded)
    # it is sRGB: converting through it to a fresh sRGB profile changes no colour
    srgb = ImageCms.createProfile("sRGB")
    image = render_png(archived[key], 0.3)
    moved = ImageCms.profileToProfile(image, embedded, srgb)
    assert moved is not None
    assert max(hi for _, hi in ImageChops.difference(image, moved).getextrema()) <= 2


@pytest.mark.parametrize("key", KEYS)
def test_6_2_5_to_6_2_10_states_images_xobjects(archived: dict[str, bytes], key: str) -> None:
    blend = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten"}
    blend |= {"/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference"}
    blend |= {"/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}
    intents = {"/RelativeColorimetric", "/AbsoluteColorimetric", "/Perceptual", "/Saturation"}
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            if obj.get("/Type") == "/ExtGState":
                assert "/TR" not in obj and "/HTP" not in obj
                assert obj.get("/TR2", "/Default") == "/Default"
                assert obj.get("/BM", "/Normal") in blend
            assert obj.get("/Intent", "/Perceptual") in intents
            if obj.get("/Subtype") == "/Image":
                assert "/Alternates" not in obj and "/OPI" not in obj
                assert not obj.get("/Interpolate", False)
                assert int(obj.get("/BitsPerComponent", 8)) in (1, 2, 4, 8, 16)
            if obj.get("/Subtype") in ("/Form", "/PS"):
                assert obj.get("/Subtype") != "/PS"
                assert not {"/OPI", "/PS", "/Ref"} & set(obj.keys())
                assert obj.get("/Subtype2") != "/PS"


@pytest.mark.parametrize("key", KEYS)
def test_6_2_11_fonts_embedded_and_well_formed(archived: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        used = list(pdf.pages[0].Resources.Font.values())
        assert used
        for font in used:
            assert font.Type == "/Font"
            assert font.Subtype in ("/TrueType", "/Type0")
            if font.Subtype == "/Type0":
                [cid] = font.DescendantFonts
                assert cid.Subtype == "/CIDFontType2" and "/CIDToGIDMap" in cid  # 6.2.11.3.2
                descriptor = cid.FontDescriptor
            else:
                first, last = int(font.FirstChar), int(font.LastChar)
                assert len(font.Widths) == last - first + 1
                descriptor = font.FontDescriptor
            assert "/FontFile2" in descriptor  # 6.2.11.4.1: embedded
            assert "/CharSet" not in descriptor and "/CIDSet" not in descriptor


@pytest.mark.parametrize("key", KEYS)
def test_6_2_11_5_6_8_widths_cmaps_and_no_notdef(archived: dict[str, bytes], key: str) -> None:
    """Widths agree with the font program, symbolic TrueType fonts carry one cmap and no
    /Encoding, and no text shows the .notdef glyph."""
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        programs = {}
        for name, font in pdf.pages[0].Resources.Font.items():
            assert font.Subtype == "/TrueType"  # what reportlab writes
            assert int(font.FontDescriptor.Flags) & 4  # symbolic
            assert "/Encoding" not in font  # 6.2.11.6-3
            ttf = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
            tables = ttf["cmap"].tables
            assert len(tables) == 1 or any((t.platformID, t.platEncID) == (3, 0) for t in tables)
            widths = [float(x) for x in font.Widths]
            programs[name] = (int(font.FirstChar), widths, ttf, tables[0].cmap)
        shown = 0
        current = None
        for instr in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(instr.operator)
            if op == "Tf":
                current = str(instr.operands[0])
            elif op in ("Tj", "'", '"', "TJ"):
                assert current is not None
                first, widths, ttf, cmap = programs[current]
                per_em = ttf["head"].unitsPerEm
                for code in _codes(instr.operands):
                    glyph = cmap.get(code, ".notdef")
                    assert glyph != ".notdef", (current, code)
                    advance = ttf["hmtx"][glyph][0] * 1000 / per_em
                    assert abs(widths[code - first] - advance) <= 1, (current, code)
                    shown += 1
    assert shown > 100


def _codes(operands: Any) -> Iterator[int]:
    for o in operands:
        if isinstance(o, pikepdf.String):
            yield from bytes(o)
        elif isinstance(o, pikepdf.Array):
            yield from _codes(list(o))


def test_6_2_11_8_a_missing_glyph_is_refused() -> None:
    check_glyphs(["BT /F1 9 Tf (a\\\\000b) Tj ET"])  # a printed backslash, then "000"
    with pytest.raises(LayoutError, match="notdef"):
        check_glyphs(["BT /F1 9 Tf (a\\000b) Tj ET"])


# -- 6.3 to 6.11: nothing interactive, nothing external --------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_6_3_to_6_11_nothing_forbidden(archived: dict[str, bytes], key: str) -> None:
    with pikepdf.open(io.BytesIO(archived[key])) as pdf:
        root = pdf.Root
        for forbidden in ("/AcroForm", "/AA", "/OpenAction", "/OCProperties", "/Requirements"):
            assert forbidden not in root  # 6.4, 6.5.2, 6.9, 6.11
        assert "/NeedsRendering" not in root and "/Perms" not in root  # 6.4.2, 6.1.12
        assert "/AlternatePresentations" not in root.get("/Names", {})  # 6.10
        assert "/EmbeddedFiles" not in root.get("/Names", {})  # 6.8: none at all
        page = pdf.pages[0].obj
        assert not {"/Annots", "/AA", "/PresSteps"} & set(page.keys())  # 6.3, 6.5.2, 6.10
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/S") not in ("/JavaScript", "/Launch", "/Sound", "/Movie")


# -- 6.6 metadata ---------------------------------------------------------------------------

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
PREDEFINED = {NS[k] for k in ("dc", "pdf", "xmp", "pdfaid", "pdfaExtension")}


def xmp(data: bytes) -> tuple[bytes, ET.Element, Any]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.Root.Metadata
        assert meta.Type == "/Metadata" and meta.Subtype == "/XML"
        assert "/Filter" not in meta  # left readable by tools that do not read PDF
        raw = meta.read_bytes()
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
    return raw, ET.fromstring(raw), info


@pytest.mark.parametrize("key", KEYS)
def test_6_6_2_1_metadata_stream(archived: dict[str, bytes], key: str) -> None:
    raw, _, _ = xmp(archived[key])
    raw.decode("utf-8")
    header = re.match(rb"<\?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"\?>", raw)
    assert header is not None  # no bytes= or encoding= attribute
    assert raw.rstrip().endswith(b'<?xpacket end="w"?>')


@pytest.mark.parametrize("key", KEYS)
def test_6_6_4_identification(archived: dict[str, bytes], key: str) -> None:
    _, root, _ = xmp(archived[key])
    assert root.findtext(".//pdfaid:part", namespaces=NS) == "2"
    assert root.findtext(".//pdfaid:conformance", namespaces=NS) == "B"
    assert root.findtext(".//pdfuaid:part", namespaces=NS) == "1"


@pytest.mark.parametrize("key", KEYS)
def test_6_6_2_3_every_property_has_a_schema(archived: dict[str, bytes], key: str) -> None:
    """Predefined schemas, or pdfuaid declared in a PDF/A extension schema with every field."""
    _, root, _ = xmp(archived[key])
    [description] = root.findall(".//rdf:Description", NS)
    declared = set()
    for schema in root.findall(".//pdfaExtension:schemas/rdf:Bag/rdf:li", NS):
        uri = schema.findtext("pdfaSchema:namespaceURI", namespaces=NS)
        assert schema.findtext("pdfaSchema:schema", namespaces=NS)
        assert schema.findtext("pdfaSchema:prefix", namespaces=NS) == "pdfuaid"
        props = schema.findall("pdfaSchema:property/rdf:Seq/rdf:li", NS)
        assert props
        for p in props:
            fields = {f: p.findtext(f"pdfaProperty:{f}", namespaces=NS) for f in ("name",)}
            fields |= {
                f: p.findtext(f"pdfaProperty:{f}", namespaces=NS)
                for f in ("valueType", "category", "description")
            }
            assert all(fields.values()), fields
            assert fields["category"] in ("internal", "external")
            declared.add((uri, fields["name"]))
    assert declared == {(NS["pdfuaid"], "part")}
    for prop in description:
        uri, name = prop.tag[1:].split("}")
        assert uri in PREDEFINED or (uri, name) in declared, prop.tag


@pytest.mark.parametrize("key", KEYS)
def test_info_and_xmp_say_the_same(archived: dict[str, bytes], key: str) -> None:
    _, root, info = xmp(archived[key])

    def text(path: str) -> str:
        return root.findtext(path, namespaces=NS) or ""

    assert text(".//dc:title/rdf:Alt/rdf:li") == info["/Title"]
    assert text(".//dc:creator/rdf:Seq/rdf:li") == info["/Author"]
    assert text(".//dc:description/rdf:Alt/rdf:li") == info["/Subject"]
    assert text(".//pdf:Producer") == info["/Producer"]
    assert text(".//xmp:CreatorTool") == info["/Creator"]
    d = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", info["/CreationDate"])
    assert d is not None
    assert text(".//xmp:CreateDate").startswith("{}-{}-{}T{}:{}:{}".format(*d.groups()))
    assert text(".//xmp:ModifyDate") == text(".//xmp:CreateDate")


# -- the archival file is the same page ------------------------------------------------------


def test_pdfa_is_still_one_tagged_page_and_looks_the_same(archived: dict[str, bytes]) -> None:
    b = kreport.parse(kreport.example_path("example-city"))
    plain = render(lay_out(b))
    facts = read_pdf(archived["example-city-en"])
    assert facts.pages == 1
    with pikepdf.open(io.BytesIO(archived["example-city-en"])) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
    diff = ImageChops.difference(render_png(plain), render_png(archived["example-city-en"]))
    assert diff.getbbox() is None


def test_pdfa_is_claimed_only_on_request(archived: dict[str, bytes]) -> None:
    plain = kreport.build_bytes(kreport.example_path("karamay"))
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        assert "/OutputIntents" not in pdf.Root
        with pdf.open_metadata() as meta:
            assert "pdfaid:part" not in meta


def test_cli_and_batch_write_pdfa(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kreport.cli import main

    out = tmp_path / "k.pdf"
    result = CliRunner().invoke(main, ["build", "--pdfa", "-o", str(out)])
    assert result.exit_code == 0, result.output
    many = kreport.build_many(
        [kreport.example_path("singapore")], tmp_path / "many", jobs=1, pdfa=True
    )
    assert many.ok
    for path in (out, many.outcomes[0].output):
        with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
            assert meta["pdfaid:part"] == "2"
    refused = CliRunner().invoke(main, ["build", "--pdfa", "-f", "png", "-o", str(tmp_path)])
    assert refused.exit_code == 2 and "--pdfa" in refused.output
