"""Turn a briefing, its PDF and its page preview into an ``email.message.EmailMessage``.

The message is ``multipart/mixed``: a ``multipart/alternative`` (a plain-text summary — title,
period, the key figures, the highlights — and a ``multipart/related`` HTML part that shows the
page preview inline by its Content-ID), then the PDF attached under its file name (RFC 2231
encoded when it is not ASCII). Every text from the data is escaped for HTML and kept out of
header syntax; the fixed words are the page's own (``page.words``), so each edition reads as
its page does.
"""

from __future__ import annotations

import datetime as dt
import html
import string
from collections.abc import Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ..errors import DeliveryError, UsageError
from ..model import Briefing, Metric, bcp47, is_chinese
from ..page import numbers
from ..page.figures import change_words
from ..page.precision import as_printed, figures
from ..page.words import words

DEFAULT_SUBJECT = "{title} · {period}"
SUBJECT_FIELDS = ("title", "period", "region", "date")
MAX_SIZE = 10_000_000
"""Bytes a message may have by default: many company mail servers refuse more than 10 MB,
and base64 makes attachments a third larger than their files."""


def subject(template: str, briefing: Briefing, region: str, today: dt.date) -> str:
    """``template`` with ``{title}``, ``{period}``, ``{region}`` and ``{date}`` filled in.

    ``{{`` and ``}}`` are literal braces; any other field is a ``UsageError``. The result is
    one line (data texts could hold line breaks, which a header must not).
    """
    check_subject(template)
    values = {
        "title": briefing.title,
        "period": briefing.period,
        "region": region,
        "date": numbers.date(today, briefing.language),
    }
    text = "".join(
        literal + (values[field] if field is not None else "")
        for literal, field, _, _ in string.Formatter().parse(template)
    )
    return " ".join(text.split())


def check_subject(template: str) -> None:
    """Refuse a template naming an unknown field, or using format specs or conversions."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise UsageError(f"--subject {template!r}: {exc}") from None
    known = ", ".join("{" + f + "}" for f in SUBJECT_FIELDS)
    for _, field, spec, conversion in parsed:
        if field is not None and (field not in SUBJECT_FIELDS or spec or conversion):
            raise UsageError(f"--subject: unknown field {{{field}}}; use {known}")


def key_figures(briefing: Briefing) -> list[tuple[str, str]]:
    """(label, figure) for every metric, by the page's rules: a change from a small base as
    its difference ("2 more"), a change computed from the figures starred."""
    shown = as_printed(briefing)  # a change that rounds to 0% is no change, as on the page
    return [(m.label, _figure(m, shown)) for m in shown.metrics]


def notes(briefing: Briefing) -> list[str]:
    """The page's footnotes that the key figures need (what the star means)."""
    w = words(briefing.language)
    computed = any(m.change is not None and m.change.derived for m in briefing.metrics)
    return [f"* {w.computed}"] if computed else []


def _figure(m: Metric, b: Briefing) -> str:
    w = words(b.language)
    shown = figures(b)  # the page's precision, so the message and the page agree
    parts = []
    if m.value is not None:
        parts.append(str(shown.this[b.metrics.index(m)]))
    if m.change is not None:
        vs = w.change_vs_previous if b.comparison == "previous_period" else w.change_vs_last_year
        star = "*" if m.change.derived else ""
        said = change_words(m, b.currency, b.language, shown.decimals(m))
        change = vs.format(change=said + star)
        parts.append(f"{numbers.change_mark(m.change)} {change}")
    return " · ".join(parts)


def _period_line(b: Briefing) -> str:
    if not b.baseline:
        return b.period
    return f"{b.period} · {words(b.language).compared_with.format(baseline=b.baseline)}"


def text_summary(briefing: Briefing, filename: str) -> str:
    """The plain-text part: what a reader without HTML (or a screen reader) gets."""
    b, w = briefing, words(briefing.language)
    lines = [b.title, b.agency, _period_line(b), "", w.summary]
    colon = "：" if is_chinese(b.language) else ": "
    lines += [f"- {label}{colon}{figure}" for label, figure in key_figures(b)]
    lines += notes(b)
    if b.highlights:
        lines += ["", w.highlights]
        lines += [f"- {h}" for h in b.highlights]
    if b.source:
        lines += ["", w.source.format(source=b.source)]
    lines += ["", f"PDF: {filename}"]
    return "\n".join(lines) + "\n"


