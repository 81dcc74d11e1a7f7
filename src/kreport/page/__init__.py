"""Stages 2 and 3, the page: ``Briefing`` -> ``PageLayout`` (``layout``, measured to fit one page)
-> PDF bytes (``pdf``).

``styles`` and ``palette`` hold the typography and colours, ``charts`` the bar charts that
``mplcanvas`` draws through matplotlib onto the reportlab canvas, ``wrap`` the line breaking,
``numbers`` and ``words`` the edition's number formats and fixed words.
"""
