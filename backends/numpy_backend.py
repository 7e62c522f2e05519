"""The ``numpy`` backend: NumPy itself; every operation is the reference with ``xp = numpy``."""

from __future__ import annotations

import numpy

from xpmath._backend import BackendBase


def blas_info() -> dict:
    """The BLAS NumPy runs on and its thread count (from threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        return {}
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    # NumPy's own first: SciPy (imported by numba, say) may load a second OpenBLAS beside it
    pools.sort(key=lambda p: "numpy" not in str(p.get("filepath", "")))
    if not pools:
        return {}
    pool = pools[0]
    return {
        "blas": f"{pool.get('internal_api')} {pool.get('version')} ({pool.get('threading_layer', '?')})",
        "blas_threads": pool.get("num_threads"),
    }


class NumpyBackend(BackendBase):
    """NumPy with its BLAS / LAPACK; the reference every other backend is compared with."""

    name = "numpy"
    xp = numpy
    array_type = numpy.ndarray

    def config(self) -> dict:
        return {"library": f"numpy {numpy.__version__}", **blas_info()}
