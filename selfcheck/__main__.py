"""``python -m selfcheck``."""

from .cli import main

raise SystemExit(main())
