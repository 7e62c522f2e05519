"""NaN-ignoring reductions: NumPy's ``nan*`` functions, with its warnings and all-NaN answers.

A slice with no numbers (all NaN, or emptied by ``where=``) gives NaN and NumPy's
``RuntimeWarning`` ("Mean of empty slice", "All-NaN slice encountered", "Degrees of freedom <= 0
for slice."); ``nansum`` of such a slice is 0.
"""

from __future__ import annotations

from .. import _validate as _v
from .._dispatch import select
from ._common import NoValue, flag, run, ufunc_flag
from ._common import moments_args as _moments_args
from ._common import stat_input as _stat_input
from ._order import order_statistic

__all__ = ["nansum", "nanmin", "nanmax", "nanmean", "nanvar", "nanstd", "nanmedian", "nanquantile", "nanpercentile"]


def _where(be, where, x, fn):
    return True if where is NoValue else _v.where_arg(be, where, x, fn)


def nansum(a, axis=None, dtype=None, out=None, keepdims=NoValue, initial=NoValue, where=NoValue, *,
           backend: str | None = None):
    """Sum along ``axis`` with NaNs counted as zero, as :func:`numpy.nansum`.

    Parameters
    ----------
    a : array_like
        The data; bool and integers sum in the platform integer, as NumPy's ``sum``.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    dtype : data-type, optional
        The type the sum is accumulated in and the result has.
    out : ndarray, optional
        An array to place the result in.
    keepdims : bool
        Keep the reduced axes with length one.
    initial : scalar, optional
        The value the sum starts from.
    where : array_like of bool, optional
        Which elements take part.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The sums; a slice of NaNs only sums to 0.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nansum([1.0, float("nan"), 3.0]))
    4.0
    """
    fn = "nansum"
    be = select(backend, fn, a, out, where)
    x, axis = _stat_input(be, a, fn, axis, ufunc_axis=True)
    dtype = _v.dtype_arg(dtype, fn)
    o, into = _v.out_arg(be, out, fn)
    r = run(be, fn, fn, x, axis=axis, dtype=dtype, out=o, keepdims=ufunc_flag(keepdims, fn), initial=initial,
            where=_where(be, where, x, fn))
    return _v.output(be, _v.fill(be, into, r), a, out)


def _extreme(fn, op, a, axis, out, keepdims, initial, where, backend):
    be = select(backend, fn, a, out, where)
    x, axis = _stat_input(be, a, fn, axis, ufunc_axis=True)
    _v.no_identity(x, axis, fn, op, initial, where, NoValue)
    o, into = _v.out_arg(be, out, fn)
    reduced = x.ndim if axis is None else len(axis) if isinstance(axis, tuple) else 1
    keepdims = ufunc_flag(keepdims, fn)
    ndim = x.ndim if keepdims else x.ndim - reduced
    if into is not None and into.ndim != ndim:  # NumPy's ufunc reduction's own check, before any reading
        raise _v.DomainError(f"{fn}: output parameter for reduction operation {op} has the wrong number of "
                             f"dimensions: Found {into.ndim} but expected {ndim}")
    r = run(be, fn, fn, x, axis=axis, out=o, keepdims=keepdims, initial=initial,
            where=_where(be, where, x, fn))
    return _v.output(be, _v.fill(be, into, r), a, out)


def nanmin(a, axis=None, out=None, keepdims=NoValue, initial=NoValue, where=NoValue, *, backend: str | None = None):
    """Minimum along ``axis`` ignoring NaNs, as :func:`numpy.nanmin`.

    A slice of NaNs only gives NaN and ``RuntimeWarning("All-NaN slice encountered")``.

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    keepdims : bool
        Keep the reduced axes with length one.
    initial : scalar, optional
        The largest value the result can take; needed for an empty reduction or with ``where``.
    where : array_like of bool, optional
        Which elements take part.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        In ``a``'s dtype.

    Raises
    ------
    DomainError
        An empty reduction, or ``where`` given, without ``initial`` (NumPy's ``fmin`` has no identity).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanmin([3.0, float("nan"), 1.0]))
    1.0
    """
    return _extreme("nanmin", "fmin", a, axis, out, keepdims, initial, where, backend)


