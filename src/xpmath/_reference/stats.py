"""Reference statistics: ``xp``'s own ``mean``/``var``/``median``/``cov``…, and the shared pieces of
the covariance (observations side by side, the centred Gram, correlation from covariance)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy

#: an ``axis=`` argument, already checked by the public layer
Axis = int | tuple[int, ...] | None

__all__ = [
    "mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore",
    "column_means", "centred_gram",
    "average", "ptp", "quantile", "nanquantile", "nanmedian",
    "nanmean", "nanvar", "nanstd", "nansum", "nanmin", "nanmax",
]


def float_dtype(xp: Any, a: Any) -> numpy.dtype:
    """The floating dtype ``a`` computes in: its own if inexact, else float64."""
    return a.dtype if a.dtype.kind in "fc" else numpy.dtype(numpy.float64)


def as_float(xp: Any, a: Any) -> Any:
    return a if a.dtype.kind in "fc" else a.astype(xp.float64)


def wide_dtype(xp: Any, dt: Any) -> Any:
    """Double (or complex double) for single-precision data: what NumPy computes cov in."""
    return xp.result_type(dt, xp.float64)


def stat_dtype(xp: Any, *arrays: Any) -> Any:
    """The result dtype of ``cov`` / ``corrcoef`` of several arrays (None entries ignored): single
    precision stays single (API.md §10); half precision is double, as NumPy's."""
    dt = xp.result_type(*[float_dtype(xp, a) for a in arrays if a is not None])
    return numpy.dtype(numpy.float64) if dt == numpy.float16 else dt


def _given(**kw: Any) -> dict[str, Any]:
    """The keywords whose values differ from NumPy's defaults (None, or True for ``where``), so a
    namespace without them is asked only what it knows."""
    return {k: v for k, v in kw.items() if v is not None and not (k == "where" and v is True)}


