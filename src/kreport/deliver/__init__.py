"""Stage 7, delivery: a built briefing -> what reaches its readers.

``png`` turns PDF bytes into a PNG of the page (for chat, email previews and ``build -f png``);
``recipients`` reads the recipients CSV into rows; ``message`` turns a briefing, its PDF and
its preview into an email message; ``send`` hands messages to an SMTP server and keeps the
delivery log; ``watch`` rebuilds a briefing whenever its files change.
"""