def nanmax(a, axis=None, out=None, keepdims=NoValue, initial=NoValue, where=NoValue, *, backend: str | None = None):
    """Maximum along ``axis`` ignoring NaNs, as :func:`numpy.nanmax`.

    A slice of NaNs only gives NaN and ``RuntimeWarning("All-NaN slice encountered")``.

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    keepdims : bool
        Keep the reduced axes with length one.
    initial : scalar, optional
        The smallest value the result can take; needed for an empty reduction or with ``where``.
    where : array_like of bool, optional
        Which elements take part.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        In ``a``'s dtype.

    Raises
    ------
    DomainError
        An empty reduction, or ``where`` given, without ``initial`` (NumPy's ``fmax`` has no identity).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanmax([3.0, float("nan"), 1.0]))
    3.0
    """
    return _extreme("nanmax", "fmax", a, axis, out, keepdims, initial, where, backend)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=NoValue, *, where=NoValue, backend: str | None = None):
    """Mean along ``axis`` ignoring NaNs, as :func:`numpy.nanmean`.

    A slice with no numbers gives NaN and ``RuntimeWarning("Mean of empty slice")``. Integer and
    bool data (which hold no NaN) average as :func:`numpy.mean` does, in float64.

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    dtype : data-type, optional
        The type the sum is accumulated in and the result has (inexact for inexact data).
    out : ndarray, optional
        An array to place the result in (inexact for inexact data).
    keepdims : bool
        Keep the reduced axes with length one.
    where : array_like of bool, optional
        Which elements take part.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The means.

    Raises
    ------
    XPMathTypeError
        An integer ``dtype`` or ``out`` for inexact data, as NumPy refuses.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanmean([1.0, float("nan"), 3.0]))
    2.0
    """
    fn = "nanmean"
    be = select(backend, fn, a, out, where)
    x, axis = _stat_input(be, a, fn, axis, inexact_ufunc_axis=True)
    dtype = _v.dtype_arg(dtype, fn)
    _v.inexact_like(x, dtype, out, fn)
    o, into = _v.out_arg(be, out, fn)
    r = run(be, fn, fn, x, axis=axis, dtype=dtype, out=o, keepdims=ufunc_flag(keepdims, fn),
            where=_where(be, where, x, fn))
    return _v.output(be, _v.fill(be, into, r), a, out)


