"""NaN-ignoring reductions (sum and count, mean, variance, min and max) and order statistics
(quantiles and medians, with or without NaNs), each one parallel read of the data.

Three layouts, as the callers reshape any C-contiguous input to them:

- ``*_flat``: a 1-D array, in blocks of ``BLOCK`` values, one block a task;
- ``*_rows``: a 2-D array reduced along its last axis, one (row, block) pair a task;
- ``*_cols``: a 2-D array reduced along its first axis: each task streams a chunk of whole rows into
  per-column accumulators (contiguous loads; a column is never read with a stride).

Sums and counts accumulate in float64 (a NaN adds 0 and counts nothing). Variances are exact to a
few ulps: within a block (cached) the mean first, then the squared deviations from it, and blocks
merged by Chan's formula in a pairwise tree. Order statistics copy each slice's numbers to a
buffer (a column tile transposed on the way) and select the ranks there (Floyd and Rivest's
selection), except one
large 1-D array, which is never copied: histogram rounds narrow the candidates in parallel.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from ._common import BLOCK, OPTS, PAR, RED, block, nblocks
from .median import NBINS, _bin

# ----------------------------------------------------------------------------- per-block helpers


@njit(**RED)
def _sum_count(xb):
    s = 0.0
    c = 0
    for i in range(xb.size):
        v = xb[i]
        ok = v == v
        s += v if ok else 0.0
        c += 1 if ok else 0
    return s, c


@njit(**OPTS)
def _first_number(v):
    """The first number of a 1-D array (0 where it has none): the shift of its moments."""
    for i in range(v.size):
        if v[i] == v[i]:
            return float(v[i])
    return 0.0


@njit(**RED)
def _moments(xb, k):
    """(count, mean - k, M2) of the numbers of a cache-sized block: the mean of x - k, then the
    squares of the deviations from it (the second read hits the cache). The shift ``k``, one
    value of the slice, keeps the block means small, so their rounding does not cost the
    variance digits when the data sit far from 0."""
    s = 0.0
    c = 0
    for i in range(xb.size):
        v = xb[i]
        ok = v == v
        s += (v - k) if ok else 0.0
        c += 1 if ok else 0
    if c == 0:
        return 0, 0.0, 0.0
    m = s / c
    q = 0.0
    for i in range(xb.size):
        v = xb[i]
        d = (v - k) - m
        q += d * d if v == v else 0.0
    return c, m, q


@njit(**OPTS)
def _extreme(xb, want_max):
    """(min or max of the numbers of ``xb``, whether it has any): four chains, as a compare-select
    chain is latency-bound; a comparison with NaN is false, so NaN never wins."""
    m = xb.size
    inf = -np.inf if want_max else np.inf
    r0 = r1 = r2 = r3 = inf
    seen = 0
    i = 0
    if want_max:
        while i + 4 <= m:
            v0, v1, v2, v3 = xb[i], xb[i + 1], xb[i + 2], xb[i + 3]
            seen |= (v0 == v0) | (v1 == v1) | (v2 == v2) | (v3 == v3)
            r0 = v0 if v0 > r0 else r0
            r1 = v1 if v1 > r1 else r1
            r2 = v2 if v2 > r2 else r2
            r3 = v3 if v3 > r3 else r3
            i += 4
        while i < m:
            v = xb[i]
            seen |= v == v
            r0 = v if v > r0 else r0
            i += 1
        return max(max(r0, r1), max(r2, r3)), seen
    while i + 4 <= m:
        v0, v1, v2, v3 = xb[i], xb[i + 1], xb[i + 2], xb[i + 3]
        seen |= (v0 == v0) | (v1 == v1) | (v2 == v2) | (v3 == v3)
        r0 = v0 if v0 < r0 else r0
        r1 = v1 if v1 < r1 else r1
        r2 = v2 if v2 < r2 else r2
        r3 = v3 if v3 < r3 else r3
        i += 4
    while i < m:
        v = xb[i]
        seen |= v == v
        r0 = v if v < r0 else r0
        i += 1
    return min(min(r0, r1), min(r2, r3)), seen


@njit(**OPTS)
def _chan(na, ma, qa, nb, mb, qb):
    """The (count, mean, M2) of two merged parts."""
    tot = na + nb
    if nb == 0:
        return na, ma, qa
    if na == 0:
        return nb, mb, qb
    d = mb - ma
    return tot, ma + d * (nb / tot), qa + qb + d * d * (na * (nb / tot))


@njit(**OPTS)
def _merge_tree(cnt, mean, m2):
    """Merge the parts along the first axis of (parts, k) arrays (overwritten) pairwise; returns
    the merged row of each."""
    nb, k = cnt.shape
    step = 1
    while step < nb:
        for b in range(0, nb - step, 2 * step):
            for j in range(k):
                cnt[b, j], mean[b, j], m2[b, j] = _chan(cnt[b, j], mean[b, j], m2[b, j], cnt[b + step, j],
                                                        mean[b + step, j], m2[b + step, j])
        step *= 2
    return cnt[0], mean[0], m2[0]


@njit(**OPTS)
def _pairwise_rows(s):
    """Sum the rows of a (parts, k) array (overwritten) in a pairwise tree."""
    nb = s.shape[0]
    step = 1
    while step < nb:
        for b in range(0, nb - step, 2 * step):
            s[b] += s[b + step]
        step *= 2
    return s[0]


# ----------------------------------------------------------------------------- sums and counts


@njit(**PAR)
def nan_sum_flat(x):
    """(sum, count) of the numbers of a 1-D array."""
    nb = nblocks(x.size, BLOCK)
    s = np.zeros((max(nb, 1), 2))
    for b in prange(nb):
        sb, cb = _sum_count(block(x, b, BLOCK))
        s[b, 0] = sb
        s[b, 1] = cb
    r = _pairwise_rows(s)
    return r[0], int(r[1])


@njit(**PAR)
def nan_sum_rows(x2):
    """(sums, counts) of the numbers of each row of a 2-D array."""
    r, n = x2.shape
    nbr = max(nblocks(n, BLOCK), 1)
    s = np.zeros((r, nbr))
    c = np.zeros((r, nbr), dtype=np.int64)
    for t in prange(r * nbr):
        i = t // nbr
        s[i, t % nbr], c[i, t % nbr] = _sum_count(block(x2[i], t % nbr, BLOCK))
    sums = np.empty(r)
    counts = np.empty(r, dtype=np.int64)
    for i in prange(r):
        sums[i] = _pairwise_rows(s[i].reshape(nbr, 1))[0]
        counts[i] = c[i].sum()
    return sums, counts


@njit(**RED)
def _add_rows(xc, s, c):
    for i in range(xc.shape[0]):
        row = xc[i]
        for j in range(row.size):
            v = row[j]
            ok = v == v
            s[j] += v if ok else 0.0
            c[j] += 1 if ok else 0


@njit(**PAR)
def nan_sum_cols(x2, nchunks):
    """(sums, counts) of the numbers of each column of a 2-D array: ``nchunks`` chunks of rows in
    parallel, each added row by row into its own accumulators."""
    n, k = x2.shape
    size = nblocks(n, nchunks)
    s = np.zeros((nchunks, k))
    c = np.zeros((nchunks, k), dtype=np.int64)
    for t in prange(nchunks):
        _add_rows(block(x2, t, size), s[t], c[t])
    return _pairwise_rows(s).copy(), c.sum(axis=0)


# ----------------------------------------------------------------------------- variances


@njit(**PAR)
def nan_moments_flat(x):
    """(count, mean, M2) of the numbers of a 1-D array."""
    nb = max(nblocks(x.size, BLOCK), 1)
    cnt = np.zeros((nb, 1))
    mean = np.zeros((nb, 1))
    m2 = np.zeros((nb, 1))
    k = _first_number(x)
    for b in prange(nblocks(x.size, BLOCK)):
        c, m, q = _moments(block(x, b, BLOCK), k)
        cnt[b, 0], mean[b, 0], m2[b, 0] = c, m, q
    c, m, q = _merge_tree(cnt, mean, m2)
    return int(c[0]), m[0], q[0]


@njit(**PAR)
def nan_moments_rows(x2):
    """(counts, means, M2s) of the numbers of each row of a 2-D array."""
    r, n = x2.shape
    nbr = max(nblocks(n, BLOCK), 1)
    cnt = np.zeros((r, nbr, 1))
    mean = np.zeros((r, nbr, 1))
    m2 = np.zeros((r, nbr, 1))
    for t in prange(r * nbr):
        i = t // nbr
        b = t % nbr
        c, m, q = _moments(block(x2[i], b, BLOCK), _first_number(x2[i]))
        cnt[i, b, 0], mean[i, b, 0], m2[i, b, 0] = c, m, q
    oc = np.empty(r, dtype=np.int64)
    om = np.empty(r)
    oq = np.empty(r)
    for i in prange(r):
        c, m, q = _merge_tree(cnt[i], mean[i], m2[i])
        oc[i], om[i], oq[i] = int(c[0]), m[0], q[0]
    return oc, om, oq


@njit(**OPTS)  # no reassociation: the loops run along the columns (vectorised as they are) and
# (x - shift) - mean must not become x - (shift + mean)
def _moments_rows_into(xc, ks, rows, cnt, mean, m2, sc, ss, sq):
    """Add the rows of ``xc`` to the per-column (cnt, mean - ks, M2), ``rows`` rows at a time: each
    group (in cache) gives its columns' counts and means of x - ks, then their squared
    deviations, merged by Chan's formula (one division a column a group)."""
    n, k = xc.shape
    for lo in range(0, n, rows):
        g = xc[lo:min(lo + rows, n)]
        sc[:] = 0.0
        ss[:] = 0.0
        sq[:] = 0.0
        for i in range(g.shape[0]):
            row = g[i]
            for j in range(k):
                v = row[j]
                ok = v == v
                ss[j] += (v - ks[j]) if ok else 0.0
                sc[j] += 1.0 if ok else 0.0
        for j in range(k):
            ss[j] = ss[j] / sc[j] if sc[j] > 0 else 0.0
        for i in range(g.shape[0]):
            row = g[i]
            for j in range(k):
                v = row[j]
                d = (v - ks[j]) - ss[j]
                sq[j] += d * d if v == v else 0.0
        for j in range(k):
            nb = sc[j]
            if nb > 0:
                na = cnt[j]
                tot = na + nb
                d = ss[j] - mean[j]
                w = nb / tot
                mean[j] += d * w
                m2[j] += sq[j] + d * d * na * w
                cnt[j] = tot


