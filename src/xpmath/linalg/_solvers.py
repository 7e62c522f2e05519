"""Solvers: inverse, linear systems, determinants."""

from __future__ import annotations

import numpy

from .. import _validate as _v
from .._dispatch import impl, select

_ndarray = numpy.ndarray

__all__ = ["inv", "solve", "det"]


def inv(a, *, backend: str | None = None):
    """Inverse of a square matrix (or of each in a stack ``(..., n, n)``), as :func:`numpy.linalg.inv`.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., n, n)
        The inverse of each matrix, in ``a``'s floating dtype.

    Raises
    ------
    SingularMatrixError
        When ``a`` is exactly singular (a zero pivot), on every backend.
    ShapeError
        When ``a`` is not a square matrix or a stack of them.
    NonFiniteError
        When ``a`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.inv([[4.0, 7.0], [2.0, 6.0]]).round(4).tolist()
    [[0.6, -0.7], [-0.2, 0.4]]
    """
    be = select(backend, "inv", a)
    a_in = a
    a = _v.square_finite(be, a, "inv")
    try:
        r = impl(be, "inv")(a)
    except numpy.linalg.LinAlgError as exc:
        _v.raise_singular(exc, "inv", be)
        raise
    return r if be.array_type is _ndarray else _v.output(be, r, a_in)


def solve(a, b, *, backend: str | None = None):
    """Solve ``a @ x = b``, as :func:`numpy.linalg.solve` (``b`` 1-D, or ``(..., n, k)``).

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Coefficient matrix, or a stack of them; integer and bool input computes in float64.
    b : array_like, shape (n,) or (..., n, k)
        Ordinate values: one vector, or ``k`` columns per matrix; the batch axes of ``a`` and ``b``
        broadcast.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        The solution ``x``, shaped as ``b`` (with the batch axes broadcast).

    Raises
    ------
    SingularMatrixError
        When ``a`` is exactly singular (a zero pivot), on every backend.
    ShapeError
        When ``a`` is not square or ``b``'s shape does not fit it.
    NonFiniteError
        When ``a`` or ``b`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.solve([[3.0, 1.0], [1.0, 2.0]], [9.0, 8.0]).tolist()
    [2.0, 3.0]
    """
    be = select(backend, "solve", a, b)
    a_in, b_in = a, b
    a = _v.float_array(be, a, "solve", "a")
    b = _v.float_array(be, b, "solve", "b")
    _v.solve_shapes(a, b)
    _v.lapack_dtype(a, "solve", "a")
    _v.lapack_dtype(b, "solve", "b")
    _v.finite(be, a, "solve", "a")
    _v.finite(be, b, "solve", "b")
    try:
        return _v.output(be, impl(be, "solve")(a, b), a_in, b_in)
    except numpy.linalg.LinAlgError as exc:
        _v.raise_singular(exc, "solve", be)
        raise


def det(a, *, backend: str | None = None):
    """Determinant, as :func:`numpy.linalg.det` (0.0 for a singular matrix).

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray, shape (...)
        The determinant of each matrix.

    Raises
    ------
    ShapeError
        When ``a`` is not a square matrix or a stack of them.
    NonFiniteError
        When ``a`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.linalg.det([[4.0, 7.0], [2.0, 6.0]])), 10)
    10.0
    """
    be = select(backend, "det", a)
    return _v.output(be, impl(be, "det")(_v.square_finite(be, a, "det")), a)