def _nan_moment(fn, a, axis, dtype, out, ddof, keepdims, where, mean, correction, backend):
    be = select(backend, fn, a, out, None if where is NoValue else where, None if mean is NoValue else mean)
    x, axis = _stat_input(be, a, fn, axis, inexact_ufunc_axis=True)
    dtype = _v.dtype_arg(dtype, fn)
    _v.inexact_like(x, dtype, out, fn)
    ddof, correction = _moments_args(fn, ddof, None if correction is NoValue else correction)
    mean = None if mean is NoValue or mean is None else _v.array(be, mean, fn, "mean")
    o, into = _v.out_arg(be, out, fn)
    r = run(be, fn, fn, x, axis=axis, dtype=dtype, out=o, ddof=ddof, keepdims=ufunc_flag(keepdims, fn),
            where=_where(be, where, x, fn), mean=mean, correction=correction)
    return _v.output(be, _v.fill(be, into, r), a, out)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NoValue, *, where=NoValue, mean=NoValue,
           correction=NoValue, backend: str | None = None):
    """Variance along ``axis`` ignoring NaNs, as :func:`numpy.nanvar`: the divisor is the count of numbers less ``ddof``.

    Where that divisor is 0 or less, the variance is NaN with ``RuntimeWarning("Degrees of freedom
    <= 0 for slice.")``. The variance of complex data is real.

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    dtype : data-type, optional
        The type the sums are accumulated in (inexact for inexact data).
    out : ndarray, optional
        An array to place the result in (inexact for inexact data).
    ddof : int or float
        Delta degrees of freedom.
    keepdims : bool
        Keep the reduced axes with length one.
    where : array_like of bool, optional
        Which elements take part.
    mean : array_like, optional
        The mean, if already known (with ``keepdims=True``'s shape).
    correction : int or float, optional
        The Array API name of ``ddof``; give one or the other.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The variances.

    Raises
    ------
    DomainError
        Both ``ddof`` and ``correction`` given.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanvar([1.0, float("nan"), 3.0]))
    1.0
    """
    return _nan_moment("nanvar", a, axis, dtype, out, ddof, keepdims, where, mean, correction, backend)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=NoValue, *, where=NoValue, mean=NoValue,
           correction=NoValue, backend: str | None = None):
    """Standard deviation along ``axis`` ignoring NaNs, as :func:`numpy.nanstd`: the square root of :func:`nanvar`.

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    dtype : data-type, optional
        The type the sums are accumulated in (inexact for inexact data).
    out : ndarray, optional
        An array to place the result in (inexact for inexact data).
    ddof : int or float
        Delta degrees of freedom.
    keepdims : bool
        Keep the reduced axes with length one.
    where : array_like of bool, optional
        Which elements take part.
    mean : array_like, optional
        The mean, if already known (with ``keepdims=True``'s shape).
    correction : int or float, optional
        The Array API name of ``ddof``; give one or the other.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The standard deviations.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanstd([1.0, float("nan"), 3.0]))
    1.0
    """
    return _nan_moment("nanstd", a, axis, dtype, out, ddof, keepdims, where, mean, correction, backend)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=NoValue, *, backend: str | None = None):
    """Median along ``axis`` ignoring NaNs, as :func:`numpy.nanmedian`.

    A slice of NaNs only gives NaN and ``RuntimeWarning("All-NaN slice encountered")``; no data at
    all gives NaN and ``RuntimeWarning("Mean of empty slice")``, as NumPy's.

    Parameters
    ----------
    a : array_like
        The data.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    overwrite_input : bool
        Allow the input array to be used as scratch space.
    keepdims : bool
        Keep the reduced axes with length one.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The medians, in ``a``'s floating dtype (float64 for integers).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanmedian([4.0, float("nan"), 1.0, 3.0]))
    3.0
    """
    fn = "nanmedian"
    be = select(backend, fn, a, out)
    x, axis = _stat_input(be, a, fn, axis)
    keepdims = flag(keepdims)
    o, into = _v.out_arg(be, out, fn)
    if _v.reduced_count(x, None) == 0:  # no data: nanmean's NaN and warning, as NumPy
        r = run(be, "nanmean", fn, x, axis=axis, out=o, keepdims=keepdims)
    else:
        r = run(be, fn, fn, x, axis=axis, out=o, overwrite_input=bool(overwrite_input), keepdims=keepdims)
    return _v.output(be, _v.fill(be, into, r), a, out)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=NoValue, *,
                weights=None, backend: str | None = None):
    """The ``q``-th quantiles along ``axis`` ignoring NaNs, as :func:`numpy.nanquantile`.

    Each slice's quantiles are those of its numbers (see :func:`xpmath.quantile` for the methods and
    dtypes); a slice of NaNs only gives NaN and ``RuntimeWarning("All-NaN slice encountered")``.

    Parameters
    ----------
    a : array_like
        Real data.
    q : array_like of float
        Probabilities in [0, 1].
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    overwrite_input : bool
        Allow the input array to be used as scratch space.
    method : str
        One of NumPy's 13 methods (see :func:`xpmath.quantile`).
    keepdims : bool
        Keep the reduced axes with length one.
    weights : array_like, optional
        Non-negative weights; ``method="inverted_cdf"`` only.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        As :func:`xpmath.quantile`.

    Raises
    ------
    DomainError
        As :func:`xpmath.quantile`.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanquantile([1.0, float("nan"), 3.0], 0.5))
    2.0
    """
    return order_statistic("nanquantile", "nanquantile", a, q, axis, out, overwrite_input, method, keepdims,
                           weights, backend, 1)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=NoValue, *,
                  weights=None, backend: str | None = None):
    """The ``q``-th percentiles along ``axis`` ignoring NaNs, as :func:`numpy.nanpercentile`.

    Parameters
    ----------
    a : array_like
        Real data.
    q : array_like of float
        Percentages in [0, 100].
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    overwrite_input : bool
        Allow the input array to be used as scratch space.
    method : str
        One of NumPy's 13 methods (see :func:`xpmath.quantile`).
    keepdims : bool
        Keep the reduced axes with length one.
    weights : array_like, optional
        Non-negative weights; ``method="inverted_cdf"`` only.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        As :func:`nanquantile`.

    Raises
    ------
    DomainError
        ``q`` outside [0, 100], or as :func:`xpmath.quantile`.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.nanpercentile([1.0, float("nan"), 3.0], 50))
    2.0
    """
    return order_statistic("nanpercentile", "nanquantile", a, q, axis, out, overwrite_input, method, keepdims,
                           weights, backend, 100)
