"""The ``numpy`` backend: the reference implementation with ``xp = numpy``."""

from __future__ import annotations

import numpy

from xpmath._backend import Backend


def blas_info() -> dict:
    """The BLAS NumPy runs on and its thread count (from threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        return {}
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return {
                "blas": f"{pool.get('internal_api')} {pool.get('version')} ({pool.get('threading_layer', '?')})",
                "blas_threads": pool.get("num_threads"),
            }
    return {}


class NumpyBackend(Backend):
    """NumPy with its BLAS / LAPACK; the reference every other backend is compared with."""

    name = "numpy"
    xp = numpy
    array_type = numpy.ndarray

    def config(self) -> dict:
        return {"library": f"numpy {numpy.__version__}", **blas_info()}
