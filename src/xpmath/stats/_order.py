"""Order statistics: median, quantiles and percentiles, and the range."""

from __future__ import annotations

from .. import _validate as _v
from .._arrays import size as _size
from .._dispatch import impl, select
from ._common import NoValue, broadcast_weights, flag, run, ufunc_flag
from ._common import stat_input as _stat_input

__all__ = ["median", "quantile", "percentile", "ptp"]


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


def order_statistic(fn, op, a, q, axis, out, overwrite_input, method, keepdims, weights, backend, scale):
    """``quantile``, ``percentile`` and their NaN-ignoring twins (``op`` the primitive, ``q`` divided by
    ``scale``): NumPy's checks, in NumPy's order, then the backend's ``op``."""
    be = select(backend, fn, a, q, out, weights)
    x = _v.array(be, a, fn, "a")
    if _v.kind(x.dtype) == "c":  # NumPy's first check, before the axis is read
        raise _v.XPMathTypeError(f"{fn}: a must be an array of real numbers")
    x, axis = _stat_input(be, x, fn, axis)
    q_in, q = q, _v.quantiles(be, x, q, fn, scale)
    # no data: nanquantile answers with nanmean's NaN; quantile fails on its first index (with no q
    # to index, on its look at the last value for NaN, which integers and bools skip: they go on
    # to an empty result)
    if op == "quantile" and axis == () and _size(x) == 0:  # NumPy's reshape to one reduced axis, first
        raise _v.DomainError(f"{fn}: cannot reshape array of size 0 into shape (0,newaxis)")
    empty = _v.reduced_count(x, None if op == "nanquantile" else axis) == 0 and (
        op == "nanquantile" or _v.kind(x.dtype) == "f" or isinstance(q, (int, float)) or _size(q) > 0)
    method = _v.quantile_method(x, q, method, weights, fn, empty=empty)
    w = None if weights is None else _v.weights_for(be, weights, x, axis, fn, nonnegative=True)
    if w is not None and op == "nanquantile" and tuple(w.shape) != tuple(x.shape):
        # NumPy's nanquantile documents weights along the axes but indexes them as a's shape (an
        # IndexError): they are broadcast to it, as its quantile does for itself
        w = broadcast_weights(be, w, x, axis)
    keepdims = flag(keepdims)
    o, into = _v.out_arg(be, out, fn)
    if op == "nanquantile" and empty:  # no data: nanmean's NaN and warning, as NumPy
        r = run(be, "nanmean", fn, x, axis=axis, out=o, keepdims=keepdims)
    elif op == "quantile" and empty:
        raise _v.EmptySliceError(f"{fn}: a has no values along the reduced axes (shape {x.shape}); "
                                 "index -1 is out of bounds for axis 0 with size 0")
    else:
        r = run(be, op, fn, x, q, axis=axis, out=o, overwrite_input=bool(overwrite_input), method=method,
                keepdims=keepdims, weights=w)
    # NumPy's interpolating methods write through a ufunc's out= (any shape the result broadcasts to),
    # the others through take's (the result's own shape)
    spread = weights is None and method not in _v.DISCRETE_METHODS
    return _v.output(be, _v.fill(be, into, r, broadcast=spread), a, q_in, out, weights)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
             backend: str | None = None):
    """The ``q``-th quantiles along ``axis``, as :func:`numpy.quantile`, by any of NumPy's 13 methods.

    The quantiles are exact on every backend (the dask backend selects the order statistics it
    needs by histogram passes rather than approximating them), with NumPy's interpolation to the
    bit and NumPy's result dtype: a Python float ``q`` keeps float32 data float32, a float64 array
    of ``q`` gives float64; the methods that read one order statistic keep integer dtypes.

    Parameters
    ----------
    a : array_like
        Real data (complex is refused, as by NumPy).
    q : array_like of float
        Probabilities in [0, 1]: a scalar, or a 1-D or 2-D array whose shape leads the result's.
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    overwrite_input : bool
        Allow the input array to be used as scratch space (NumPy's backends may reorder it).
    method : str
        ``"linear"`` (default), ``"lower"``, ``"higher"``, ``"midpoint"``, ``"nearest"``, or one of
        Hyndman and Fan's ``"inverted_cdf"``, ``"averaged_inverted_cdf"``, ``"closest_observation"``,
        ``"interpolated_inverted_cdf"``, ``"hazen"``, ``"weibull"``, ``"median_unbiased"``,
        ``"normal_unbiased"``.
    keepdims : bool
        Keep the reduced axes with length one.
    weights : array_like, optional
        Non-negative weights of ``a``'s shape, or of the reduced axes' shape; ``method="inverted_cdf"`` only.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        ``q.shape + `` the kept axes (``a``'s shape with the reduced axes of length one under ``keepdims``).

    Raises
    ------
    DomainError
        ``q`` outside [0, 1], an unknown ``method``, ``weights`` with a method other than
        ``"inverted_cdf"``, negative weights, or weights that sum to zero along a slice.
    XPMathTypeError
        Complex data; bool data with an interpolating method; non-numeric input.
    EmptySliceError
        No values along the reduced axes (an ``IndexError``, as NumPy raises).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.quantile([1.0, 2.0, 3.0, 4.0], 0.25))
    1.75
    >>> xpmath.quantile([1.0, 2.0, 3.0, 4.0], [0.25, 0.5], method="lower").tolist()
    [1.0, 2.0]
    """
    return order_statistic("quantile", "quantile", a, q, axis, out, overwrite_input, method, keepdims, weights,
                           backend, 1)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None,
               backend: str | None = None):
    """The ``q``-th percentiles along ``axis``, as :func:`numpy.percentile`: :func:`quantile` of ``q / 100``.

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
        One of NumPy's 13 methods (see :func:`quantile`).
    keepdims : bool
        Keep the reduced axes with length one.
    weights : array_like, optional
        Non-negative weights; ``method="inverted_cdf"`` only.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        As :func:`quantile`.

    Raises
    ------
    DomainError
        ``q`` outside [0, 100], or as :func:`quantile`.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.percentile([15.0, 20.0, 35.0, 40.0, 50.0], 40))
    29.0
    """
    return order_statistic("percentile", "quantile", a, q, axis, out, overwrite_input, method, keepdims, weights,
                           backend, 100)


