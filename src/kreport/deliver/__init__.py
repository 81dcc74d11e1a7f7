"""Stage 7, delivery: a built briefing -> what reaches its readers.

``png`` turns PDF bytes into a PNG of the page (for chat, email previews and ``build -f png``).
Sending reads as its pipeline: ``recipients`` (CSV -> rows) -> ``plan`` (rows and sources ->
``Letter``s, each row's briefing built) -> ``message`` (a letter -> an email) -> ``smtp``
(message bytes -> the server's answer), with ``send`` running the letters through in order and
``log`` keeping the delivery log that makes a rerun send only what was not accepted.
``watch`` turns changes to a data file's inputs into rebuilds.
"""
