"""``kreport send`` against a real SMTP server on the loopback address, and ``--dry-run``.

Each test starts aiosmtpd on 127.0.0.1, sends through the command line as a user would, and
parses what the server received: one message per row, the right region's one-page PDF, the
preview inline, the text readable; refusals, temporary failures, dropped connections, reruns.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import re
import shutil
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import kreport
from kreport.cli import main
from kreport.deliver import smtp
from pdfread import missing_from, read_pdf
from smtpserver import Handler, Running, free_port, smtp_server

ROOT = Path(__file__).parent.parent
TALLY = ROOT / "assets" / "example-tally.toml"
SENDER = "Fraud Centre <briefings@kreport.test>"
HEADS = """\
email,region,lang,cc,name
north@kreport.test,North,,deputy@kreport.test,North head
south@kreport.test,south,zh,,王伟
chief@kreport.test,,,,
"""
USER, PASSWORD = "reporter", "s3cret-Pa55"


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smtp, "BACKOFF", 0.01)  # retries still happen, without the seconds
    monkeypatch.delenv(smtp.USER_VARIABLE, raising=False)
    monkeypatch.delenv(smtp.PASSWORD_VARIABLE, raising=False)


def send(server: Running | None, *args: str, csv: str = HEADS, **env: str) -> Result:
    Path("heads.csv").write_text(csv, encoding="utf-8")
    where = ["--smtp", server.address] if server else []
    if server and server.cafile:
        where += ["--cafile", str(server.cafile)]
    command = ["send", str(TALLY), "--by", "region", "--period", "2023-04"]
    command += ["--recipients", "heads.csv", "--from", SENDER, *where, *args]
    return CliRunner(env=env or None).invoke(main, command, catch_exceptions=False)


def log_lines(path: Path = Path("out/delivery-log.jsonl")) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_message(msg: EmailMessage, region_text: str) -> bytes:
    """The structure the issue asks for; returns the attached PDF."""
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()  # type: ignore[misc]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html, image = related.get_payload()
    assert html.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html.get_content()
    assert image.get_content().startswith(b"\x89PNG")
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    pdf: bytes = attachment.get_content()
    facts = read_pdf(pdf)
    assert facts.pages == 1
    assert missing_from(facts, [region_text]) == []
    assert region_text in plain.get_content()
    return pdf


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_each_row_gets_its_own_region_over_tls_with_login(
    in_tmp: Path, tls: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server(in_tmp, tls=tls, auth=True) as server:
        result = send(
            server,
            "--tls",
            tls,
            KREPORT_SMTP_USER=USER,
            KREPORT_SMTP_PASSWORD=PASSWORD,
        )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().endswith("3 sent, 0 failed of 3")
    assert server.handler.logins == [(USER, PASSWORD)]  # one connection for all three
    got = {tuple(r.recipients): r for r in server.handler.received}
    assert set(got) == {
        ("north@kreport.test", "deputy@kreport.test"),
        ("south@kreport.test",),
        ("chief@kreport.test",),
    }
    north = got[("north@kreport.test", "deputy@kreport.test")].message
    assert north["To"] == "North head <north@kreport.test>"
    assert north["Cc"] == "deputy@kreport.test"
    assert north["From"] == SENDER
    assert north["Subject"] == "Telecom and online fraud briefing — North District · April 2023"
    assert north["Content-Language"] == "en-GB"
    pdf = check_message(north, "North District")
    assert pdf == (in_tmp / "out/north.pdf").read_bytes()
    text = north.get_body(("plain",)).get_content().splitlines()
    assert text[:3] == [
        "Telecom and online fraud briefing — North District",
        "Example City Anti-Fraud Centre",
        "April 2023 · compared with April 2022",
    ]
    # the key figures in words, each as the attached page prints it
    figure = re.compile(r"- Fraud reports: (\d+) · [▲▼] ([\d.]+%)\*? on last year")
    (found,) = [m for m in map(figure.fullmatch, text) if m]
    assert missing_from(read_pdf(pdf), [found[1], found[2]]) == []

    south = got[("south@kreport.test",)].message
    assert str(south["To"]) == "王伟 <south@kreport.test>"
    check_message(south, "南区")
    assert south.get_body(("plain",)).get_content().startswith("电信网络诈骗情况简报（南区）\r\n")
    whole = got[("chief@kreport.test",)].message
    check_message(whole, "April 2023")
    assert "District" not in str(whole["Subject"])

    lines = log_lines()
    assert [line["status"] for line in lines] == ["sent"] * 3
    for line in lines:
        received = next(r for r in server.handler.received if line["recipient"] in r.recipients)
        msg = received.message
        assert line["message_id"] == msg["Message-ID"]
        attached = next(msg.iter_attachments()).get_content()
        assert line["sha256"] == hashlib.sha256(attached).hexdigest()
        assert line["reply"].startswith("250 2.0.0 Ok: queued as Q")
        assert line["attempts"] == 1
    assert {line["language"] for line in lines} == {"en", "zh"}
    assert [line["region"] for line in lines] == ["North", "south", ""]
    for text in (result.stdout, result.stderr, Path("out/delivery-log.jsonl").read_text()):
        assert PASSWORD not in text


def test_plain_loopback_relay_without_login(in_tmp: Path) -> None:
    with smtp_server(in_tmp) as server:
        result = send(server, "--tls", "none")
    assert result.exit_code == 0, result.stderr
    assert len(server.handler.received) == 3


def test_plain_loopback_relay_with_login(in_tmp: Path) -> None:
    with smtp_server(in_tmp, auth=True) as server:
        result = send(
            server, "--tls", "none", KREPORT_SMTP_USER=USER, KREPORT_SMTP_PASSWORD=PASSWORD
        )
    assert result.exit_code == 0, result.stderr
    assert server.handler.logins == [(USER, PASSWORD)]
    assert len(server.handler.received) == 3


def test_a_refused_recipient_fails_loudly_and_the_others_are_sent(in_tmp: Path) -> None:
    handler = Handler(refuse={"south@kreport.test": "550 5.1.1 <south@kreport.test>: no such user"})
    with smtp_server(in_tmp, handler=handler) as server:
        result = send(server, "--tls", "none")
    assert result.exit_code == 1
    assert "error: south@kreport.test (row 3, south): 550 5.1.1" in result.stderr
    assert result.stderr.strip().endswith("2 sent, 1 failed of 3")
    assert len(server.handler.received) == 2
    failed = [line for line in log_lines() if line["status"] == "failed"]
    assert [(f["recipient"], f["attempts"]) for f in failed] == [("south@kreport.test", 1)]
    assert failed[0]["reply"].startswith("550")  # permanent: not retried


def test_a_temporary_refusal_is_retried(in_tmp: Path) -> None:
    handler = Handler(data_replies=["451 4.3.0 try again later"])
    with smtp_server(in_tmp, handler=handler) as server:
        result = send(server, "--tls", "none")
    assert result.exit_code == 0, result.stderr
    assert len(server.handler.received) == 3  # each once: the retried one is not doubled
    assert [line["attempts"] for line in log_lines()] == [2, 1, 1]


def test_a_connection_dropped_mid_message_is_retried(in_tmp: Path) -> None:
    with smtp_server(in_tmp, handler=Handler(drops=1)) as server:
        result = send(server, "--tls", "none")
    assert result.exit_code == 0, result.stderr
    assert sorted(r.recipients[0] for r in server.handler.received) == [
        "chief@kreport.test",
        "north@kreport.test",
        "south@kreport.test",
    ]
    assert [line["attempts"] for line in log_lines()] == [2, 1, 1]


def test_temporary_failures_give_up_after_the_retries(in_tmp: Path) -> None:
    handler = Handler(data_replies=["451 4.3.0 busy"] * 3)
    with smtp_server(in_tmp, handler=handler) as server:
        result = send(server, "--tls", "none", "--retries", "2")
    assert result.exit_code == 1
    assert "451 4.3.0 busy (gave up after 3 attempts)" in result.stderr
    assert result.stderr.strip().endswith("2 sent, 1 failed of 3")


def test_a_rerun_sends_only_what_was_not_accepted(in_tmp: Path) -> None:
    handler = Handler(refuse={"chief@kreport.test": "550 5.7.1 mailbox full"})
    with smtp_server(in_tmp, handler=handler) as server:
        first = send(server, "--tls", "none")
        assert first.exit_code == 1
        handler.refuse.clear()
        second = send(server, "--tls", "none")
        assert second.exit_code == 0, second.stderr
        third = send(server, "--tls", "none")
        assert third.exit_code == 0, third.stderr
        dry = send(server, "--dry-run", "eml")  # shows what a real rerun would send: nothing
        assert dry.exit_code == 0, dry.stderr
        assert not (Path("eml")).exists()
        again = send(server, "--tls", "none", "--resend")
        assert again.exit_code == 0, again.stderr
    assert second.stderr.strip().endswith(
        "1 sent, 0 failed of 3; 2 sent before (in out/delivery-log.jsonl)"
    )
    assert "skipped: north@kreport.test (row 2, North): already sent" in second.stdout
    assert third.stderr.strip().endswith(
        "0 sent, 0 failed of 3; 3 sent before (in out/delivery-log.jsonl)"
    )
    log = "(in out/delivery-log.jsonl)"
    assert (
        dry.stderr.strip()
        == f"0 written to eml, 0 failed of 3; 3 sent before {log}; nothing was sent"
    )
    assert again.stderr.strip().endswith("3 sent, 0 failed of 3")
    received = [r.recipients[0] for r in handler.received]
    assert received.count("chief@kreport.test") == 2  # second run and --resend
    assert received.count("north@kreport.test") == 2  # first run and --resend
    assert len(received) == 2 + 1 + 0 + 3


def test_dry_run_writes_eml_files_that_parse_back(in_tmp: Path) -> None:
    shutil.copy(kreport.example_path("karamay"), in_tmp / "北区.toml")
    shutil.copy(kreport.example_path("singapore"), in_tmp / "south.toml")
    csv = "email,region,lang\nnorth@kreport.test,北区,zh\nsouth@kreport.test,south,\n"
    Path("heads.csv").write_text(csv, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["send", "北区.toml", "south.toml", "--recipients", "heads.csv", "--from", SENDER,
         "--dry-run", "eml", "--subject", "{region}: {title} ({date})"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == "2 written to eml, 0 failed of 2; nothing was sent"
    files = sorted((in_tmp / "eml").iterdir())
    assert [f.name for f in files] == ["001-north_kreport.test.eml", "002-south_kreport.test.eml"]
    assert result.stdout.split() == [str(Path("eml") / f.name) for f in files]
    raw = files[0].read_bytes()
    assert b"filename*=utf-8''%E5%8C%97%E5%8C%BA-zh.pdf" in raw  # RFC 2231, not raw UTF-8
    assert raw.isascii()
    north = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(north, EmailMessage)
    assert next(north.iter_attachments()).get_filename() == "北区-zh.pdf"
    check_message(north, "克拉玛依市公安局")
    assert str(north["Subject"]).startswith("北区: 打击治理电信网络诈骗工作简报 (")
    assert not (in_tmp / "out/delivery-log.jsonl").exists()  # nothing sent, nothing logged


def test_a_message_over_the_size_limit_is_refused_before_sending(in_tmp: Path) -> None:
    with smtp_server(in_tmp) as server:
        result = send(server, "--tls", "none", "--max-size", "0.1")
    assert result.exit_code == 1
    assert "the message is 0.2 MB, over the 0.1 MB limit (--max-size); it was not sent" in (
        result.stderr
    )
    assert result.stderr.strip().endswith("0 sent, 3 failed of 3")
    assert server.handler.received == []


def test_an_unreachable_server_fails_every_message(in_tmp: Path) -> None:
    port = free_port()  # nothing listens there
    result = send(None, "--smtp", f"127.0.0.1:{port}", "--tls", "none", "--retries", "1")
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}: cannot connect after 2 attempts" in result.stderr
    assert result.stderr.strip().endswith("0 sent, 3 failed of 3")
    assert [line["status"] for line in log_lines()] == ["failed"] * 3


def test_a_wrong_password_stops_and_is_not_printed(in_tmp: Path) -> None:
    with smtp_server(in_tmp, tls="starttls", auth=True) as server:
        result = send(server, KREPORT_SMTP_USER=USER, KREPORT_SMTP_PASSWORD="wrong-Pa55word")
    assert result.exit_code == 1
    assert "refused the user name or password from KREPORT_SMTP_USER" in result.stderr
    assert server.handler.received == []
    assert len(server.handler.logins) == 1  # not retried: it would lock the account
    for text in (result.stdout, result.stderr, Path("out/delivery-log.jsonl").read_text()):
        assert "wrong-Pa55word" not in text


def test_an_untrusted_certificate_is_refused(in_tmp: Path) -> None:
    with smtp_server(in_tmp, tls="starttls") as server:
        server.cafile = None  # the system's CAs do not know the test CA
        result = send(server)
    assert result.exit_code == 1
    assert "the server's certificate is not trusted" in result.stderr
    assert server.handler.received == []


def test_starttls_is_required_unless_asked_otherwise(in_tmp: Path) -> None:
    with smtp_server(in_tmp) as server:  # offers no STARTTLS
        result = send(server)
    assert result.exit_code == 1
    assert "does not offer STARTTLS" in result.stderr
    assert server.handler.received == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--smtp", "mail.kreport.test:25", "--tls", "none"], "--tls none sends in clear text"),
        ([], "give --smtp HOST:PORT to send, or --dry-run DIR"),
        (["--dry-run", "x", "--subject", "{titel}"], "--subject: unknown field {titel}"),
        (["--smtp", "host:port"], "--smtp 'host:port': expected HOST:PORT"),
    ],
)
def test_usage_errors(in_tmp: Path, args: list[str], message: str) -> None:
    result = send(None, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (in_tmp / "out").exists()


def test_credentials_come_in_pairs(in_tmp: Path) -> None:
    result = send(None, "--smtp", "127.0.0.1:25", KREPORT_SMTP_USER=USER)
    assert result.exit_code == 2
    assert "set KREPORT_SMTP_PASSWORD" in result.stderr


def test_every_bad_row_is_reported_before_anything_is_built(in_tmp: Path) -> None:
    csv = (
        "email,region,lang,cc,nmae\n"
        "north@kreport.test,Nowhere,,,\n"
        "not-an-address,North,xx,also bad,\n"
    )
    result = send(None, "--dry-run", "eml", csv=csv)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: heads.csv: header: unknown column 'nmae'; did you mean 'name'? "
        "(known: email, region, lang, cc, name)"
    ]
    result = send(None, "--dry-run", "eml", csv=csv.replace("nmae", "name"))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert (
        "error: heads.csv: row 3, column \"email\": 'not-an-address' is not an email address"
        in errors
    )
    assert "error: heads.csv: row 3, column \"cc\": 'also bad' is not an email address" in errors
    assert any(
        e.startswith("error: heads.csv: row 3, column \"lang\": unknown edition 'xx'")
        for e in errors
    )
    assert not (in_tmp / "eml").exists()
    csv = "email,region\nnorth@kreport.test,Nowhere\n"
    result = send(None, "--dry-run", "eml", csv=csv)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: heads.csv: row 2, column \"region\": no briefing for 'Nowhere'; "
        "there are: east, north, south, west"
    ]
    assert not (in_tmp / "out").exists()
