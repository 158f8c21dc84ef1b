"""``python -m extractor`` is the ``chiso`` command."""

from extractor.cli import main

main()