def mean(
    xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, keepdims: bool = False, where: Any = True
) -> Any:
    if where is True:
        return xp.mean(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims)
    if xp is numpy:
        return xp.mean(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
    s, n = _masked_sum(xp, a, axis, dtype, keepdims, where)
    return _into(out, s / n)


def _masked_sum(xp: Any, a: Any, axis: Axis, dtype: Any, keepdims: bool, where: Any) -> tuple[Any, Any]:
    """The sum and count of the elements ``where`` selects, for a namespace whose reductions take no mask."""
    w = xp.broadcast_to(where, a.shape)
    s = xp.sum(xp.where(w, a, 0), axis=axis, dtype=dtype or float_dtype(xp, a), keepdims=keepdims)
    return s, xp.sum(w, axis=axis, keepdims=keepdims)


def _into(out: Any, r: Any) -> Any:
    if out is None:
        return r
    out[...] = r
    return out


def median(
    xp: Any, a: Any, axis: Axis = None, out: Any = None, overwrite_input: bool = False, keepdims: bool = False
) -> Any:
    # overwrite_input permits scribbling on the input, it never requires it: only NumPy's median is told it
    kw = {"overwrite_input": True} if overwrite_input and xp is numpy else {}
    return xp.median(a, axis=axis, out=out, keepdims=keepdims, **kw)


def _moment(
    name: str, xp: Any, a: Any, axis: Axis, dtype: Any, out: Any, ddof: float, keepdims: bool, where: Any, mean: Any,
    correction: float | None,
) -> Any:
    extra = _given(where=where, mean=mean, correction=correction)
    if xp is numpy or not extra:
        return getattr(xp, name)(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, **extra)
    # the namespace's own var takes none of where=, mean=, correction=: the two-pass formula on it
    d = ddof if correction is None else correction
    w = xp.ones(a.shape, dtype=bool) if where is True else xp.broadcast_to(where, a.shape)
    n = xp.sum(w, axis=axis, keepdims=True)
    if mean is None:
        mean = xp.sum(xp.where(w, a, 0), axis=axis, keepdims=True, dtype=dtype or float_dtype(xp, a)) / n
    dev = a - mean
    sq = (dev * dev.conj()).real if a.dtype.kind == "c" else dev * dev
    v = xp.sum(xp.where(w, sq, 0), axis=axis, keepdims=True) / xp.maximum(n - d, 0)
    if not keepdims:
        v = xp.squeeze(v, axis=axis)
    if dtype is not None:
        v = v.astype(dtype)
    return _into(out, xp.sqrt(v) if name == "std" else v)


def var(
    xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, ddof: float = 0,
    keepdims: bool = False, where: Any = True, mean: Any = None, correction: float | None = None,
) -> Any:
    return _moment("var", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def std(
    xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, ddof: float = 0,
    keepdims: bool = False, where: Any = True, mean: Any = None, correction: float | None = None,
) -> Any:
    return _moment("std", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def cov(
    xp: Any, m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: float | None = None,
    fweights: Any = None, aweights: Any = None, dtype: Any = None,
) -> Any:
    # NumPy upcasts float32 here; its dtype=float32 path sums the means in single precision
    # (sequentially along a strided axis), which loses every digit of a large offset: the
    # product runs in double and the result keeps the data's precision
    dt = stat_dtype(xp, m, y) if dtype is None else dtype
    m, y = _at_least_1d(xp, m), _at_least_1d(xp, y)
    c = xp.cov(m, y, rowvar=rowvar, bias=bias, ddof=ddof, dtype=wide_dtype(xp, dt),
               **_given(fweights=fweights, aweights=aweights))
    return c.astype(dt, copy=False)


def corrcoef(xp: Any, x: Any, y: Any = None, rowvar: bool = True, dtype: Any = None) -> Any:
    dt = stat_dtype(xp, x, y) if dtype is None else dtype
    if xp is numpy:
        return xp.corrcoef(x, y, rowvar=rowvar, dtype=wide_dtype(xp, dt)).astype(dt, copy=False)
    x, y = _at_least_1d(xp, x), _at_least_1d(xp, y)
    return corrcoef_from_cov(xp, xp.cov(x, y, rowvar=rowvar, dtype=wide_dtype(xp, dt))).astype(dt, copy=False)


def _at_least_1d(xp: Any, a: Any) -> Any:
    """A 0-d ``a`` as one value in 1-D (NumPy's cov reads both as one observation of one variable;
    Dask's cannot index a 0-d array)."""
    return a.reshape((1,)) if a is not None and a.ndim == 0 else a


def column_means(xp: Any, X: Any) -> Any:
    """Means over the rows, summed in double and returned in ``X``'s dtype (a float32 sum down a
    strided axis would lose a large offset's digits)."""
    return xp.mean(X, axis=0, dtype=wide_dtype(xp, X.dtype)).astype(X.dtype, copy=False)


def centred_gram(xp: Any, X: Any, y: Any = None, centre: bool = True,
                 sample_weight: Any = None) -> tuple[Any, Any, Any, Any]:
    """``(xm, XcᵀXc, ym, Xcᵀyc)`` of 2-D ``X`` (observations in rows) and optional 2-D ``y``.

    ``Xc`` is ``X`` less its column means ``xm`` (zero when ``centre`` is False); ``ym`` and the
    cross product are None without ``y``. With ``sample_weight`` (non-negative, shape ``(n,)``) the
    means are weighted and each centred row is scaled by the square root of its weight, so the
    Gram is ``XcᵀSXc`` (and the cross product ``XcᵀSyc``), ``S`` the diagonal of the weights.
    """
    if sample_weight is None:
        xm = column_means(xp, X) if centre else xp.zeros(X.shape[1], dtype=X.dtype)
        Xc = X - xm if centre else X
        G = Xc.T @ Xc.conj()
        if y is None:
            return xm, G, None, None
        ym = column_means(xp, y) if centre else xp.zeros(y.shape[1], dtype=y.dtype)
        yc = y - ym if centre else y
        return xm, G, ym, Xc.T @ yc
    xm = _weighted_means(xp, X, sample_weight) if centre else xp.zeros(X.shape[1], dtype=X.dtype)
    root = xp.sqrt(sample_weight)[:, None]
    Xs = root * (X - xm if centre else X)
    G = Xs.T @ Xs.conj()
    if y is None:
        return xm, G, None, None
    ym = _weighted_means(xp, y, sample_weight) if centre else xp.zeros(y.shape[1], dtype=y.dtype)
    return xm, G, ym, Xs.T @ (root * (y - ym if centre else y))


def _weighted_means(xp, X, sample_weight):
    """Weighted column means, summed in double and returned in ``X``'s dtype, as :func:`column_means`."""
    wide = wide_dtype(xp, X.dtype)
    s = sample_weight.astype(wide, copy=False)
    return ((s @ X.astype(wide, copy=False)) / s.sum()).astype(X.dtype, copy=False)


def observations(xp: Any, m: Any, y: Any, rowvar: bool) -> tuple[Any, numpy.dtype]:
    """``m`` and ``y`` side by side as observations in rows, in their common float dtype (NumPy's
    stacking rules of ``cov``); returns ``(obs, dtype)``."""
    dt = stat_dtype(xp, m, y)
    X = xp.atleast_2d(m).astype(dt, copy=False)
    if not rowvar and m.ndim != 1:  # NumPy's rule for m; y keeps the older one below
        X = X.T
    if y is not None:
        Y = xp.atleast_2d(y).astype(dt, copy=False)
        if not rowvar and Y.shape[0] != 1:
            Y = Y.T
        X = xp.concatenate((X, Y), axis=0)
    return X.T, dt


def cov_by_gram(
    xp: Any, gram: Callable[[Any], tuple[Any, ...]], m: Any, y: Any = None, rowvar: bool = True,
    ddof: float | None = None,
) -> Any:
    """``cov`` from a backend's ``centred_gram`` primitive: the stacking and scaling written once.

    Returns the unsqueezed (p, p) matrix in the data's dtype.
    """
    obs, dt = observations(xp, m, y, rowvar)
    n = obs.shape[0]
    g = gram(obs)[1]
    fact = n - (1 if ddof is None else ddof)
    if fact <= 0 and obs.shape[1]:  # NumPy's warning (it returns no variables first), then its division by zero
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
    return (g / dt.type(fact) if fact > 0 else g / dt.type(0)).astype(dt, copy=False)


def corrcoef_from_cov(xp: Any, c: Any) -> Any:
    """Pearson coefficients from a (p, p) covariance; one variable gives NumPy's 0-d NaN-or-1."""
    if c.size == 1:  # one variable: NumPy's 0-d cov divided by itself
        c = c.reshape(())
        return c / c
    d = xp.sqrt(xp.diag(c))
    return xp.clip(c / d[:, None] / d[None, :], -1, 1)


def mode(
    xp: Any, a: Any, axis: int | None = 0, nan_policy: str = "propagate", keepdims: bool = False
) -> tuple[Any, Any]:
    """``(mode, count)`` as SciPy's ``mode``: SciPy itself on NumPy, a sort and run lengths elsewhere."""
    if xp is numpy:
        import scipy.stats

        r = scipy.stats.mode(a, axis=axis, nan_policy=nan_policy, keepdims=keepdims)
        return r.mode, r.count
    if a.ndim == 0:  # a scalar has one slice whatever the axis, and keepdims gives it one axis, as SciPy
        a, axis = a.reshape(1), 0
    x = a.reshape(-1) if axis is None else xp.moveaxis(a, axis, -1)
    s = xp.sort(x, axis=-1)
    n = s.shape[-1]
    if n == 0:
        shape = s.shape[:-1]
        return xp.full(shape, xp.nan), xp.zeros(shape)
    nan = xp.isnan(s) if s.dtype.kind == "f" else xp.zeros(s.shape, dtype=bool)
    starts = xp.ones(s.shape, dtype=bool)
    # NaN equals NaN here: SciPy counts it as one value (NaNs sort last, side by side)
    starts[..., 1:] = (s[..., 1:] != s[..., :-1]) & ~(nan[..., 1:] & nan[..., :-1])
    # each row opens with a run, so run ids numbered over the flattened rows never cross a row
    ids = xp.cumsum(starts.reshape(-1)) - 1
    run_len = xp.bincount(ids)[ids].reshape(s.shape)
    if nan_policy == "omit":
        run_len = xp.where(nan, 0, run_len)
    best = xp.argmax(run_len, axis=-1)[..., None]  # the first maximum: the smallest of a tie
    m = xp.take_along_axis(s, best, -1)[..., 0]
    c = xp.take_along_axis(run_len, best, -1)[..., 0]
    if nan_policy == "omit" and s.dtype.kind == "f":
        m = xp.where(c == 0, xp.nan, m)
    if keepdims:
        m, c = (v.reshape((1,) * a.ndim) if axis is None else xp.expand_dims(v, axis) for v in (m, c))
    return (m[()], c[()]) if m.ndim == 0 else (m, c)


def zscore(xp: Any, a: Any, axis: int | None = 0, ddof: float = 0, nan_policy: str = "propagate") -> Any:
    """SciPy's ``zscore``, except that a slice of zero spread scores 0 (as scikit-learn's scaler)."""
    x = as_float(xp, a)
    if x.size == 0:
        return x.copy()
    omit = nan_policy == "omit" and x.dtype.kind in "fc"
    with warnings.catch_warnings():
        # an all-NaN slice omitted is NaN, silently, as in SciPy; so is a std of too few values for ddof
        warnings.filterwarnings("ignore", "Degrees of freedom", RuntimeWarning)
        if omit:
            warnings.simplefilter("ignore", RuntimeWarning)
        m = (xp.nanmean if omit else xp.mean)(x, axis=axis, keepdims=True)
        s = (xp.nanstd if omit else xp.std)(x, axis=axis, ddof=ddof, keepdims=True)
        lo = (xp.nanmin if omit else xp.min)(x, axis=axis, keepdims=True)
        hi = (xp.nanmax if omit else xp.max)(x, axis=axis, keepdims=True)
    # a constant slice has std 0, but its computed mean can be off by a rounding, leaving a std of
    # 1e-17 that would turn noise into z-scores of ±1: the slice's range decides
    # (a slice holding inf has no spread to speak of: its scores are SciPy's NaN)
    zero = ((s == 0) | (hi == lo)) & xp.isfinite(lo) & xp.isfinite(hi)
    return xp.where(zero & ~xp.isnan(x), 0, (x - m) / xp.where(zero, 1, s)).astype(x.dtype, copy=False)


# ---------------------------------------------------------------- average, range, quantiles, NaN-ignoring reductions
# On NumPy each is NumPy's own call. On CuPy and Dask their NumPy-named function runs where it has
# NumPy's semantics for the call; NumPy's warnings are added (neither library gives them), and the
# keywords they lack (where=, initial=, mean=, correction=) are computed on masks. Quantiles sort:
# CuPy's quantile has five of NumPy's thirteen methods and no weights (xpmath._portable.stats).

#: NumPy's "not given" default: ``initial`` left at it starts a reduction from the first element
NoValue = numpy._NoValue


def _axes(axis: Axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(int(i) % max(ndim, 1) for i in (axis if isinstance(axis, tuple) else (axis,))))


def warn_where(xp: Any, r: Any, bad: Any, message: str) -> Any:
    """``r``, with NumPy's ``RuntimeWarning(message)`` given where any of ``bad`` holds.

    A lazy result (a Dask array) gives the warning when it is computed, from one task that every
    block of ``r`` waits on, so the warning comes once and no pass over the data is added.
    """
    if hasattr(r, "__dask_graph__") and hasattr(r, "map_blocks"):
        import dask.array as da

        flag = da.any(bad).map_blocks(_warn_once, message, dtype=bool)
        return da.map_blocks(_after, r, flag, dtype=r.dtype, meta=r._meta)
    if bool(xp.any(bad)):
        warnings.warn(message, RuntimeWarning, stacklevel=4)
    return r


def _warn_once(flag: Any, message: str) -> Any:
    if bool(flag):
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    return flag


def _after(block: Any, flag: Any) -> Any:
    return block


def _quiet(f: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``f`` with CuPy's own RuntimeWarnings held back: the reference gives NumPy's instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args, **kwargs)


def _nan_mask(xp: Any, a: Any) -> Any:
    """Where ``a`` holds a number (not NaN); None for data that cannot hold NaN."""
    return ~xp.isnan(a) if a.dtype.kind in "fc" else None


def _masked(xp: Any, a: Any, keep: Any, fill: Any) -> Any:
    return a if keep is None else xp.where(keep, a, fill)


def _selected(xp: Any, a: Any, where: Any) -> Any:
    """The mask of the elements a reduction reads: the numbers among those ``where`` selects."""
    keep = _nan_mask(xp, a)
    if where is True:
        return keep
    w = xp.broadcast_to(where, a.shape)
    return w if keep is None else keep & w


def average(xp: Any, a: Any, axis: Axis = None, weights: Any = None, returned: bool = False,
            keepdims: bool = False) -> Any:
    if xp is numpy:
        return numpy.average(a, axis=axis, weights=weights, returned=returned, keepdims=keepdims)
    if weights is None:
        if math.prod(a.shape[i] for i in _axes(axis, a.ndim)) == 0:  # NumPy's mean of no elements
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=3)
        # the mean's own warning held back (CuPy's gives none, the stand-in NumPy's): NumPy's, once, above
        avg = _quiet(mean, xp, a, axis=axis, keepdims=keepdims,
                     dtype=numpy.float32 if a.dtype == numpy.float16 else None)
        avg = avg.astype(float_dtype(xp, a), copy=False)
        scl = xp.full_like(avg, a.size / avg.size)  # no slices at all divide by zero, as NumPy's
    else:
        w = weights_along(xp, weights, a.shape, axis)
        kinds = (a.dtype, w.dtype, numpy.float64) if a.dtype.kind in "biu" else (a.dtype, w.dtype)
        dt = numpy.result_type(*kinds)
        scl = xp.sum(w.astype(dt), axis=axis, keepdims=keepdims)
        if bool(xp.any(scl == 0.0)):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = xp.sum(a.astype(dt) * w.astype(dt), axis=axis, keepdims=keepdims) / scl
    if not returned:
        return avg
    return avg, xp.broadcast_to(scl, avg.shape).copy() if scl.shape != avg.shape else scl


def weights_along(xp: Any, w: Any, shape: tuple, axis: Axis) -> Any:
    """NumPy's ``_weights_are_valid`` reshaping: weights of ``shape`` as they are, weights of the
    reduced axes' shape transposed and reshaped to broadcast along them (already checked)."""
    if w.shape == tuple(shape):
        return w
    axes = axis if isinstance(axis, tuple) else (axis,)
    axes = tuple(int(i) % len(shape) for i in axes)
    w = xp.transpose(w, tuple(int(i) for i in numpy.argsort(axes)))
    return w.reshape(tuple(s if i in axes else 1 for i, s in enumerate(shape)))


def _reduced_shape(a: Any, axis: Axis, keepdims: bool) -> tuple[int, ...]:
    red = _axes(axis, a.ndim)
    if keepdims:
        return tuple(1 if i in red else n for i, n in enumerate(a.shape))
    return tuple(n for i, n in enumerate(a.shape) if i not in red)


def ptp(xp: Any, a: Any, axis: Axis = None, out: Any = None, keepdims: bool = False) -> Any:
    if xp is numpy:
        return numpy.ptp(a, axis=axis, out=out, keepdims=keepdims)
    if a.size == 0:  # an empty result (the public layer refuses slices of no elements)
        return _into(out, xp.zeros(_reduced_shape(a, axis, keepdims), dtype=a.dtype))
    return _into(out, xp.max(a, axis=axis, keepdims=keepdims) - xp.min(a, axis=axis, keepdims=keepdims))


def nansum(xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
           initial: Any = NoValue, where: Any = True) -> Any:
    if xp is numpy:
        extra = {k: v for k, v in (("initial", initial), ("where", where)) if v is not NoValue and v is not True}
        return numpy.nansum(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **extra)
    if initial is NoValue and where is True:
        return xp.nansum(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims)
    keep = _selected(xp, a, where)
    s = xp.sum(_masked(xp, a, keep, 0), axis=axis, dtype=dtype, keepdims=keepdims)
    return _into(out, s if initial is NoValue else (s + initial).astype(s.dtype))


def _nan_extreme(name: str, xp: Any, a: Any, axis: Axis, out: Any, keepdims: bool, initial: Any, where: Any) -> Any:
    if xp is numpy:
        extra = {k: v for k, v in (("initial", initial), ("where", where)) if v is not NoValue and v is not True}
        return getattr(numpy, name)(a, axis=axis, out=out, keepdims=keepdims, **extra)
    if a.size == 0:  # an empty result, or the initial value of slices of no elements (the public layer asks for one)
        return _into(out, xp.full(_reduced_shape(a, axis, keepdims), 0 if initial is NoValue else initial,
                                  dtype=a.dtype))
    if initial is NoValue and where is True and a.ndim == 0:  # Dask's nanmin of a 0-d chunk warns once more
        r = a.copy()
    elif initial is NoValue and where is True:
        r = _quiet(getattr(xp, name), a, axis=axis, keepdims=keepdims)
    else:
        keep = _selected(xp, a, where)
        fill = (numpy.inf if name == "nanmin" else -numpy.inf) if a.dtype.kind in "fc" else initial
        x = _masked(xp, a, keep, fill).astype(a.dtype, copy=False)
        r = (xp.min if name == "nanmin" else xp.max)(x, axis=axis, keepdims=keepdims)
        if a.dtype.kind in "fc":
            found = xp.any(keep, axis=axis, keepdims=keepdims)
            r = xp.where(found, r, numpy.nan)
        if initial is not NoValue:
            r = (xp.fmin if name == "nanmin" else xp.fmax)(r, xp.asarray(initial, dtype=r.dtype))
    if a.dtype.kind in "fc":
        r = warn_where(xp, r, xp.isnan(r), "All-NaN slice encountered")
    return _into(out, r)


def nanmin(xp: Any, a: Any, axis: Axis = None, out: Any = None, keepdims: bool = False, initial: Any = NoValue,
           where: Any = True) -> Any:
    return _nan_extreme("nanmin", xp, a, axis, out, keepdims, initial, where)


def nanmax(xp: Any, a: Any, axis: Axis = None, out: Any = None, keepdims: bool = False, initial: Any = NoValue,
           where: Any = True) -> Any:
    return _nan_extreme("nanmax", xp, a, axis, out, keepdims, initial, where)


def nanmean(xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
            where: Any = True) -> Any:
    if xp is numpy:
        extra = {} if where is True else {"where": where}
        return numpy.nanmean(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **extra)
    if a.dtype.kind not in "fc":  # no NaN to leave out: NumPy's mean
        return mean(xp, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
    keep = _selected(xp, a, where)
    cnt = xp.sum(keep, axis=axis, keepdims=keepdims)
    tot = xp.sum(xp.where(keep, a, 0), axis=axis, dtype=dtype or a.dtype, keepdims=keepdims)
    avg = _per_count(xp, tot, cnt)
    return _into(out, warn_where(xp, avg, cnt == 0, "Mean of empty slice"))


def _per_count(xp: Any, tot: Any, cnt: Any) -> Any:
    """``tot / cnt`` in the sum's dtype (NumPy divides into it), NaN where the count is 0 without
    the division's own warning (NumPy divides under ``errstate(invalid="ignore")``; a lazy array
    would warn when computed, outside any error state set here)."""
    empty = cnt == 0
    avg = (tot / xp.where(empty, 1, cnt)).astype(tot.dtype, copy=False)
    return xp.where(empty, xp.asarray(numpy.nan, dtype=avg.dtype), avg)


def _nan_moment(name: str, xp: Any, a: Any, axis: Axis, dtype: Any, out: Any, ddof: float, keepdims: bool,
                where: Any, mean: Any, correction: Any) -> Any:
    if xp is numpy:
        extra = _given(where=where, mean=mean, correction=correction)
        return getattr(numpy, name)(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, **extra)
    if a.dtype.kind not in "fc":  # no NaN to leave out: NumPy's var
        return _moment(name[3:], xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)
    d = ddof if correction is None else correction
    keep = _selected(xp, a, where)
    cnt = xp.sum(keep, axis=axis, keepdims=True)
    if mean is None:
        mean = _per_count(xp, xp.sum(xp.where(keep, a, 0), axis=axis, dtype=dtype, keepdims=True), cnt)
    dev = xp.where(keep, (a - mean).astype(a.dtype, copy=False), 0)  # and subtracts into the data's
    sq = (dev * dev.conj()).real if dev.dtype.kind == "c" else dev * dev
    v = xp.sum(sq, axis=axis, dtype=dtype, keepdims=keepdims)
    dof = cnt - d if keepdims else xp.squeeze(cnt - d, axis=_axes(axis, a.ndim))
    bad = dof <= 0
    v = xp.where(bad, numpy.nan, v / xp.where(bad, 1, dof)).astype(v.dtype, copy=False)
    if name == "nanstd":
        v = xp.sqrt(v)
    return _into(out, warn_where(xp, v, bad, "Degrees of freedom <= 0 for slice."))


def nanvar(xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, where: Any = True, mean: Any = None, correction: float | None = None) -> Any:
    return _nan_moment("nanvar", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def nanstd(xp: Any, a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, where: Any = True, mean: Any = None, correction: float | None = None) -> Any:
    return _nan_moment("nanstd", xp, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def nanmedian(xp: Any, a: Any, axis: Axis = None, out: Any = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Any:
    if xp is numpy:
        kw = {"overwrite_input": True} if overwrite_input else {}
        return numpy.nanmedian(a, axis=axis, out=out, keepdims=keepdims, **kw)
    from .._portable import stats as portable  # a sort: CuPy's nanmedian reads NaN as the largest float

    return portable.nanmedian(xp, a, axis=axis, out=out, keepdims=keepdims)


def quantile(xp: Any, a: Any, q: Any, axis: Axis = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, weights: Any = None) -> Any:
    if xp is numpy:
        kw = {"overwrite_input": True} if overwrite_input else {}
        if weights is not None:
            kw["weights"] = weights
        return numpy.quantile(a, q, axis=axis, out=out, method=method, keepdims=keepdims, **kw)
    from .._portable import stats as portable

    return portable.quantile(xp, a, q, axis=axis, out=out, method=method, keepdims=keepdims, weights=weights)


def nanquantile(xp: Any, a: Any, q: Any, axis: Axis = None, out: Any = None, overwrite_input: bool = False,
                method: str = "linear", keepdims: bool = False, weights: Any = None) -> Any:
    if xp is numpy:
        kw = {"overwrite_input": True} if overwrite_input else {}
        if weights is not None:
            kw["weights"] = weights
        return numpy.nanquantile(a, q, axis=axis, out=out, method=method, keepdims=keepdims, **kw)
    from .._portable import stats as portable

    return portable.nanquantile(xp, a, q, axis=axis, out=out, method=method, keepdims=keepdims, weights=weights)
