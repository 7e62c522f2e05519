"""Portable statistics: NumPy's and SciPy's semantics written in the standard's functions.

The moments are NumPy's two-pass formulas (so ``ddof``, ``where=``, ``mean=`` and complex data mean
what they mean there, with the same warnings); ``median`` and ``mode`` sort, since the standard has
neither; ``cov`` is NumPy's algorithm (weights, ``ddof``/``bias``) with the means summed in double.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .._arrays import device_of, kind
from ._common import as_float, astype, axes_of, count, into, is_complex, keep, narrow, native, real_dtype, wide

__all__ = [
    "mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore",
    "column_means", "centred_gram",
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
            warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=4)
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
        warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=4)
        m = xp.sum(flat, axis=-1) / 0.0
    else:
        s = xp.sort(flat, axis=-1)
        h = n // 2
        m = s[..., h] if n % 2 else (s[..., h - 1] + s[..., h]) / 2
        m = xp.where(xp.any(xp.isnan(flat), axis=-1), xp.full_like(m, math.nan), m)  # NumPy: NaN wins
    if keepdims:
        m = keep(xp, m, axes_of(axis, nd), nd) if nd else m
    return into(out, m)


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
    return xp.result_type(*(as_float(xp, a) for a in arrays if a is not None))


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
    zero = (s == 0) | (hi == lo)
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
