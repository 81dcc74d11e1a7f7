"""``python -m kreport.cli``: the same as the ``kreport`` command."""

from . import run

run()
