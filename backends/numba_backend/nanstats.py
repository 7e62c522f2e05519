"""The numba backend's NaN-ignoring reductions and quantiles: one parallel read of float32/float64
data over all axes or one axis (``backends/numba_kernels/nanreduce.py``), NumPy's results,
dtypes and warnings.

A C-contiguous array reduced over one axis is seen as rows (the axis is the last of the kept
shape) or columns (the axis first); an axis with others on both sides, a tuple of some axes,
strided data, ``where=``, ``out=``, ``dtype=``, ``initial=``, ``weights=``, a method other than
``"linear"`` or a ``q`` of another dtype than the data's are NumPy's own call. Sums accumulate in
float64; a result that is not finite or within a quarter of the dtype's largest value is NumPy's
own call too, so that its overflows and infinities are NumPy's.
"""

from __future__ import annotations

import math
import warnings

import numpy

from xpmath._backend import reduced_axes as _axes
from xpmath._reference import stats as ref_stats

from ._runtime import Bindings, _kernels, _Serial

#: 1-D arrays from this size select their order statistics by histogram rounds (no copy)
_HIST_MIN = 1 << 20
#: a nanmedian along an axis shorter than this is NumPy's own (its masked-array path)
_NANMEDIAN_MIN = 600


def _warn(message):
    warnings.warn(message, RuntimeWarning, stacklevel=4)


def _layout(x, axis):
    """("flat", 1-D view) | ("rows", 2-D view) | ("cols", 2-D view) of ``x`` for the axes ``axis``
    reduces, or None where the kernels do not take that layout."""
    nd = x.ndim
    red = _axes(axis, nd)
    if len(red) == nd:
        if x.flags.c_contiguous or x.flags.f_contiguous:
            return "flat", x.ravel(order="K")
        return None
    if len(red) != 1 or not x.flags.c_contiguous:
        return None
    ax = red[0]
    pre = math.prod(x.shape[:ax])
    post = math.prod(x.shape[ax + 1:])
    if post == 1:
        return "rows", x.reshape(pre, x.shape[ax])
    if pre == 1:
        return "cols", x.reshape(x.shape[ax], post)
    return None


def _shape(v, x, axis, keepdims, lead=()):
    """Kernel output ``v`` (the kept axes in C order, after ``lead`` axes) as NumPy's result of
    ``x``'s dtype: a NumPy scalar where nothing is left."""
    red = _axes(axis, x.ndim)
    keep = tuple(1 if i in red else s for i, s in enumerate(x.shape)) if keepdims else tuple(
        s for i, s in enumerate(x.shape) if i not in red)
    r = numpy.asarray(v).astype(x.dtype, copy=False).reshape(lead + keep)
    return r[()] if r.ndim == 0 else r


def _safe(v, dtype, ok):
    """Whether the float64 results ``v`` (where ``ok``) are finite and far from ``dtype``'s overflow."""
    big = numpy.finfo(dtype).max / 4
    with numpy.errstate(invalid="ignore"):
        return bool(numpy.all(~ok | (numpy.abs(v) < big)))


