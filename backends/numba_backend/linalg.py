"""The numba backend's linear algebra on stacks of small matrices: inv, solve, det, slogdet,
cholesky, eigh and eigvalsh of many real n×n matrices at once (NMIN <= n <= NMAX), a loop compiled per
size over each chunk of 256 matrices, one chunk per parallel task (``numba_kernels/smallmat.py``).

Everything else — one matrix or a few, n above NMAX, complex data — is NumPy's own call, LAPACK's
(the RULES below decline it). The errors are NumPy's: a singular matrix anywhere in the stack
raises ``LinAlgError("Singular matrix")`` for inv and solve, a matrix not positive definite
``LinAlgError("Matrix is not positive definite")`` for cholesky; det gives 0 and slogdet (0, -inf)
for a singular one. The matrices a kernel leaves unfinished (NaN or infinity in slogdet's or
cholesky's input, which NumPy computes through; QL not converging) and the determinants that
overflow (where NumPy warns) are NumPy's call, for those matrices alone.
"""

from __future__ import annotations

import math

import numpy

from ._runtime import Bindings, _Serial, _kernels

#: the fewest matrices in a stack for which each op runs its kernel (below, NumPy's loop over
#: LAPACK calls is as fast: a parallel launch costs 20–30 µs), measured on a 2-core AMD EPYC
#: (Zen 3) by benchmarks/bench_smallmat.py --crossover
MIN_STACK = {"inv": 256, "solve": 256, "det": 256, "slogdet": 256, "cholesky": 256, "eigh": 256, "eigvalsh": 256}
NMIN, NMAX = 2, 8  # the sizes the kernels are compiled for (numba_kernels.smallmat)

_SINGULAR = "Singular matrix"
_NOT_PD = "Matrix is not positive definite"


def _stack(a):
    """``a`` as a C-ordered, writable (B, n, n) stack (a copy only where a's memory is not one):
    the one array layout the kernels are compiled for."""
    n = a.shape[-1]
    a3 = numpy.ascontiguousarray(a).reshape(-1, n, n)
    return a3 if a3.flags.writeable else a3.copy()  # a read-only array is another Numba type


#: the kernels compute in the type of their ``one``: float64 for float32 stacks too, as numpy.linalg
#: (which calls LAPACK's double routines and casts back)
_ONE = numpy.float64(1.0)


