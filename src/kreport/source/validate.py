"""Turn a ``RawBriefing`` mapping into a validated ``Briefing`` in one language.

Every problem in the file is collected and raised at once as an ``InputError``. The checks come
in parts, each on the scalar checks of ``scalars`` (texts, numbers, dates): ``figures`` (the
metrics and fraud types) and ``blocks`` (trend, ranking, identity); this module puts the
briefing together and checks its texts as a whole (fonts, script, language) and its date of
issue against its period.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from .. import fonts
from ..errors import InputError
from ..model import Briefing, Language, RawBriefing, language_tag
from .blocks import BlockChecks
from .figures import FigureChecks
from .keys import MAX_HIGHLIGHTS, MAX_TEXT, TOP_KEYS
from .mixing import foreign
from .period import period_end
from .scalars import TAGS, show
from .script import wrong_script


def validate(
    raw: RawBriefing,
    source: str = "<data>",
    language: str | None = None,
    *,
    folder: Path | None = None,
) -> Briefing:
    """Check ``raw`` and resolve it to one language (``language`` overrides the file's own).

    ``folder`` is where the data file is: its ``logo`` is found relative to it (without one,
    relative to the working folder).
    """
    return _Checker(source, folder).briefing(raw, language)


class _Checker(FigureChecks, BlockChecks):
    # -- the briefing ------------------------------------------------------------------------

    def briefing(self, raw: RawBriefing, override: str | None) -> Briefing:
        self.unknown_keys(raw, TOP_KEYS, "")
        self.lang = self.language(raw, override)
        self.fallback = self.flag(raw, "fallback", "fallback")
        mixed = self.flag(raw, "mixed_languages", "mixed_languages")
        title = self.text(raw, "title", "title", required=True, limit=MAX_TEXT["title"])
        agency = self.text(raw, "agency", "agency", required=True, limit=MAX_TEXT["agency"])
        period = self.text(raw, "period", "period", required=True, limit=MAX_TEXT["period"])
        texts = {
            k: self.text(raw, k, k, limit=MAX_TEXT[k])
            for k in ("baseline", "source", "marking", "note", "contact", "advice")
        }
        metrics = self.metrics(raw.get("metrics"))
        types = self.fraud_types(raw.get("fraud_types"))
        money_used = any(m.money for m in metrics) or any(
            t.losses is not None or t.previous_losses is not None for t in types
        )
        currency = self.currency(raw.get("currency"), required=money_used)
        if not _entries(raw.get("metrics")) and not _entries(raw.get("fraud_types")):
            self.problem(
                "",
                "a briefing needs at least one metric ([[metrics]]) "
                "or fraud type ([[fraud_types]])",
            )
        breakdown = self.breakdown(raw.get("breakdown"), types)
        result = Briefing(
            title=title or "",
            agency=agency or "",
            period=period or "",
            language=self.lang,
            currency=currency,
            metrics=metrics,
            fraud_types=types,
            breakdown=breakdown,
            types_total=self.types_total(raw, types, breakdown),
            issued=self.date(raw.get("issued"), "issued"),
            comparison=self.comparison(raw.get("comparison", "last_year")),
            highlights=self.highlights(raw.get("highlights")),
            trend=self.trend(raw.get("trend")),
            ranking=self.ranking(raw.get("ranking")),
            logo=self.logo(raw.get("logo"), self.folder),
            issue_number=self.issue_number(raw.get("issue_number")),
            **texts,
        )
        self.direction(result)
        self.coverage(result)
        self.script(result)
        if not mixed:
            declared = language_tag(str(raw.get("language", "en"))) or "en"
            for path, message in foreign(result.language, declared, self.plain):
                self.problem(path, message)
        self.issued_after(result)
        if self.problems:
            raise InputError(self.source, self.problems)
        return result

    def language(self, raw: RawBriefing, override: str | None) -> Language:
        declared = raw.get("language", "en")
        tag = language_tag(declared) if isinstance(declared, str) else None
        if tag is None:
            self.problem("language", f"expected a language tag ({TAGS}), got {show(declared)}")
        if override is None:
            return tag or "en"
        chosen = language_tag(override)
        if chosen is None:
            self.problem("", f"language {override!r} is not supported; use one of {TAGS}")
            return "en"
        return chosen

    def highlights(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("highlights", f"expected a list of texts, got {show(value)}")
            return ()
        if len(value) > MAX_HIGHLIGHTS:
            self.problem("highlights", f"has {len(value)} entries; at most {MAX_HIGHLIGHTS} fit")
            return ()
        items = (
            self.text({"h": v}, "h", f"highlights[{i}]", required=True, limit=MAX_TEXT["highlight"])
            for i, v in enumerate(value)
        )
        return tuple(h for h in items if h)

    def issued_after(self, b: Briefing) -> None:
        """A briefing is issued after its period: refuse an earlier date when the period's end
        can be read from its text (``period.py``)."""
        end = period_end(b.period)
        if b.issued is not None and end is not None and b.issued < end:
            self.problem(
                "issued",
                f"{b.issued.isoformat()} is before the end of the period it reports "
                f"({b.period!r} ends {end.isoformat()}); a briefing is issued after its period",
            )

    def script(self, briefing: Briefing) -> None:
        for wrong in wrong_script(briefing.language, briefing.texts()):
            self.problem(wrong.path, wrong.message(briefing.language))

    def direction(self, briefing: Briefing) -> None:
        """Refuse right-to-left text by name: the page is set left to right, and reportlab
        cannot reorder a wrapped line (its bidi support needs a package pip cannot install
        here), so Arabic or Hebrew would print backwards."""
        for path, text in briefing.texts().items():
            if text.isascii():  # no ASCII character is right to left
                continue
            rtl = next((c for c in text if unicodedata.bidirectional(c) in ("R", "AL")), None)
            if rtl is not None:
                script = unicodedata.name(rtl, "right-to-left").split()[0].title()
                self.problem(
                    path,
                    f"is written right to left ({script} {rtl!r}, U+{ord(rtl):04X}); kreport "
                    "sets pages left to right only, so it would print backwards",
                )

    def coverage(self, briefing: Briefing) -> None:
        for path, char in fonts.missing_glyphs(briefing.language, briefing.texts()):
            self.problem(
                path,
                f"the character {char!r} (U+{ord(char):04X}) is not in the "
                "bundled fonts and cannot be printed",
            )


def _entries(value: Any) -> bool:
    """Whether a metrics or fraud_types value has entries (wrong types are reported elsewhere)."""
    return bool(value) if isinstance(value, list | dict) else value is not None
