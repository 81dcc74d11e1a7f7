"""``kreport send`` and ``kreport watch``: options parsed here, the work done in ``deliver``.

Registered on the ``kreport`` group by ``cli/__init__``; nothing heavy is imported until a
command runs, so ``kreport --help`` stays fast.
"""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ..api import Paper
from ..errors import UsageError
from ..sources import By, collect
from . import main
from .console import echo_error
from .options import BY, LANG, PAPER, PERIOD, PPI, output_for

if TYPE_CHECKING:
    from email.headerregistry import Address

    from ..deliver.send import Result, Summary
    from ..deliver.smtp import Tls

TLS = ("starttls", "ssl", "none")
LOG_NAME = "delivery-log.jsonl"


@main.command("send")
@click.argument("sources", nargs=-1, required=True, type=click.Path(), metavar="SOURCE...")
@click.option(
    "--recipients",
    "recipients_csv",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE.csv",
    help="One row per message: email (required), region, lang, cc, name.",
)
@click.option("--smtp", "smtp", metavar="HOST:PORT", help="The mail server to send through.")
@click.option(
    "--from",
    "sender",
    required=True,
    metavar="ADDRESS",
    help='The sender: "Fraud Centre <briefings@example.org>" or a bare address.',
)
@click.option(
    "--subject",
    metavar="TEMPLATE",
    help="The subject, with {title}, {period}, {region} and {date} (default: "
    "'{title} · {period}').",
)
@click.option(
    "--tls", type=click.Choice(TLS), default="starttls", show_default=True,
    help="none is allowed only to this machine (a local relay).",
)  # fmt: skip
@click.option(
    "--cafile",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="CA certificates to trust for the server instead of the system's.",
)
@click.option(
    "--dry-run",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write each message as DIR/NNN-<email>.eml and send nothing.",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The delivery log, one JSON line per message (default: <-o>/{LOG_NAME}).",
)
@click.option("--resend", is_flag=True, help="Send again what the log says was already sent.")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the PDFs as sent (and the log).",
)
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="MB",
    help="Refuse to send a larger message.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=3,
    show_default=True,
    help="Tries after a temporary failure (4xx, dropped connection), waiting 1, 2, 4 s...",
)
@LANG
@PERIOD
@BY
@PAPER
def send_cmd(
    sources: tuple[str, ...],
    recipients_csv: str,
    smtp: str | None,
    sender: str,
    subject: str | None,
    tls: str,
    cafile: Path | None,
    dry_run: Path | None,
    log_path: Path | None,
    resend: bool,
    output: Path,
    max_size: float,
    retries: int,
    language: str | None,
    period: str | None,
    by: By | None,
    paper: Paper,
) -> None:
    """Build each recipient's briefing and email it to them, one message per CSV row.

    A row's region picks that region's briefing (from a tally with --by region, or a data
    file of a batch); an empty region gets the whole-area briefing. The user name and
    password, if the server wants them, come from KREPORT_SMTP_USER and
    KREPORT_SMTP_PASSWORD. Each message is logged; a rerun with the same log sends only what
    the server has not accepted yet. Exit code 1 if any message failed.

    \b
    Example:
      kreport send tally.toml --by region --period 2023-04 --recipients heads.csv \\
          --smtp smtp.example.org:587 --from "Fraud Centre <briefings@example.org>"
      kreport send march.toml --recipients heads.csv --from me@example.org --dry-run eml/
    """
    from ..deliver.log import DeliveryLog
    from ..deliver.message import DEFAULT_SUBJECT, check_subject
    from ..deliver.plan import build_letters, match
    from ..deliver.recipients import read_recipients
    from ..deliver.send import Settings, deliver
    from ..deliver.smtp import Outbox, Server

    if smtp is None and dry_run is None:
        raise UsageError("give --smtp HOST:PORT to send, or --dry-run DIR to write .eml files")
    server = None
    if dry_run is None:
        assert smtp is not None
        server = Server.from_options(smtp, cast("Tls", tls), cafile)
    template = subject or DEFAULT_SUBJECT
    check_subject(template)
    settings = Settings(_address(sender), template, int(max_size * 1e6))
    recipients = read_recipients(recipients_csv)
    pairs = match(sources, recipients, period=period, by=by, label=recipients_csv)
    letters = build_letters(pairs, output, language=language, paper=paper)
    log = DeliveryLog(log_path or output / LOG_NAME, read_only=dry_run is not None)
    outbox = Outbox(server, retries=retries) if server is not None else None
    with log, outbox or nullcontext():
        summary = deliver(
            letters,
            settings,
            outbox=outbox,
            dry_run=dry_run,
            log=log,
            resend=resend,
            on_result=_echo,
        )
    _finish(summary, dry_run, log.path)


