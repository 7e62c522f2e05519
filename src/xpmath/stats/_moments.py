"""Moments: mean, variance, standard deviation and the weighted average."""

from __future__ import annotations

import numpy

from .. import _validate as _v
from .._dispatch import impl, select
from ..errors import ZeroWeightsError
from ._common import NoValue, ufunc_flag
from ._common import moments_args as _moments_args
from ._common import stat_input as _stat_input

_ndarray = numpy.ndarray

__all__ = ["mean", "var", "std", "average"]


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True, backend: str | None = None):
    """Arithmetic mean along ``axis``, as :func:`numpy.mean`.

    Parameters
    ----------
    a : array_like
        The data; integer and bool data average in float64, float16 accumulates in float32.
    axis : None, int or tuple of ints
        The axes to average over (all by default).
    dtype : data-type, optional
        The type the sum is accumulated in and the result has.
    out : ndarray, optional
        An array to place the result in (a NumPy array is filled on every backend).
    keepdims : bool
        Keep the reduced axes with length one.
    where : array_like of bool
        Which elements take part.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.mean([2, 3, 5, 4, 6, 7, 8, 3, 5, 9]))
    5.2
    """
    be = select(backend, "mean", a) if out is None and where is True else select(backend, "mean", a, out, where)
    x = _v.array(be, a, "mean", "a")
    if axis is not None:
        axis = _v.axis(x, axis, "mean")
    if dtype is not None:
        dtype = _v.dtype_arg(dtype, "mean")
    # NumPy's mean takes a slower path when given where= at all, even True
    extra = {} if where is True else {"where": _v.where_arg(be, where, x, "mean")}
    into = None
    if out is not None:
        out, into = _v.out_arg(be, out, "mean")
    try:
        r = impl(be, "mean")(x, axis=axis, dtype=dtype, out=out, keepdims=bool(keepdims), **extra)
    except Exception as exc:
        _v.reraise(exc, "mean")
    if into is not None:
        r = _v.fill(be, into, r)
    return r if be.array_type is _ndarray else _v.output(be, r, a, out)


def _moment(fn, a, axis, dtype, out, ddof, keepdims, where, mean_, correction, backend):
    be = select(backend, fn, a, out, where, mean_)
    x, axis = _stat_input(be, a, fn, axis)
    dtype = _v.dtype_arg(dtype, fn)
    ddof, correction = _moments_args(fn, ddof, correction)
    where = _v.where_arg(be, where, x, fn)
    if mean_ is not None:
        mean_ = _v.array(be, mean_, fn, "mean")
    out, into = _v.out_arg(be, out, fn)
    try:
        r = impl(be, fn)(x, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=bool(keepdims), where=where,
                         mean=mean_, correction=correction)
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, _v.fill(be, into, r), a, out)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None,
        backend: str | None = None):
    """Variance along ``axis``, as :func:`numpy.var` (``ddof=0``: the population variance).

    Parameters
    ----------
    a : array_like
        The data; the variance of complex data is real.
    axis : None, int or tuple of ints
    dtype : data-type, optional
    out : ndarray, optional
    ddof : int or float
        The divisor is ``N - ddof``.
    keepdims : bool
    where : array_like of bool
    mean : array_like, optional
        The mean, if already known (with ``keepdims=True``'s shape).
    correction : int or float, optional
        The Array API name of ``ddof``; give one or the other.
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.var([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])), 2)
    4.76
    """
    return _moment("var", a, axis, dtype, out, ddof, keepdims, where, mean, correction, backend)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None, correction=None,
        backend: str | None = None):
    """Standard deviation along ``axis``, as :func:`numpy.std`.

    Parameters
    ----------
    a : array_like
    axis : None, int or tuple of ints
    dtype : data-type, optional
    out : ndarray, optional
    ddof : int or float
    keepdims : bool
    where : array_like of bool
    mean : array_like, optional
    correction : int or float, optional
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.std([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])), 2)
    2.18
    """
    return _moment("std", a, axis, dtype, out, ddof, keepdims, where, mean, correction, backend)


def average(a, axis=None, weights=None, returned=False, *, keepdims=NoValue, backend: str | None = None):
    """Weighted average along ``axis``, as :func:`numpy.average`: ``sum(a * weights) / sum(weights)``.

    Without weights it is :func:`mean`. The result dtype is NumPy's: the data's (float64 for
    integers and bools) without weights, else the type of lowest precision that holds both the
    data and the weights (at least float64 for integer data).

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to average over (all by default).
    weights : array_like, optional
        One weight per element of ``a``, or per element of the axes averaged over.
    returned : bool
        Also return the sum of the weights (the count of elements without weights).
    keepdims : bool
        Keep the reduced axes with length one.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar, or a tuple of two
        The averages; with ``returned``, ``(average, sum_of_weights)``, both of the average's shape.

    Raises
    ------
    ZeroWeightsError
        The weights sum to zero along a slice (a ``ZeroDivisionError``, as NumPy raises).
    XPMathTypeError
        Weights of another shape than ``a`` and no ``axis`` (a ``TypeError``, as NumPy raises).
    ShapeError
        Weights that fit neither ``a`` nor the axes averaged over (a ``ValueError``).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.average([1, 2, 3, 4], weights=[4, 3, 2, 1]))
    2.0
    """
    fn = "average"
    be = select(backend, fn, a, weights)
    x, axis = _stat_input(be, a, fn, axis, bool_axis=True)
    keepdims = ufunc_flag(keepdims, fn)  # NumPy's mean and sum read it
    w = None if weights is None else _v.weights_for(be, weights, x, axis, fn, nonnegative=False)
    try:
        r = impl(be, fn)(x, axis=axis, weights=w, returned=bool(returned), keepdims=keepdims)
    except ZeroDivisionError as exc:
        raise ZeroWeightsError(f"{fn}: {exc}") from exc
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, r, a, weights)
