"""Stages 2 and 3, the page: ``Briefing`` -> ``PageLayout`` (``layout``, measured to fit one page)
-> PDF bytes (``pdf``).

``blocks`` builds the page's blocks in reading order, ``layout`` fits them to one page.
``styles`` and ``palette`` hold the typography and colours, ``marks`` the arrows, swatches and
key drawn as shapes; ``charts``, ``barchart`` and ``trend`` the charts, whose marks ``plotframe``
places as matplotlib would and ``paint`` draws on the reportlab canvas (the same charts through
matplotlib Figures, tests/chartoracle.py, are the tests' reference); ``figures`` the rules
for how a figure is shown (small bases, cut bars), ``wrap`` the line breaking, ``numbers`` and
``words`` the edition's number formats and words. ``tags`` marks what is drawn for accessibility and
records the structure (``spoken`` puts arrows and charts into words), ``structure`` writes it
as PDF objects, ``pdfa`` adds the metadata and colour intent, and ``pack`` writes the final,
compact bytes.
"""