def ptp(a, axis=None, out=None, keepdims=NoValue, *, backend: str | None = None):
    """The range (maximum minus minimum) along ``axis``, as :func:`numpy.ptp`; NaN propagates.

    Parameters
    ----------
    a : array_like
        The data (bool is refused, as NumPy cannot subtract booleans).
    axis : None, int or tuple of ints
        The axes to reduce (all by default).
    out : ndarray, optional
        An array to place the result in.
    keepdims : bool
        Keep the reduced axes with length one.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        In ``a``'s dtype (integers wrap as NumPy's do).

    Raises
    ------
    DomainError
        An empty reduction (NumPy's maximum has no identity).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.ptp([[4, 9, 2], [10, 6, 9]], axis=1).tolist()
    [7, 4]
    """
    fn = "ptp"
    be = select(backend, fn, a, out)
    x, axis = _stat_input(be, a, fn, axis, ufunc_axis=True)
    # NumPy's maximum runs before its subtract: an empty reduction's error comes first
    _v.no_identity(x, axis, fn, "maximum", NoValue, True, NoValue)
    if _v.kind(x.dtype) == "b":
        raise _v.XPMathTypeError(f"{fn}: {_v.BOOL_SUBTRACT}")
    o, into = _v.out_arg(be, out, fn)
    r = run(be, fn, fn, x, axis=axis, out=o, keepdims=ufunc_flag(keepdims, fn))
    return _v.output(be, _v.fill(be, into, r), a, out)
