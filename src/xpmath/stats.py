"""Statistics with NumPy's full signatures and semantics (SciPy's for ``mode`` and ``zscore``), on every backend.

Each function takes its counterpart's parameters under the same names (``out=``, ``dtype=``,
``where=``, ``mean=``, ``correction=``, ``fweights=``/``aweights=``, ``nan_policy=`` …) and gives
its answer, dtype, shape, warnings and error class; empty input gives NaN with NumPy's
``RuntimeWarning``. Two deliberate differences: ``cov`` and ``corrcoef`` of float32 stay float32
(their means summed in double), and the z-score of a constant slice is 0, not NaN.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy

from . import _validate as _v
from ._arrays import size as _size

_ndarray = numpy.ndarray
from ._dispatch import impl, select

__all__ = ["mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore", "ModeResult"]


class ModeResult(NamedTuple):
    """``(mode, count)``, as ``scipy.stats.mode`` returns.

    Attributes
    ----------
    mode : array or scalar
        The most frequent value of each slice (the smallest of a tie).
    count : array or scalar
        How often it occurs.
    """

    mode: Any
    count: Any


def _stat_input(be, a, fn, axis):
    """``(x, axis)``: the data on the backend and the axis as Python ints."""
    x = _v.array(be, a, fn, "a")
    return x, _v.axis(x, axis, fn)


def _moments_args(fn, ddof, correction):
    ddof = _v.ddof(ddof, fn)
    if correction is not None:
        correction = _v.ddof(correction, fn, "correction")
        if ddof != 0:
            raise _v.DomainError(f"{fn}: ddof and correction can't be provided simultaneously.")
    return ddof, correction


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


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False, *, backend: str | None = None):
    """Median along ``axis``, as :func:`numpy.median`.

    Parameters
    ----------
    a : array_like
    axis : None, int or tuple of ints
    out : ndarray, optional
        An array to place the result in.
    overwrite_input : bool
        Allow the input array to be used as scratch space (it is then left partly sorted).
    keepdims : bool
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.median([30000, 35000, 32000, 28000, 1000000]))
    32000.0
    """
    be = select(backend, "median", a, out)
    x, axis = _stat_input(be, a, "median", axis)
    out, into = _v.out_arg(be, out, "median")
    try:
        r = impl(be, "median")(x, axis=axis, out=out, overwrite_input=bool(overwrite_input), keepdims=bool(keepdims))
    except Exception as exc:
        _v.reraise(exc, "median")
    return _v.output(be, _v.fill(be, into, r), a, out)


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


def _paired(be, fn, x, y, first, rowvar):
    x = _v.array(be, x, fn, first)
    _v.ndim(x, fn, (0, 1, 2), first)
    if y is not None:
        y = _v.array(be, y, fn, "y")
        _v.ndim(y, fn, (0, 1, 2), "y")
        ax = 1 if rowvar else 0
        nx = x.shape[-1] if x.ndim == 1 else (x.shape[ax] if x.ndim == 2 else 1)
        ny = y.shape[-1] if y.ndim == 1 else (y.shape[ax] if y.ndim == 2 else 1)
        if nx != ny:
            raise _v.ShapeError(
                f"{fn}: {first} {x.shape} and y {y.shape} have different numbers of observations ({nx} != {ny})"
            )
    return x, y


def _weights(be, w, fn, name, integer, n):
    """NumPy's checks of cov's ``fweights`` / ``aweights`` (its messages and error classes)."""
    if w is None:
        return None
    w = _v.array(be, w, fn, name)
    xp = be.xp
    if integer and _v.kind(w.dtype) in "fc" and not bool(xp.all(w == xp.round(w))):
        raise _v.XPMathTypeError(f"{fn}: {name} must be integer")
    if w.ndim > 1:
        raise _v.WeightsShapeError(f"{fn}: cannot handle multidimensional {name}")
    if w.ndim == 0 or w.shape[0] != n:
        got = w.shape[0] if w.ndim else "a scalar"
        raise _v.WeightsShapeError(f"{fn}: incompatible numbers of samples and {name} ({got} != {n})")
    if bool(xp.any(w < 0)):
        raise _v.DomainError(f"{fn}: {name} cannot be negative")
    return w


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None,
        backend: str | None = None):
    """Covariance matrix, as :func:`numpy.cov` (rows are variables unless ``rowvar=False``).

    float32 data give a float32 result (NumPy would give float64); the means are summed in double.

    Parameters
    ----------
    m : array_like
        1-D or 2-D: each row a variable, each column an observation (``rowvar=True``).
    y : array_like, optional
        More variables, stacked under ``m``'s.
    rowvar : bool
    bias : bool
        Divide by ``N`` instead of ``N - 1``.
    ddof : int, optional
        Overrides ``bias``: the divisor is ``N - ddof``.
    fweights, aweights : array_like, optional
        Integer frequency weights and observation weights of each observation.
    dtype : data-type, optional
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> hours = [2, 3, 5, 4, 6, 7, 8, 3, 5, 9]
    >>> scores = [50, 55, 70, 62, 75, 80, 90, 58, 72, 95]
    >>> round(float(xpmath.cov(hours, scores)[0, 1]), 2)
    33.96
    """
    fn = "cov"
    be = select(backend, fn, m, y, fweights, aweights)
    m_in, y_in = m, y
    m, y = _paired(be, fn, m, y, "m", rowvar)
    if ddof is not None:
        ddof = _v.int_arg(ddof, fn, "ddof")
    rows, cols = m.shape if m.ndim == 2 else (1, _size(m))
    n = rows if not rowvar and rows != 1 else cols
    fweights = _weights(be, fweights, fn, "fweights", True, n)
    aweights = _weights(be, aweights, fn, "aweights", False, n)
    dtype = _v.dtype_arg(dtype, fn)
    try:
        r = impl(be, fn)(m, y, rowvar=bool(rowvar), bias=bool(bias), ddof=ddof, fweights=fweights,
                         aweights=aweights, dtype=dtype)
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, r, m_in, y_in)


def corrcoef(x, y=None, rowvar=True, *, dtype=None, backend: str | None = None):
    """Pearson correlation coefficients, as :func:`numpy.corrcoef`; float32 stays float32.

    Parameters
    ----------
    x : array_like
        1-D or 2-D: each row a variable (``rowvar=True``).
    y : array_like, optional
    rowvar : bool
    dtype : data-type, optional
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> ice_cream = [100, 200, 400, 500, 600, 300, 150]
    >>> drownings = [10, 20, 45, 55, 60, 25, 12]
    >>> round(float(xpmath.corrcoef(ice_cream, drownings)[0, 1]), 4)
    0.987
    """
    fn = "corrcoef"
    be = select(backend, fn, x, y)
    x_in, y_in = x, y
    x, y = _paired(be, fn, x, y, "x", rowvar)
    dtype = _v.dtype_arg(dtype, fn)
    try:
        r = impl(be, fn)(x, y, rowvar=bool(rowvar), dtype=dtype)
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, r, x_in, y_in)


def mode(a, axis=0, nan_policy="propagate", keepdims=False, *, backend: str | None = None) -> ModeResult:
    """The most frequent value along ``axis`` and its count, as :func:`scipy.stats.mode`.

    A tie gives the smallest value. Under ``nan_policy="propagate"`` NaN counts as a value (it is
    the mode where it is the most frequent); ``"omit"`` leaves NaNs out; ``"raise"`` refuses them.
    ``axis=None`` looks at the flattened array. Values keep their dtype (uint64 included).

    Parameters
    ----------
    a : array_like
    axis : int or None
    nan_policy : {"propagate", "omit", "raise"}
    keepdims : bool
    backend : str, optional

    Returns
    -------
    ModeResult
        ``(mode, count)``.

    Examples
    --------
    >>> import xpmath
    >>> r = xpmath.mode([1, 2, 2, 3, 3])
    >>> int(r.mode), int(r.count)
    (2, 2)
    """
    fn = "mode"
    be = select(backend, fn, a)
    x = _v.array(be, a, fn, "a")
    if _v.kind(x.dtype) == "c":
        raise _v.XPMathTypeError("mode: complex input has no order; pass real data")
    if _v.kind(x.dtype) == "b":  # SciPy's mode counts numbers only
        raise _v.XPMathTypeError(
            "mode: Argument `a` is not recognized as numeric: bool data has no mode in SciPy; count it with "
            "numpy.unique(a, return_counts=True), or pass a.astype(int)"
        )
    if axis is not None:
        axis = _v.axis(x, _v.index_arg(axis, fn, "axis"), fn, scalar_ok=True)
    nan_policy = _v.nan_policy(be, nan_policy, x, fn)
    try:
        m, c = impl(be, fn)(x, axis=axis, nan_policy=nan_policy, keepdims=bool(keepdims))
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, ModeResult(m, c), a)


def zscore(a, axis=0, ddof=0, nan_policy="propagate", *, backend: str | None = None):
    """Standard scores ``(a - mean) / std`` along ``axis``, as :func:`scipy.stats.zscore`.

    Where a slice's standard deviation is 0 its z-scores are 0 (as scikit-learn's
    ``StandardScaler``), never NaN. ``axis=None`` standardises the whole array.

    Parameters
    ----------
    a : array_like
    axis : int or None
    ddof : int
    nan_policy : {"propagate", "omit", "raise"}
        ``"propagate"``: a slice holding NaN gives NaN; ``"omit"``: NaNs are left out of the mean
        and std (and stay NaN); ``"raise"``: NaN is an error.
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> xpmath.zscore([1.0, 2.0, 3.0]).round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    fn = "zscore"
    be = select(backend, fn, a)
    x = _v.array(be, a, fn, "a")
    if axis is not None:
        axis = _v.axis(x, _v.index_arg(axis, fn, "axis"), fn)
    ddof = _v.ddof(ddof, fn)
    nan_policy = _v.nan_policy(be, nan_policy, x, fn)
    try:
        r = impl(be, fn)(x, axis=axis, ddof=ddof, nan_policy=nan_policy)
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, r, a)
