"""The Numba backend's kernels. Importing this module imports Numba; only the numba backend does.

Reductions read memory once, in parallel blocks, and merge per-block (mean, M2) pairs with
Chan's formula: one pass and about 1e-15 relative error, where a naive sum of squares loses
digits. Everything accumulates in float64 and the caller casts to the input's dtype.
"""

from __future__ import annotations

import math

import numba
import numba.extending
import numpy as np
from numba import njit, prange

_OPTS = dict(cache=True, nogil=True, error_model="numpy")
# reassociation lets the block sums vectorise (a plain `s += x[i]` is latency-bound); no
# other fast-math flag, so NaN and inf still behave as in NumPy
_PAR = dict(_OPTS, parallel=True, fastmath={"reassoc"})
# the same for serial helpers whose loops are sums, called from parallel kernels: a callee is
# compiled with its own flags, not its caller's
_RED = dict(_OPTS, fastmath={"reassoc"})
BLOCK = 8192


# ----------------------------------------------------------------- moments
@njit(**_OPTS)
def _shift(v):
    # data are shifted by one of their own values, so block means are small and their rounding
    # does not swamp the between-block spread (a large common offset otherwise costs digits)
    return v if np.isfinite(v) else 0.0


@njit(**_PAR)
def moments_flat(x):
    """(mean, M2) of a 1-D array in one read: per block, sums of d and d² with d = x - (the block's
    first value), so M2_b = Σd² - (Σd)²/c loses at most c·eps of M2_b (that value alone contributes
    (x_lo - mean_b)² to it); block means kept relative to x[0], merged with Chan's formula."""
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    means = np.empty(nb)
    m2s = np.empty(nb)
    k = _shift(float(x[0]))
    for b in prange(nb):
        lo = b * BLOCK
        hi = min(lo + BLOCK, n)
        kb = _shift(float(x[lo]))
        s1 = 0.0
        s2 = 0.0
        for i in range(lo, hi):
            d = x[i] - kb
            s1 += d
            s2 += d * d
        m = s1 / (hi - lo)
        means[b] = (kb - k) + m
        m2s[b] = s2 - s1 * m
    m, q = _merge(means, m2s, n)
    return m + k, q


@njit(**_OPTS)
def _merge(means, m2s, n):
    # pairwise tree of Chan merges keeps the error growth logarithmic
    nb = means.size
    counts = np.empty(nb)
    for b in range(nb):
        counts[b] = min(BLOCK, n - b * BLOCK)
    step = 1
    while step < nb:
        for b in range(0, nb - step, 2 * step):
            na, nb_ = counts[b], counts[b + step]
            tot = na + nb_
            d = means[b + step] - means[b]
            means[b] += d * nb_ / tot
            m2s[b] += m2s[b + step] + d * d * na * nb_ / tot
            counts[b] = tot
        step *= 2
    return means[0], m2s[0]


@njit(**_PAR)
def moments_rows(x2):
    """(mean, M2) of each row of a 2-D array (the reduced axis is the last)."""
    r, n = x2.shape
    mean = np.empty(r)
    m2 = np.empty(r)
    for i in prange(r):
        k = _shift(float(x2[i, 0]))
        s = 0.0
        for j in range(n):
            s += x2[i, j] - k
        m = s / n
        q = 0.0
        for j in range(n):
            d = (x2[i, j] - k) - m
            q += d * d
        mean[i] = m + k
        m2[i] = q
    return mean, m2