@njit(**OPTS)
def _column_shifts(x2):
    """Each column's first number (0 where it has none), read row by row until every column has one."""
    n, k = x2.shape
    ks = np.full(k, np.nan)
    left = k
    for i in range(n):
        row = x2[i]
        for j in range(k):
            if ks[j] != ks[j] and row[j] == row[j]:
                ks[j] = row[j]
                left -= 1
        if left == 0:
            break
    for j in range(k):
        if ks[j] != ks[j]:
            ks[j] = 0.0
    return ks


@njit(**PAR)
def nan_moments_cols(x2, nchunks, rows):
    """(counts, means, M2s) of the numbers of each column of a 2-D array, ``nchunks`` chunks of rows
    in parallel, merged pairwise."""
    n, k = x2.shape
    size = nblocks(n, nchunks)
    cnt = np.zeros((nchunks, k))
    mean = np.zeros((nchunks, k))
    m2 = np.zeros((nchunks, k))
    ks = _column_shifts(x2)
    for t in prange(nchunks):
        sc = np.empty(k)
        ss = np.empty(k)
        sq = np.empty(k)
        _moments_rows_into(block(x2, t, size), ks, rows, cnt[t], mean[t], m2[t], sc, ss, sq)
    c, m, q = _merge_tree(cnt, mean, m2)
    return c.astype(np.int64), m.copy(), q.copy()


