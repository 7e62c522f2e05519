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