def html_summary(briefing: Briefing, filename: str, preview_cid: str, width: int = 600) -> str:
    """The HTML part: the same summary above the page preview, every data text escaped."""
    b, w = briefing, words(briefing.language)
    e = html.escape
    rows = "".join(
        f'<tr><td style="padding:2px 12px 2px 0">{e(label)}</td>'
        f'<td style="padding:2px 0"><b>{e(figure)}</b></td></tr>'
        for label, figure in key_figures(b)
    )
    footnotes = "".join(f'<p style="margin:2px 0;color:#555">{e(n)}</p>' for n in notes(b))
    items = "".join(f"<li>{e(h)}</li>" for h in b.highlights)
    highlights = f"<h3>{e(w.highlights)}</h3><ul>{items}</ul>" if items else ""
    source = f'<p style="color:#555">{e(w.source.format(source=b.source))}</p>' if b.source else ""
    cid = preview_cid.strip("<>")
    return (
        f'<!DOCTYPE html><html lang="{bcp47(b.language)}"><head><meta charset="utf-8">'
        f"<title>{e(b.title)}</title></head>"
        '<body style="font-family:sans-serif;color:#1a1a1a;max-width:640px">'
        f'<p style="margin:0;color:#1f3a5f"><b>{e(b.agency)}</b></p>'
        f'<h2 style="margin:4px 0">{e(b.title)}</h2>'
        f'<p style="margin:0 0 12px;color:#555">{e(_period_line(b))}</p>'
        f"<h3>{e(w.summary)}</h3><table>{rows}</table>{footnotes}{highlights}{source}"
        f'<p><img src="cid:{e(cid)}" alt="{e(b.title)}" width="{width}" '
        'style="max-width:100%;height:auto;border:1px solid #ccc"></p>'
        f'<p style="color:#555">PDF: {e(filename)}</p>'
        "</body></html>\n"
    )


def compose(
    briefing: Briefing,
    pdf: bytes,
    filename: str,
    preview: bytes,
    *,
    sender: Address,
    to: Address,
    cc: Sequence[str] = (),
    subject_line: str,
    when: dt.datetime | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """The message carrying ``pdf`` (attached as ``filename``) and its ``preview`` PNG."""
    if not pdf.startswith(b"%PDF-"):
        raise DeliveryError(f"{filename}: not a PDF; nothing to attach")
    if not preview.startswith(b"\x89PNG"):
        raise DeliveryError(f"{filename}: the preview is not a PNG")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject_line
    msg["Date"] = format_datetime(when or dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain=sender.domain or None)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to it
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text_summary(briefing, filename))
    cid = make_msgid(domain=sender.domain or None)
    msg.add_alternative(html_summary(briefing, filename, cid), subtype="html")
    html_part = next(p for p in msg.iter_parts() if p.get_content_type() == "text/html")
    html_part.add_related(
        preview, "image", "png", cid=cid, filename="preview.png", disposition="inline"
    )
    msg.add_attachment(pdf, "application", "pdf", filename=filename)
    msg["Content-Language"] = bcp47(briefing.language)  # set_content() would have dropped it
    return msg


def check_size(data: bytes, limit: int, what: str) -> None:
    """Refuse a message over ``limit`` bytes before it is offered to a server."""
    if len(data) > limit:
        raise DeliveryError(
            f"{what}: the message is {len(data) / 1e6:.1f} MB, over the {limit / 1e6:g} MB "
            "limit (--max-size); it was not sent"
        )


__all__ = [
    "DEFAULT_SUBJECT",
    "MAX_SIZE",
    "SUBJECT_FIELDS",
    "check_size",
    "check_subject",
    "compose",
    "html_summary",
    "key_figures",
    "subject",
    "text_summary",
]