# ----------------------------------------------------------------------------- min and max


@njit(**PAR)
def nan_extreme_flat(x, want_max):
    """(the min or max of the numbers of a 1-D array, whether there are any)."""
    nb = nblocks(x.size, BLOCK)
    r = np.empty(nb)
    seen = np.zeros(nb, dtype=np.bool_)
    for b in prange(nb):
        v, s = _extreme(block(x, b, BLOCK), want_max)
        r[b] = v
        seen[b] = s
    return (r.max() if want_max else r.min()), seen.any()


@njit(**PAR)
def nan_extreme_rows(x2, want_max):
    r, n = x2.shape
    nbr = max(nblocks(n, BLOCK), 1)
    v = np.empty((r, nbr))
    s = np.zeros((r, nbr), dtype=np.bool_)
    for t in prange(r * nbr):
        i = t // nbr
        v[i, t % nbr], s[i, t % nbr] = _extreme(block(x2[i], t % nbr, BLOCK), want_max)
    out = np.empty(r)
    seen = np.empty(r, dtype=np.bool_)
    for i in prange(r):
        out[i] = v[i].max() if want_max else v[i].min()
        seen[i] = s[i].any()
    return out, seen


@njit(**OPTS)
def _extreme_rows_into(xc, want_max, acc, seen):
    for i in range(xc.shape[0]):
        row = xc[i]
        if want_max:
            for j in range(row.size):
                v = row[j]
                acc[j] = v if v > acc[j] else acc[j]
                seen[j] |= v == v
        else:
            for j in range(row.size):
                v = row[j]
                acc[j] = v if v < acc[j] else acc[j]
                seen[j] |= v == v


