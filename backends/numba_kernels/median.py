"""Median by histogram selection, and the mode of sorted rows."""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from ._common import BLOCK, OPTS, PAR, block, nblocks

NBINS = 4096


@njit(**PAR)
def _minmax_nan(x):
    # four independent min/max chains (one chain is bound by its compare-select latency: a min
    # reduction cannot vectorise without assuming no NaN), comparisons false for NaN, which a
    # separate flag records
    nb = nblocks(x.size, BLOCK)
    los = np.empty(nb)
    his = np.empty(nb)
    nan = np.zeros(nb, dtype=np.bool_)
    for b in prange(nb):
        xb = block(x, b, BLOCK)
        m = xb.size
        l0 = l1 = l2 = l3 = np.inf
        h0 = h1 = h2 = h3 = -np.inf
        bad = False
        i = 0
        while i + 4 <= m:
            v0, v1, v2, v3 = xb[i], xb[i + 1], xb[i + 2], xb[i + 3]
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
        while i < m:
            v = xb[i]
            bad |= v != v
            l0 = v if v < l0 else l0
            h0 = v if v > h0 else h0
            i += 1
        los[b] = min(min(l0, l1), min(l2, l3))
        his[b] = max(max(h0, h1), max(h2, h3))
        nan[b] = bad
    return los.min(), his.max(), nan.any()


@njit(**OPTS)
def _bin(v, lo, scale):
    k = int((v * 0.5 - lo * 0.5) * scale)
    return min(max(k, 0), NBINS - 1)


@njit(**PAR)
def _histogram(x, lo, scale, nchunks):
    size = nblocks(x.size, nchunks)
    h = np.zeros((nchunks, NBINS), dtype=np.int64)
    for c in prange(nchunks):
        xc = block(x, c, size)
        hc = h[c]
        for i in range(xc.size):
            hc[_bin(xc[i], lo, scale)] += 1
    return h


@njit(**PAR)
def _gather(x, lo, scale, nchunks, b, offsets, out):
    # the values of bin b, each chunk's written from its offset in out: a copy, never a gather load
    size = nblocks(x.size, nchunks)
    for c in prange(nchunks):
        xc = block(x, c, size)
        k = offsets[c]
        for i in range(xc.size):
            v = xc[i]
            if _bin(v, lo, scale) == b:
                out[k] = v
                k += 1


@njit(**PAR)
def _bin_extreme(x, lo, scale, b, want_max):
    nb = nblocks(x.size, BLOCK)
    best = np.empty(nb)
    for c in prange(nb):
        xc = block(x, c, BLOCK)
        r = -np.inf if want_max else np.inf
        for i in range(xc.size):
            v = xc[i]
            if _bin(v, lo, scale) == b:
                if want_max:
                    r = max(r, v)
                else:
                    r = min(r, v)
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


@njit(**PAR)
def median_rows(x2, out):
    r, n = x2.shape
    for i in prange(r):
        row = x2[i]
        if np.isnan(row).any():
            out[i] = np.nan
        else:
            out[i] = np.median(row.copy())
