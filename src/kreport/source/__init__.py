"""Stage 1, the data file: bytes -> ``RawBriefing`` (``load``) -> ``Briefing`` (``validate``).

``keys`` holds the format's keys and limits; ``schema`` describes them for editors (JSON Schema
and the commented template). Nothing here draws or writes a page.
"""
