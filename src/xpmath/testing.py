"""Helpers to compare a backend's results with the NumPy reference (plugins may reuse them).

Examples
--------
>>> import numpy as np
>>> from xpmath.testing import assert_close
>>> assert_close(np.float64(1.0) + 1e-13, np.float64(1.0))
"""

from __future__ import annotations

import numpy as np

from ._arrays import to_numpy

#: (rtol, atol) by the expected result's dtype kind and size
TOLERANCES = {
    np.dtype(np.float64): (1e-10, 1e-12),
    np.dtype(np.complex128): (1e-10, 1e-12),
    np.dtype(np.float32): (2e-5, 2e-6),
    np.dtype(np.complex64): (2e-5, 2e-6),
}


def tolerance(dtype) -> tuple[float, float]:
    """``(rtol, atol)`` for comparing results of ``dtype``; exact for integers and bools."""
    return TOLERANCES.get(np.dtype(dtype), (0.0, 0.0))


def assert_close(actual, expected, *, rtol=None, atol=None, check_dtype: bool = True, check_shape: bool = True):
    """Assert a backend result equals the reference in value (per-dtype tolerance), dtype and shape.

    ``actual`` may live on any backend (it is brought back with :func:`xpmath.to_numpy`); NaNs
    must sit in the same places.
    """
    a = to_numpy(actual)
    e = np.asarray(expected)
    if check_shape:
        assert a.shape == e.shape, f"shape {a.shape} != reference {e.shape}"
    if check_dtype:
        assert a.dtype == e.dtype, f"dtype {a.dtype} != reference {e.dtype}"
    r, t = tolerance(e.dtype)
    np.testing.assert_allclose(a, e, rtol=r if rtol is None else rtol, atol=t if atol is None else atol, equal_nan=True)


def check_parity(backend: str, func, ref, *args, rtol=None, atol=None, check_dtype=True, **kwargs):
    """Run ``func(*args, backend=backend, **kwargs)`` and compare it with ``ref(*args, **kwargs)``.

    ``ref`` is plain NumPy/SciPy, never a backend's path. When the reference raises, the
    xpmath call must raise an instance of the same class (xpmath's errors subclass NumPy's and
    the builtins). Returns the backend's result (or None when both raised).
    """
    try:
        expected = ref(*args, **kwargs)
    except Exception as exc:  # the reference's error class is the expectation
        try:
            func(*args, backend=backend, **kwargs)
        except type(exc):
            return None
        except Exception as got:
            raise AssertionError(f"raised {type(got).__name__}, reference raised {type(exc).__name__}") from got
        raise AssertionError(f"no error, reference raised {type(exc).__name__}: {exc}")
    actual = func(*args, backend=backend, **kwargs)
    assert_close(actual, expected, rtol=rtol, atol=atol, check_dtype=check_dtype)
    return actual
