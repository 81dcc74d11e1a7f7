"""Escape text for reportlab's paragraph markup and for XML (the PDF/A metadata), and back.

The same replacements as ``xml.sax.saxutils.escape``/``unescape`` (a test holds them equal),
without importing ``xml.sax``, which pulls in ``urllib.request``, ``http`` and ``ssl``: about a
tenth of the interpreter's start-up, for three ``str.replace`` calls.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: ``text`` is then never markup."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def unescape(markup: str) -> str:
    """The text that ``escape`` turned into ``markup``."""
    return markup.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