@njit(**_PAR)
def moments_cols(x2):
    """(mean, M2) of each column of a 2-D array: row blocks in parallel, merged by Chan's formula."""
    n, c = x2.shape
    nb = (n + BLOCK - 1) // BLOCK
    means = np.zeros((nb, c))
    m2s = np.zeros((nb, c))
    ks = np.empty(c)
    for j in range(c):
        ks[j] = _shift(float(x2[0, j]))
    for b in prange(nb):
        lo = b * BLOCK
        hi = min(lo + BLOCK, n)
        cnt = hi - lo
        for i in range(lo, hi):
            for j in range(c):
                means[b, j] += x2[i, j] - ks[j]
        for j in range(c):
            means[b, j] /= cnt
        for i in range(lo, hi):
            for j in range(c):
                d = (x2[i, j] - ks[j]) - means[b, j]
                m2s[b, j] += d * d
    mean = np.empty(c)
    m2 = np.empty(c)
    for j in range(c):
        mj, qj = _merge(means[:, j].copy(), m2s[:, j].copy(), n)
        mean[j] = mj + ks[j]
        m2[j] = qj
    return mean, m2


@njit(**_PAR)
def all_finite_flat(x):
    """True when no element of a 1-D real array is NaN or ±inf: x·0 is NaN exactly there, and a
    sum of zeros and NaNs vectorises (no early exit: the array is read once at full speed)."""
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    sums = np.empty(nb)
    for b in prange(nb):
        lo = b * BLOCK
        hi = min(lo + BLOCK, n)
        s = 0.0
        for i in range(lo, hi):
            s += x[i] * 0.0
        sums[b] = s
    return sums.sum() == 0.0


@njit(**_PAR)
def sum_flat(x):
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    sums = np.empty(nb)
    for b in prange(nb):
        lo = b * BLOCK
        hi = min(lo + BLOCK, n)
        s = 0.0
        for i in range(lo, hi):
            s += x[i]
        sums[b] = s
    return _pairwise(sums)


@njit(**_OPTS)
def _pairwise(v):
    n = v.size
    step = 1
    while step < n:
        for b in range(0, n - step, 2 * step):
            v[b] += v[b + step]
        step *= 2
    return v[0] if n else 0.0


@njit(**_PAR)
def zscore_flat(x, m, s, out):
    """out = (x - m) / s, or 0 where s == 0; one read and one write."""
    n = x.size
    if s == 0.0:
        for i in prange(n):
            out[i] = 0.0
    else:
        inv = 1.0 / s
        for i in prange(n):
            out[i] = (x[i] - m) * inv


@njit(**_PAR)
def zscore_rows(x2, m, s, out):
    r, n = x2.shape
    for i in prange(r):
        if s[i] == 0.0:
            for j in range(n):
                out[i, j] = 0.0
        else:
            for j in range(n):
                out[i, j] = (x2[i, j] - m[i]) / s[i]


@njit(**_PAR)
def zscore_cols(x2, m, s, out):
    n, c = x2.shape
    for i in prange(n):
        for j in range(c):
            out[i, j] = 0.0 if s[j] == 0.0 else (x2[i, j] - m[j]) / s[j]


# ----------------------------------------------------------------- median
NBINS = 4096


@njit(**_PAR)
def _minmax_nan(x):
    # four independent min/max chains (one chain is bound by its compare-select latency: a min
    # reduction cannot vectorise without assuming no NaN), comparisons false for NaN, which a
    # separate flag records
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    los = np.empty(nb)
    his = np.empty(nb)
    nan = np.zeros(nb, dtype=np.bool_)
    for b in prange(nb):
        lo_i = b * BLOCK
        hi_i = min(lo_i + BLOCK, n)
        l0 = l1 = l2 = l3 = np.inf
        h0 = h1 = h2 = h3 = -np.inf
        bad = False
        i = lo_i
        while i + 4 <= hi_i:
            v0, v1, v2, v3 = x[i], x[i + 1], x[i + 2], x[i + 3]
            bad |= (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3)
            l0 = v0 if v0 < l0 else l0
            l1 = v1 if v1 < l1 else l1
            l2 = v2 if v2 < l2 else l2
            l3 = v3 if v3 < l3 else l3
            h0 = v0 if v0 > h0 else h0
            h1 = v1 if v1 > h1 else h1
            h2 = v2 if v2 > h2 else h2
            h3 = v3 if v3 > h3 else h3
            i += 4
        while i < hi_i:
            v = x[i]
            bad |= v != v
            l0 = v if v < l0 else l0
            h0 = v if v > h0 else h0
            i += 1
        los[b] = min(min(l0, l1), min(l2, l3))
        his[b] = max(max(h0, h1), max(h2, h3))
        nan[b] = bad
    return los.min(), his.max(), nan.any()


