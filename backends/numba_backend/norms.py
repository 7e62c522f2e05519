"""The numba backend's vector and matrix norms and cosine similarity."""

from __future__ import annotations

import operator

import numpy

from xpmath._reference import linalg as ref_linalg

from ._runtime import Bindings, _Serial, _kernels, _real, _result


class NormBindings(Bindings):
    """Vector and matrix norms over any axes, and the cosine similarity of rows."""

    def norm(self, x, ord=None, axis=None, keepdims=False):
        # ord=None over every element (can_run leaves it to NumPy: BLAS's dot of x with itself, at
        # the memory's speed), complex, empty or 0-d input: NumPy's answer or its error
        k = _kernels()
        axes = self._norm_axes(x, axis)
        if axes is not None and len(axes) == 1:
            cp = k.VectorNorm.of(ord)
            if cp is not None:
                return _result(self._vnorm(x, axes[0], *cp), x, axes, keepdims)
        elif axes is not None:
            v = self._mnorm(x, axes, ord)
            if v is not None:
                return _result(v, x, axes, keepdims)
        return ref_linalg.norm(numpy, x, ord, axis, keepdims)  # an ord the kernels do not know: NumPy's error

    @staticmethod
    def _norm_axes(x, axis):
        """The reduced axes, normalised (1 or 2 of them), or None where the kernels do not apply."""
        if not _real(x) or x.size == 0 or x.ndim == 0:
            return None
        if axis is None:
            return tuple(range(x.ndim)) if x.ndim <= 2 else None
        try:
            axes = tuple(operator.index(a) for a in (axis if isinstance(axis, tuple) else (axis,)))
        except TypeError:
            return None
        if len(axes) not in (1, 2) or not all(-x.ndim <= a < x.ndim for a in axes):
            return None
        axes = tuple(a % x.ndim for a in axes)
        return axes if len(set(axes)) == len(axes) else None

    def _vnorm(self, x, ax, norm, p):
        """Vector norms (a VectorNorm and its p) over the axis ``ax`` of a non-empty real x: float64,
        shaped as the kept axes."""
        k = _kernels()
        code = int(norm)  # the kernels take a plain integer: one compiled variant
        if x.ndim == 1:
            with _Serial():
                return numpy.float64(k.vnorm_flat(x, code, p))
        # a Fortran-ordered x is read as its C-ordered transpose (outputs in reverse axis order)
        flip = not x.flags.c_contiguous and (x.flags.f_contiguous or abs(x.strides[0]) < abs(x.strides[-1]))
        y, ax = (x.T, x.ndim - 1 - ax) if flip else (x, ax)
        a = int(numpy.prod(y.shape[:ax]))
        c = int(numpy.prod(y.shape[ax + 1:]))
        n = y.shape[ax]
        x3 = y.reshape(a, n, c)  # a view wherever y's memory allows, else a C-ordered copy
        out = numpy.empty((a, c))
        with _Serial():
            if c == 1:  # the reduced axis is the last: one row per output
                self._vrows(k, x3[:, :, 0], code, p, out[:, 0])
            else:
                tasks = a * -(-c // k.CCHUNK)
                nrb = max(1, min(-(-4 * self._threads() // tasks), n // 16))
                k.vnorm_cols(x3, code, p, nrb, out)
        out = out.reshape(y.shape[:ax] + y.shape[ax + 1:])
        return out.T if flip else out

    def _vrows(self, k, x2, code, p, out):
        """out[i] = the vector norm (code, p) of row i of x2; a few long rows each get all the threads."""
        code = int(code)
        if x2.shape[0] < self._threads() and x2.shape[1] >= 4 * k.BLOCK:
            for i in range(x2.shape[0]):
                out[i] = k.vnorm_flat(x2[i], code, p)
        else:
            k.vnorm_rows(x2, code, p, out)

    def _mnorm(self, x, axes, ord):
        """Matrix norms over the axes (rows, cols) of a non-empty real x: float64 outputs in C order
        of the kept axes, or None where NumPy should answer."""
        k = _kernels()
        V = k.VectorNorm
        norm = k.MatrixNorm.of(ord)
        if norm is None:
            return None
        r, c = axes
        rest = tuple(i for i in range(x.ndim) if i not in axes)
        a3 = x.transpose(rest + (r, c)).reshape((-1, x.shape[r], x.shape[c]))
        if a3.shape[0] >= self._threads():
            # many matrices: one task each, walking rows (transposed, a column sum is a row sum)
            if abs(a3.strides[1]) < abs(a3.strides[2]):
                a3 = a3.transpose(0, 2, 1)
                norm = norm.transposed()
            out = numpy.empty(a3.shape[0])
            with _Serial():
                k.mnorm_stack(a3, int(norm), out)
            return out
        # a few large matrices: the parallel vector kernels, over one axis and then the other
        if norm == k.MatrixNorm.FRO:
            if a3.flags.c_contiguous or (a3.shape[0] == 1 and a3.flags.f_contiguous):
                # the Frobenius norm is the 2-norm of each matrix's elements in memory order
                out = numpy.empty(a3.shape[0])
                with _Serial():
                    self._vrows(k, a3.reshape(a3.shape[0], -1, order="A"), V.TWO, 2.0, out)
                return out
            return self._vnorm(self._vnorm(a3, 2, V.TWO, 2.0), 1, V.TWO, 2.0)  # the 2-norm of the row norms
        by_cols = norm in (k.MatrixNorm.MAX_COL, k.MatrixNorm.MIN_COL)
        sums = self._vnorm(a3, 1 if by_cols else 2, V.ONE, 1.0)  # column or row sums
        return self._vnorm(sums, 1, V.MAX if norm.maximum() else V.MIN, 0.0)  # their max or min

    def cosine_similarity(self, a, b=None):
        k = _kernels()
        b = a if b is None else b
        dt = numpy.result_type(a.dtype, b.dtype)
        with _Serial():
            if a.ndim == 1 and b.ndim == 1:
                return dt.type(k.cosine_1d(numpy.ascontiguousarray(a), numpy.ascontiguousarray(b)))
            a2 = a.reshape(1, -1) if a.ndim == 1 else a
            b2 = b.reshape(1, -1) if b.ndim == 1 else b
            ua = numpy.empty(a2.shape, dtype=dt)
            k.unit_rows(a2, ua)
            # a second buffer even for b=None: one buffer would send uuᵀ to BLAS's SYRK, half a GEMM's
            # work but, on AVX-512 OpenBLAS, slower than the GEMM (34 against 22 ms at 2048×256)
            ub = numpy.empty(b2.shape, dtype=dt)
            k.unit_rows(b2, ub)
        out = ua @ ub.T
        if a.ndim == 1:
            return out[0]
        if b.ndim == 1:
            return out[:, 0]
        return out


def _cosine_rule(self, a, *args, **kw):
    b = args[0] if args else kw.get("b")
    return _real(a) and (b is None or _real(b))


#: op -> whether the kernels take the call (ord=None over every element stays NumPy's: BLAS's dot)
RULES = {
    "norm": lambda self, a, *args, **kw: (self._norm_axes(a, kw.get("axis")) is not None
                                          and (kw.get("ord") is not None or kw.get("axis") is not None)),
    "cosine_similarity": _cosine_rule,
}
