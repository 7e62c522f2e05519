"""Statistics with NumPy's semantics (and SciPy's for ``mode`` and ``zscore``), on every backend.

Integer and bool input computes in float64; float32 stays float32 (in ``cov`` and ``corrcoef``
too, where NumPy would upcast). NaN propagates as in NumPy. An empty input raises
:class:`~xpmath.EmptyInputError`.
"""

from __future__ import annotations

from . import _validate as _v
from ._dispatch import impl, select

__all__ = ["mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore"]


def _stat_input(be, x, fn, axis):
    x = _v.array(be, x, fn)
    _v.nonempty(x, fn)
    _v.axis(x, axis, fn)
    return x


def mean(x, /, axis=None, keepdims: bool = False, *, backend: str | None = None):
    """Arithmetic mean, as :func:`numpy.mean`.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.mean([2, 3, 5, 4, 6, 7, 8, 3, 5, 9]))
    5.2
    """
    be = select(backend, "mean")
    return impl(be, "mean")(_stat_input(be, x, "mean", axis), axis=axis, keepdims=keepdims)


def median(x, /, axis=None, keepdims: bool = False, *, backend: str | None = None):
    """Median, as :func:`numpy.median`.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.median([30000, 35000, 32000, 28000, 1000000]))
    32000.0
    """
    be = select(backend, "median")
    return impl(be, "median")(_stat_input(be, x, "median", axis), axis=axis, keepdims=keepdims)


def var(x, /, axis=None, ddof=0, keepdims: bool = False, *, backend: str | None = None):
    """Variance, as :func:`numpy.var` (``ddof=0``: the population variance).

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.var([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])), 2)
    4.76
    """
    be = select(backend, "var")
    return impl(be, "var")(_stat_input(be, x, "var", axis), axis=axis, ddof=_v.ddof(ddof, "var"), keepdims=keepdims)


def std(x, /, axis=None, ddof=0, keepdims: bool = False, *, backend: str | None = None):
    """Standard deviation, as :func:`numpy.std`.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.std([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])), 2)
    2.18
    """
    be = select(backend, "std")
    return impl(be, "std")(_stat_input(be, x, "std", axis), axis=axis, ddof=_v.ddof(ddof, "std"), keepdims=keepdims)


def _paired(be, fn, x, y, rowvar):
    x = _v.array(be, x, fn, "m" if fn == "cov" else "x")
    _v.nonempty(x, fn)
    _v.ndim(x, fn, (1, 2), "m" if fn == "cov" else "x")
    if y is not None:
        y = _v.array(be, y, fn, "y")
        _v.nonempty(y, fn, "y")
        _v.ndim(y, fn, (1, 2), "y")
        ax = 1 if rowvar else 0
        nx = x.shape[-1] if x.ndim == 1 else x.shape[ax]
        ny = y.shape[-1] if y.ndim == 1 else y.shape[ax]
        if nx != ny:
            raise _v.ShapeError(
                f"{fn}: x {x.shape} and y {y.shape} have different numbers of observations ({nx} != {ny})"
            )
    return x, y


def cov(m, y=None, /, rowvar: bool = True, ddof=None, *, backend: str | None = None):
    """Covariance matrix, as :func:`numpy.cov` (rows are variables unless ``rowvar=False``).

    float32 input gives a float32 result.

    Examples
    --------
    >>> import xpmath
    >>> hours = [2, 3, 5, 4, 6, 7, 8, 3, 5, 9]
    >>> scores = [50, 55, 70, 62, 75, 80, 90, 58, 72, 95]
    >>> round(float(xpmath.cov(hours, scores)[0, 1]), 2)
    33.96
    """
    be = select(backend, "cov")
    m, y = _paired(be, "cov", m, y, rowvar)
    return impl(be, "cov")(m, y, rowvar=bool(rowvar), ddof=_v.ddof(ddof, "cov"))


def corrcoef(x, y=None, /, rowvar: bool = True, *, backend: str | None = None):
    """Pearson correlation coefficients, as :func:`numpy.corrcoef`.

    Examples
    --------
    >>> import xpmath
    >>> hours = [2, 3, 5, 4, 6, 7, 8, 3, 5, 9]
    >>> scores = [50, 55, 70, 62, 75, 80, 90, 58, 72, 95]
    >>> round(float(xpmath.corrcoef(hours, scores)[0, 1]), 4)
    0.9949
    """
    be = select(backend, "corrcoef")
    x, y = _paired(be, "corrcoef", x, y, rowvar)
    return impl(be, "corrcoef")(x, y, rowvar=bool(rowvar))


def mode(x, /, axis=None, *, backend: str | None = None):
    """The most frequent value (the smallest of a tie), as ``scipy.stats.mode(x, axis).mode``.

    ``axis=None`` flattens the input. A slice that holds NaN gives NaN, as SciPy's default.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.mode([1, 2, 2, 3, 3]))
    2.0
    """
    be = select(backend, "mode")
    x = _stat_input(be, x, "mode", axis)
    if x.dtype.kind == "c":
        raise _v.XPMathTypeError("mode: complex input has no order; pass real data")
    if axis is not None and not isinstance(axis, int):
        axis = _single_axis(axis, "mode")
    return impl(be, "mode")(x, axis=axis)


def _single_axis(axis, fn):
    try:
        return int(axis)
    except TypeError:
        raise _v.XPMathTypeError(f"{fn}: axis must be an int or None; got {axis!r}") from None


def zscore(x, /, axis=0, ddof=0, *, backend: str | None = None):
    """Standard scores ``(x - mean) / std`` along ``axis``; 0 where the std is 0 (never NaN).

    As ``scipy.stats.zscore`` otherwise (``axis=None`` standardises the whole array).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.zscore([1.0, 2.0, 3.0]).round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    be = select(backend, "zscore")
    x = _stat_input(be, x, "zscore", axis)
    if axis is not None and not isinstance(axis, int):
        axis = _single_axis(axis, "zscore")
    return impl(be, "zscore")(x, axis=axis, ddof=_v.ddof(ddof, "zscore"))