@njit(**_OPTS)
def _bin(v, lo, scale):
    k = int((v * 0.5 - lo * 0.5) * scale)
    return min(max(k, 0), NBINS - 1)


@njit(**_PAR)
def _histogram(x, lo, scale, nchunks):
    n = x.size
    size = (n + nchunks - 1) // nchunks
    h = np.zeros((nchunks, NBINS), dtype=np.int64)
    for c in prange(nchunks):
        for i in range(c * size, min((c + 1) * size, n)):
            h[c, _bin(x[i], lo, scale)] += 1
    return h


@njit(**_PAR)
def _gather(x, lo, scale, nchunks, b, offsets, out):
    n = x.size
    size = (n + nchunks - 1) // nchunks
    for c in prange(nchunks):
        k = offsets[c]
        for i in range(c * size, min((c + 1) * size, n)):
            if _bin(x[i], lo, scale) == b:
                out[k] = x[i]
                k += 1


@njit(**_PAR)
def _bin_extreme(x, lo, scale, b, want_max):
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    best = np.empty(nb)
    for c in prange(nb):
        r = -np.inf if want_max else np.inf
        for i in range(c * BLOCK, min((c + 1) * BLOCK, n)):
            if _bin(x[i], lo, scale) == b:
                if want_max:
                    r = max(r, x[i])
                else:
                    r = min(r, x[i])
        best[c] = r
    return best.max() if want_max else best.min()


def select_two(x, k1, k2, lo=None, hi=None):
    """The k1-th and k2-th smallest (k2 == k1 or k1 + 1) of a 1-D NaN-free array, without copying it.

    Histogram selection: each round bins the candidates by value, finds the bins of the two
    ranks and keeps only their bin, so the candidates shrink ~4096-fold per round. ``lo`` and
    ``hi``, when the caller already has them, save the first round's pass for the range.
    """
    nchunks = 4 * numba.get_num_threads()
    while True:
        if lo is None:
            lo, hi, _ = _minmax_nan(x)
        if lo == hi:
            return lo, lo
        scale = NBINS / (hi * 0.5 - lo * 0.5)
        h = _histogram(x, lo, scale, nchunks)
        tot = h.sum(axis=0)
        cum = np.cumsum(tot)
        b1 = int(np.searchsorted(cum, k1, side="right"))
        b2 = int(np.searchsorted(cum, k2, side="right"))
        if b1 != b2:
            # consecutive ranks in different bins: the largest of one bin, the smallest of the next
            return _bin_extreme(x, lo, scale, b1, True), _bin_extreme(x, lo, scale, b2, False)
        before = cum[b1] - tot[b1]
        counts = h[:, b1]
        offsets = np.zeros(nchunks, dtype=np.int64)
        offsets[1:] = np.cumsum(counts)[:-1]
        out = np.empty(int(tot[b1]), dtype=x.dtype)
        _gather(x, lo, scale, nchunks, b1, offsets, out)
        x, k1, k2 = out, k1 - before, k2 - before
        lo = hi = None
        if x.size <= 2048:
            s = np.sort(x)
            return s[k1], s[k2]


@njit(**_PAR)
def median_rows(x2, out):
    r, n = x2.shape
    for i in prange(r):
        row = x2[i]
        if np.isnan(row).any():
            out[i] = np.nan
        else:
            out[i] = np.median(row.copy())


