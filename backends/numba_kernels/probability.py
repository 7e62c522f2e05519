"""The normal distribution, interval counts, and the rules of total probability and Bayes."""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._common import BLOCK, PAR, block, nblocks

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@njit(**PAR)
def normal_pdf(x, m, s, out):
    for i in prange(x.size):
        z = (x[i] - m[i]) / s[i]
        out[i] = math.exp(-0.5 * z * z) * _INV_SQRT_2PI / s[i]


@njit(**PAR)
def normal_cdf(x, m, s, out):
    for i in prange(x.size):
        z = (x[i] - m[i]) / s[i]
        out[i] = 0.5 * math.erfc(-z / math.sqrt(2.0))


@njit(**PAR)
def count_within(x, lo, hi):
    """How many elements lie in each closed interval [lo[k], hi[k]] (bounds exact in x's dtype)."""
    nb = nblocks(x.size, BLOCK)
    c = np.zeros((nb, 3), dtype=np.int64)
    for b in prange(nb):
        xb = block(x, b, BLOCK)
        cb = c[b]
        for i in range(xb.size):
            v = xb[i]
            for k in range(3):
                if v >= lo[k] and v <= hi[k]:
                    cb[k] += 1
    return c.sum(axis=0)


@njit(**PAR)
def total_probability(a, pa, c, out):
    for i in prange(out.size):
        out[i] = a[i] * pa[i] + c[i] * (1.0 - pa[i])


@njit(**PAR)
def bayes(a, pa, pb, out):
    for i in prange(out.size):
        out[i] = a[i] * pa[i] / pb[i]
