"""The parts of delivery on their own: the recipients CSV, the message, the log, the server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest

import kreport
from helpers import small_tally, write_csv, write_xlsx
from kreport.deliver.log import DeliveryLog, Entry, key
from kreport.deliver.message import compose, html_summary, subject, text_summary
from kreport.deliver.plan import match
from kreport.deliver.png import pdf_to_png
from kreport.deliver.recipients import parse_recipients
from kreport.deliver.smtp import Server, is_loopback
from kreport.errors import DeliveryError, InputError, KreportError, UsageError

DATA = {
    "title": "Fraud <b>briefing</b> & <script>alert(1)</script>",
    "agency": "Test Police",
    "period": "Week 1",
    "language": "en",
    "metrics": [{"label": "Reports <i>", "value": 12, "previous": 10}],
    "highlights": ["Calls rose <img src=x onerror=alert(1)>"],
}


def test_recipients_from_a_spreadsheet_export() -> None:
    """A byte-order mark, ';' as separator, header case, blank lines and cc lists."""
    data = "\ufeffEmail;Region;LANG;CC\r\na@x.test;North;zh-hans;b@x.test, c@x.test\r\n;;;\r\n"
    (r,) = parse_recipients(data.encode("utf-8"))
    assert (r.row, r.email, r.region, r.language, r.cc) == (
        2,
        "a@x.test",
        "North",
        "zh",
        ("b@x.test", "c@x.test"),
    )


def test_recipients_problems_are_all_reported() -> None:
    data = b"email,region\na@x.test,North\nA@X.test,north\n\xe4,\n"
    with pytest.raises(InputError) as caught:
        parse_recipients(data, "r.csv")
    assert str(caught.value).startswith("r.csv: is not UTF-8")
    with pytest.raises(InputError) as caught:
        parse_recipients(b"email,region\na@x.test,North\nA@X.test,north\n,x\n", "r.csv")
    assert str(caught.value).splitlines() == [
        "r.csv: row 3: repeats row 2 (same email, region and lang)",
        'r.csv: row 4, column "email": is empty; an email address is needed',
    ]
    with pytest.raises(InputError, match="no recipients below its header"):
        parse_recipients(b"email\n")
    with pytest.raises(InputError, match="non-ASCII characters are not supported"):
        parse_recipients("email\n王@x.test\n".encode())


def test_data_texts_are_escaped_in_html_and_kept_out_of_headers() -> None:
    briefing = kreport.parse(DATA)
    pdf = kreport.build_bytes(briefing)
    msg = compose(
        briefing,
        pdf,
        "b.pdf",
        pdf_to_png(pdf, 36),
        sender=Address(addr_spec="a@x.test"),
        to=Address("Head", addr_spec="h@x.test"),
        subject_line=subject("{title}\n{period}", briefing, "", dt.date(2024, 1, 2)),
    )
    html = html_summary(briefing, "b.pdf", "<cid@x>")
    assert "<script>" not in html and "<img src=x" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Subject"] == "Fraud <b>briefing</b> & <script>alert(1)</script> Week 1"
    text = text_summary(briefing, "b.pdf")
    # text stays text; the page's rules: 10 -> 12 is a small base, a computed change is starred
    assert "- Reports <i>: 12 · ▲ 2 more* on last year" in text.splitlines()
    assert "* computed from the figures shown" in text.splitlines()


def test_subject_fields_and_date() -> None:
    zh = {"language": "zh", "title": "简报", "period": "第1周", "mixed_languages": True}
    briefing = kreport.parse(DATA | zh)
    line = subject("{region} {title} {period} {date} {{x}}", briefing, "北区", dt.date(2024, 1, 2))
    assert line == "北区 简报 第1周 2024年1月2日 {x}"
    for bad in ("{title.__class__}", "{title!r}", "{title:>9}", "{nope}", "{"):
        with pytest.raises(UsageError):
            subject(bad, briefing, "", dt.date(2024, 1, 2))


def _entry(status: str, recipient: str = "a@x.test") -> Entry:
    return Entry("t", status, recipient, "North", "en", "Week 1", "p", "s", "<m>", "250 ok")  # type: ignore[arg-type]


def test_the_log_survives_a_line_cut_short_and_refuses_garbage(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with DeliveryLog(path) as log:
        log.write(_entry("sent"))
        log.write(_entry("failed", "b@x.test"))
    with path.open("a", encoding="utf-8") as f:
        f.write('{"time": "t", "status": "sent", "recipient": "c@x.te')  # killed mid-write
    with DeliveryLog(path) as log:
        assert log.sent(key("A@X.TEST", "north", "en", "Week 1"))
        assert not log.sent(key("b@x.test", "North", "en", "Week 1"))
        assert not log.sent(key("c@x.test", "North", "en", "Week 1"))
        log.write(_entry("sent", "c@x.test"))
    with DeliveryLog(path) as log:  # the cut line no longer hides the next one
        assert log.sent(key("c@x.test", "North", "en", "Week 1"))
    path.write_text('{"status": "sent"}\n' + path.read_text(), encoding="utf-8")
    with pytest.raises(DeliveryError, match="line 1 is not a delivery-log entry"):
        DeliveryLog(path).open()


def test_one_run_at_a_time_per_log(tmp_path: Path) -> None:
    with DeliveryLog(tmp_path / "log.jsonl"):
        with pytest.raises(DeliveryError, match="another kreport send is using this delivery log"):
            DeliveryLog(tmp_path / "log.jsonl").open()
        with DeliveryLog(tmp_path / "log.jsonl", read_only=True) as dry:  # a dry run only reads
            assert dry.accepted == set()


def test_server_options() -> None:
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and is_loopback("::1")
    assert not is_loopback("192.0.2.1")
    s = Server.from_options("[::1]:2525", "none", environ={})
    assert (s.host, s.port, s.where) == ("::1", 2525, "[::1]:2525")
    assert Server.from_options("mail.example.org", "ssl", environ={}).port == 465
    secret = Server.from_options(
        "mail.example.org", environ={"KREPORT_SMTP_USER": "u", "KREPORT_SMTP_PASSWORD": "pw-1"}
    )
    assert secret.user == "u" and "pw-1" not in repr(secret)


def test_a_tally_with_bad_cells_is_refused_before_anyone_is_matched(tmp_path: Path) -> None:
    rows = small_tally()
    rows[26][3] = "n/a"  # 2023-01 for B
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    recipients = parse_recipients(b"email,region\na@x.test,A\n")
    assert [i.name for _, i in match([path], recipients, period="2023-02", by="region")] == ["a"]
    with pytest.raises(KreportError, match=r"metrics!D27: expected a number, got \"n/a\""):
        match([path], recipients, period="2023-01", by="region")


def test_a_row_may_name_a_tally_region_as_its_pages_do(tmp_path: Path) -> None:
    """``[regions]`` gives a region its name on the page; a head of that region writes that name
    (in either language), not the tally's own code for it."""
    write_csv(tmp_path / "t.csv", small_tally(("N1", "S2")))
    spec = tmp_path / "t.toml"
    spec.write_text(
        'tally = "t.csv"\ntitle = "T"\nagency = "A"\n'
        '[regions]\nN1 = { en = "North District", zh = "北区" }\nS2 = "South District"\n',
        encoding="utf-8",
    )
    csv_text = "email,region\nn@x.test,north district\nz@x.test,北区\ns@x.test,South District\n"
    recipients = parse_recipients(csv_text.encode(), "r.csv")
    pairs = match([spec], recipients, period="2023-02", by="region")
    assert [i.name for _, i in pairs] == ["n1", "n1", "s2"]
    with pytest.raises(InputError, match="no briefing for 'West District'; there are: n1, s2"):
        match([spec], parse_recipients(b"email,region\nw@x.test,West District\n"), by="region")