# ----------------------------------------------------------------- mode
@njit(**_OPTS)
def _mode_sorted(s):
    n = s.size
    if s[n - 1] != s[n - 1]:
        return np.nan
    best = s[0]
    best_len = 1
    run = 1
    for i in range(1, n):
        if s[i] == s[i - 1]:
            run += 1
        else:
            run = 1
        if run > best_len:
            best_len = run
            best = s[i]
    return best


@njit(**_PAR)
def mode_sorted_rows(s2, out):
    """The mode of each row of an already sorted 2-D array (NumPy's SIMD sort does the sorting)."""
    r = s2.shape[0]
    for i in prange(r):
        out[i] = _mode_sorted(s2[i])


# ----------------------------------------------------------------- covariance
@njit(**_OPTS)
def centre_block(x2, lo, hi, mu, buf):
    """buf = rows lo..hi of x2 minus the means mu, on one thread (callers run a block per thread)."""
    c = x2.shape[1]
    for i in range(hi - lo):
        for j in range(c):
            buf[i, j] = x2[lo + i, j] - mu[j]


# ----------------------------------------------------------------- norms, similarity, probability
@njit(**_PAR)
def unit_rows(m, out):
    r, c = m.shape
    for i in prange(r):
        s = 0.0
        for j in range(c):
            s += m[i, j] * m[i, j]
        nrm = math.sqrt(s)
        inv = 0.0 if nrm == 0.0 else 1.0 / nrm
        for j in range(c):
            out[i, j] = m[i, j] * inv


@njit(**_PAR)
def cosine_1d(a, b):
    n = a.size
    nb = (n + BLOCK - 1) // BLOCK
    ab = np.empty(nb)
    aa = np.empty(nb)
    bb = np.empty(nb)
    for k in prange(nb):
        s1 = s2 = s3 = 0.0
        for i in range(k * BLOCK, min((k + 1) * BLOCK, n)):
            s1 += a[i] * b[i]
            s2 += a[i] * a[i]
            s3 += b[i] * b[i]
        ab[k] = s1
        aa[k] = s2
        bb[k] = s3
    den = math.sqrt(_pairwise(aa)) * math.sqrt(_pairwise(bb))
    return 0.0 if den == 0.0 else _pairwise(ab) / den


# ----------------------------------------------------------------- vector and matrix norms
# Vector-norm codes: 0 sqrt(sum x²), 1 max|x|, 2 min|x|, 3 number of nonzeros, 4 sum|x|,
# 5 (sum |x|**p) ** (1/p), and NumPy's fast powers, where pow() would be 3x slower than NumPy:
# 6 p = 0.5 (sqrt), 7 p = -1 (reciprocal). NaN propagates as in NumPy (a NaN is nonzero).
# Each code has its own loop (a branch inside a loop would keep it from vectorising).
@njit(**_RED)
def _vpart(x, lo, hi, code, p):
    """The unfinished norm of x[lo:hi] (a 1-D array, any stride): a max/min or a sum."""
    if code == 1 or code == 2:
        # NaN goes in a flag, so that the loop is a select that vectorises
        bad = False
        if code == 1:
            r = -np.inf
            for i in range(lo, hi):
                a = abs(x[i])
                r = a if a > r else r
                bad |= a != a
        else:
            r = np.inf
            for i in range(lo, hi):
                a = abs(x[i])
                r = a if a < r else r
                bad |= a != a
        return np.nan if bad else r
    s = 0.0
    if code == 0:
        for i in range(lo, hi):
            s += x[i] * x[i]
    elif code == 3:
        for i in range(lo, hi):
            s += 1.0 if x[i] != 0 else 0.0
    elif code == 4:
        for i in range(lo, hi):
            s += abs(x[i])
    elif code == 6:
        for i in range(lo, hi):
            s += math.sqrt(abs(x[i]))
    elif code == 7:
        for i in range(lo, hi):
            s += 1.0 / abs(x[i])
    else:
        for i in range(lo, hi):
            s += abs(x[i]) ** p
    return s


