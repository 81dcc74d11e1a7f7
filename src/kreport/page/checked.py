"""Whether the installed reportlab is one kreport's shortcuts were checked against, byte for byte.

Several steps do what reportlab would do, faster, writing the very same bytes: a simple
paragraph's, a line of words' and a chart mark's operators (``drawtext.py``, ``paint.py``), a
one-paragraph table cell's placement and a simple table's row heights (``tables.py``), plain
markup's fragments (``parsed.py``), a simple paragraph's one line (``oneline.py``), line widths
summed as reportlab's accelerator sums them (``wrap.py``), a font subset's file and objects
(``subset.py``, ``fontobjs.py``) and the file's objects' formatting (``objfmt.py``). Each
follows reportlab's own code, private names included, as it is in the versions in ``CHECKED``;
the tests compare every page drawn both ways. Under any other version each shortcut steps aside
and reportlab does the work: the same page, more slowly, and never an error from a private name
that moved. A test fails while the installed reportlab is not in ``CHECKED``: an upgrade is
compared before it is listed.
"""

from __future__ import annotations

import reportlab

CHECKED = frozenset({"5.1.0"})
"""The reportlab versions whose output every shortcut was compared with, byte for byte."""

SHORTCUTS = reportlab.Version in CHECKED
"""Whether the shortcuts may be taken (read at each use, so a test can turn them off)."""

__all__ = ["CHECKED", "SHORTCUTS"]