@njit(**PAR)
def nan_extreme_cols(x2, want_max, nchunks):
    n, k = x2.shape
    size = nblocks(n, nchunks)
    acc = np.full((nchunks, k), -np.inf if want_max else np.inf)
    seen = np.zeros((nchunks, k), dtype=np.bool_)
    for t in prange(nchunks):
        _extreme_rows_into(block(x2, t, size), want_max, acc[t], seen[t])
    out = np.empty(k)
    found = np.zeros(k, dtype=np.bool_)
    for j in prange(k):
        r = acc[0, j]
        f = seen[0, j]
        for t in range(1, nchunks):
            v = acc[t, j]
            r = (v if v > r else r) if want_max else (v if v < r else r)
            f |= seen[t, j]
        out[j] = r
        found[j] = f
    return out, found


# ----------------------------------------------------------------------------- order statistics


@njit(**OPTS)
def _ranks(n, qs, single, median, lo, hi, gamma):
    """NumPy's order statistics for ``n`` numbers: the median's two middle ranks, or for each
    probability of ``qs`` the linear method's ranks below and above its virtual index (n-1)·q and
    the fraction between (computed as NumPy does in q's dtype: float32 when ``single``; the product
    of two float32 values is exact in float64, so rounding it once gives float32's product)."""
    if median:
        lo[0] = (n - 1) // 2
        hi[0] = n // 2
        gamma[0] = 0.0
        return
    nm1 = np.float64(np.float32(n - 1)) if single else np.float64(n - 1)
    for j in range(qs.size):
        v = nm1 * qs[j]
        if single:
            v = np.float64(np.float32(v))
        f = np.floor(v)
        if v >= n - 1:  # NumPy's index -1 for both, its fraction against it
            lo[j] = n - 1
            hi[j] = n - 1
            gamma[j] = v + 1.0
        else:
            lo[j] = int(f)
            hi[j] = int(f) + 1
            gamma[j] = v - f


@njit(**OPTS)
def _quickselect(a, lo, hi, k):
    """Partition a[lo:hi] in place so that a[k] is its (k-lo)-th smallest, every value left of it
    no larger and right of it no smaller: quickselect with a median-of-three pivot, a sort of what
    is left once the rounds stop halving it."""
    budget = 64
    while hi - lo > 16 and budget > 0:
        budget -= 1
        mid = (lo + hi) // 2
        x, y, z = a[lo], a[mid], a[hi - 1]
        p = y if (x <= y <= z or z <= y <= x) else (x if (y <= x <= z or z <= x <= y) else z)
        i = lo
        j = hi - 1
        while i <= j:
            while a[i] < p:
                i += 1
            while a[j] > p:
                j -= 1
            if i <= j:
                a[i], a[j] = a[j], a[i]
                i += 1
                j -= 1
        if k <= j:
            hi = j + 1
        elif k >= i:
            lo = i
        else:
            return
    a[lo:hi].sort()


