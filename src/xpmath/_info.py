"""What ``show_config`` and ``xpmath info`` print: versions, the settings and each backend's status."""

from __future__ import annotations

import os
import platform
import sys

import numpy

from . import _registry
from ._config import get_config
from ._dispatch import get_backend


def config() -> dict:
    """Everything :func:`show_config` prints, as a dict."""
    from . import __version__

    info = {
        "xpmath": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "numpy": numpy.__version__,
        "active_backend": get_backend().name,
        "config": get_config(),
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
    """Print versions, the settings, BLAS, threads, devices and each backend's status (and why one
    cannot run).

    ``xpmath info`` on the command line prints the same. Each backend's own report (versions,
    threads, devices) follows its name; an unusable one shows why, and the ``pip install`` extra
    that brings it.
    """
    info = config()
    settings = info.pop("config")
    backends = info.pop("backends")
    width = max(len(k) for k in info)
    for k, v in info.items():
        print(f"{k:<{width}}  {v}")
    print("config:")
    width = max(len(k) for k in settings)
    for k, v in settings.items():
        print(f"  {k:<{width}}  {v!r}")
    print("backends:")
    for name, entry in backends.items():
        state = "usable" if entry.pop("usable") else "NOT usable"
        print(f"  {name}: {state}")
        for k, v in entry.items():
            print(f"      {k}: {v}")
