"""``python -m xpmath``: the same CLI as the ``xpmath`` command."""

from .cli import main

raise SystemExit(main())
