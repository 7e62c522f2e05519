"""Portable statistics: NumPy's and SciPy's semantics written in the standard's functions.

The moments are NumPy's two-pass formulas (so ``ddof``, ``where=``, ``mean=`` and complex data mean
what they mean there, with the same warnings); ``median`` and ``mode`` sort, since the standard has
neither; ``cov`` is NumPy's algorithm (weights, ``ddof``/``bias``) with the means summed in double.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy

from .._arrays import _library, device_of, is_foreign, kind, numpy_dtype
from . import _quantile
from ._common import as_float, astype, axes_of, count, into, is_complex, keep, narrow, native, real_dtype, wide

__all__ = [
    "mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore",
    "column_means", "centred_gram",
    "average", "ptp", "quantile", "nanquantile", "nanmedian",
    "nanmean", "nanvar", "nanstd", "nansum", "nanmin", "nanmax",
]



def _data(xp: Any, a: Any, dtype: Any) -> tuple[Any, Any]:
    """``(what to accumulate, the result's dtype)``: ``dtype`` when given, float64 for integers,
    float32 for float16 data (returned as float16), as NumPy."""
    if dtype is not None:
        dt = native(xp, dtype)
        return astype(xp, a, narrow(xp, dt)), dt
    x = as_float(xp, a)
    return astype(xp, x, narrow(xp, x.dtype)), x.dtype


def _mask(xp: Any, where: Any, x: Any) -> Any:
    return xp.broadcast_to(where, x.shape)


def _zeros(xp: Any, x: Any) -> Any:
    return xp.zeros_like(x)


def mean(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         where: Any = True) -> Any:
    x, dt = _data(xp, a, dtype)
    axes = axes_of(axis, x.ndim)
    if where is True:
        if count(x.shape, axes) == 0:
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=4)
            r = xp.sum(x, axis=axes, keepdims=keepdims) / 0.0
        else:
            r = xp.mean(x, axis=axes, keepdims=keepdims)
    else:
        w = _mask(xp, where, x)
        s = xp.sum(xp.where(w, x, _zeros(xp, x)), axis=axes, keepdims=keepdims)
        r = s / astype(xp, xp.sum(astype(xp, w, xp.int64), axis=axes, keepdims=keepdims), real_dtype(xp, s.dtype))
    return into(out, astype(xp, r, dt))


def _moment(name: str, xp: Any, a: Any, axis: Any, dtype: Any, out: Any, ddof: float, keepdims: bool, where: Any,
            mean: Any, correction: Any) -> Any:
    x, dt = _data(xp, a, dtype)
    d = ddof if correction is None else correction
    axes = axes_of(axis, x.ndim)
    w = None if where is True else _mask(xp, where, x)
    if w is None:
        n = count(x.shape, axes)
    else:
        n = xp.sum(astype(xp, w, xp.int64), axis=axes, keepdims=True)
    if mean is None:
        s = xp.sum(x if w is None else xp.where(w, x, _zeros(xp, x)), axis=axes, keepdims=True)
        mean = s / (n if w is None else astype(xp, n, real_dtype(xp, s.dtype)))
    dev = x - mean
    sq = xp.real(dev * xp.conj(dev)) if is_complex(dev) else dev * dev
    ss = xp.sum(sq if w is None else xp.where(w, sq, xp.zeros_like(sq)), axis=axes, keepdims=True)
    if w is None:
        dof = n - d
        if dof <= 0:
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        v = ss / max(dof, 0)
    else:
        v = ss / xp.maximum(astype(xp, n, ss.dtype) - d, xp.zeros_like(ss))
    if not keepdims:
        v = xp.reshape(v, tuple(s for i, s in enumerate(v.shape) if i not in axes))
    r = xp.sqrt(v) if name == "std" else v
    return into(out, astype(xp, r, real_dtype(xp, dt)))


def var(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
        keepdims: bool = False, where: Any = True, mean: Any = None, correction: Any = None) -> Any:
    return _moment("var", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def std(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
        keepdims: bool = False, where: Any = True, mean: Any = None, correction: Any = None) -> Any:
    return _moment("std", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def _last(xp: Any, x: Any, axes: tuple[int, ...]) -> Any:
    """``x`` with ``axes`` moved to the end and flattened into one."""
    rest = tuple(i for i in range(x.ndim) if i not in axes)
    moved = xp.permute_dims(x, rest + axes)
    return xp.reshape(moved, tuple(x.shape[i] for i in rest) + (count(x.shape, axes),))


def median(xp: Any, a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Any:
    x = as_float(xp, a)
    nd = x.ndim
    if nd == 0:
        x = xp.reshape(x, (1,))
    axes = axes_of(axis, x.ndim)
    flat = _last(xp, x, axes)
    n = flat.shape[-1]
    if n == 0:
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=4)
        m = xp.sum(flat, axis=-1) / 0.0
    else:
        s = _sort_lexicographic(xp, flat) if is_complex(flat) else xp.sort(flat, axis=-1)
        h = n // 2
        m = s[..., h] if n % 2 else (s[..., h - 1] + s[..., h]) / 2
        m = xp.where(xp.any(xp.isnan(flat), axis=-1), xp.full_like(m, math.nan), m)  # NumPy: NaN wins
    if keepdims:
        m = keep(xp, m, axes_of(axis, nd), nd) if nd else m
    return into(out, m)


def _sort_lexicographic(xp: Any, z: Any) -> Any:
    """Complex values along the last axis in NumPy's order, by real part then imaginary part (the
    standard's ``sort`` takes real numbers only): two stable sorts, the minor key first."""
    order = xp.argsort(xp.imag(z), axis=-1, stable=True)
    z = xp.take_along_axis(z, order, axis=-1)
    order = xp.argsort(xp.real(z), axis=-1, stable=True)
    return xp.take_along_axis(z, order, axis=-1)


def _atleast_2d(xp: Any, a: Any) -> Any:
    return xp.reshape(a, (1,) * (2 - a.ndim) + a.shape) if a.ndim < 2 else a


def _covariance(xp: Any, m: Any, y: Any, rowvar: bool, bias: bool, ddof: Any, fweights: Any, aweights: Any) -> Any:
    """NumPy's ``cov`` in double (complex double), unsqueezed; returns ``(c, squeeze_axes)``."""
    dt = wide(xp, xp.result_type(*(as_float(xp, v) for v in (m, y) if v is not None)))
    X = astype(xp, _atleast_2d(xp, m), dt)
    if not rowvar and m.ndim != 1:
        X = X.mT
    if X.shape[0] == 0:
        return xp.zeros((0, 0), dtype=dt, device=device_of(m))
    if y is not None:
        Y = astype(xp, _atleast_2d(xp, y), dt)
        if not rowvar and Y.shape[0] != 1:
            Y = Y.mT
        X = xp.concat((X, Y), axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = astype(xp, fweights, xp.float64)
    if aweights is not None:
        aw = astype(xp, aweights, xp.float64)
        w = aw if w is None else w * aw
    if w is None:
        avg = xp.mean(X, axis=1)
        fact = X.shape[1] - ddof
    else:
        w_sum = xp.sum(w)
        avg = xp.sum(X * astype(xp, w, dt), axis=1) / astype(xp, w_sum, dt)
        ws = float(w_sum)
        if ddof == 0:
            fact = ws
        elif aweights is None:
            fact = ws - ddof
        else:
            fact = ws - ddof * float(xp.sum(w * aw)) / ws
    if fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        fact = 0.0
    X = X - avg[:, None]
    XT = X.mT if w is None else (X * astype(xp, w, dt)).mT
    c = xp.matmul(X, xp.conj(XT) if is_complex(X) else XT)
    return c / fact if fact else c / xp.asarray(0.0, dtype=real_dtype(xp, dt), device=device_of(c))


def _squeeze(xp: Any, c: Any) -> Any:
    one = tuple(i for i, s in enumerate(c.shape) if s == 1)
    return xp.squeeze(c, axis=one) if one else c


def _stat_dtype(xp: Any, *arrays: Any) -> Any:
    dt = xp.result_type(*(as_float(xp, a) for a in arrays if a is not None))
    # half precision is double, as NumPy's cov gives it; single stays single (API.md §10)
    return xp.float64 if dt == getattr(xp, "float16", None) else dt


def cov(xp: Any, m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: Any = None,
        fweights: Any = None, aweights: Any = None, dtype: Any = None) -> Any:
    dt = _stat_dtype(xp, m, y) if dtype is None else native(xp, dtype)
    return astype(xp, _squeeze(xp, _covariance(xp, m, y, rowvar, bias, ddof, fweights, aweights)), dt)


def corrcoef(xp: Any, x: Any, y: Any = None, rowvar: bool = True, dtype: Any = None) -> Any:
    dt = _stat_dtype(xp, x, y) if dtype is None else native(xp, dtype)
    c = _squeeze(xp, _covariance(xp, x, y, rowvar, False, None, None, None))
    if c.ndim == 0:  # one variable: NumPy's 0-d covariance divided by itself
        return astype(xp, c / c, dt)
    d = xp.sqrt(xp.real(xp.linalg.diagonal(c)))
    r = c / d[:, None] / d[None, :]
    if is_complex(r):
        r = xp.clip(xp.real(r), -1, 1) + 1j * xp.clip(xp.imag(r), -1, 1)
    else:
        r = xp.clip(r, -1, 1)
    return astype(xp, r, dt)


def mode(xp: Any, a: Any, axis: Any = 0, nan_policy: str = "propagate", keepdims: bool = False) -> tuple[Any, Any]:
    """SciPy's ``mode`` by a sort and run lengths (each value's run found by a binary search)."""
    nd = a.ndim
    x = xp.reshape(a, (-1,)) if axis is None else _last(xp, a if nd else xp.reshape(a, (1,)), (int(axis) % max(nd, 1),))
    n = x.shape[-1]
    if n == 0:
        shape = x.shape[:-1]
        m, c = xp.full(shape, math.nan, device=device_of(a)), xp.zeros(shape, dtype=xp.float64, device=device_of(a))
    else:
        s = xp.sort(x, axis=-1)
        floating = kind(s.dtype) == "f"
        nan = xp.isnan(s) if floating else xp.zeros(s.shape, dtype=xp.bool, device=device_of(a))
        # a run starts where the value changes; NaN equals NaN here (SciPy counts it as one value)
        change = (s[..., 1:] != s[..., :-1]) & ~(nan[..., 1:] & nan[..., :-1])
        starts = xp.concat([xp.ones(s.shape[:-1] + (1,), dtype=xp.bool, device=device_of(a)), change], axis=-1)
        # every row opens a run, so run ids numbered over the flattened rows never cross a row
        ids = xp.cumulative_sum(xp.astype(xp.reshape(starts, (-1,)), xp.int64)) - 1
        run = xp.searchsorted(ids, ids, side="right") - xp.searchsorted(ids, ids, side="left")
        run = xp.reshape(xp.astype(run, xp.int64), s.shape)
        if nan_policy == "omit" and floating:
            run = xp.where(nan, xp.zeros_like(run), run)
        best = xp.argmax(run, axis=-1, keepdims=True)  # the first maximum: the smallest of a tie
        m = xp.take_along_axis(s, best, axis=-1)[..., 0]
        c = xp.take_along_axis(run, best, axis=-1)[..., 0]
        if nan_policy == "omit" and floating:
            m = xp.where(c == 0, xp.full_like(m, math.nan), m)
    if keepdims:
        shape = (1,) * nd if axis is None else tuple(1 if i == int(axis) % max(nd, 1) else v
                                                      for i, v in enumerate(a.shape))
        m, c = xp.reshape(m, shape), xp.reshape(c, shape)
    return m, c


def _nan_moments(xp: Any, x: Any, axis: Any, ddof: float) -> tuple[Any, Any, Any, Any]:
    """Mean, std, min and max of each slice with NaNs left out (an all-NaN slice gives NaN)."""
    ok = ~xp.isnan(x)
    okf = astype(xp, ok, x.dtype)
    n = xp.sum(okf, axis=axis, keepdims=True)
    zero = xp.zeros_like(x)
    m = xp.sum(xp.where(ok, x, zero), axis=axis, keepdims=True) / n
    dev = xp.where(ok, x - m, zero)
    s = xp.sqrt(xp.sum(dev * dev, axis=axis, keepdims=True) / xp.maximum(n - ddof, xp.zeros_like(n)))
    lo = xp.min(xp.where(ok, x, xp.full_like(x, math.inf)), axis=axis, keepdims=True)
    hi = xp.max(xp.where(ok, x, xp.full_like(x, -math.inf)), axis=axis, keepdims=True)
    return m, s, lo, hi


def zscore(xp: Any, a: Any, axis: Any = 0, ddof: float = 0, nan_policy: str = "propagate") -> Any:
    x = as_float(xp, a)
    if math.prod(x.shape) == 0:
        return xp.asarray(x, copy=True)
    if nan_policy == "omit" and kind(x.dtype) in "fc":
        m, s, lo, hi = _nan_moments(xp, x, axis, ddof)
    else:
        m = xp.mean(x, axis=axis, keepdims=True)
        dev = x - m
        n = count(x.shape, axes_of(axis, x.ndim))
        s = xp.sqrt(xp.sum(dev * dev, axis=axis, keepdims=True) / max(n - ddof, 0))
        lo, hi = xp.min(x, axis=axis, keepdims=True), xp.max(x, axis=axis, keepdims=True)
    # a constant slice scores 0 (its computed std can be a rounding above 0): the range decides
    # (a slice holding inf has no spread to speak of: its scores are SciPy's NaN)
    zero = ((s == 0) | (hi == lo)) & xp.isfinite(lo) & xp.isfinite(hi)
    z = (x - m) / xp.where(zero, xp.ones_like(s), s)
    return astype(xp, xp.where(zero & ~xp.isnan(x), xp.zeros_like(z), z), x.dtype)


def column_means(xp: Any, X: Any) -> Any:
    return astype(xp, xp.mean(astype(xp, X, wide(xp, X.dtype)), axis=0), X.dtype)


def _weighted_means(xp: Any, X: Any, sample_weight: Any) -> Any:
    wd = wide(xp, X.dtype)
    s = astype(xp, sample_weight, wd)
    return astype(xp, xp.matmul(s, astype(xp, X, wd)) / xp.sum(s), X.dtype)


def centred_gram(xp: Any, X: Any, y: Any = None, centre: bool = True,
                 sample_weight: Any = None) -> tuple[Any, Any, Any, Any]:
    def means(A: Any) -> Any:
        if not centre:
            return xp.zeros(A.shape[1], dtype=A.dtype, device=device_of(A))
        return column_means(xp, A) if sample_weight is None else _weighted_means(xp, A, sample_weight)

    xm = means(X)
    Xc = X - xm
    if sample_weight is not None:
        root = xp.sqrt(sample_weight)[:, None]
        Xc = root * Xc
    G = xp.matmul(Xc.mT, xp.conj(Xc) if is_complex(Xc) else Xc)
    if y is None:
        return xm, G, None, None
    ym = means(y)
    yc = y - ym
    if sample_weight is not None:
        yc = root * yc
    return xm, G, ym, xp.matmul(Xc.mT, yc)


# ---------------------------------------------------------------- average, range, quantiles, NaN-ignoring reductions
# Written in functions the standard, NumPy and CuPy share, so the reference on CuPy runs these too.

_NO_VALUE = numpy._NoValue


def _creation(a: Any) -> dict:
    """``device=`` for the standard's creation functions where ``a`` is another library's array."""
    return {"device": device_of(a)} if is_foreign(a) and _library(type(a)) == "foreign" else {}


def _native(xp: Any) -> Callable[[Any], Any]:
    return lambda dt: native(xp, dt)


def _flat(xp: Any, x: Any, axes: tuple[int, ...]) -> Any:
    """``x`` as a (slices, n) matrix: the kept axes flattened into the rows, the reduced ones into each row."""
    moved = _last(xp, x, axes)
    return xp.reshape(moved, (math.prod(moved.shape[:-1]), moved.shape[-1]))


def _counts(xp: Any, keep: Any, axis: Any, keepdims: bool) -> Any:
    return xp.sum(astype(xp, keep, xp.int64), axis=axis, keepdims=keepdims)


def _warn(xp: Any, bad: Any, message: str, *, each: bool = False) -> None:
    """NumPy's ``RuntimeWarning(message)`` where any of ``bad`` holds; ``each``: once per slice that
    holds it, as NumPy's order statistics warn (one 1-D slice at a time)."""
    times = int(xp.sum(astype(xp, bad, xp.int64))) if each else int(bool(xp.any(bad)))
    for _ in range(times):
        warnings.warn(message, RuntimeWarning, stacklevel=4)


def _full(xp: Any, like: Any, value: Any) -> Any:
    return xp.full_like(like, value)


def average(xp: Any, a: Any, axis: Any = None, weights: Any = None, returned: bool = False,
            keepdims: bool = False) -> Any:
    axes = axes_of(axis, a.ndim)
    if weights is None:
        avg = mean(xp, a, axis=axes, keepdims=keepdims)
        scl = xp.full_like(avg, math.prod(a.shape) / math.prod(avg.shape))  # no slices divide by zero, as NumPy's
    else:
        w = _weights_along(xp, weights, a.shape, axis)
        parts = (a.dtype, w.dtype, numpy.float64) if kind(a.dtype) in "biu" else (a.dtype, w.dtype)
        dt = native(xp, numpy.result_type(*(numpy_dtype(p) for p in parts)))
        scl = xp.sum(xp.broadcast_to(astype(xp, w, dt), a.shape), axis=axes, keepdims=keepdims)
        if bool(xp.any(scl == 0)):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = xp.sum(astype(xp, a, dt) * astype(xp, w, dt), axis=axes, keepdims=keepdims) / scl
    if not returned:
        return avg
    return avg, (scl if scl.shape == avg.shape else xp.broadcast_to(scl, avg.shape))


def _weights_along(xp: Any, w: Any, shape: tuple, axis: Any) -> Any:
    """NumPy's reshaping of weights given for the reduced axes only, so they broadcast along them."""
    if tuple(w.shape) == tuple(shape):
        return w
    axes = tuple(int(i) % len(shape) for i in (axis if isinstance(axis, tuple) else (axis,)))
    w = xp.permute_dims(w, tuple(sorted(range(len(axes)), key=lambda i: axes[i])))
    return xp.reshape(w, tuple(s if i in axes else 1 for i, s in enumerate(shape)))


def ptp(xp: Any, a: Any, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
    axes = axes_of(axis, a.ndim)
    return into(out, xp.max(a, axis=axes, keepdims=keepdims) - xp.min(a, axis=axes, keepdims=keepdims))


def _keep(xp: Any, a: Any, where: Any) -> Any:
    """The elements a NaN-ignoring reduction reads: numbers (not NaN) among those ``where`` selects."""
    k = ~xp.isnan(a) if kind(a.dtype) in "fc" else None
    if where is True:
        return k
    w = xp.broadcast_to(where, a.shape)
    return w if k is None else k & w


def nansum(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
           initial: Any = _NO_VALUE, where: Any = True) -> Any:
    axes = axes_of(axis, a.ndim)
    x = astype(xp, a, xp.int64) if kind(a.dtype) == "b" else a
    k = _keep(xp, x, where)
    if k is not None:
        x = xp.where(k, x, xp.zeros_like(x))
    s = xp.sum(x, axis=axes, dtype=native(xp, dtype), keepdims=keepdims)
    if initial is not _NO_VALUE:
        s = s + astype(xp, xp.asarray(initial, **_creation(a)), s.dtype)
    return into(out, s)


def _extreme(xp: Any, name: str, a: Any, axis: Any, out: Any, keepdims: bool, initial: Any, where: Any) -> Any:
    axes = axes_of(axis, a.ndim)
    low = name == "nanmin"
    floating = kind(a.dtype) in "fc"
    if kind(a.dtype) == "b":
        f = (xp.all if low else xp.any)
        x = a if where is True else xp.where(xp.broadcast_to(where, a.shape), a, xp.full_like(a, low))
        r = f(x, axis=axes, keepdims=keepdims)
        if initial is not _NO_VALUE:
            r = (r & bool(initial)) if low else (r | bool(initial))
        return into(out, r)
    k = _keep(xp, a, where)
    if count(a.shape, axes) == 0:  # only an initial value reduces no elements (the public layer asks for one)
        shape = [1 if i in axes else s for i, s in enumerate(a.shape)]
        r = xp.full(tuple(shape) if keepdims else tuple(s for i, s in enumerate(a.shape) if i not in axes),
                    initial, dtype=a.dtype, **_creation(a))
        return into(out, r)
    fill = (math.inf if low else -math.inf) if floating else initial
    x = a if k is None else xp.where(k, a, xp.full_like(a, fill))
    r = (xp.min if low else xp.max)(x, axis=axes, keepdims=keepdims)
    if floating:
        found = xp.any(k, axis=axes, keepdims=keepdims)
        r = xp.where(found, r, xp.full_like(r, math.nan))
    if initial is not _NO_VALUE:
        init = xp.full_like(r, initial)
        better = (init < r) if low else (init > r)
        r = xp.where(better | xp.isnan(r), init, r) if floating else xp.where(better, init, r)
    if floating:
        _warn(xp, xp.isnan(r), "All-NaN slice encountered")
    return into(out, r)


def nanmin(xp: Any, a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, initial: Any = _NO_VALUE,
           where: Any = True) -> Any:
    return _extreme(xp, "nanmin", a, axis, out, keepdims, initial, where)


def nanmax(xp: Any, a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, initial: Any = _NO_VALUE,
           where: Any = True) -> Any:
    return _extreme(xp, "nanmax", a, axis, out, keepdims, initial, where)


def _nan_sum_count(xp: Any, a: Any, axes: tuple[int, ...], dtype: Any, keepdims: bool, where: Any) -> tuple:
    """The sum (in NumPy's dtype: ``dtype``, else the data's; float16 added in float32) and the count of
    the numbers ``where`` selects."""
    k = _keep(xp, a, where)
    dt = native(xp, dtype) if dtype is not None else a.dtype
    x = astype(xp, xp.where(k, a, xp.zeros_like(a)), narrow(xp, dt))
    return astype(xp, xp.sum(x, axis=axes, keepdims=keepdims), dt), _counts(xp, k, axes, keepdims), k


def _divide(xp: Any, s: Any, n: Any) -> Any:
    """``s / n`` as NumPy divides a sum by a count: in double, into the sum's dtype."""
    return astype(xp, astype(xp, s, wide(xp, s.dtype)) / astype(xp, n, xp.float64), s.dtype)


def nanmean(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
            where: Any = True) -> Any:
    if kind(a.dtype) not in "fc":  # no NaN to leave out: NumPy's mean
        return mean(xp, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
    axes = axes_of(axis, a.ndim)
    tot, cnt, _ = _nan_sum_count(xp, a, axes, dtype, keepdims, where)
    avg = _divide(xp, tot, cnt)
    _warn(xp, cnt == 0, "Mean of empty slice")
    return into(out, avg)


def _nan_moment(name: str, xp: Any, a: Any, axis: Any, dtype: Any, out: Any, ddof: float, keepdims: bool,
                where: Any, mean: Any, correction: Any) -> Any:
    if kind(a.dtype) not in "fc":  # no NaN to leave out: NumPy's var
        return _moment(name[3:], xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)
    d = ddof if correction is None else correction
    axes = axes_of(axis, a.ndim)
    tot, cnt, k = _nan_sum_count(xp, a, axes, dtype, True, where)
    m = _divide(xp, tot, cnt) if mean is None else mean
    dev = astype(xp, a - m, a.dtype)  # NumPy subtracts into the data's dtype
    dev = xp.where(k, dev, xp.zeros_like(dev))
    sq = xp.real(dev * xp.conj(dev)) if is_complex(dev) else dev * dev
    dt = real_dtype(xp, native(xp, dtype)) if dtype is not None else sq.dtype
    v = astype(xp, xp.sum(astype(xp, sq, narrow(xp, dt)), axis=axes, keepdims=keepdims), dt)
    dof = astype(xp, cnt, xp.float64) - d
    if not keepdims:
        dof = xp.reshape(dof, v.shape)
    bad = dof <= 0
    v = astype(xp, astype(xp, v, xp.float64) / xp.where(bad, xp.ones_like(dof), dof), v.dtype)
    v = xp.where(bad, xp.full_like(v, math.nan), v)
    _warn(xp, bad, "Degrees of freedom <= 0 for slice.")
    return into(out, xp.sqrt(v) if name == "nanstd" else v)


def nanvar(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, where: Any = True, mean: Any = None, correction: Any = None) -> Any:
    return _nan_moment("nanvar", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def nanstd(xp: Any, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, where: Any = True, mean: Any = None, correction: Any = None) -> Any:
    return _nan_moment("nanstd", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def _sorted_slices(xp: Any, a: Any, axis: Any, nan_last: bool) -> tuple:
    """``(sorted (slices, n), n or per-slice counts (slices, 1), slices with NaN, kept shape, axes)``.

    ``nan_last``: NaNs are left out (NaN-ignoring functions): they become +inf before the sort and
    each slice counts only its numbers, so its ranks below that count are its numbers' order.
    """
    x = xp.reshape(a, (1,)) if a.ndim == 0 else a
    axes = axes_of(axis, x.ndim)
    s = _flat(xp, x, axes)
    kept = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    nan = xp.isnan(s) if kind(s.dtype) in "fc" else None
    n: Any = s.shape[-1]
    if nan is not None and nan_last:
        n = xp.reshape(s.shape[-1] - _counts(xp, nan, -1, False), (-1, 1))
        s = xp.where(nan, xp.full_like(s, math.inf), s)
    has_nan = None if nan is None else xp.any(nan, axis=-1)
    return s, n, has_nan, kept, axes


def _shaped(xp: Any, r: Any, qshape: tuple, kept: tuple, a: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    """(slices, Q) results as NumPy lays them out: q's axes first, then the kept axes (or ``a``'s with
    the reduced ones of length one)."""
    r = xp.reshape(xp.permute_dims(r, (1, 0)), qshape + kept)
    if keepdims:
        r = xp.reshape(r, qshape + tuple(1 if i in axes else n for i, n in enumerate(a.shape)))
    return r


def _q_array(xp: Any, q: Any, a: Any) -> tuple[Any, bool]:
    """``q`` as an array on ``a``'s device, and whether it was a Python number (NumPy then promotes weakly)."""
    weak = type(q) in (int, float)
    if weak:
        return xp.asarray(q, dtype=xp.float64 if type(q) is float else xp.int64, **_creation(a)), True
    return q, False


def _quantiles(xp: Any, a: Any, q: Any, axis: Any, method: str, keepdims: bool, weights: Any, nan: bool) -> Any:
    qa, weak = _q_array(xp, q, a)
    qshape = tuple(qa.shape)
    qrow = xp.reshape(qa, (1, -1))
    s, n, has_nan, kept, axes = _sorted_slices(xp, a, axis, nan)
    if weights is None:
        if nan and not isinstance(n, int):  # slices of NaN only (NaN later): no inf - inf interpolated, no warning
            s = xp.where(n == 0, xp.zeros_like(s), s)
        s = xp.sort(s, axis=-1)

        def take(idx):
            return xp.take_along_axis(s, xp.broadcast_to(idx, (s.shape[0], qrow.shape[1])), axis=-1)

        r = _quantile.from_order(xp, take, n, qrow, method, weak, _native(xp))
    else:
        r = _weighted_inverted_cdf(xp, s, n, qrow, a, weights, axis, axes, has_nan if nan else None)
    if nan and not isinstance(n, int):
        empty = xp.reshape(n == 0, (-1,))
        _warn(xp, empty, "All-NaN slice encountered", each=True)
        has_nan = empty
    if has_nan is not None and kind(r.dtype) in "fc":  # NumPy: a slice with NaN gives NaN
        r = xp.where(xp.reshape(has_nan, (-1, 1)), xp.full_like(r, math.nan), r)
    return _shaped(xp, r, qshape, kept, a, axes, keepdims)


def _weighted_inverted_cdf(xp: Any, s: Any, n: Any, qrow: Any, a: Any, weights: Any, axis: Any,
                           axes: tuple[int, ...], nan: Any) -> Any:
    """NumPy's weighted ``inverted_cdf``: the first value whose cumulative weight share reaches q."""
    x = xp.reshape(a, (1,)) if a.ndim == 0 else a
    w = xp.broadcast_to(_weights_along(xp, weights, x.shape, axis) if weights.shape != x.shape else weights,
                        x.shape)
    w = _flat(xp, w, axes)
    if nan is not None or not isinstance(n, int):
        w = xp.where(s == math.inf, xp.where(xp.isnan(_flat(xp, x, axes)), xp.zeros_like(w), w), w)
    order = xp.argsort(s, axis=-1)
    s = xp.take_along_axis(s, order, axis=-1)
    w = astype(xp, xp.take_along_axis(w, order, axis=-1), xp.float64)
    cumsum = getattr(xp, "cumulative_sum", None) or xp.cumsum
    cdf = cumsum(w, axis=-1)
    valid = xp.ones_like(cdf[:, -1], dtype=xp.bool) if isinstance(n, int) else xp.reshape(n > 0, (-1,))
    total = cdf[:, -1:]
    cdf = cdf / xp.where(xp.reshape(valid, (-1, 1)), total, xp.ones_like(total))  # slices of NaN only: NaN later
    if bool(xp.any(xp.isnan(cdf[:, -1]) & valid)):
        raise ValueError("Weights included NaN, inf or were all zero.")
    if kind(qrow.dtype) == "f":
        cdf = astype(xp, cdf, qrow.dtype)
    cdf = xp.where(cdf == 0, xp.full_like(cdf, -1), cdf)
    below = cdf[:, None, :] < xp.reshape(astype(xp, qrow, cdf.dtype), (1, -1, 1))
    idx = _counts(xp, below, -1, False)
    last = (n - 1) if isinstance(n, int) else xp.maximum(n - 1, xp.zeros_like(n))
    idx = xp.minimum(idx, xp.zeros_like(idx) + last)
    return xp.take_along_axis(s, idx, axis=-1)


def quantile(xp: Any, a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, weights: Any = None) -> Any:
    return into(out, _quantiles(xp, a, q, axis, method, keepdims, weights, False))


def nanquantile(xp: Any, a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
                method: str = "linear", keepdims: bool = False, weights: Any = None) -> Any:
    return into(out, _quantiles(xp, a, q, axis, method, keepdims, weights, True))


def nanmedian(xp: Any, a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Any:
    s, n, _, kept, axes = _sorted_slices(xp, a, axis, True)
    if not isinstance(n, int):  # slices of NaN only (NaN later): no inf + inf averaged, no warning
        s = xp.where(n == 0, xp.zeros_like(s), s)
    s = xp.sort(s, axis=-1)
    nv = xp.full((s.shape[0], 1), s.shape[-1], dtype=xp.int64, **_creation(a)) if isinstance(n, int) else n
    lo = xp.take_along_axis(s, xp.maximum((nv - 1) // 2, xp.zeros_like(nv)), axis=-1)[:, 0]
    hi = xp.take_along_axis(s, xp.maximum(nv // 2, xp.zeros_like(nv)), axis=-1)[:, 0]
    # NumPy's median: the mean of the one or two middle values, summed in float32 for float16
    out_dt = as_float(xp, lo).dtype
    acc = narrow(xp, out_dt)
    lo, hi = astype(xp, lo, acc), astype(xp, hi, acc)
    m = astype(xp, xp.where(xp.reshape(nv % 2 == 1, (-1,)), lo, (lo + hi) / 2), out_dt)
    if not isinstance(n, int):
        empty = xp.reshape(n == 0, (-1,))
        _warn(xp, empty, "All-NaN slice encountered", each=True)
        m = xp.where(empty, xp.full_like(m, math.nan), m)
    m = xp.reshape(m, (1, -1))
    return into(out, _shaped(xp, xp.permute_dims(m, (1, 0)), (), kept, a, axes, keepdims))
