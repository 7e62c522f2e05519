"""SciPy's statistics: ``mode`` and ``zscore``, with SciPy's signatures and semantics."""

from __future__ import annotations

from typing import Any, NamedTuple

from .. import _validate as _v
from .._arrays import size as _size
from .._dispatch import impl, select

__all__ = ["mode", "zscore", "ModeResult"]


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
    # SciPy's order: the axis, then an empty input's NaN (whatever its dtype), then the dtype
    if axis is not None:
        axis = _v.axis(x, _v.index_arg(axis, fn, "axis"), fn, scalar_ok=True)
    if _v.kind(x.dtype) == "c":
        raise _v.XPMathTypeError("mode: complex input has no order; pass real data")
    if _v.kind(x.dtype) == "b":  # SciPy's mode counts numbers only
        if _size(x) == 0:
            x = _v.astype(be, x, "int8")
        else:
            raise _v.XPMathTypeError(
                "mode: Argument `a` is not recognized as numeric: bool data has no mode in SciPy; count it with "
                "numpy.unique(a, return_counts=True), or pass a.astype(int)"
            )
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
