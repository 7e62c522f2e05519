"""Which backends exist and can run here, and the versions and devices behind them."""

from __future__ import annotations

import os
import platform
import sys

from . import _registry
from ._dispatch import ENV_VAR, get_backend


def available_backends() -> list[str]:
    """Names of the backends usable in this process, ``"numpy"`` first.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.available_backends()[0]
    'numpy'
    """
    return _registry.available()


def config() -> dict:
    """Everything :func:`show_config` prints, as a dict."""
    import numpy

    from . import __version__

    info = {
        "xpmath": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "numpy": numpy.__version__,
        "active_backend": get_backend().name,
        f"{ENV_VAR}": os.environ.get(ENV_VAR, "(unset)"),
        "backends": {},
    }
    for name in _registry.names():
        be, why = _registry.status(name)
        if be is None:
            extra = _registry.EXTRAS.get(name)
            entry = {"usable": False, "why": why + (f" (install: pip install '{extra}')" if extra else "")}
        else:
            entry = {"usable": True, **be.config()}
        info["backends"][name] = entry
    return info


def show_config() -> None:
    """Print versions, BLAS, threads, devices and each backend's status (and why one cannot run).

    ``xpmath info`` on the command line prints the same.
    """
    info = config()
    backends = info.pop("backends")
    width = max(len(k) for k in info)
    for k, v in info.items():
        print(f"{k:<{width}}  {v}")
    print("backends:")
    for name, entry in backends.items():
        state = "usable" if entry.pop("usable") else "NOT usable"
        print(f"  {name}: {state}")
        for k, v in entry.items():
            print(f"      {k}: {v}")
