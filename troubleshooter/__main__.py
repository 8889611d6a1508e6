"""``python -m troubleshooter``: see :mod:`troubleshooter.cli`."""

from troubleshooter.cli import main

raise SystemExit(main())