@njit(**_OPTS)
def _vstep(r, t, code):
    """Merge two partial results: a NaN-propagating max (code 1) or min (2), else a sum."""
    if code == 1:
        return t if (t > r) | (t != t) else r
    if code == 2:
        return t if (t < r) | (t != t) else r
    return r + t


@njit(**_OPTS)
def _vfinish(s, code, p):
    """The norm from the merged partial result."""
    if code == 0:
        return math.sqrt(s)
    if code == 5:
        return s ** (1.0 / p)
    if code == 6:
        return s * s
    if code == 7:
        return 1.0 / s
    return s


@njit(**_PAR)
def vnorm_flat(x, code, p):
    """The vector norm (code, p) of a 1-D array (any stride): parallel blocks, then a merge."""
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    parts = np.empty(nb)
    for b in prange(nb):
        lo = b * BLOCK
        parts[b] = _vpart(x, lo, min(lo + BLOCK, n), code, p)
    if code == 1 or code == 2:
        r = parts[0]
        for b in range(1, nb):
            r = _vstep(r, parts[b], code)
    else:
        r = _pairwise(parts)
    return _vfinish(r, code, p)


@njit(**_PAR)
def vnorm_rows(x2, code, p, out):
    """out[i] = the vector norm (code, p) of row i of a 2-D array (rows may be strided)."""
    r, n = x2.shape
    for i in prange(r):
        out[i] = _vfinish(_vpart(x2[i], 0, n, code, p), code, p)


@njit(**_OPTS)
def _cpart(x2, lo, hi, jlo, jhi, code, p, acc):
    """Fold rows lo..hi of columns jlo..jhi of x2 into acc[jlo:jhi], the inner loop along a row
    (elementwise, so it vectorises) into a local copy of acc (which x2 cannot alias)."""
    w = jhi - jlo
    loc = np.empty(w)
    for j in range(w):
        loc[j] = acc[jlo + j]
    for i in range(lo, hi):
        row = x2[i]
        if code == 0:
            for j in range(w):
                v = row[jlo + j]
                loc[j] += v * v
        elif code == 1:
            for j in range(w):
                a = abs(row[jlo + j])
                loc[j] = a if (a > loc[j]) | (a != a) else loc[j]
        elif code == 2:
            for j in range(w):
                a = abs(row[jlo + j])
                loc[j] = a if (a < loc[j]) | (a != a) else loc[j]
        elif code == 3:
            for j in range(w):
                loc[j] += 1.0 if row[jlo + j] != 0 else 0.0
        elif code == 4:
            for j in range(w):
                loc[j] += abs(row[jlo + j])
        elif code == 6:
            for j in range(w):
                loc[j] += math.sqrt(abs(row[jlo + j]))
        elif code == 7:
            for j in range(w):
                loc[j] += 1.0 / abs(row[jlo + j])
        else:
            for j in range(w):
                loc[j] += abs(row[jlo + j]) ** p
    for j in range(w):
        acc[jlo + j] = loc[j]


CCHUNK = 2048  # columns per task in vnorm_cols: a 16 KiB accumulator stays in L1