@njit(**OPTS)
def _select(a, lo, hi, k):
    """Partition a[lo:hi] in place as :func:`_quickselect` does, by Floyd and Rivest's selection:
    the pivot of each round is the rank-k value of a sample of about n^(2/3) values around k (itself
    selected by quickselect), so a round leaves about n^(2/3) candidates and the whole costs about
    n + min(k - lo, hi - k) comparisons instead of quickselect's 2 to 3 n."""
    left = lo
    right = hi - 1
    rounds = 0
    while right - left > 600 and rounds < 8:
        rounds += 1
        n = right - left + 1
        i = k - left + 1
        z = np.log(n)
        s = 0.5 * np.exp(2.0 * z / 3.0)
        sd = 0.5 * np.sqrt(z * s * (n - s) / n) * (1.0 if 2 * i >= n else -1.0)
        nl = max(left, int(np.floor(k - i * s / n + sd)))
        nr = min(right, int(np.floor(k + (n - i) * s / n + sd)))
        _quickselect(a, nl, nr + 1, k)
        t = a[k]
        # Hoare's partition of a[left..right] around t, with a[left] <= t <= a[right] as sentinels
        a[left], a[k] = a[k], a[left]
        if a[right] > t:
            a[left], a[right] = a[right], a[left]
        i = left
        j = right
        while i < j:
            a[i], a[j] = a[j], a[i]
            i += 1
            j -= 1
            while a[i] < t:
                i += 1
            while a[j] > t:
                j -= 1
        if a[left] == t:
            a[left], a[j] = a[j], a[left]
        else:
            j += 1
            a[j], a[right] = a[right], a[j]
        # a[j] == t, nothing left of j greater, nothing right of it less
        if j == k:
            return
        if j < k:
            left = j + 1
        else:
            right = j - 1
    _quickselect(a, left, right + 1, k)


@njit(**OPTS)
def _order_of(buf, n, qs, single, median, lo, hi, gamma, j, a_out, b_out, g_out):
    """The selected pairs of the ``n`` numbers at the head of ``buf`` for slice ``j``."""
    _ranks(n, qs, single, median, lo, hi, gamma)
    for t in range(lo.size):
        _select(buf, 0, n, lo[t])
        a = buf[lo[t]]
        if hi[t] == lo[t]:
            b = a
        else:
            b = buf[hi[t]]
            for i in range(hi[t] + 1, n):  # the next rank: the least value right of the k-th
                b = buf[i] if buf[i] < b else b
        a_out[t, j] = a
        b_out[t, j] = b
        g_out[t, j] = gamma[t]


@njit(**PAR)
def order_rows(x2, qs, single, median, skipnan, nchunks, a_out, b_out, g_out, counts):
    """The order statistics of each row (``counts``: its numbers, -1 where a NaN makes the
    NaN-propagating quantile NaN; 0 where there are none)."""
    r, n = x2.shape
    size = nblocks(r, nchunks)
    nq = a_out.shape[0]
    for t in prange(nchunks):
        buf = np.empty(n, dtype=x2.dtype)
        lo = np.empty(nq, dtype=np.int64)
        hi = np.empty(nq, dtype=np.int64)
        gamma = np.empty(nq)
        for i in range(t * size, min((t + 1) * size, r)):
            row = x2[i]
            m = 0
            for j in range(n):
                v = row[j]
                buf[m] = v
                m += 1 if v == v else 0
            if not skipnan and m < n:
                counts[i] = -1
                continue
            counts[i] = m
            if m > 0:
                _order_of(buf, m, qs, single, median, lo, hi, gamma, i, a_out, b_out, g_out)


#: columns per tile of the column kernel: 512 bytes of a float64 row per read
TILE = 64


@njit(**PAR)
def order_cols(x2, qs, single, median, skipnan, a_out, b_out, g_out, counts):
    """The order statistics of each column: tiles of ``TILE`` columns in parallel, each copied
    row by row (contiguous reads) into one buffer a column, its NaNs left out."""
    n, k = x2.shape
    nt = nblocks(k, TILE)
    nq = a_out.shape[0]
    for t in prange(nt):
        j0 = t * TILE
        w = min(TILE, k - j0)
        buf = np.empty((w, n), dtype=x2.dtype)
        m = np.zeros(w, dtype=np.int64)
        lo = np.empty(nq, dtype=np.int64)
        hi = np.empty(nq, dtype=np.int64)
        gamma = np.empty(nq)
        for i in range(n):
            row = x2[i]
            for jj in range(w):
                v = row[j0 + jj]
                buf[jj, m[jj]] = v
                m[jj] += 1 if v == v else 0
        for jj in range(w):
            c = m[jj]
            if not skipnan and c < n:
                counts[j0 + jj] = -1
                continue
            counts[j0 + jj] = c
            if c > 0:
                _order_of(buf[jj], c, qs, single, median, lo, hi, gamma, j0 + jj, a_out, b_out, g_out)


# one large 1-D array: histogram selection over the numbers, no copy

