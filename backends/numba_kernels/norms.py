"""Vector and matrix norms.

Each norm has its own loop (a branch on the norm inside a loop would keep it from vectorising);
the kernels take the norm as a plain integer, compared with the members below, which Numba
freezes into the code as constants. NaN propagates as in NumPy (a NaN is nonzero).
"""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np
from numba import njit, prange

from ._common import BLOCK, OPTS, PAR, RED, block, nblocks, pairwise


class VectorNorm(IntEnum):
    """A vector norm of the kernels, with NumPy's ``ord`` for it."""

    TWO = 0  # sqrt(Σ x²): ord None or 2
    MAX = 1  # max |x|: inf
    MIN = 2  # min |x|: -inf
    COUNT = 3  # number of nonzeros: 0
    ONE = 4  # Σ |x|: 1
    POWER = 5  # (Σ |x|**p) ** (1/p): any other real ord
    # NumPy's fast powers, where pow() would be 3x slower than NumPy
    HALF = 6  # p = 0.5: sqrt
    RECIPROCAL = 7  # p = -1

    @classmethod
    def of(cls, ord) -> tuple[VectorNorm, float] | None:
        """(norm, p) for NumPy's ``ord``, or None where the kernels have no such norm."""
        if isinstance(ord, str):
            return None
        try:
            return _VECTOR_ORDS[ord] if ord in _VECTOR_ORDS else (cls.POWER, float(ord))
        except (TypeError, ValueError):
            return None


class MatrixNorm(IntEnum):
    """A matrix norm of the kernels (of |a|, NaN propagating); 2, -2 and "nuc" are left to NumPy,
    whose SVD computes singular values only."""

    FRO = 0  # Frobenius: ord None or "fro"
    MAX_COL = 1  # max column sum: 1
    MIN_COL = 2  # min column sum: -1
    MAX_ROW = 3  # max row sum: inf
    MIN_ROW = 4  # min row sum: -inf

    @classmethod
    def of(cls, ord) -> MatrixNorm | None:
        """The norm for NumPy's ``ord``, or None where the kernels have no such norm."""
        try:
            return _MATRIX_ORDS.get(ord)
        except TypeError:  # an unhashable ord
            return None

    def transposed(self) -> MatrixNorm:
        """The same norm of the transpose: column sums become row sums and row sums column sums."""
        return _TRANSPOSED[self]

    def maximum(self) -> bool:
        """True for the largest column or row sum."""
        return self in (MatrixNorm.MAX_COL, MatrixNorm.MAX_ROW)


_VECTOR_ORDS = {None: (VectorNorm.TWO, 2.0), 2: (VectorNorm.TWO, 2.0), np.inf: (VectorNorm.MAX, 0.0),
                -np.inf: (VectorNorm.MIN, 0.0), 0: (VectorNorm.COUNT, 0.0), 1: (VectorNorm.ONE, 1.0),
                0.5: (VectorNorm.HALF, 0.5), -1: (VectorNorm.RECIPROCAL, -1.0)}
_MATRIX_ORDS = {None: MatrixNorm.FRO, "fro": MatrixNorm.FRO, "f": MatrixNorm.FRO, 1: MatrixNorm.MAX_COL,
                -1: MatrixNorm.MIN_COL, np.inf: MatrixNorm.MAX_ROW, -np.inf: MatrixNorm.MIN_ROW}
_TRANSPOSED = {MatrixNorm.FRO: MatrixNorm.FRO, MatrixNorm.MAX_COL: MatrixNorm.MAX_ROW,
               MatrixNorm.MIN_COL: MatrixNorm.MIN_ROW, MatrixNorm.MAX_ROW: MatrixNorm.MAX_COL,
               MatrixNorm.MIN_ROW: MatrixNorm.MIN_COL}


@njit(**RED)
def _vpart(x, code, p):
    """The unfinished norm of the 1-D x (any stride): a max/min or a sum."""
    n = x.size
    if code == VectorNorm.MAX or code == VectorNorm.MIN:
        # NaN goes in a flag, so that the loop is a select that vectorises
        bad = False
        if code == VectorNorm.MAX:
            r = -np.inf
            for i in range(n):
                a = abs(x[i])
                r = a if a > r else r
                bad |= a != a
        else:
            r = np.inf
            for i in range(n):
                a = abs(x[i])
                r = a if a < r else r
                bad |= a != a
        return np.nan if bad else r
    s = 0.0
    if code == VectorNorm.TWO:
        for i in range(n):
            s += x[i] * x[i]
    elif code == VectorNorm.COUNT:
        for i in range(n):
            s += 1.0 if x[i] != 0 else 0.0
    elif code == VectorNorm.ONE:
        for i in range(n):
            s += abs(x[i])
    elif code == VectorNorm.HALF:
        for i in range(n):
            s += math.sqrt(abs(x[i]))
    elif code == VectorNorm.RECIPROCAL:
        for i in range(n):
            s += 1.0 / abs(x[i])
    else:
        for i in range(n):
            s += abs(x[i]) ** p
    return s


@njit(**OPTS)
def _vstep(r, t, code):
    """Merge two partial results: a NaN-propagating max or min, else a sum."""
    if code == VectorNorm.MAX:
        return t if (t > r) | (t != t) else r
    if code == VectorNorm.MIN:
        return t if (t < r) | (t != t) else r
    return r + t


