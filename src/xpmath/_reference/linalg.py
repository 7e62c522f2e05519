"""Reference linear algebra: ``xp.linalg``'s own calls, plus the eigenpair order every backend shares."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy

__all__ = [
    "dot", "matmul", "transpose", "norm", "cosine_similarity",
    "inv", "solve", "det", "eig", "eigvals", "eigh", "eigvalsh",
]
__all__ += [
    "outer", "cross", "tensordot", "vecdot", "multi_dot", "matrix_transpose", "diagonal", "trace",
    "vector_norm", "matrix_norm",
]


class EigResult(NamedTuple):
    """``(eigenvalues, eigenvectors)``, as NumPy's ``EigResult`` / ``EighResult``.

    Attributes
    ----------
    eigenvalues : array, shape (..., n)
        The eigenvalues, in the order of the function that returned them.
    eigenvectors : array, shape (..., n, n)
        The eigenvectors as columns: ``eigenvectors[..., :, i]`` belongs to ``eigenvalues[..., i]``.
    """

    eigenvalues: Any
    eigenvectors: Any


def dot(xp: Any, a: Any, b: Any) -> Any:
    return xp.dot(a, b)


def matmul(xp: Any, a: Any, b: Any) -> Any:
    return xp.matmul(a, b)


def transpose(xp: Any, a: Any, axes: Sequence[int] | None = None) -> Any:
    return xp.transpose(a, axes)


# ---------------------------------------------------------------- products and norms of numpy.linalg's array API half
# On NumPy each is numpy.linalg's own function. CuPy and Dask get their own NumPy-named functions
# where theirs mean what NumPy's mean (CuPy's linalg.cross does not broadcast, so its cross runs),
# else the formulation below, on their arrays.


def _own(xp: Any, name: str) -> Any:
    return getattr(numpy.linalg, name) if xp is numpy else None


def _as(a: Any, dt: Any) -> Any:
    """``a`` in NumPy's result dtype ``dt``: Dask sums integers and bools in int64 (same values modulo
    the narrower type, so the cast gives NumPy's wrapped ones) and bools as counts (non-zero: True)."""
    return a if a.dtype == dt else a.astype(dt)


def outer(xp: Any, x1: Any, x2: Any) -> Any:
    own = _own(xp, "outer")
    return own(x1, x2) if own is not None else xp.outer(x1, x2)  # both 1-D: xp.outer's flattening is moot