class NanStatsBindings(Bindings):
    """nansum, nanmean, nanvar, nanstd, nanmin, nanmax, nanmedian, and the (nan)quantiles."""

    def _threads_chunks(self, n):
        return max(1, min(n, 4 * self._threads()))

    def _sum_count(self, x, axis):
        k = _kernels()
        kind, v = _layout(x, axis)
        with _Serial():
            if kind == "flat":
                s, c = k.nan_sum_flat(v)
                return numpy.float64(s), numpy.int64(c)
            if kind == "rows":
                return k.nan_sum_rows(v)
            return k.nan_sum_cols(v, self._threads_chunks(v.shape[0]))

    def nansum(self, a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
        s, c = self._sum_count(a, axis)
        if not _safe(s, a.dtype, numpy.ones_like(c, dtype=bool)):
            return ref_stats.nansum(numpy, a, axis=axis, keepdims=keepdims)
        return _shape(s, a, axis, keepdims)

    def nanmean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        s, c = self._sum_count(a, axis)
        ok = c > 0
        if not _safe(s, a.dtype, ok):
            return ref_stats.nanmean(numpy, a, axis=axis, keepdims=keepdims)
        with numpy.errstate(divide="ignore", invalid="ignore"):
            m = numpy.where(ok, s / numpy.maximum(c, 1), numpy.nan)
        if not numpy.all(ok):
            _warn("Mean of empty slice")
        return _shape(m, a, axis, keepdims)

    def _var(self, a, axis, ddof, keepdims, name):
        k = _kernels()
        kind, v = _layout(a, axis)
        with _Serial():
            if kind == "flat":
                c, m, q = k.nan_moments_flat(v)
            elif kind == "rows":
                c, m, q = k.nan_moments_rows(v)
            else:
                rows = max(2, min(64, 65536 // max(v.shape[1], 1)))
                c, m, q = k.nan_moments_cols(v, self._threads_chunks(v.shape[0]), rows)
        c = numpy.asarray(c)
        if not (_safe(m, a.dtype, c > 0) and _safe(q, a.dtype, c > 0)):
            return getattr(ref_stats, name)(numpy, a, axis=axis, ddof=ddof, keepdims=keepdims)
        dof = c - ddof
        bad = dof <= 0
        with numpy.errstate(divide="ignore", invalid="ignore"):
            var = numpy.where(bad, numpy.nan, numpy.asarray(q) / numpy.where(bad, 1, dof))
        if numpy.any(bad):
            _warn("Degrees of freedom <= 0 for slice.")
        r = _shape(var, a, axis, keepdims)
        return numpy.sqrt(r) if name == "nanstd" else r

    def nanvar(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
               correction=None):
        return self._var(a, axis, ddof, keepdims, "nanvar")

    def nanstd(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
               correction=None):
        return self._var(a, axis, ddof, keepdims, "nanstd")

    def _extreme(self, a, axis, keepdims, want_max):
        k = _kernels()
        kind, v = _layout(a, axis)
        with _Serial():
            if kind == "flat":
                r, seen = k.nan_extreme_flat(v, want_max)
            elif kind == "rows":
                r, seen = k.nan_extreme_rows(v, want_max)
            else:
                r, seen = k.nan_extreme_cols(v, want_max, self._threads_chunks(v.shape[0]))
        r = numpy.where(seen, r, numpy.nan)
        if not numpy.all(seen):
            _warn("All-NaN slice encountered")
        return _shape(r, a, axis, keepdims)

    def nanmin(self, a, axis=None, out=None, keepdims=False, initial=None, where=True):
        return self._extreme(a, axis, keepdims, False)

    def nanmax(self, a, axis=None, out=None, keepdims=False, initial=None, where=True):
        return self._extreme(a, axis, keepdims, True)

    # ------------------------------------------------------------ order statistics
    def _order(self, a, q, axis, keepdims, median, skipnan):
        """NumPy's linear-method quantiles (or median) of ``a``: the kernels select each slice's
        pair of order statistics and the fraction between them; the interpolation is NumPy's own
        formula on those, in the data's dtype."""
        k = _kernels()
        dt = a.dtype
        qa = numpy.asarray([0.5] if median else q, dtype=dt)
        lead = () if median or qa.ndim == 0 else qa.shape
        qs = numpy.ascontiguousarray(qa.reshape(-1), dtype=numpy.float64)
        # a Python number is NumPy's "weak" q: its fractions in float64, rounded into the data's
        # dtype for the interpolation; an array of q in its own dtype from the start
        weak = median or type(q) in (int, float)
        if weak:
            qs = numpy.asarray([0.5] if median else [q], dtype=numpy.float64)
        single = dt == numpy.float32 and not weak
        kind, v = _layout(a, axis)
        per_slice = kind != "flat"  # NumPy's warning once a slice along an axis, else once
        if kind == "flat" and v.size < _HIST_MIN:
            kind, v = "rows", v.reshape(1, -1)
        nq = qs.size
        with _Serial():
            if kind == "flat":
                lo, hi, m = k.range_count(v)
                S = 1
                A = numpy.empty((nq, 1), dt)
                B = numpy.empty((nq, 1), dt)
                G = numpy.zeros((nq, 1))
                counts = numpy.array([m if (skipnan or m == v.size) else -1])
                if counts[0] > 0:
                    rl = numpy.empty(nq, numpy.int64)
                    rh = numpy.empty(nq, numpy.int64)
                    g = numpy.empty(nq)
                    k._ranks(m, qs, single, median, rl, rh, g)
                    # every rank of every q (the pair around each) in the same passes over the data
                    vals = k.select_flat_many(v, numpy.concatenate([rl, rh]), lo, hi, m)
                    A[:, 0] = vals[:nq]
                    B[:, 0] = vals[nq:]
                    G[:, 0] = g
            else:
                S = v.shape[0] if kind == "rows" else v.shape[1]
                A = numpy.zeros((nq, S), dt)
                B = numpy.zeros((nq, S), dt)
                G = numpy.zeros((nq, S))
                counts = numpy.empty(S, numpy.int64)
                if kind == "rows":
                    k.order_rows(v, qs, single, median, skipnan, self._threads_chunks(S), A, B, G, counts)
                else:
                    k.order_cols(v, qs, single, median, skipnan, A, B, G, counts)
        with numpy.errstate(over="ignore", invalid="ignore"):
            if median:
                r = numpy.where(counts % 2 == 1, A, (A + B) / dt.type(2))
            else:
                t = G.astype(dt)
                omt = (1 - G).astype(dt) if weak else 1 - t
                diff = B - A
                r = numpy.where((G if weak else t) >= 0.5, B - diff * omt, A + diff * t)
        r = numpy.where(counts > 0, r, numpy.nan).astype(dt, copy=False)
        if skipnan:
            for _ in range(int(numpy.count_nonzero(counts == 0)) if per_slice else int(numpy.any(counts == 0))):
                _warn("All-NaN slice encountered")
        return _shape(r[0] if median or qa.ndim == 0 else r, a, axis, keepdims, lead)

    def quantile(self, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False,
                 weights=None):
        return self._order(a, q, axis, keepdims, False, False)

    def nanquantile(self, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False,
                    weights=None):
        return self._order(a, q, axis, keepdims, False, True)

    def nanmedian(self, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        return self._order(a, None, axis, keepdims, True, True)


def _plain(a, kw):
    """Real float data of a layout the kernels take, and no keyword past NumPy's defaults."""
    return (isinstance(a, numpy.ndarray) and a.dtype.char in "fd" and a.size > 0 and a.ndim > 0
            and kw.get("out") is None and kw.get("dtype") is None and kw.get("where", True) is True
            and _layout(a, kw.get("axis")) is not None)


def _sum_rule(self, a, *args, **kw):
    return _plain(a, kw) and kw.get("initial", numpy._NoValue) is numpy._NoValue


def _moment_rule(self, a, *args, **kw):
    return _plain(a, kw) and kw.get("mean") is None and kw.get("correction") is None


def _quantile_rule(self, a, q, *args, **kw):
    if not (_plain(a, kw) and kw.get("method", "linear") == "linear" and kw.get("weights") is None):
        return False
    if type(q) is float or type(q) is int:
        return True
    return isinstance(q, numpy.ndarray) and q.dtype == a.dtype and q.ndim <= 1


def _nanmedian_rule(self, a, *args, **kw):
    if not _plain(a, kw):
        return False
    axis = kw.get("axis")
    return axis is None or a.ndim == 1 or all(a.shape[i] >= _NANMEDIAN_MIN for i in _axes(axis, a.ndim))


#: op -> whether the kernels take the call
RULES = {
    "nansum": _sum_rule, "nanmean": lambda self, a, *args, **kw: _plain(a, kw),
    "nanvar": _moment_rule, "nanstd": _moment_rule,
    "nanmin": _sum_rule, "nanmax": _sum_rule,
    "quantile": _quantile_rule, "nanquantile": _quantile_rule, "nanmedian": _nanmedian_rule,
}
