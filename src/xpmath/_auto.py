"""The ``auto`` backend, chosen per call: NumPy below each operation's crossover size, the fast
backend (cupy with a working device, else numba) from it on.

A parallel launch costs tens of microseconds and a device round trip more, so a 3-element mean is
fastest on NumPy and a 10⁷-element variance on numba. The crossovers (elements of the call's first
array) are measured by ``xpmath bench --tune``, which writes them to the user's cache directory
(``$XDG_CACHE_HOME/xpmath/crossovers.json``); without that file the defaults below, measured on a
2-core AMD EPYC (Zen 3), apply. Operations that the fast backend runs as NumPy's own call (matrix
products, LAPACK) and random draws (whose streams differ by backend) always run on NumPy on the CPU.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


#: operation -> the smallest input (elements of its first array) from which numba beats NumPy;
#: measured by ``xpmath bench --tune`` on a 2-core AMD EPYC (Zen 3), medians of interleaved runs.
#: Operations not listed (norm, the matrix products and LAPACK calls, cosine_similarity) run on
#: NumPy: numba's kernels did not beat it at any size measured, or are NumPy's own call
CPU_CROSSOVERS: dict[str, int] = {
    "mean": 1 << 20,
    "var": 1 << 16,
    "std": 1 << 16,
    "median": 1 << 16,
    "zscore": 1 << 14,
    "cov": 1 << 18,
    "corrcoef": 1 << 18,
    "PCA.fit": 1 << 20,
    "LinearRegression.fit": 1 << 21,
    "LogisticRegression.fit": 1 << 21,
}
#: with a CUDA device: below this many elements the host-to-device copy costs more than it saves
GPU_CROSSOVER = 1 << 20


_lock = threading.Lock()
_table: dict[str, int] | None = None


def crossovers() -> dict[str, int]:
    """The crossovers in force: the defaults, overridden by those ``--tune`` measured here."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                _table = {**CPU_CROSSOVERS, **read_tuned()}
    return _table


def call_size(a: Any) -> int:
    """The size of a call: the elements of its first array argument (a list's length)."""
    s = getattr(a, "size", None)
    if type(s) is int:
        return s
    return len(a) if isinstance(a, (list, tuple)) else 0


def tuned_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "xpmath" / "crossovers.json"


def read_tuned() -> dict[str, int]:
    """The crossovers ``xpmath bench --tune`` measured on this machine, if it has run."""
    try:
        data = json.loads(tuned_path().read_text())
    except (OSError, ValueError):
        return {}
    return {k: int(v) for k, v in data.get("crossovers", {}).items() if isinstance(v, (int, float))}


def write_tuned(crossovers: dict[str, Any], machine: dict[str, Any]) -> Path:
    from ._files import write_text

    p = tuned_path()
    write_text(p, json.dumps({"crossovers": crossovers, "machine": machine}, indent=2))  # whole or not at all
    global _table
    _table = None  # read again on the next call
    return p