@njit(**OPTS)
def _vfinish(s, code, p):
    """The norm from the merged partial result."""
    if code == VectorNorm.TWO:
        return math.sqrt(s)
    if code == VectorNorm.POWER:
        return s ** (1.0 / p)
    if code == VectorNorm.HALF:
        return s * s
    if code == VectorNorm.RECIPROCAL:
        return 1.0 / s
    return s


@njit(**PAR)
def vnorm_flat(x, code, p):
    """The vector norm (code, p) of a 1-D array (any stride): parallel blocks, then a merge."""
    nb = nblocks(x.size, BLOCK)
    parts = np.empty(nb)
    for b in prange(nb):
        parts[b] = _vpart(block(x, b, BLOCK), code, p)
    if code == VectorNorm.MAX or code == VectorNorm.MIN:
        r = parts[0]
        for b in range(1, nb):
            r = _vstep(r, parts[b], code)
    else:
        r = pairwise(parts)
    return _vfinish(r, code, p)


@njit(**PAR)
def vnorm_rows(x2, code, p, out):
    """out[i] = the vector norm (code, p) of row i of a 2-D array (rows may be strided)."""
    for i in prange(x2.shape[0]):
        out[i] = _vfinish(_vpart(x2[i], code, p), code, p)


@njit(**OPTS)
def _cpart(xb, jlo, jhi, code, p, acc):
    """Fold the rows of xb, columns jlo..jhi, into acc[jlo:jhi], the inner loop along a row
    (elementwise, so it vectorises) into a local copy of acc (which xb cannot alias)."""
    w = jhi - jlo
    loc = acc[jlo:jhi].copy()
    for i in range(xb.shape[0]):
        row = xb[i, jlo:jhi]
        if code == VectorNorm.TWO:
            for j in range(w):
                v = row[j]
                loc[j] += v * v
        elif code == VectorNorm.MAX:
            for j in range(w):
                a = abs(row[j])
                loc[j] = a if (a > loc[j]) | (a != a) else loc[j]
        elif code == VectorNorm.MIN:
            for j in range(w):
                a = abs(row[j])
                loc[j] = a if (a < loc[j]) | (a != a) else loc[j]
        elif code == VectorNorm.COUNT:
            for j in range(w):
                loc[j] += 1.0 if row[j] != 0 else 0.0
        elif code == VectorNorm.ONE:
            for j in range(w):
                loc[j] += abs(row[j])
        elif code == VectorNorm.HALF:
            for j in range(w):
                loc[j] += math.sqrt(abs(row[j]))
        elif code == VectorNorm.RECIPROCAL:
            for j in range(w):
                loc[j] += 1.0 / abs(row[j])
        else:
            for j in range(w):
                loc[j] += abs(row[j]) ** p
    acc[jlo:jhi] = loc


CCHUNK = 2048  # columns per task in vnorm_cols: a 16 KiB accumulator stays in L1


@njit(**PAR)
def vnorm_cols(x3, code, p, nrb, out):
    """out[a, j] = the vector norm (code, p) of x3[a, :, j] for an (A, n, C) array: the reduced
    axis in the middle, read once in memory order, rows along the inner loop.

    Tasks of (a, row block, column chunk) run in parallel, each folding its rows into the
    partial of its row block; the ``nrb`` partials of each output are merged at the end.
    """
    na, n, c = x3.shape
    rb = nblocks(n, nrb)
    ncb = nblocks(c, CCHUNK)
    start = -np.inf if code == VectorNorm.MAX else (np.inf if code == VectorNorm.MIN else 0.0)
    parts = np.full((na, nrb, c), start)
    for t in prange(na * nrb * ncb):
        a = t // (nrb * ncb)
        b = (t // ncb) % nrb
        jlo = (t % ncb) * CCHUNK
        _cpart(block(x3[a], b, rb), jlo, min(jlo + CCHUNK, c), code, p, parts[a, b])
    for a in range(na):
        for j in range(c):
            r = parts[a, 0, j]
            for b in range(1, nrb):
                r = _vstep(r, parts[a, b, j], code)
            out[a, j] = _vfinish(r, code, p)


@njit(**RED)
def _mnorm(a, code):
    """The matrix norm ``code`` (a MatrixNorm) of one (m, n) matrix, walking it by rows."""
    m, n = a.shape
    if code == MatrixNorm.FRO:
        s = 0.0
        for i in range(m):
            row = a[i]
            for j in range(n):
                s += row[j] * row[j]
        return math.sqrt(s)
    if code == MatrixNorm.MAX_COL or code == MatrixNorm.MIN_COL:
        sums = np.zeros(n)
        for i in range(m):
            row = a[i]
            for j in range(n):
                sums[j] += abs(row[j])
    else:
        sums = np.empty(m)
        for i in range(m):
            row = a[i]
            t = 0.0
            for j in range(n):
                t += abs(row[j])
            sums[i] = t
    step = VectorNorm.MAX if code == MatrixNorm.MAX_COL or code == MatrixNorm.MAX_ROW else VectorNorm.MIN
    r = sums[0]
    for i in range(1, sums.size):
        r = _vstep(r, sums[i], step)
    return r


@njit(**PAR)
def mnorm_stack(a, code, out):
    """out[t] = the matrix norm ``code`` (a MatrixNorm) of a[t] for a (B, m, n) stack, matrices in
    parallel; a's rows should be its nearer axis in memory."""
    for t in prange(a.shape[0]):
        out[t] = _mnorm(a[t], code)