def cross(xp: Any, x1: Any, x2: Any, axis: int = -1) -> Any:
    own = _own(xp, "cross")
    if own is not None:
        return own(x1, x2, axis=axis)
    own = getattr(xp, "cross", None)  # NumPy's broadcasting cross (numpy.linalg's checks done above)
    if own is not None:
        return own(x1, x2, axis=axis)
    dt = xp.result_type(x1.dtype, x2.dtype)
    a = xp.moveaxis(x1, axis, -1).astype(dt)
    b = xp.moveaxis(x2, axis, -1).astype(dt)
    # components as length-one slices, never 0-d: NumPy's scalars warn where its arrays wrap silently
    a0, a1, a2 = a[..., 0:1], a[..., 1:2], a[..., 2:3]
    b0, b1, b2 = b[..., 0:1], b[..., 1:2], b[..., 2:3]
    cp = xp.concatenate([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return xp.moveaxis(cp, -1, axis)  # NumPy's axisc: the same axis, of the broadcast result


def tensordot(xp: Any, x1: Any, x2: Any, axes: Any = 2) -> Any:
    own = _own(xp, "tensordot")
    if own is not None:
        return own(x1, x2, axes=axes)
    return _as(xp.tensordot(x1, x2, axes=axes), xp.result_type(x1.dtype, x2.dtype))


def vecdot(xp: Any, x1: Any, x2: Any, axis: int = -1) -> Any:
    own = _own(xp, "vecdot")
    if own is not None:
        return own(x1, x2, axis=axis)
    a, b = xp.moveaxis(x1, axis, -1), xp.moveaxis(x2, axis, -1)  # the axis counts in each operand's own axes
    dt = xp.result_type(a.dtype, b.dtype)
    if dt.kind == "b":
        return (a & b).any(axis=-1)
    return _as((xp.conj(a) * b if dt.kind == "c" else a * b).sum(axis=-1), dt)


def matrix_chain_order(dims: list[int]) -> tuple[list[list[int]], list[list[float]]]:
    """The cheapest order of a chain of matrix products, by NumPy's dynamic programming (Cormen,
    *Introduction to Algorithms*, 15.2): matrix ``i`` is ``dims[i] × dims[i + 1]``.

    Returns ``(split, cost)``: ``split[i][j]`` is the ``k`` at which the product of matrices
    ``i..j`` is best split, ``(i..k)(k+1..j)``; ``cost[i][j]`` its number of scalar multiplications.
    Ties keep the first ``k``, as NumPy's.
    """
    n = len(dims) - 1
    cost = [[0.0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            best = math.inf
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if q < best:
                    best = q
                    split[i][j] = k
            cost[i][j] = best
    return split, cost


def chain_split(shapes: list[tuple[int, int]]) -> Any:
    """``split(i, j)``: where the product of the 2-D ``shapes[i..j]`` splits, as NumPy's ``multi_dot``
    chooses (three matrices by its two-way cost comparison, more by :func:`matrix_chain_order`)."""
    if len(shapes) == 3:
        (a0, a1), _, (_, c1) = shapes
        b1 = shapes[1][1]
        k = 1 if a0 * b1 * (a1 + c1) < a1 * c1 * (a0 + b1) else 0  # (AB)C, else A(BC)
        return lambda i, j: k if (i, j) == (0, 2) else i
    split, _ = matrix_chain_order([s[0] for s in shapes] + [shapes[-1][1]])
    return lambda i, j: split[i][j]


def multi_dot(xp: Any, arrays: Any, out: Any = None) -> Any:
    """Three or more arrays (two go to ``dot``), the first and the last 1-D or 2-D, the rest 2-D."""
    own = _own(xp, "multi_dot")
    if own is not None:
        return own(arrays, out=out)
    first, last = arrays[0].ndim, arrays[-1].ndim
    two = list(arrays)
    if first == 1:
        two[0] = two[0][None, :]
    if last == 1:
        two[-1] = two[-1][:, None]
    split = chain_split([a.shape for a in two])

    def product(i: int, j: int) -> Any:
        if i == j:
            return two[i]
        k = split(i, j)
        a, b = product(i, k), product(k + 1, j)
        return _as(xp.dot(a, b), xp.result_type(a.dtype, b.dtype))  # each step in NumPy's dtype

    r = product(0, len(two) - 1)
    if out is not None:
        out[...] = r
        r = out
    if first == 1 and last == 1:
        return r[0, 0]
    return r.reshape(-1) if first == 1 or last == 1 else r


def matrix_transpose(xp: Any, x: Any) -> Any:
    own = _own(xp, "matrix_transpose")
    return own(x) if own is not None else xp.swapaxes(x, -1, -2)


def diagonal(xp: Any, x: Any, offset: int = 0) -> Any:
    own = _own(xp, "diagonal")
    return own(x, offset=offset) if own is not None else xp.diagonal(x, offset, -2, -1)


def trace(xp: Any, x: Any, offset: int = 0, dtype: Any = None) -> Any:
    own = _own(xp, "trace")
    return own(x, offset=offset, dtype=dtype) if own is not None else xp.trace(x, offset, -2, -1, dtype)


def _extreme(xp: Any, f: Any, x: Any, axis: Any, keepdims: bool = False) -> Any:
    """``f(x, axis)`` (a max or a min), 0 where ``x`` is empty: NumPy's ``initial=0`` of the largest of
    nothing (the smallest was refused above), which neither CuPy's nor Dask's ``max`` takes; Dask
    refuses even an empty stack of non-empty axes."""
    if x.size:
        return f(x, axis=axis, keepdims=keepdims)
    return xp.zeros_like(x.sum(axis=axis, keepdims=keepdims))


def vector_norm(xp: Any, x: Any, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Any:
    """``x`` floating (integers were cast to float64 above), ``axis`` checked, ``ord`` a number."""
    own = _own(xp, "vector_norm")
    if own is not None:
        return own(x, axis=axis, keepdims=keepdims, ord=ord)
    axes = tuple(range(x.ndim)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    a = xp.abs(x)
    if ord == math.inf:
        r = _extreme(xp, xp.max, a, axes, keepdims)
    elif ord == -math.inf:
        r = _extreme(xp, xp.min, a, axes, keepdims)
    elif ord == 0:
        r = (x != 0).astype(a.dtype).sum(axis=axes, keepdims=keepdims)
    elif ord == 1:
        r = a.sum(axis=axes, keepdims=keepdims)
    elif ord == 2:
        r = xp.sqrt((a * a).sum(axis=axes, keepdims=keepdims))
    else:
        r = ((a ** ord).sum(axis=axes, keepdims=keepdims)) ** (1.0 / ord)
    return r


def matrix_norm(xp: Any, x: Any, keepdims: bool = False, ord: Any = "fro") -> Any:
    """``x`` floating with two axes or more, ``ord`` one of NumPy's eight ('f' and None read as 'fro')."""
    own = _own(xp, "matrix_norm")
    if own is not None:
        return own(x, keepdims=keepdims, ord=ord)
    if ord in (2, -2, "nuc"):
        s = xp.linalg.svd(x, compute_uv=False)
        r = s.sum(axis=-1) if ord == "nuc" else _extreme(xp, xp.max if ord == 2 else xp.min, s, -1)
    else:
        a = xp.abs(x)
        if ord == "fro":
            r = xp.sqrt((a * a).sum(axis=(-2, -1)))
        else:  # the largest or smallest column sum (ord 1, -1) or row sum (inf, -inf)
            sums = a.sum(axis=-2 if ord in (1, -1) else -1)
            r = _extreme(xp, xp.max if ord in (1, math.inf) else xp.min, sums, -1)
    return r[..., None, None] if keepdims else r


def norm(
    xp: Any, x: Any, ord: float | str | None = None, axis: int | tuple[int, ...] | None = None,
    keepdims: bool = False,
) -> Any:
    return xp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def _unit_rows(xp: Any, m: Any) -> Any:
    n = xp.linalg.norm(m, axis=1, keepdims=True)
    return m / xp.where(n == 0, 1, n)


def cosine_similarity(xp: Any, a: Any, b: Any = None) -> Any:
    b = a if b is None else b
    if a.ndim == 1 and b.ndim == 1:
        den = xp.linalg.norm(a) * xp.linalg.norm(b)
        return xp.where(den == 0, 0, xp.dot(a, b) / xp.where(den == 0, 1, den))[()]
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(1, -1) if b.ndim == 1 else b
    out = _unit_rows(xp, a2) @ _unit_rows(xp, b2).T
    if a.ndim == 1:
        return out[0]
    if b.ndim == 1:
        return out[:, 0]
    return out


def inv(xp: Any, a: Any) -> Any:
    return xp.linalg.inv(a)


def solve(xp: Any, a: Any, b: Any) -> Any:
    return xp.linalg.solve(a, b)


def det(xp: Any, a: Any) -> Any:
    return xp.linalg.det(a)


def complex_dtype(xp: Any, a: Any) -> Any:
    """complex64 for single-precision input, else complex128: the dtype ``eig`` returns."""
    return xp.complex64 if a.dtype in (xp.float32, xp.complex64) else xp.complex128


def eig(xp: Any, a: Any) -> EigResult:
    """Eigenpairs in the solver's order, cast to :func:`complex_dtype` (sorted above the backends)."""
    w, v = xp.linalg.eig(a)
    ct = complex_dtype(xp, a)
    return EigResult(w.astype(ct, copy=False), v.astype(ct, copy=False))


def eigvals(xp: Any, a: Any) -> Any:
    return xp.linalg.eigvals(a).astype(complex_dtype(xp, a), copy=False)


def eigh(xp: Any, a: Any, UPLO: str = "L") -> EigResult:
    w, v = xp.linalg.eigh(a, UPLO=UPLO)
    return EigResult(w, v)


def eigvalsh(xp: Any, a: Any, UPLO: str = "L") -> Any:
    return xp.linalg.eigvalsh(a, UPLO=UPLO)


def sort_eig(xp: Any, w: Any, v: Any = None) -> Any:
    """Sort eigenpairs by descending real part, then descending imaginary part.

    Real parts within sqrt(eps)·max|w| of each other count as equal, so a conjugate pair (whose
    real parts LAPACK's complex and real drivers round differently) always comes out with the
    positive imaginary part first, on every backend.
    """
    if w.shape[-1] == 0:
        return w if v is None else EigResult(w, v)
    eps = numpy.finfo(w.real.dtype).eps
    tol = math.sqrt(eps) * xp.abs(w).max(axis=-1, keepdims=True)
    o1 = xp.argsort(-w.real, axis=-1, kind="stable")
    rs = xp.take_along_axis(w.real, o1, -1)
    step = (rs[..., :-1] - rs[..., 1:]) > tol
    gid = xp.concatenate([xp.zeros(step.shape[:-1] + (1,), dtype=xp.int64), xp.cumsum(step, axis=-1)], axis=-1)
    o2 = xp.argsort(-xp.take_along_axis(w.imag, o1, -1), axis=-1, kind="stable")
    o3 = xp.argsort(xp.take_along_axis(gid, o2, -1), axis=-1, kind="stable")
    order = xp.take_along_axis(o1, xp.take_along_axis(o2, o3, -1), -1)
    w = xp.take_along_axis(w, order, -1)
    if v is None:
        return w
    return EigResult(w, xp.take_along_axis(v, order[..., None, :], -1))
