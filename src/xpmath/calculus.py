"""Numerical derivatives by central differences, on the backend's arrays.

The default step is ``h = eps**(1/3) * max(1, |x|)`` rounded so that ``x + h`` is exact, which
balances truncation and rounding error: about 1e-10 relative error in float64 on smooth ``f``.
"""

from __future__ import annotations

import operator

import numpy

from . import _validate as _v
from ._arrays import numpy_dtype
from ._dispatch import select

__all__ = ["derivative", "partial_derivative", "gradient"]


def _check_f(f, fn):
    if not callable(f):
        raise _v.XPMathTypeError(f"{fn}: f must be callable; got {type(f).__name__}")


def _check_h(be, h, fn):
    if h is None:
        return None
    return _v.positive_float(h, fn, "h")


def derivative(f, x, /, *, h=None, backend: str | None = None):
    """``f'(x)`` by the central difference ``(f(x+h) - f(x-h)) / 2h``, elementwise for array ``x``.

    ``f`` must accept the backend's arrays and work elementwise.

    Parameters
    ----------
    f : callable
        The function ``f(x)``, elementwise on the backend's arrays.
    x : array_like
        The point or points, real; integer input computes in float64, float32 stays float32.
    h : float, optional
        The step, > 0 (keyword-only). None: ``eps**(1/3) * max(1, |x|)``, the error-optimal size for a
        central difference. Either way it is rounded so that ``x + h`` is exact.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray
        The derivative at each point of ``x``, shaped as ``x``; a scalar for a scalar ``x``.

    Raises
    ------
    XPMathTypeError
        ``f`` not callable, or complex or non-numeric ``x``.
    DomainError
        ``h`` not finite and > 0.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.derivative(lambda x: x ** 2, 3.0)), 8)
    6.0
    """
    be = select(backend, "derivative", x)
    _check_f(f, "derivative")
    x_in, x = x, _v.real_float_array(be, x, "derivative")
    r = _derivative(be.xp, f, x, _check_h(be, h, "derivative"))
    return _v.output(be, r[()] if getattr(r, "ndim", 1) == 0 else r, x_in)


def _vector(be, x, fn):
    x = _v.real_float_array(be, x, fn)
    if x.ndim != 1:
        raise _v.ShapeError(f"{fn}: x must be a 1-D point of R^n; got shape {x.shape}")
    _v.nonempty(x, fn)
    return x


def partial_derivative(f, x, i, /, *, h=None, backend: str | None = None):
    """∂f/∂x_i at the point ``x`` for ``f: R^n -> R``.

    Parameters
    ----------
    f : callable
        The function ``f(x)``, taking a 1-D array of ``n`` coordinates (the backend's) and returning
        a scalar.
    x : array_like, shape (n,)
        The point, real, not empty.
    i : int
        The coordinate to differentiate along; negative values count from the end.
    h : float, optional
        The step, > 0 (keyword-only). None: ``eps**(1/3) * max(1, |x[i]|)``; rounded so that
        ``x[i] + h`` is exact.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar
        The partial derivative.

    Raises
    ------
    ShapeError
        ``x`` not 1-D.
    EmptyInputError
        An empty ``x``.
    AxisError
        ``i`` out of range for ``n`` coordinates.
    XPMathTypeError
        ``f`` not callable, ``i`` not an integer, or complex or non-numeric ``x``.
    DomainError
        ``h`` not finite and > 0.

    Examples
    --------
    >>> import xpmath
    >>> f = lambda w: w[0] ** 2 + 3 * w[0] * w[1]
    >>> round(float(xpmath.partial_derivative(f, [1.0, 2.0], 0)), 6)  # 2*w1 + 3*w2
    8.0
    """
    be = select(backend, "partial_derivative", x)
    _check_f(f, "partial_derivative")
    x_in, x = x, _vector(be, x, "partial_derivative")
    try:
        i = operator.index(i)
    except TypeError:
        raise _v.XPMathTypeError(f"partial_derivative: i must be an integer; got {i!r}") from None
    if not -x.shape[0] <= i < x.shape[0]:
        raise _v.AxisError(f"partial_derivative: i={i} is out of range for a point of {x.shape[0]} coordinates")
    r = _partial(be.xp, f, x, i % x.shape[0], _check_h(be, h, "partial_derivative"))
    return _v.output(be, r[()] if getattr(r, "ndim", 1) == 0 else r, x_in)


def gradient(f, x, /, *, h=None, backend: str | None = None):
    """The gradient ``[∂f/∂x_1, ..., ∂f/∂x_n]`` of ``f: R^n -> R`` at ``x``.

    Parameters
    ----------
    f : callable
        The function ``f(x)``, taking a 1-D array of ``n`` coordinates (the backend's) and returning
        a scalar.
    x : array_like, shape (n,)
        The point, real, not empty.
    h : float, optional
        The step, > 0 (keyword-only). None: ``eps**(1/3) * max(1, |x_i|)`` for each coordinate; rounded
        so that ``x_i + h`` is exact.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (n,)
        The partial derivatives, one central difference per coordinate.

    Raises
    ------
    ShapeError
        ``x`` not 1-D.
    EmptyInputError
        An empty ``x``.
    XPMathTypeError
        ``f`` not callable, or complex or non-numeric ``x``.
    DomainError
        ``h`` not finite and > 0.

    Examples
    --------
    >>> import xpmath
    >>> f = lambda w: w[0] ** 2 + 3 * w[0] * w[1]
    >>> xpmath.gradient(f, [1.0, 2.0]).round(6).tolist()
    [8.0, 3.0]
    """
    be = select(backend, "gradient", x)
    _check_f(f, "gradient")
    x_in, x = x, _vector(be, x, "gradient")
    return _v.output(be, _gradient(be.xp, f, x, _check_h(be, h, "gradient")), x_in)


def _step(xp, x, h):
    """An exactly representable step: eps^(1/3)·max(1, |x|) by default, the error-optimal size for a
    central difference."""
    if h is None:
        h = float(numpy.finfo(numpy_dtype(x.dtype)).eps) ** (1 / 3) * xp.maximum(xp.ones_like(x), xp.abs(x))
    else:
        h = xp.full_like(x, h)  # on x's device, in x's dtype
    return (x + h) - x


def _derivative(xp, f, x, h):
    h = _step(xp, x, h)
    return (f(x + h) - f(x - h)) / (2 * h)


def _partial(xp, f, x, i, h):
    hi = _step(xp, x[i], h)
    # the step in coordinate i only, built without writing into an array (JAX's are immutable)
    e = xp.where(xp.arange(x.shape[0], **_v.device_kw(x)) == i, hi, xp.zeros_like(x))
    return (f(x + e) - f(x - e)) / (2 * hi)


def _gradient(xp, f, x, h):
    return xp.stack([xp.asarray(_partial(xp, f, x, i, h)) for i in range(x.shape[0])])