class LinalgBindings(Bindings):
    """inv, solve, det, slogdet, cholesky, eigh, eigvalsh of stacks of small real matrices."""

    def inv(self, a):
        k = _kernels()
        a3 = _stack(a)
        out = numpy.empty_like(a3)
        with _Serial():
            bad = k.inv_stack(a3, out, _ONE)
        if bad:
            raise numpy.linalg.LinAlgError(_SINGULAR)
        return out.reshape(a.shape)

    def solve(self, a, b):
        k = _kernels()
        dt = numpy.result_type(a.dtype, b.dtype)
        n = a.shape[-1]
        vector = b.ndim == 1
        bm = b[:, None] if vector else b
        batch = numpy.broadcast_shapes(a.shape[:-2], bm.shape[:-2])
        a = a.astype(dt, copy=False)
        a3 = _stack(a if a.shape[:-2] == batch else numpy.broadcast_to(a, batch + (n, n)))
        x = numpy.empty(batch + bm.shape[-2:], dtype=dt)
        x[...] = bm  # b broadcast to every matrix, solved in place
        with _Serial():
            bad = k.solve_stack(a3, x.reshape(-1, n, bm.shape[-1]), _ONE)
        if bad:
            raise numpy.linalg.LinAlgError(_SINGULAR)
        return x[..., 0] if vector else x

    def det(self, a):
        k = _kernels()
        a3 = _stack(a)
        out = numpy.empty(a3.shape[0], dtype=a3.dtype)
        with _Serial():
            k.det_stack(a3, out, _ONE)
        over = numpy.flatnonzero(numpy.isinf(out))
        if over.size:  # overflowed: NumPy's answer, and the overflow warning it gives
            out[over] = numpy.linalg.det(a3[over])
        return out.reshape(a.shape[:-2])

    def slogdet(self, a):
        k = _kernels()
        a3 = _stack(a)
        sign = numpy.empty(a3.shape[0], dtype=a3.dtype)
        logdet = numpy.empty_like(sign)
        flags = numpy.empty(a3.shape[0], dtype=numpy.uint8)
        with _Serial():
            nflag = k.slogdet_stack(a3, sign, logdet, flags, _ONE)
        if nflag:  # NaN or infinity: NumPy's answer for those matrices (NaN, and its warning)
            idx = numpy.flatnonzero(flags)
            sign[idx], logdet[idx] = numpy.linalg.slogdet(a3[idx])
        return sign.reshape(a.shape[:-2]), logdet.reshape(a.shape[:-2])

    def cholesky(self, a, upper=False):
        k = _kernels()
        a3 = _stack(a)
        out = numpy.empty_like(a3)
        flags = numpy.empty(a3.shape[0], dtype=numpy.uint8)
        with _Serial():
            nflag = k.cholesky_stack(a3, out, bool(upper), flags, _ONE)
        if nflag:
            if numpy.any(flags == 1):
                raise numpy.linalg.LinAlgError(_NOT_PD)
            idx = numpy.flatnonzero(flags)  # NaN or infinity read: NumPy's answer, or its error
            out[idx] = numpy.linalg.cholesky(a3[idx], upper=bool(upper))
        return out.reshape(a.shape)

    def _eigh(self, a, UPLO, vecs):
        k = _kernels()
        a3 = _stack(a)
        n = a3.shape[-1]
        w = numpy.empty(a3.shape[:2], dtype=a3.dtype)
        v = numpy.empty(a3.shape if vecs else (0, n, n), dtype=a3.dtype)
        flags = numpy.empty(a3.shape[0], dtype=numpy.uint8)
        with _Serial():
            nflag = k.eigh_stack(a3, UPLO == "U", w, v, flags)
        if nflag:  # QL did not converge: NumPy's answer for those matrices, or its error
            idx = numpy.flatnonzero(flags)
            if vecs:
                w[idx], v[idx] = numpy.linalg.eigh(a3[idx], UPLO=UPLO)
            else:
                w[idx] = numpy.linalg.eigvalsh(a3[idx], UPLO=UPLO)
        w = w.reshape(a.shape[:-1])
        return (w, v.reshape(a.shape)) if vecs else w

    def eigh(self, a, UPLO="L"):
        return self._eigh(a, UPLO, True)

    def eigvalsh(self, a, UPLO="L"):
        return self._eigh(a, UPLO, False)


def _small(a) -> bool:
    """A real float32/float64 ndarray of square NMIN..NMAX matrices (the shape checks are the
    public layer's, already done)."""
    return (type(a) is numpy.ndarray and a.dtype.char in "fd" and a.dtype.isnative and a.ndim >= 3
            and NMIN <= a.shape[-1] <= NMAX and a.shape[-2] == a.shape[-1])


def _rule(op):
    def rule(self, a, *args, **kw):
        return _small(a) and math.prod(a.shape[:-2]) >= MIN_STACK[op]

    return rule


def _solve_rule(self, a, b, *args, **kw):
    if type(a) is not numpy.ndarray or type(b) is not numpy.ndarray:
        return False
    if not (a.dtype.char in "fd" and b.dtype.char in "fd" and a.dtype.isnative and b.dtype.isnative):
        return False
    n = a.shape[-1]
    if not (NMIN <= n <= NMAX and b.ndim >= 1) or (b.ndim >= 2 and b.shape[-1] == 0):
        return False
    batch = numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2] if b.ndim >= 2 else ())
    return math.prod(batch) >= MIN_STACK["solve"]


#: op -> whether the kernels take the call
RULES = {"inv": _rule("inv"), "det": _rule("det"), "slogdet": _rule("slogdet"), "cholesky": _rule("cholesky"),
         "eigh": _rule("eigh"), "eigvalsh": _rule("eigvalsh"), "solve": _solve_rule}
