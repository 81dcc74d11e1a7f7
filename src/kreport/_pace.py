"""The cycle collector's pace in the processes kreport owns: the command and batch workers.

What a build makes mostly lives to the end of the process (modules, fonts, what is kept from
page to page) or dies by reference counting (a page, once drawn: ``page/pdf.py`` breaks the
cycles reportlab leaves), so there is little cyclic garbage to find. At Python's default pace
(a collection of the young objects every 700 new ones) the collector walks the young objects
about once per hundred paragraphs: some fifty times in a cold build (~20 ms, a tenth of the
import floor), and ~0.8 ms of each page a batch worker builds, with its caches' misses after.
A library leaves the pace alone: it is the process's, not kreport's, to set.
"""

from __future__ import annotations

GC_THRESHOLDS = (20_000, 20, 20)
"""The collector's pace while kreport owns the process (Python's default is 700, 10, 10): the
young objects every 20,000 new ones, which still frees a batch's or a watch's garbage as it
goes."""

__all__ = ["GC_THRESHOLDS"]
