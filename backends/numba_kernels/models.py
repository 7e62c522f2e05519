"""The models' loops: the fused loss-and-gradient passes (linear, logistic, softmax), covariance centring
and small Gram matrices, unit rows, cosine similarity."""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._common import BLOCK, OPTS, PAR, PREFETCH_AHEAD, block, nblocks, pairwise, prefetch


@njit(**OPTS)
def _prefetch_rows(Xc, lo, hi):
    """Prefetch rows lo..hi of a block of rows (those past its end skipped)."""
    d = Xc.shape[1]
    for r in range(lo, min(hi, Xc.shape[0])):
        row = Xc[r]
        for j in range(0, d, 8):
            prefetch(row, j)


@njit(**OPTS)
def _ahead(d):
    """How many rows of ``d`` values ahead the row-wise kernels prefetch (at least four)."""
    return max(4, PREFETCH_AHEAD // max(d, 1))


@njit(**PAR)
def linear_step(X, y, w, b, nchunks, grad=True):
    """Loss ½Σr² and gradient Xᵀr of r = Xw + b − y in one pass over X (per-chunk partials);
    with ``grad`` False the loss alone (the gradient returned is zeros).

    Rows go four at a time: one load of w[j] serves four dot products and one read-modify-write of
    the gradient's g[j] takes four rows' terms. Two products per value keep the core busy long
    enough that the hardware prefetcher falls behind, so the rows ~8 KiB ahead are prefetched."""
    n, d = X.shape
    size = nblocks(n, nchunks)
    g = np.zeros((nchunks, d))
    gb = np.zeros(nchunks)
    ls = np.zeros(nchunks)
    ahead = _ahead(d)
    for c in prange(nchunks):
        Xc = block(X, c, size)
        yc = block(y, c, size)
        m = Xc.shape[0]
        acc = np.zeros(d)
        lc = 0.0
        sb = 0.0
        i = 0
        while i + 4 <= m:
            _prefetch_rows(Xc, i + ahead, i + ahead + 4)
            r0, r1, r2, r3 = Xc[i], Xc[i + 1], Xc[i + 2], Xc[i + 3]
            t0, t1, t2, t3 = b - yc[i], b - yc[i + 1], b - yc[i + 2], b - yc[i + 3]
            for j in range(d):
                wj = w[j]
                t0 += r0[j] * wj
                t1 += r1[j] * wj
                t2 += r2[j] * wj
                t3 += r3[j] * wj
            lc += (t0 * t0 + t1 * t1) + (t2 * t2 + t3 * t3)
            sb += (t0 + t1) + (t2 + t3)
            if grad:
                for j in range(d):
                    acc[j] += (t0 * r0[j] + t1 * r1[j]) + (t2 * r2[j] + t3 * r3[j])
            i += 4
        while i < m:
            row = Xc[i]
            t = b - yc[i]
            for j in range(d):
                t += row[j] * w[j]
            lc += t * t
            sb += t
            if grad:
                for j in range(d):
                    acc[j] += t * row[j]
            i += 1
        g[c] = acc
        gb[c] = sb
        ls[c] = lc
    return 0.5 * ls.sum(), g.sum(axis=0), gb.sum()


@njit(**PAR)
def logistic_step(X, y, sw, w, b, nchunks, grad=True):
    """Σ sᵢ(log(1 + e^t) − y·t) and its gradient Xᵀ(s·(σ(t) − y)), t = Xw + b, in one pass over X; with
    ``grad`` False the loss alone. ``sw`` holds the sample weights, or nothing (every sᵢ = 1). Rows
    ~8 KiB ahead are prefetched, as in :func:`linear_step`."""
    n, d = X.shape
    size = nblocks(n, nchunks)
    weighted = sw.shape[0] > 0
    g = np.zeros((nchunks, d))
    gb = np.zeros(nchunks)
    ls = np.zeros(nchunks)
    ahead = _ahead(d)
    for c in prange(nchunks):
        Xc = block(X, c, size)
        yc = block(y, c, size)
        sc = block(sw, c, size) if weighted else sw
        acc = np.zeros(d)
        lc = 0.0
        sb = 0.0
        for i in range(Xc.shape[0]):
            _prefetch_rows(Xc, i + ahead, i + ahead + 1)
            row = Xc[i]
            t = b
            for j in range(d):
                t += row[j] * w[j]
            if t > 0:
                e = math.exp(-t)
                li = t + math.log1p(e) - yc[i] * t
                p = 1.0 / (1.0 + e)
            else:
                e = math.exp(t)
                li = math.log1p(e) - yc[i] * t
                p = e / (1.0 + e)
            r = p - yc[i]
            if weighted:
                li *= sc[i]
                r *= sc[i]
            lc += li
            sb += r
            if grad:
                for j in range(d):
                    acc[j] += r * row[j]
        g[c] = acc
        gb[c] = sb
        ls[c] = lc
    return ls.sum(), g.sum(axis=0), gb.sum()


@njit(**PAR)
def softmax_step(X, Y, sw, W, b, nchunks, grad=True):
    """The multinomial loss Σ sᵢ(log Σ_c e^{t_c} − Σ_c Y_c t_c) and its gradients Xᵀ(s·(softmax(t) − Y)) and
    Σ s·(softmax(t) − Y), t = XW + b (``W`` of shape (d, k), ``Y`` one-hot (n, k)), in one pass over X:
    each row is read once for its k scores and once more, from cache, for the k gradient terms. With
    ``grad`` False the loss alone; ``sw`` as in :func:`logistic_step`."""
    n, d = X.shape
    k = W.shape[1]
    size = nblocks(n, nchunks)
    weighted = sw.shape[0] > 0
    G = np.zeros((nchunks, d, k))
    gb = np.zeros((nchunks, k))
    ls = np.zeros(nchunks)
    ahead = _ahead(d)
    for c in prange(nchunks):
        Xc = block(X, c, size)
        Yc = block(Y, c, size)
        sc = block(sw, c, size) if weighted else sw
        acc = np.zeros((d, k))
        sb = np.zeros(k)
        t = np.empty(k)
        lc = 0.0
        for i in range(Xc.shape[0]):
            _prefetch_rows(Xc, i + ahead, i + ahead + 1)
            row = Xc[i]
            yi = Yc[i]
            for q in range(k):
                t[q] = b[q]
            for j in range(d):
                xj = row[j]
                wj = W[j]
                for q in range(k):
                    t[q] += xj * wj[q]
            top = t[0]
            for q in range(1, k):
                top = max(top, t[q])
            z = 0.0
            for q in range(k):
                z += math.exp(t[q] - top)
            lse = top + math.log(z)
            s = sc[i] if weighted else 1.0
            yt = 0.0
            for q in range(k):
                yt += yi[q] * t[q]
            lc += s * (lse - yt)
            for q in range(k):
                t[q] = s * (math.exp(t[q] - lse) - yi[q])  # the residual, in place of the score
                sb[q] += t[q]
            if grad:
                for j in range(d):
                    xj = row[j]
                    aj = acc[j]
                    for q in range(k):
                        aj[q] += t[q] * xj
        G[c] = acc
        gb[c] = sb
        ls[c] = lc
    return ls.sum(), G.sum(axis=0), gb.sum(axis=0)


@njit(**OPTS)
def centre_block(x2, lo, hi, mu, buf, sums):
    """buf = rows lo..hi of x2 minus the means mu, on one thread (callers run a block per thread),
    each column's centred values added to ``sums`` (float64) on the way."""
    xb = x2[lo:hi]
    c = x2.shape[1]
    for i in range(xb.shape[0]):
        row = xb[i]
        o = buf[i]
        for j in range(c):
            v = row[j] - mu[j]
            o[j] = v
            sums[j] += v


@njit(**dict(OPTS, fastmath={"reassoc", "contract"}))
def gram_shifted(x2, k, G, sums, ct):
    """Add the upper triangle of (x2 − k)ᵀ(x2 − k) to ``G`` and the column sums of x2 − k to ``sums``,
    in one read of x2 on one thread (callers run a block of rows per thread).

    Rows are centred a block at a time into ``ct`` (columns × block rows, transposed, a few tens of
    KiB that stay in the L1/L2 cache), then each pair of columns is one contiguous dot product there:
    no BLAS call, whose threads would compete with the caller's, and no centred copy of the data.
    For a few tens of columns; a wide matrix goes to BLAS, whose tiling wins there."""
    n, p = x2.shape
    nb = ct.shape[1]
    for lo in range(0, n, nb):
        m = min(nb, n - lo)
        xb = x2[lo:lo + m]
        for r in range(m):
            row = xb[r]
            for j in range(p):
                ct[j, r] = row[j] - k[j]
        for i in range(p):
            ci = ct[i, :m]
            si = 0.0
            for r in range(m):
                si += ci[r]
            sums[i] += si
            for j in range(i, p):
                cj = ct[j, :m]
                acc = 0.0
                for r in range(m):
                    acc += ci[r] * cj[r]
                G[i, j] += acc


@njit(**PAR)
def unit_rows(m, out):
    r, c = m.shape
    for i in prange(r):
        row = m[i]
        o = out[i]
        s = 0.0
        for j in range(c):
            s += row[j] * row[j]
        nrm = math.sqrt(s)
        inv = 0.0 if nrm == 0.0 else 1.0 / nrm
        for j in range(c):
            o[j] = row[j] * inv


@njit(**PAR)
def cosine_1d(a, b):
    nb = nblocks(a.size, BLOCK)
    ab = np.empty(nb)
    aa = np.empty(nb)
    bb = np.empty(nb)
    for k in prange(nb):
        ak = block(a, k, BLOCK)
        bk = block(b, k, BLOCK)
        s1 = s2 = s3 = 0.0
        for i in range(ak.size):
            s1 += ak[i] * bk[i]
            s2 += ak[i] * ak[i]
            s3 += bk[i] * bk[i]
        ab[k] = s1
        aa[k] = s2
        bb[k] = s3
    den = math.sqrt(pairwise(aa)) * math.sqrt(pairwise(bb))
    return 0.0 if den == 0.0 else pairwise(ab) / den
