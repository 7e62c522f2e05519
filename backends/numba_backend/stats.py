"""The numba backend's statistics: moments, z-scores, median, the centred Gram matrix behind
cov, corrcoef and the models, and the finite check of large arrays."""

from __future__ import annotations

import math

import numpy

from xpmath._backend import reduced_axes as _axes
from xpmath._reference import stats as ref_stats

from ._runtime import (Bindings, _Serial, _blas_controller, _blas_lock, _kernels, _moment_input, _near_overflow,
                       _out, _real, _real_input, _result)


class StatsBindings(Bindings):
    """Moments, z-scores, median and the centred Gram matrix, each one parallel read of the data."""

    def _moments(self, x, axis):
        """(mean, M2, count, shape-of-result-with-keepdims) of real ``x`` over None, an int or a tuple of axes."""
        k = _kernels()
        nd = x.ndim
        red = _axes(axis, nd)
        with _Serial():
            if len(red) == nd:
                m, q = k.moments_flat(numpy.ravel(x))
                return numpy.float64(m), numpy.float64(q), x.size, (1,) * nd
            kept = tuple(1 if i in red else s for i, s in enumerate(x.shape))
            n = math.prod(x.shape[i] for i in red)
            if red == tuple(range(nd - len(red), nd)):  # reduced axes last: one row each
                m, q = k.moments_rows(x.reshape(-1, n))
            elif red == tuple(range(len(red))):  # reduced axes first: blocks of rows, per column
                m, q = k.moments_cols(x.reshape(n, -1))
            else:  # the reduced axes moved last (a copy), then one row each
                keep = tuple(i for i in range(nd) if i not in red)
                m, q = k.moments_rows(numpy.transpose(x, keep + red).reshape(-1, n))
            return m.reshape(kept), q.reshape(kept), n, kept

    def _moments_any(self, x, axis):
        """:meth:`_moments` for real or complex ``x`` (complex: the real and imaginary parts' moments)."""
        if x.dtype.kind != "c":
            return self._moments(x, axis)
        mr, qr, n, kept = self._moments(x.real, axis)
        mi, qi, _, _ = self._moments(x.imag, axis)
        return mr + 1j * mi, qr + qi, n, kept

    def mean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        xf = ref_stats.as_float(numpy, a)
        m, q, n, _ = self._moments_any(xf, axis)
        if _near_overflow(xf, m, q, n):
            return numpy.mean(a, axis=axis, keepdims=keepdims)
        return _result(m, xf, _axes(axis, xf.ndim), keepdims)

    def var(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        xf = ref_stats.as_float(numpy, a)
        m, q, n, _ = self._moments_any(xf, axis)
        if _near_overflow(xf, m, q, n):
            return numpy.var(a, axis=axis, ddof=ddof, keepdims=keepdims)
        with numpy.errstate(divide="ignore", invalid="ignore"):
            v = numpy.divide(q, max(n - ddof, 0))
        if n - ddof <= 0:
            import warnings

            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        return _result(v, xf.real, _axes(axis, xf.ndim), keepdims)

    def std(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        return numpy.sqrt(self.var(a, axis, ddof=ddof, keepdims=keepdims))

    def zscore(self, a, axis=0, ddof=0, nan_policy="propagate"):
        k = _kernels()
        xf = ref_stats.as_float(numpy, a)
        m, q, n, _ = self._moments(xf, axis)
        # too few values for ddof: the std is NaN, and a constant slice's 0 is the range's to decide
        if n - ddof <= 0 or _near_overflow(xf, m, q, n):
            return ref_stats.zscore(numpy, a, axis=axis, ddof=ddof, nan_policy=nan_policy)
        with numpy.errstate(divide="ignore", invalid="ignore"):
            s = numpy.sqrt(numpy.divide(q, max(n - ddof, 0)))
        out = numpy.empty(xf.shape, dtype=xf.dtype)
        with _Serial():
            if axis is None:
                src = numpy.ascontiguousarray(xf).reshape(-1)
                k.zscore_flat(src, float(m), float(s), out.reshape(-1))
            elif axis % xf.ndim == xf.ndim - 1:
                k.zscore_rows(xf.reshape(-1, xf.shape[-1]), m.reshape(-1), s.reshape(-1), out.reshape(-1, xf.shape[-1]))
            else:
                ax = axis % xf.ndim
                src = numpy.moveaxis(xf, ax, 0)
                o = numpy.moveaxis(out, ax, 0)
                x2 = src.reshape(src.shape[0], -1)
                o2 = o.reshape(o.shape[0], -1) if o.flags.c_contiguous else numpy.empty(x2.shape, xf.dtype)
                k.zscore_cols(x2, numpy.moveaxis(m, ax, 0).reshape(-1), numpy.moveaxis(s, ax, 0).reshape(-1), o2)
                if not o.flags.c_contiguous:
                    o[...] = o2.reshape(o.shape)
        return out

    def median(self, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        k = _kernels()
        xf = ref_stats.as_float(numpy, a)
        nd = xf.ndim
        red = _axes(axis, nd)
        if len(red) == nd:
            flat = numpy.ravel(xf)
            n = flat.size
            with _Serial():
                lo, hi, has_nan = k._minmax_nan(flat)
                if has_nan:
                    v = numpy.nan
                else:
                    a, b = k.select_two(flat, (n - 1) // 2, n // 2, lo, hi)
                    a, b = xf.dtype.type(a), xf.dtype.type(b)
                    # NumPy's: the middle value of an odd count, else the mean of the two in the
                    # data's dtype (inf where their sum overflows)
                    v = a if n % 2 else numpy.mean(numpy.array([a, b], dtype=xf.dtype))
            r = numpy.asarray(v, dtype=xf.dtype)
            return r.reshape((1,) * nd) if keepdims else r[()]
        keep = tuple(i for i in range(nd) if i not in red)
        src = numpy.transpose(xf, keep + red)  # the reduced axes last; each row's median in parallel
        x2 = numpy.ascontiguousarray(src).reshape(-1, math.prod(xf.shape[i] for i in red))
        out = numpy.empty(x2.shape[0], dtype=xf.dtype)
        with _Serial():
            k.median_rows(x2, out)
        return _result(out, xf, red, keepdims)

    # ---------------------------------------------------------------- covariance
    def _centred_gram(self, groups, dt):
        """Σ bᵀb over blocks b of rows of the side-by-side columns of ``groups`` ((data, means) pairs,
        n rows each), each centred by its means as the block is made: the Gram matrix of the centred
        data without a centred copy of it. Returns ``(gram, column sums of the centred data)``, the
        sums in double, added as the blocks are centred (one add per value).

        Each block is centred by our kernel into a cache-sized buffer, then BLAS multiplies it (NumPy
        turns bᵀb into SYRK). On several threads each takes whole blocks with a one-thread SYRK:
        OpenBLAS splits a 64-wide SYRK poorly between threads (~1.3x on two), blocks scale ~2x.
        """
        k = _kernels()
        n = groups[0][0].shape[0]
        widths = [a.shape[1] for a, _ in groups]
        p = sum(widths)
        starts = range(0, n, k.BLOCK)
        nt = self._threads()
        nt = nt if nt > 1 and n >= 2 * nt * k.BLOCK else 1

        def work(t):
            g = numpy.zeros((p, p), dtype=dt)
            s = numpy.zeros(p)
            buf = numpy.empty((min(k.BLOCK, n), p), dtype=dt)
            for lo in starts[t::nt]:
                hi = min(lo + k.BLOCK, n)
                b = buf[: hi - lo]
                off = 0
                for (a, mu), w in zip(groups, widths):  # nogil kernel: the threads run at once
                    k.centre_block(a, lo, hi, mu, b[:, off:off + w], s[off:off + w])
                    off += w
                g += b.T @ b
            return g, s

        if nt == 1:
            g, s = work(0)
        else:
            from concurrent.futures import ThreadPoolExecutor

            # as scikit-learn does around its own parallel loops: BLAS on one thread meanwhile
            with _blas_lock, _blas_controller().limit(limits=1, user_api="blas"), ThreadPoolExecutor(nt) as ex:
                parts = list(ex.map(work, range(nt)))
            g, s = parts[0]
            for q, r in parts[1:]:  # a fixed order: the same answer every time
                g += q
                s += r
        return g, s

    def column_means(self, X):
        with _Serial():
            return numpy.ascontiguousarray(_out(_kernels().means_cols(X), X.dtype))

    #: rows from which centred_gram tries one pass (a shift from a sample of rows) before two
    _SHIFTED_MIN_ROWS = 1 << 16
    #: rows sampled, evenly spaced, for the shift of the one-pass Gram matrix
    _SHIFT_SAMPLE = 4096

    def _shifted_gram(self, X, y):
        """``centred_gram``'s result in one read of the data, or None where that is not as exact.

        The data are centred by a shift ``s``: the mean of an evenly spaced sample of rows, close
        to the mean μ however the rows are ordered (a trend, sorted data). One blocked pass gives
        the Gram matrix S of x − s and the column sums of x − s (added as the blocks are centred); then
        δ = μ − s = (those sums)/n and the centred Gram matrix is G = S − n δδᵀ. That subtraction
        loses digits only where n δᵢ² is large against Gᵢᵢ (the shift far from the mean in units of
        the spread): the error of each entry stays within 2 ε √(Sᵢᵢ Sⱼⱼ) while n δᵢ² ≤ Gᵢᵢ for
        every column, the same order as centring by the exact mean first. Where the sample misses
        that bound (data built against it), None: the caller centres by the exact means in two passes.
        """
        n = X.shape[0]
        step = max(1, n // self._SHIFT_SAMPLE)
        f8 = numpy.float64
        parts = [X] if y is None else [X, y]
        shifts = [numpy.ascontiguousarray(a[::step].mean(axis=0, dtype=f8).astype(a.dtype)) for a in parts]
        S, sums = self._centred_gram(tuple(zip(parts, shifts)), X.dtype)
        delta = sums / n
        G = S.astype(f8) - n * numpy.outer(delta, delta)
        lost = n * delta * delta
        if not numpy.all((lost <= numpy.diagonal(G)) | (lost == 0)):
            return None
        means = numpy.concatenate(shifts).astype(f8) + delta
        dt = X.dtype
        p = X.shape[1]
        G = G.astype(dt)
        xm = numpy.ascontiguousarray(means[:p].astype(dt))
        if y is None:
            return xm, G, None, None
        return (xm, numpy.ascontiguousarray(G[:p, :p]), numpy.ascontiguousarray(means[p:].astype(dt)),
                numpy.ascontiguousarray(G[:p, p:]))

    def centred_gram(self, X, y=None, centre=True, sample_weight=None):
        """XᵀX (and Xᵀy) of the centred data: in one blocked pass from a sampled shift where that is
        as exact (:meth:`_shifted_gram`, large inputs), else one parallel pass for the means, then
        one blocked pass."""
        if centre and X.shape[0] >= self._SHIFTED_MIN_ROWS:
            r = self._shifted_gram(X, y)
            if r is not None:
                return r
        dt = X.dtype
        p = X.shape[1]
        xm = self.column_means(X) if centre else numpy.zeros(p, dtype=dt)
        if y is None:
            return xm, self._centred_gram(((X, xm),), dt)[0], None, None
        ym = self.column_means(y) if centre else numpy.zeros(y.shape[1], dtype=dt)
        g = self._centred_gram(((X, xm), (y, ym)), dt)[0]
        return xm, numpy.ascontiguousarray(g[:p, :p]), ym, numpy.ascontiguousarray(g[:p, p:])

    @staticmethod
    def _kernel_types(*arrays):
        """True where the covariance kernels apply: no complex, no float16 / longdouble."""
        return all(a is None or a.dtype.kind in "biu" or a.dtype.char in "fd" for a in arrays)

    def cov(self, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
        return ref_stats.cov_by_gram(numpy, self.centred_gram, m, y, rowvar, ddof).squeeze()

    def corrcoef(self, x, y=None, rowvar=True, dtype=None):
        return ref_stats.corrcoef_from_cov(numpy, ref_stats.cov_by_gram(numpy, self.centred_gram, x, y, rowvar))

    def all_finite(self, a):
        # the public layer's finite check of large float input: one parallel read, no bool array
        if type(a) is numpy.ndarray and a.dtype.char in "fd" and a.size > 65536 and (
                a.flags.c_contiguous or a.flags.f_contiguous):
            with _Serial():
                return bool(_kernels().all_finite_flat(a.ravel(order="K")))
        return super().all_finite(a)


def _moments_rule(self, a, *args, **kw):
    return (_moment_input(a) and kw.get("axis") != () and kw.get("dtype") is None and kw.get("out") is None
            and kw.get("where", True) is True and kw.get("mean") is None and kw.get("correction") is None)


def _gram_rule(self, a, *args, **kw):
    y = args[0] if args else kw.get("y")
    return (_real(a) and a.ndim == 2 and a.shape[0] > 0 and (y is None or y.dtype == a.dtype)
            and kw.get("sample_weight") is None)


def _cov_rule(self, a, *args, **kw):
    y = args[0] if args else kw.get("y")
    return (a.size > 0 and self._kernel_types(a, y) and kw.get("dtype") is None and not kw.get("bias")
            and kw.get("fweights") is None and kw.get("aweights") is None)


#: op -> whether the kernels take the call (given the backend, the arguments and the keywords)
RULES = {
    "mean": _moments_rule, "var": _moments_rule, "std": _moments_rule,
    "zscore": lambda self, a, *args, **kw: (_real_input(a) and a.ndim > 0 and a.size > 0
                                            and kw.get("nan_policy") != "omit"),
    "median": lambda self, a, *args, **kw: (_real_input(a) and a.ndim > 0 and a.size > 0 and kw.get("axis") != ()
                                             and kw.get("out") is None),
    "cov": _cov_rule, "corrcoef": _cov_rule,
    "centred_gram": _gram_rule, "column_means": _gram_rule,
}
