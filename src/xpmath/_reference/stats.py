"""Reference statistics: ``xp``'s own ``mean``/``var``/``median``/``cov``…, and the shared pieces of
the covariance (observations side by side, the centred Gram, correlation from covariance)."""

from __future__ import annotations

import numpy

__all__ = [
    "mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore",
    "column_means", "centred_gram",
]


def float_dtype(xp, a):
    """The floating dtype ``a`` computes in: its own if inexact, else float64."""
    return a.dtype if a.dtype.kind in "fc" else numpy.dtype(numpy.float64)


def as_float(xp, a):
    return a if a.dtype.kind in "fc" else a.astype(xp.float64)


def wide_dtype(xp, dt):
    """Double (or complex double) for single-precision data: what NumPy computes cov in."""
    return xp.result_type(dt, xp.float64)


def stat_dtype(xp, *arrays):
    """The result dtype of a statistic of several arrays (None entries ignored)."""
    return xp.result_type(*[float_dtype(xp, a) for a in arrays if a is not None])


def _moment_dtype(x):
    # only integer and bool input needs a dtype: NumPy's var of complex data is real, but its
    # var with dtype=complex128 would be complex
    return None if x.dtype.kind in "fc" else "float64"


def mean(xp, x, axis=None, keepdims=False):
    return xp.mean(x, axis=axis, dtype=float_dtype(xp, x), keepdims=keepdims)


def median(xp, x, axis=None, keepdims=False):
    return xp.median(as_float(xp, x), axis=axis, keepdims=keepdims)


def var(xp, x, axis=None, ddof=0, keepdims=False):
    return xp.var(x, axis=axis, dtype=_moment_dtype(x), ddof=ddof, keepdims=keepdims)


def std(xp, x, axis=None, ddof=0, keepdims=False):
    return xp.std(x, axis=axis, dtype=_moment_dtype(x), ddof=ddof, keepdims=keepdims)


def cov(xp, m, y=None, rowvar=True, ddof=None):
    # NumPy upcasts float32 here; its dtype=float32 path sums the means in single precision
    # (sequentially along a strided axis), which loses every digit of a large offset
    dt = stat_dtype(xp, m, y)
    return xp.cov(m, y, rowvar=rowvar, ddof=ddof, dtype=wide_dtype(xp, dt)).astype(dt, copy=False)


def corrcoef(xp, x, y=None, rowvar=True):
    dt = stat_dtype(xp, x, y)
    return xp.corrcoef(x, y, rowvar=rowvar, dtype=wide_dtype(xp, dt)).astype(dt, copy=False)


def column_means(xp, X):
    """Means over the rows, summed in double and returned in ``X``'s dtype (a float32 sum down a
    strided axis would lose a large offset's digits)."""
    return xp.mean(X, axis=0, dtype=wide_dtype(xp, X.dtype)).astype(X.dtype, copy=False)


def centred_gram(xp, X, y=None, centre=True):
    """``(xm, XcᵀXc, ym, Xcᵀyc)`` of 2-D ``X`` (observations in rows) and optional 2-D ``y``.

    ``Xc`` is ``X`` less its column means ``xm`` (zero when ``centre`` is False); ``ym`` and the
    cross product are None without ``y``.
    """
    xm = column_means(xp, X) if centre else xp.zeros(X.shape[1], dtype=X.dtype)
    Xc = X - xm if centre else X
    G = Xc.T @ Xc.conj()
    if y is None:
        return xm, G, None, None
    ym = column_means(xp, y) if centre else xp.zeros(y.shape[1], dtype=y.dtype)
    yc = y - ym if centre else y
    return xm, G, ym, Xc.T @ yc


def observations(xp, m, y, rowvar):
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


def cov_by_gram(xp, gram, m, y=None, rowvar=True, ddof=None):
    """``cov`` from a backend's ``centred_gram`` primitive: the stacking and scaling written once.

    Returns the unsqueezed (p, p) matrix in the data's dtype.
    """
    obs, dt = observations(xp, m, y, rowvar)
    n = obs.shape[0]
    g = gram(obs)[1]
    fact = n - (1 if ddof is None else ddof)
    return (g / dt.type(fact) if fact > 0 else g / dt.type(0)).astype(dt, copy=False)


def corrcoef_from_cov(xp, c):
    """Pearson coefficients from a (p, p) covariance; one variable gives NumPy's 0-d NaN-or-1."""
    if c.size == 1:  # one variable: NumPy's 0-d cov divided by itself
        c = c.reshape(())
        return c / c
    d = xp.sqrt(xp.diag(c))
    return xp.clip(c / d[:, None] / d[None, :], -1, 1)


def mode(xp, x, axis=None):
    x = as_float(xp, x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    s = xp.sort(xp.moveaxis(x, axis, -1), axis=-1)
    n = s.shape[-1]
    idx = xp.arange(n)
    starts = xp.ones(s.shape, dtype=bool)
    starts[..., 1:] = s[..., 1:] != s[..., :-1]
    run_start = xp.maximum.accumulate(xp.where(starts, idx, 0), axis=-1)
    run_len = idx - run_start
    # argmax takes the first maximum: in sorted order that is the smallest of a tie
    best = xp.argmax(run_len, axis=-1)[..., None]
    out = xp.take_along_axis(s, best, -1)[..., 0]
    has_nan = xp.isnan(s[..., -1])  # NaNs sort last; propagate them as SciPy does
    out = xp.where(has_nan, xp.nan, out)
    return out[()] if out.ndim == 0 else out


def zscore(xp, x, axis=0, ddof=0):
    x = as_float(xp, x)
    m = xp.mean(x, axis=axis, keepdims=True)
    s = xp.std(x, axis=axis, ddof=ddof, keepdims=True)
    # a constant slice has std 0, but its computed mean can be off by a rounding, leaving a std of
    # 1e-17 that would turn noise into z-scores of ±1: the slice's range decides
    zero = (s == 0) | (xp.max(x, axis=axis, keepdims=True) == xp.min(x, axis=axis, keepdims=True))
    return xp.where(zero, 0, (x - m) / xp.where(zero, 1, s)).astype(x.dtype, copy=False)
