"""Moments, sums, z-scores and the finite check.

Reductions read memory once, in parallel blocks, and merge per-block (mean, M2) pairs with
Chan's formula: one pass and about 1e-15 relative error, where a naive sum of squares loses
digits. Everything accumulates in float64 and the caller casts to the input's dtype.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ._common import BLOCK, OPTS, PAR, block, nblocks, pairwise


@njit(**OPTS)
def _shift(v):
    # data are shifted by one of their own values, so block means are small and their rounding
    # does not swamp the between-block spread (a large common offset otherwise costs digits)
    return v if np.isfinite(v) else 0.0


@njit(**OPTS)
def _merge(means, m2s, n):
    """Merge per-block (mean, M2) rows ((blocks, columns) arrays of blocks of ``BLOCK`` items out of
    ``n``, overwritten) by Chan's formula; returns the merged row of each. A pairwise tree of
    merges keeps the error growth logarithmic."""
    nb, c = means.shape
    counts = np.empty(nb)
    for b in range(nb):
        counts[b] = min(BLOCK, n - b * BLOCK)
    step = 1
    while step < nb:
        for b in range(0, nb - step, 2 * step):
            na, nb_ = counts[b], counts[b + step]
            tot = na + nb_
            ma, mb = means[b], means[b + step]
            qa, qb = m2s[b], m2s[b + step]
            for j in range(c):
                d = mb[j] - ma[j]
                ma[j] += d * nb_ / tot
                qa[j] += qb[j] + d * d * na * nb_ / tot
            counts[b] = tot
        step *= 2
    return means[0], m2s[0]


@njit(**OPTS)
def moments_flat(x):
    """(mean, M2) of a 1-D array in one read (:func:`moments_flat_shifted`)."""
    m, q, k = moments_flat_shifted(x)
    return m + k, q


@njit(**PAR)
def moments_flat_shifted(x):
    """(mean − shift, M2, shift) of a 1-D array in one read, the shift x[0]: per block, sums of d and d² with d = x - (the block's
    first value), so M2_b = Σd² - (Σd)²/c loses at most c·eps of M2_b (that value alone contributes
    (x_lo - mean_b)² to it); block means kept relative to x[0], merged with Chan's formula."""
    n = x.size
    nb = nblocks(n, BLOCK)
    means = np.empty((nb, 1))
    m2s = np.empty((nb, 1))
    k = _shift(float(x[0]))
    for b in prange(nb):
        xb = block(x, b, BLOCK)
        kb = _shift(float(xb[0]))
        s1 = 0.0
        s2 = 0.0
        for i in range(xb.size):
            d = xb[i] - kb
            s1 += d
            s2 += d * d
        m = s1 / xb.size
        means[b, 0] = (kb - k) + m
        m2s[b, 0] = s2 - s1 * m
    m, q = _merge(means, m2s, n)
    return m[0], q[0], k


@njit(**PAR)
def moments_rows(x2):
    """(mean, M2) of each row of a 2-D array (the reduced axis is the last)."""
    r, n = x2.shape
    mean = np.empty(r)
    m2 = np.empty(r)
    for i in prange(r):
        row = x2[i]
        k = _shift(float(row[0]))
        s = 0.0
        for j in range(n):
            s += row[j] - k
        m = s / n
        q = 0.0
        for j in range(n):
            d = (row[j] - k) - m
            q += d * d
        mean[i] = m + k
        m2[i] = q
    return mean, m2


@njit(**OPTS)
def _column_shifts(x2):
    """Each column's shift (:func:`_shift`): its value in the first row."""
    c = x2.shape[1]
    ks = np.empty(c)
    for j in range(c):
        ks[j] = _shift(float(x2[0, j]))
    return ks


@njit(**OPTS)
def _add_shifted_rows(xb, ks, acc):
    """acc += the sum over the rows of ``xb`` of row - ks."""
    c = xb.shape[1]
    for i in range(xb.shape[0]):
        row = xb[i]
        for j in range(c):
            acc[j] += row[j] - ks[j]


@njit(**OPTS)
def moments_cols(x2):
    """(mean, M2) of each column of a 2-D array: row blocks in parallel, merged by Chan's formula."""
    m, q, ks = moments_cols_shifted(x2)
    return m + ks, q


@njit(**PAR)
def moments_cols_shifted(x2):
    """(mean − shift, M2, shift) of each column of a 2-D array, the shift a value of the column (its
    first row): a caller merging several arrays' moments keeps the mean's low digits, which
    rounding mean − shift + shift to a large offset's ulp would lose."""
    n, c = x2.shape
    nb = nblocks(n, BLOCK)
    means = np.zeros((nb, c))
    m2s = np.zeros((nb, c))
    ks = _column_shifts(x2)
    for b in prange(nb):
        xb = block(x2, b, BLOCK)
        mb = means[b]
        qb = m2s[b]
        _add_shifted_rows(xb, ks, mb)
        for j in range(c):
            mb[j] /= xb.shape[0]
        for i in range(xb.shape[0]):
            row = xb[i]
            for j in range(c):
                d = (row[j] - ks[j]) - mb[j]
                qb[j] += d * d
    m, q = _merge(means, m2s, n)
    return m.copy(), q.copy(), ks


@njit(**PAR)
def means_cols(x2):
    """The mean of each column of a 2-D array in one read: per block of rows, the columns' sums of
    x - (the first row), then a pairwise sum of the blocks' sums. Half the work of
    :func:`moments_cols` for a caller that needs no M2 (the centring before a Gram matrix)."""
    n, c = x2.shape
    nb = nblocks(n, BLOCK)
    sums = np.zeros((nb, c))
    ks = _column_shifts(x2)
    for b in prange(nb):
        _add_shifted_rows(block(x2, b, BLOCK), ks, sums[b])
    step = 1
    while step < nb:
        for b in range(0, nb - step, 2 * step):
            sums[b] += sums[b + step]
        step *= 2
    return sums[0] / n + ks


@njit(**PAR)
def all_finite_flat(x):
    """True when no element of a 1-D real array is NaN or ±inf: x·0 is NaN exactly there, and a
    sum of zeros and NaNs vectorises (no early exit: the array is read once at full speed)."""
    nb = nblocks(x.size, BLOCK)
    sums = np.empty(nb)
    for b in prange(nb):
        xb = block(x, b, BLOCK)
        s = 0.0
        for i in range(xb.size):
            s += xb[i] * 0.0
        sums[b] = s
    return sums.sum() == 0.0


@njit(**PAR)
def sum_flat(x):
    nb = nblocks(x.size, BLOCK)
    sums = np.empty(nb)
    for b in prange(nb):
        xb = block(x, b, BLOCK)
        s = 0.0
        for i in range(xb.size):
            s += xb[i]
        sums[b] = s
    return pairwise(sums)


@njit(**PAR)
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


@njit(**PAR)
def zscore_rows(x2, m, s, out):
    r, n = x2.shape
    for i in prange(r):
        row = x2[i]
        o = out[i]
        if s[i] == 0.0:
            for j in range(n):
                o[j] = 0.0
        else:
            for j in range(n):
                o[j] = (row[j] - m[i]) / s[i]


@njit(**PAR)
def zscore_cols(x2, m, s, out):
    n, c = x2.shape
    for i in prange(n):
        row = x2[i]
        o = out[i]
        for j in range(c):
            o[j] = 0.0 if s[j] == 0.0 else (row[j] - m[j]) / s[j]