@njit(**PAR)
def range_count(x):
    """(least number, greatest number, count of numbers) of a 1-D array."""
    nb = nblocks(x.size, BLOCK)
    los = np.empty(nb)
    his = np.empty(nb)
    cs = np.empty(nb, dtype=np.int64)
    for b in prange(nb):
        xb = block(x, b, BLOCK)
        los[b] = _extreme(xb, False)[0]
        his[b] = _extreme(xb, True)[0]
        cs[b] = _sum_count(xb)[1]
    return los.min(), his.max(), cs.sum()


@njit(**PAR)
def _histogram(x, lo, hi, scale, nchunks):
    """Counts of the numbers in [lo, hi] by bin, one row a chunk (NaN and values outside skipped)."""
    size = nblocks(x.size, nchunks)
    h = np.zeros((nchunks, NBINS), dtype=np.int64)
    for c in prange(nchunks):
        xc = block(x, c, size)
        hc = h[c]
        for i in range(xc.size):
            v = xc[i]
            if v >= lo and v <= hi:
                hc[_bin(v, lo, scale)] += 1
    return h


@njit(**OPTS)
def _pick(s, k):
    _select(s, 0, s.size, k)
    return s[k]


@njit(**PAR)
def _gather_many(x, lo, hi, scale, nchunks, which, offsets, out):
    """Copy the numbers of every bin ``b`` with ``which[b] = w >= 0`` to ``out``, chunk ``c``'s
    from ``offsets[c, w]`` on: all the wanted bins in one read."""
    size = nblocks(x.size, nchunks)
    for c in prange(nchunks):
        xc = block(x, c, size)
        off = offsets[c].copy()
        for i in range(xc.size):
            v = xc[i]
            if v >= lo and v <= hi:
                w = which[_bin(v, lo, scale)]
                if w >= 0:
                    out[off[w]] = v
                    off[w] += 1


@njit(**OPTS)
def _pick_many(s, ks, out, idx):
    for t in range(idx.size):
        out[idx[t]] = _pick(s, ks[idx[t]])


def select_flat_many(x, ks, lo, hi, m):
    """The values of ranks ``ks`` (an int64 array) among the ``m`` numbers of a 1-D array (NaNs
    ignored) whose least and greatest are ``lo`` and ``hi``, all in the same reads: one histogram
    of the candidates, then one pass copying every bin that holds a wanted rank, each bin's copy
    then narrowed the same way (or, once a bin no longer shrinks the candidates 4-fold, selected
    by quickselect)."""
    ks = np.ascontiguousarray(ks, dtype=np.int64)
    res = np.empty(ks.size, dtype=x.dtype)
    if lo == hi:
        res[:] = lo
        return res
    scale = NBINS / (hi * 0.5 - lo * 0.5)
    if not (np.isfinite(lo) and np.isfinite(hi) and np.isfinite(scale)) or m <= 4096:
        _pick_many(_compact_range(x, lo, hi, m), ks, res, np.arange(ks.size))
        return res
    nchunks = 4 * numba.get_num_threads()
    h = _histogram(x, lo, hi, scale, nchunks)
    tot = h.sum(axis=0)
    cum = np.cumsum(tot)
    bins = np.searchsorted(cum, ks, side="right")
    wanted = np.unique(bins)
    which = np.full(NBINS, -1, dtype=np.int64)
    which[wanted] = np.arange(wanted.size)
    hw = h[:, wanted]
    start = np.zeros(wanted.size, dtype=np.int64)
    start[1:] = np.cumsum(tot[wanted])[:-1]
    offsets = np.ascontiguousarray(start[None, :] + np.cumsum(hw, axis=0) - hw)
    out = np.empty(int(tot[wanted].sum()), dtype=x.dtype)
    _gather_many(x, lo, hi, scale, nchunks, which, offsets, out)
    for w, b in enumerate(wanted):
        seg = out[start[w]:start[w] + tot[b]]
        idx = np.flatnonzero(bins == b)
        sub = ks[idx] - (cum[b] - tot[b])
        if seg.size * 4 <= m:
            slo, shi, sm = range_count(seg)
            res[idx] = select_flat_many(seg, sub, slo, shi, sm)
        else:
            part = np.empty(idx.size, dtype=x.dtype)
            _pick_many(seg, sub, part, np.arange(idx.size))
            res[idx] = part
    return res


@njit(**OPTS)
def _compact_range(x, lo, hi, m):
    out = np.empty(m, dtype=x.dtype)
    k = 0
    for i in range(x.size):
        v = x[i]
        if v >= lo and v <= hi:
            out[k] = v
            k += 1
    return out[:k]