@njit(**_PAR)
def vnorm_cols(x3, code, p, nrb, out):
    """out[a, j] = the vector norm (code, p) of x3[a, :, j] for an (A, n, C) array: the reduced
    axis in the middle, read once in memory order, rows along the inner loop.

    Tasks of (a, row block, column chunk) run in parallel, each folding its rows into the
    partial of its row block; the ``nrb`` partials of each output are merged at the end.
    """
    na, n, c = x3.shape
    rb = (n + nrb - 1) // nrb
    ncb = (c + CCHUNK - 1) // CCHUNK
    parts = np.full((na, nrb, c), -np.inf if code == 1 else (np.inf if code == 2 else 0.0))
    for t in prange(na * nrb * ncb):
        a = t // (nrb * ncb)
        b = (t // ncb) % nrb
        jlo = (t % ncb) * CCHUNK
        lo = b * rb
        _cpart(x3[a], lo, min(lo + rb, n), jlo, min(jlo + CCHUNK, c), code, p, parts[a, b])
    for a in range(na):
        for j in range(c):
            r = parts[a, 0, j]
            for b in range(1, nrb):
                r = _vstep(r, parts[a, b, j], code)
            out[a, j] = _vfinish(r, code, p)


@njit(**_RED)
def _mnorm(a, code):
    """The matrix norm of one (m, n) matrix, walking it by rows. code: 0 Frobenius, 1 max column
    sum, 2 min column sum, 3 max row sum, 4 min row sum (of |a|); NaN propagates."""
    m, n = a.shape
    if code == 0:
        s = 0.0
        for i in range(m):
            for j in range(n):
                s += a[i, j] * a[i, j]
        return math.sqrt(s)
    if code <= 2:
        sums = np.zeros(n)
        for i in range(m):
            for j in range(n):
                sums[j] += abs(a[i, j])
    else:
        sums = np.empty(m)
        for i in range(m):
            t = 0.0
            for j in range(n):
                t += abs(a[i, j])
            sums[i] = t
    r = sums[0]
    for i in range(1, sums.size):
        r = _vstep(r, sums[i], 1 if code == 1 or code == 3 else 2)
    return r


@njit(**_PAR)
def mnorm_stack(a, code, out):
    """out[t] = the matrix norm (see ``_mnorm``) of a[t] for a (B, m, n) stack, matrices in
    parallel; a's rows should be its nearer axis in memory."""
    for t in prange(a.shape[0]):
        out[t] = _mnorm(a[t], code)


_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@njit(**_PAR)
def normal_pdf(x, m, s, out):
    for i in prange(x.size):
        z = (x[i] - m[i]) / s[i]
        out[i] = math.exp(-0.5 * z * z) * _INV_SQRT_2PI / s[i]


@njit(**_PAR)
def normal_cdf(x, m, s, out):
    for i in prange(x.size):
        z = (x[i] - m[i]) / s[i]
        out[i] = 0.5 * math.erfc(-z / math.sqrt(2.0))


@njit(**_PAR)
def count_within(x, lo, hi):
    """How many elements lie in each closed interval [lo[k], hi[k]] (bounds exact in x's dtype)."""
    n = x.size
    nb = (n + BLOCK - 1) // BLOCK
    c = np.zeros((nb, 3), dtype=np.int64)
    for b in prange(nb):
        for i in range(b * BLOCK, min((b + 1) * BLOCK, n)):
            v = x[i]
            for k in range(3):
                if v >= lo[k] and v <= hi[k]:
                    c[b, k] += 1
    return c.sum(axis=0)


@njit(**_PAR)
def total_probability(a, pa, c, out):
    for i in prange(out.size):
        out[i] = a[i] * pa[i] + c[i] * (1.0 - pa[i])


@njit(**_PAR)
def bayes(a, pa, pb, out):
    for i in prange(out.size):
        out[i] = a[i] * pa[i] / pb[i]


# ----------------------------------------------------------------- gradient-descent steps
@njit(**_PAR)
def linear_step(X, y, w, b, nchunks):
    """Loss ½Σr² and gradient Xᵀr of r = Xw + b − y in one pass over X (per-chunk partials).

    Rows go four at a time: one load of w[j] serves four dot products and one read-modify-write of
    the gradient's g[j] takes four rows' terms, which leaves the loop bound by the reads of X."""
    n, d = X.shape
    size = (n + nchunks - 1) // nchunks
    g = np.zeros((nchunks, d))
    gb = np.zeros(nchunks)
    ls = np.zeros(nchunks)
    for c in prange(nchunks):
        acc = np.zeros(d)
        lc = 0.0
        sb = 0.0
        i = c * size
        end = min((c + 1) * size, n)
        while i + 4 <= end:
            r0, r1, r2, r3 = X[i], X[i + 1], X[i + 2], X[i + 3]
            t0, t1, t2, t3 = b - y[i], b - y[i + 1], b - y[i + 2], b - y[i + 3]
            for j in range(d):
                wj = w[j]
                t0 += r0[j] * wj
                t1 += r1[j] * wj
                t2 += r2[j] * wj
                t3 += r3[j] * wj
            lc += (t0 * t0 + t1 * t1) + (t2 * t2 + t3 * t3)
            sb += (t0 + t1) + (t2 + t3)
            for j in range(d):
                acc[j] += (t0 * r0[j] + t1 * r1[j]) + (t2 * r2[j] + t3 * r3[j])
            i += 4
        while i < end:
            row = X[i]
            t = b - y[i]
            for j in range(d):
                t += row[j] * w[j]
            lc += t * t
            sb += t
            for j in range(d):
                acc[j] += t * row[j]
            i += 1
        g[c] = acc
        gb[c] = sb
        ls[c] = lc
    return 0.5 * ls.sum(), g.sum(axis=0), gb.sum()


@njit(**_PAR)
def logistic_step(X, y, w, b, nchunks):
    """Σ log(1 + e^t) − y·t and its gradient Xᵀ(σ(t) − y), t = Xw + b, in one pass over X."""
    n, d = X.shape
    size = (n + nchunks - 1) // nchunks
    g = np.zeros((nchunks, d))
    gb = np.zeros(nchunks)
    ls = np.zeros(nchunks)
    for c in prange(nchunks):
        for i in range(c * size, min((c + 1) * size, n)):
            t = b
            for j in range(d):
                t += X[i, j] * w[j]
            if t > 0:
                e = math.exp(-t)
                ls[c] += t + math.log1p(e) - y[i] * t
                p = 1.0 / (1.0 + e)
            else:
                e = math.exp(t)
                ls[c] += math.log1p(e) - y[i] * t
                p = e / (1.0 + e)
            r = p - y[i]
            gb[c] += r
            for j in range(d):
                g[c, j] += r * X[i, j]
    return ls.sum(), g.sum(axis=0), gb.sum()


# ----------------------------------------------------------------- LAPACK from jitted code
@njit(**_OPTS)
def inv_stack(a):
    out = np.empty_like(a)
    for k in range(a.shape[0]):
        out[k] = np.linalg.inv(a[k])
    return out


@njit(**_OPTS)
def solve_stack(a, b):
    out = np.empty_like(b)
    for k in range(a.shape[0]):
        out[k] = np.linalg.solve(a[k], b[k])
    return out


@njit(**_OPTS)
def det_stack(a):
    out = np.empty(a.shape[0], dtype=a.dtype)
    for k in range(a.shape[0]):
        out[k] = np.linalg.det(a[k])
    return out


@njit(**_OPTS)
def eigh_stack(a):
    n = a.shape[1]
    w = np.empty((a.shape[0], n), dtype=a.dtype)
    v = np.empty_like(a)
    for k in range(a.shape[0]):
        wk, vk = np.linalg.eigh(a[k])
        w[k] = wk
        v[k] = vk
    return w, v


@njit(**_OPTS)
def eigvalsh_stack(a):
    w = np.empty((a.shape[0], a.shape[1]), dtype=a.dtype)
    for k in range(a.shape[0]):
        w[k] = np.linalg.eigvalsh(a[k])
    return w


@njit(**_OPTS)
def eig_stack(a):
    # a is complex: Numba's eig refuses a real matrix whose eigenvalues are complex
    n = a.shape[1]
    w = np.empty((a.shape[0], n), dtype=a.dtype)
    v = np.empty_like(a)
    for k in range(a.shape[0]):
        wk, vk = np.linalg.eig(a[k])
        w[k] = wk
        v[k] = vk
    return w, v


def _rgeev(jobv, a, wr, wi, vr):
    """LAPACK's real ?geev on the Fortran-ordered n×n ``a`` (overwritten): eigenvalues wr + i·wi
    and, where ``jobv`` is ord('V'), right eigenvectors in the rows of ``vr``; returns info."""
    raise TypeError("_rgeev runs only inside Numba-jitted code, through the overload below")


@numba.extending.overload(_rgeev)
def _ol_rgeev(jobv, a, wr, wi, vr):
    # Numba's own LAPACK binding (its np.linalg.eig calls it), which refuses a real matrix with
    # complex eigenvalues before NumPy 2.5: we call it ourselves and unpack the pairs
    from numba.np.linalg import _LAPACK, ensure_lapack, get_blas_kind

    ensure_lapack()
    geev = _LAPACK().numba_ez_rgeev(a.dtype)
    kind = ord(get_blas_kind(a.dtype, "eig"))
    dt = a.dtype

    def impl(jobv, a, wr, wi, vr):
        n = a.shape[0]
        vl = np.empty(1, dtype=dt)
        return geev(kind, ord("N"), jobv, n, a.ctypes, n, wr.ctypes, wi.ctypes, vl.ctypes, 1, vr.ctypes, n)

    return impl


@njit(**_OPTS)
def eig_real_stack(a, w, v, want_v):
    """Eigenvalues (and eigenvectors, columns of v) of each real matrix of a (B, n, n) stack by the
    real driver, as NumPy's eig: a conjugate pair's vectors are vr[j] ± i·vr[j+1]. w and v are
    complex outputs; returns the first LAPACK info that is not 0 (0 when all converged)."""
    nb, n, _ = a.shape
    wr = np.empty(n, dtype=a.dtype)
    wi = np.empty(n, dtype=a.dtype)
    vr = np.empty((n, n), dtype=a.dtype)
    jobv = ord("V") if want_v else ord("N")
    for k in range(nb):
        acpy = a[k].T.copy()  # C order of the transpose: a[k] in Fortran order
        info = _rgeev(jobv, acpy, wr, wi, vr)
        if info != 0:
            return info
        unpack_real_eig(wr, wi, vr, n, w[k], v[k if want_v else 0], want_v)
    return 0


@njit(**_OPTS)
def unpack_real_eig(wr, wi, vr, n, w, v, want_v):
    """?geev's real output as NumPy's eig gives it: eigenvalues wr + i·wi into ``w``; the vectors
    (rows of ``vr``) into the columns of ``v``, a conjugate pair's as vr[j] ± i·vr[j+1]."""
    i = 0
    while i < n:
        w[i] = complex(wr[i], wi[i])
        if wi[i] == 0.0 or i + 1 == n:
            if want_v:
                for r in range(n):
                    v[r, i] = vr[i, r]
            i += 1
        else:
            w[i + 1] = complex(wr[i + 1], wi[i + 1])
            if want_v:
                for r in range(n):
                    v[r, i] = complex(vr[i, r], vr[i + 1, r])
                    v[r, i + 1] = complex(vr[i, r], -vr[i + 1, r])
            i += 2


@njit(**_OPTS)
def matmul2(a, b):
    return np.dot(a, b)


# ----------------------------------------------------------------- random
@njit(**_OPTS)
def seed_legacy(s):
    np.random.seed(s)


@njit(**_OPTS)
def legacy_normal(loc, scale, n):
    return np.random.normal(loc, scale, n)


@njit(**_OPTS)
def legacy_uniform(low, high, n):
    return np.random.uniform(low, high, n)


@njit(**_OPTS)
def legacy_random(n):
    return np.random.random(n)


@njit(**_OPTS)
def gen_normal(rng, loc, scale, n):
    return rng.normal(loc, scale, n)


@njit(**_OPTS)
def gen_uniform(rng, low, high, n):
    return rng.uniform(low, high, n)


@njit(**_OPTS)
def gen_random(rng, n):
    return rng.random(n)
