"""The page's colours and the tones that carry meaning, shared by the charts and the typography.

A meaning never rests on hue alone. The three judgements of a change (better, worse, no
judgement) differ by lightness once printed in grey (luma about 63, 119 and 200 of 255, at
least 50 apart) and by a second cue: better is solid, worse is hatched with white stripes, no
judgement is a light fill inside a dark outline. The arrows beside changes are drawn as shapes
of one size in every language (see ``marks.py``). The fraud-type chart is not a judgement: its
bars are a neutral slate, last year a pale grey, the folded "Other" row paler still.
"""

from __future__ import annotations

from dataclasses import dataclass

INK = "#1A1A1A"
MUTED = "#5A5A5A"
ACCENT = "#1F3A5F"  # deep navy: headings, rules, tile bars


@dataclass(frozen=True, slots=True)
class Tone:
    """How a bar or arrow of one meaning is painted."""

    fill: str
    edge: str | None = None  # an outline, for tones too light to stand on white alone
    hatch: bool = False  # white diagonal stripes over the fill


GOOD = Tone("#00508F")  # dark blue (Okabe-Ito blue, darkened for grey printing)
BAD = Tone("#D55E00", hatch=True)  # vermilion, striped
NEUTRAL = Tone("#C8C8C8", edge="#5A5A5A")  # light grey, outlined
THIS_PERIOD = Tone("#44546A")  # slate: counts are not good or bad news
LAST_YEAR = Tone("#BFC5CC")
OTHER = Tone("#8C97A6")  # the folded "Other" row, lighter than the ranked types
OTHER_LAST_YEAR = Tone("#DDE1E6", edge="#BFC5CC")
BREAK = "#FFFFFF"  # the gap cut into a bar too long to draw to scale


def judgement(good_news: bool | None) -> Tone:
    """The tone of a change: ``True`` better, ``False`` worse, ``None`` no judgement."""
    return NEUTRAL if good_news is None else GOOD if good_news else BAD
