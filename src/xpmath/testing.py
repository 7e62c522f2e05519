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
    """``(rtol, atol)`` for comparing results of ``dtype``; exact for integers and bools.

    Parameters
    ----------
    dtype : data-type
        The expected result's dtype.

    Returns
    -------
    tuple of 2 floats
        ``(1e-10, 1e-12)`` for float64 and complex128, ``(2e-5, 2e-6)`` for float32 and complex64,
        ``(0.0, 0.0)`` for any other dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath.testing import tolerance
    >>> tolerance(np.float32)
    (2e-05, 2e-06)
    """
    return TOLERANCES.get(np.dtype(dtype), (0.0, 0.0))


def assert_close(actual, expected, *, rtol=None, atol=None, check_dtype: bool = True, check_shape: bool = True):
    """Assert a backend result equals the reference in value (per-dtype tolerance), dtype and shape.

    ``actual`` may live on any backend (it is brought back with :func:`xpmath.to_numpy`); NaNs
    must sit in the same places.

    Parameters
    ----------
    actual : array_like
        The result to check, from any backend.
    expected : array_like
        The reference result.
    rtol, atol : float, optional
        Relative and absolute tolerances; None: :func:`tolerance` of ``expected``'s dtype.
    check_dtype : bool, optional
        Require the same dtype.
    check_shape : bool, optional
        Require the same shape.

    Raises
    ------
    AssertionError
        When the shapes, dtypes or values differ.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath.testing import assert_close
    >>> assert_close(np.float64(1.0) + 1e-13, np.float64(1.0))
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

    Parameters
    ----------
    backend : str
        The backend to run ``func`` on.
    func : callable
        The xpmath function under test; it takes ``backend=``.
    ref : callable
        The NumPy or SciPy counterpart.
    *args
        Positional arguments of both calls.
    rtol, atol : float, optional
        Tolerances, as :func:`assert_close` takes them.
    check_dtype : bool, optional
        Require the reference's dtype.
    **kwargs
        Keyword arguments of both calls.

    Returns
    -------
    object or None
        The backend's result, or None when both calls raised.

    Raises
    ------
    AssertionError
        When the results differ, or when one call raised and the other did not or raised another class.

    Examples
    --------
    >>> import numpy as np, xpmath
    >>> from xpmath.testing import check_parity
    >>> float(check_parity("numpy", xpmath.mean, np.mean, [1.0, 2.0]))
    1.5
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


def backend_marks(name: str) -> list:
    """pytest marks for tests of backend ``name``: ``gpu`` for cupy, and a skip that says why where
    the backend cannot run here or ``XPMATH_TEST_BACKENDS`` leaves it out.

    Parameters
    ----------
    name : str
        A registered backend name.

    Returns
    -------
    list
        ``pytest.mark`` objects to give ``pytest.param(..., marks=...)``.
    """
    import os

    import pytest

    from . import _registry

    marks = [pytest.mark.gpu] if name == "cupy" else []
    only = [b.strip() for b in os.environ.get("XPMATH_TEST_BACKENDS", "").split(",") if b.strip()]
    be, why = _registry.status(name)
    if only and name not in only:
        marks.append(pytest.mark.skip(reason=f"{name} not among XPMATH_TEST_BACKENDS"))
    elif be is None:
        marks.append(pytest.mark.skip(reason=f"{name} backend unusable here: {why}"))
    return marks


def backend_params() -> list:
    """Every registered backend ``XPMATH_TEST_BACKENDS`` (a comma-separated list, if set) names, as
    a pytest parameter with :func:`backend_marks`.

    Returns
    -------
    list
        One ``pytest.param(name, marks=backend_marks(name), id=name)`` per backend, for
        ``@pytest.mark.parametrize`` or a parametrized fixture.
    """
    import os

    import pytest

    from . import _registry

    only = [b.strip() for b in os.environ.get("XPMATH_TEST_BACKENDS", "").split(",") if b.strip()]
    return [pytest.param(name, marks=backend_marks(name), id=name) for name in _registry.names()
            if not only or name in only]


def assert_same(fn, *args, backend: str, on_backend: bool = False, rtol=None, atol=None, **kwargs):
    """``fn(*args, backend=backend)`` against ``fn(*args, backend="numpy")``: the same value (per-dtype
    tolerance), dtype, shape and result type, or the same error class.

    With ``on_backend``, array arguments are first put on the backend, and the results must be its
    own arrays (chained calls stay on a device, or stay lazy). Returns the backend's result.

    Parameters
    ----------
    fn : callable
        An xpmath function; it takes ``backend=``.
    *args
        Its positional arguments; NumPy arrays among them are put on the backend with ``on_backend``.
    backend : str
        The backend to compare with ``numpy``.
    on_backend : bool, optional
        Put the array arguments on the backend first and require its own arrays back.
    rtol, atol : float, optional
        Tolerances, as :func:`assert_close` takes them.
    **kwargs
        Keyword arguments of both calls.

    Returns
    -------
    object or None
        The backend's result, or None when the ``numpy`` call raised (and the backend's raised the same class).

    Raises
    ------
    AssertionError
        When the results differ in value, dtype, shape or type (pytest fails the test instead when
        the ``numpy`` call raised and the backend's call did not raise that class).
    """
    import pytest

    from . import _registry
    from ._convert import asarray

    be = _registry.get(backend)
    if on_backend:
        args = tuple(asarray(a, backend=backend) if isinstance(a, np.ndarray) else a for a in args)
    try:
        ref = fn(*(to_numpy(a) if isinstance(a, be.array_type) else a for a in args), backend="numpy", **kwargs)
    except Exception as exc:
        with pytest.raises(type(exc)):
            fn(*args, backend=backend, **kwargs)
        return None
    got = fn(*args, backend=backend, **kwargs)
    pairs = zip(got, ref) if isinstance(ref, tuple) else [(got, ref)]
    for g, r in pairs:
        if on_backend and isinstance(r, np.ndarray):
            assert isinstance(g, be.array_type), f"{type(g).__name__} is not a {backend} array"
        elif not on_backend:
            assert type(g) is type(r), (type(g), type(r))
        assert_close(g, r, rtol=rtol, atol=atol)
    return got


def sklearn_expected_failures(estimator) -> dict[str, str]:
    """scikit-learn's estimator checks an xpmath estimator fails on purpose, each with its reason
    (``expected_failed_checks=`` of ``parametrize_with_checks``).

    Parameters
    ----------
    estimator : object
        An xpmath estimator.

    Returns
    -------
    dict
        check name -> the reason it fails on purpose.
    """
    from .models import LinearRegression

    if isinstance(estimator, LinearRegression) and estimator.solver != "gd":
        return {
            "check_non_transformer_estimators_n_iter": (
                "max_iter= belongs to xpmath's teaching solver, solver='gd'; the default 'lstsq' is a direct "
                "solve with no iterations, so no n_iter_ (scikit-learn's LinearRegression has no max_iter, so "
                "the check does not run on it)"
            ),
        }
    return {}
