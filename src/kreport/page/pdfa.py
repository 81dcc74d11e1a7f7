"""What archiving and accessibility add to the PDF file: metadata, colour intent, file ID.

``xmp`` turns the document information into the XMP packet that PDF/UA requires (``dc:title``,
``pdfuaid:part``) and, for PDF/A-2b, the ``pdfaid`` identification with the extension schema
that declares ``pdfuaid``. ``output_intent`` is the sRGB OutputIntent (profile made by Pillow's
littleCMS, normalised to be reproducible). The file-level parts (file ID, end of line before
``endstream``) are ``pack``'s.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import struct
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString, format

from .._kept import Kept
from ..errors import LayoutError
from .markup import escape
from .pack import Written

_EXTENSION = """
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>ISO 14289 part</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>"""

_PDFA_NS = """
   xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
   xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
   xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
   xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#\""""


def xmp(info: Any, stamp: float, lang: str, pdfa: bool) -> bytes:
    """The XMP packet for reportlab ``info`` (title, author, subject, creator, producer), dated
    ``stamp`` like the Info dictionary, so that the two say the same."""
    when = dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    body = f"""
   <dc:format>application/pdf</dc:format>
   <dc:title>{alt(info.title)}</dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description>{alt(info.subject)}</dc:description>
   <dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{escape(info.producer)}</pdf:Producer>
   <pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>
   <pdf:Trapped>{escape(info.trapped)}</pdf:Trapped>
   <xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>"""
    if pdfa:
        body += "\n   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>"
        body += _EXTENSION
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
   xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
   xmlns:xmp="http://ns.adobe.com/xap/1.0/"
   xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"{_PDFA_NS if pdfa else ""}>{body}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def metadata_stream(data: bytes) -> Any:
    """The catalogue's /Metadata stream: unfiltered, so that tools that do not read PDF find it."""
    meta = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    return _Unfiltered(meta, data)


_METADATA: Kept[tuple[object, ...], bytes] = Kept(1 << 18, weigh=len)
"""A document's information, date, language and PDF/A-ness -> its /Metadata object's bytes."""


def metadata(doc: Any, stamp: float, lang: str, pdfa: bool) -> Any:
    """The /Metadata object of reportlab document ``doc``: ``metadata_stream`` of its ``xmp``,
    formatted (as ``pack`` would format it), its bytes kept from their second sight: a batch
    builds the same briefing's editions, and a watched file the same page, again and again."""
    info = doc.info
    key = (
        *(info.title, info.author, info.subject, info.producer, info.keywords, info.trapped),
        *(info.creator, stamp, lang, pdfa, rl_config.pdfMultiLine),
    )
    found = _METADATA.get(key)
    if found is None:
        # the stream's own format is what reportlab's format gives for it: no comment is
        # written for a stream, and its dictionary holds only names and a number
        found = bytes(metadata_stream(xmp(info, stamp, lang, pdfa)).format(doc))
        _METADATA.put(key, found)
    return Written(found)


class _Unfiltered(PDFStream):  # type: ignore[misc]
    """A stream written without filters: reportlab would write an empty /Filter array for a
    stream given none."""

    def format(self, document: Any) -> bytes:
        head = PDFDictionary({**self.dictionary.dict, "Length": len(self.content)})
        content: bytes = self.content
        return bytes(format(head, document)) + b"\nstream\n" + content + b"endstream\n"


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile from littleCMS (through Pillow), the same bytes on every build.

    littleCMS stamps the profile with the current time: the date is set to a fixed one, and
    the version to 4.2 (ISO 15076-1:2005, the edition PDF 1.7 refers to; the profile uses
    nothing newer). The profile ID stays zero, which means "not computed"."""
    from PIL import ImageCms

    raw = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    raw[8:12] = bytes([4, 0x20, 0, 0])
    raw[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    raw[84:100] = bytes(16)
    return bytes(raw)


def output_intent() -> Any:
    """The OutputIntents array: one GTS_PDFA1 intent whose destination profile is sRGB."""
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
            "Info": PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": profile,
        }
    )
    return PDFArray([intent])


# a string operand holding character code 0 (.notdef in every reportlab subset), not "\\000"
_NOTDEF = re.compile(r"(?<!\\)(?:\\\\)*\\000")


def check_glyphs(code: list[str]) -> None:
    """Refuse a page that would show the .notdef glyph: reportlab writes code 0 for a character
    its font lacks, and PDF/A forbids referencing .notdef."""
    for op in code:
        if ("Tj" in op or "TJ" in op) and _NOTDEF.search(op):
            raise LayoutError(
                "a character on the page is missing from its font (PDF/A forbids the .notdef "
                "glyph); check the data for unusual characters"
            )


__all__ = ["check_glyphs", "metadata", "metadata_stream", "output_intent", "srgb_profile", "xmp"]
