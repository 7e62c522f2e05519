"""``python -m xpmath``: the same CLI as the ``xpmath`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