def _address(text: str) -> Address:
    from email.headerregistry import Address
    from email.utils import parseaddr

    name, addr = parseaddr(text)
    try:
        address = Address(display_name=name, addr_spec=addr)
    except Exception:
        address = None
    if address is None or not address.username or not address.domain:
        raise UsageError(f"--from {text!r} is not an email address")
    return address


def _echo(result: Result) -> None:
    r = result.letter.recipient
    who = f"{r.email} (row {r.row}" + (f", {r.region})" if r.region else ")")
    if result.status == "sent":
        click.echo(f"sent: {who}: {result.detail}")
    elif result.status == "written":
        click.echo(result.detail)
    elif result.status == "skipped":
        click.echo(f"skipped: {who}: {result.detail}")
    else:
        echo_error(f"{who}: {result.detail}")


def _finish(summary: Summary, dry_run: Path | None, log: Path) -> None:
    total = len(summary.results)
    failed = summary.count("failed", "partial")
    skipped = summary.count("skipped")
    before = f"; {skipped} sent before (in {log})" if skipped else ""
    if dry_run is not None:
        line = f"{summary.count('written')} written to {dry_run}, {failed} failed of {total}"
        click.echo(f"{line}{before}; nothing was sent", err=True)
    else:
        click.echo(f"{summary.count('sent')} sent, {failed} failed of {total}{before}", err=True)
    sys.exit(0 if summary.ok else 1)


@main.command("watch")
@click.argument("source", type=click.Path(dir_okay=False), metavar="FILE")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="PDF to write (default: out/<input name>.pdf), or a folder for it.",
)
@click.option("--png", is_flag=True, help="Also write a PNG of the page beside the PDF.")
@PPI
@click.option("--open", "open_", is_flag=True, help="Open the PDF once, after the first build.")
@click.option(
    "--interval",
    type=click.FloatRange(0.05, 10),
    default=0.5,
    show_default=True,
    metavar="SECONDS",
    help="How often to look for changes.",
)
@click.option("--max-builds", type=click.IntRange(min=1), hidden=True)  # tests stop here
@LANG
@PERIOD
@PAPER
def watch_cmd(
    source: str,
    output: str | None,
    png: bool,
    ppi: int | None,
    open_: bool,
    interval: float,
    max_builds: int | None,
    language: str | None,
    period: str | None,
    paper: Paper,
) -> None:
    """Rebuild FILE's PDF whenever FILE, its tally or a file beside it changes.

    One process stays running, so a rebuild skips the start-up a fresh `kreport build`
    pays. An error is printed as `build` prints it, and watching goes on: fix the file, save
    it, and the page comes back. Editors' and office suites' lock and temporary files are
    ignored. Ctrl-C stops.

    \b
    Example:
      kreport watch march.toml --open
      kreport watch tally.toml --period 2023-04 --png -o out/april.pdf
    """
    from ..deliver.png import DEFAULT_PPI
    from ..deliver.watch import Rebuild, Watcher, builder

    if ppi is not None and not png:
        raise UsageError("--ppi applies to the PNG (--png)")
    path = Path(source)
    items = collect([path], period=period)  # for the output's name; rebuilds read afresh
    target = output_for(items[0].name if items else path.stem, output, language)
    png_path = target.with_suffix(".png") if png else None
    opened = not open_

    def report(rebuild: Rebuild) -> None:
        nonlocal opened
        stamp = time.strftime("%H:%M:%S")
        if rebuild.changed:
            click.echo(f"{stamp} changed: {', '.join(p.name for p in rebuild.changed)}", err=True)
        if rebuild.error is not None:
            echo_error(rebuild.error)
            click.echo(f"{stamp} failed; watching for the next change", err=True)
            return
        for written in rebuild.outputs:
            click.echo(str(written))
        click.echo(f"{stamp} built in {rebuild.seconds:.2f} s; watching {path}", err=True)
        if not opened:
            opened = True
            click.launch(str(target))

    build = builder(
        path,
        target,
        png=png_path,
        ppi=ppi or DEFAULT_PPI,
        language=language,
        paper=paper,
        period=period,
    )
    outputs = {target} | ({png_path} if png_path else set())
    watcher = Watcher(path, build, outputs=outputs, interval=interval, on_build=report)
    try:
        watcher.run(max_builds=max_builds)
    except KeyboardInterrupt:
        click.echo("", err=True)
