"""Reference linear algebra: ``xp.linalg``'s own calls, plus the eigenpair order every backend shares."""

from __future__ import annotations

import functools
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


try:  # NumPy's own LAPACK gufunc behind numpy.linalg.inv (a private module NumPy has kept since 1.8)
    from numpy.linalg import _umath_linalg as _gufuncs

    _gufunc_inv = _gufuncs.inv
except (ImportError, AttributeError):  # pragma: no cover - a NumPy without it: its public inv
    _gufunc_inv = None


def _singular(err: Any, flag: Any) -> None:
    raise numpy.linalg.LinAlgError("Singular matrix")


def numpy_inv(a: Any) -> Any:
    """``numpy.linalg.inv`` of an input the public layer has already checked (a float or complex
    ndarray, square): the same gufunc, signature and error state as NumPy's, without NumPy
    re-checking the input. On a 2x2 that re-check is a third of NumPy's call."""
    if _gufunc_inv is None or a.size == 0 or type(a) is not numpy.ndarray:
        return numpy.linalg.inv(a)
    sig = "D->D" if a.dtype.kind == "c" else "d->d"  # NumPy computes in double, then casts back
    with numpy.errstate(call=_singular, invalid="call", over="ignore", divide="ignore", under="ignore"):
        r = _gufunc_inv(a, signature=sig)
    return r if a.dtype.char in "dD" else r.astype(a.dtype.char, copy=False)  # in native byte order


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


# ---------------------------------------------------------------- factorisations, least squares, matrix functions
# The result types users receive (NumPy 2 keeps its own in numpy.linalg._linalg, out of its public
# namespace); each primitive below is numpy.linalg's own call, so on NumPy it *is* NumPy. Below
# them, the formulations the backends use where their library's function lacks one of NumPy's
# keywords (CuPy's svd has no hermitian=, its cholesky no upper=), written once on ``xp``.

__all__ += [
    "svd", "svdvals", "qr", "cholesky", "lstsq", "pinv", "slogdet", "matrix_rank", "cond", "matrix_power",
    "tensorinv", "tensorsolve", "randomized_svd",
]

#: NumPy 2's "not given" default (pinv's ``rtol``)
NoValue: Any = numpy._NoValue


class EighResult(NamedTuple):
    """``(eigenvalues, eigenvectors)`` of a Hermitian matrix, as NumPy's ``EighResult``.

    Attributes
    ----------
    eigenvalues : array, shape (..., n)
        The eigenvalues, real, in ascending order.
    eigenvectors : array, shape (..., n, n)
        Orthonormal columns: ``eigenvectors[..., :, i]`` belongs to ``eigenvalues[..., i]``.
    """

    eigenvalues: Any
    eigenvectors: Any


class SVDResult(NamedTuple):
    """``(U, S, Vh)`` with ``a == (U * S[..., None, :]) @ Vh``, as NumPy's ``SVDResult``.

    Attributes
    ----------
    U : array, shape (..., M, M) or (..., M, K)
        Left singular vectors as columns (unitary).
    S : array, shape (..., K)
        Singular values, real, in descending order (``K = min(M, N)``).
    Vh : array, shape (..., N, N) or (..., K, N)
        Right singular vectors as rows (unitary).
    """

    U: Any
    S: Any
    Vh: Any


class QRResult(NamedTuple):
    """``(Q, R)`` with ``a == Q @ R``, as NumPy's ``QRResult``.

    Attributes
    ----------
    Q : array, shape (..., M, K) or (..., M, M)
        Orthonormal columns.
    R : array, shape (..., K, N) or (..., M, N)
        Upper triangular.
    """

    Q: Any
    R: Any


class SlogdetResult(NamedTuple):
    """``(sign, logabsdet)`` with ``det == sign * exp(logabsdet)``, as NumPy's ``SlogdetResult``.

    Attributes
    ----------
    sign : array or scalar, shape (...)
        The determinant's sign (of modulus 1; complex for complex input), 0 for a singular matrix.
    logabsdet : array or scalar, shape (...)
        The natural logarithm of the determinant's absolute value (``-inf`` for a singular matrix).
    """

    sign: Any
    logabsdet: Any


def svd(xp: Any, a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Any:
    return xp.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv, hermitian=hermitian)


def svdvals(xp: Any, x: Any) -> Any:
    return xp.linalg.svdvals(x)


def qr(xp: Any, a: Any, mode: str = "reduced") -> Any:
    return xp.linalg.qr(a, mode=mode)


def cholesky(xp: Any, a: Any, upper: bool = False) -> Any:
    return xp.linalg.cholesky(a, upper=upper)


def lstsq(xp: Any, a: Any, b: Any, rcond: Any = None) -> tuple:
    return xp.linalg.lstsq(a, b, rcond=rcond)


def pinv(xp: Any, a: Any, rcond: Any = None, hermitian: bool = False, rtol: Any = NoValue) -> Any:
    return xp.linalg.pinv(a, rcond=rcond, hermitian=hermitian, rtol=rtol)


def slogdet(xp: Any, a: Any) -> tuple:
    return xp.linalg.slogdet(a)


def matrix_rank(xp: Any, A: Any, tol: Any = None, hermitian: bool = False, rtol: Any = None) -> Any:
    return xp.linalg.matrix_rank(A, tol=tol, hermitian=hermitian, rtol=rtol)


def cond(xp: Any, x: Any, p: Any = None) -> Any:
    return xp.linalg.cond(x, p)


def matrix_power(xp: Any, a: Any, n: int) -> Any:
    return xp.linalg.matrix_power(a, n)


def tensorinv(xp: Any, a: Any, ind: int = 2) -> Any:
    return xp.linalg.tensorinv(a, ind=ind)


def tensorsolve(xp: Any, a: Any, b: Any, axes: Any = None) -> Any:
    return xp.linalg.tensorsolve(a, b, axes=axes)


def check_random_state(seed: Any) -> numpy.random.RandomState:
    """scikit-learn's ``check_random_state``: None is NumPy's global RandomState, an int seeds a new
    one, a RandomState is used as it is."""
    if seed is None or seed is numpy.random:
        return numpy.random.mtrand._rand
    if isinstance(seed, numpy.random.RandomState):
        return seed
    if isinstance(seed, (int, numpy.integer)):
        return numpy.random.RandomState(seed)
    raise ValueError(f"{seed!r} cannot be used to seed a numpy.random.RandomState instance")


def randomized_svd(
    xp: Any, a: Any, n_components: int, *, n_oversamples: int = 10, n_iter: int = 4,
    power_iteration_normalizer: str = "auto", random_state: Any = None,
) -> tuple[Any, Any, Any]:
    """A truncated SVD by randomized range finding (Halko, Martinsson and Tropp, 2011), as
    scikit-learn's ``randomized_svd(..., transpose="auto", flip_sign=False)``: the same random
    matrix (NumPy's RandomState on the host), the same normalisers (SciPy's LU and QR on NumPy,
    the namespace's QR elsewhere, as scikit-learn under the array API), so on NumPy the same numbers."""
    rs = check_random_state(random_state)
    n_random = n_components + n_oversamples
    transpose = a.shape[0] < a.shape[1]
    m = a.T if transpose else a
    q = rs.normal(size=(m.shape[1], n_random))
    if m.dtype == numpy.float32:
        q = q.astype(numpy.float32, copy=False)
    q = xp.asarray(q)
    scipy_linalg = _scipy_linalg(xp)
    if scipy_linalg is not None:
        qr_ = functools.partial(scipy_linalg.qr, mode="economic", check_finite=False)
    else:
        qr_ = functools.partial(xp.linalg.qr, mode="reduced")
    norm = power_iteration_normalizer
    if norm == "auto":
        norm = "none" if n_iter <= 2 else ("LU" if scipy_linalg is not None else "QR")
    if norm == "LU" and scipy_linalg is not None:
        normalise = functools.partial(scipy_linalg.lu, permute_l=True, check_finite=False)
    elif norm in ("LU", "QR"):
        normalise = qr_
    else:
        normalise = lambda x: (x, None)  # noqa: E731
    for _ in range(n_iter):
        q, _ = normalise(m @ q)
        q, _ = normalise(m.T @ q)
    q, _ = qr_(m @ q)
    b = q.T @ m
    if scipy_linalg is not None:
        uhat, s, vt = scipy_linalg.svd(b, full_matrices=False, lapack_driver="gesdd")
    else:
        uhat, s, vt = xp.linalg.svd(b, full_matrices=False)
    u = q @ uhat
    if transpose:
        return vt[:n_components, :].T, s[:n_components], u[:, :n_components].T
    return u[:, :n_components], s[:n_components], vt[:n_components, :]


def _scipy_linalg(xp: Any) -> Any:
    """SciPy's linalg for NumPy arrays (scikit-learn's choice there), else None."""
    if xp is not numpy:
        return None
    import scipy.linalg

    return scipy.linalg


def svd_by_eigh(xp: Any, eigh: Any, eigvalsh: Any, a: Any, compute_uv: bool = True) -> Any:
    """NumPy's ``svd(a, hermitian=True)``: the eigen-decomposition, its values' moduli in descending
    order, their signs moved into ``Vh``. ``eigh(a)`` and ``eigvalsh(a)`` are the backend's own
    (reading ``a``'s lower triangle)."""
    if not compute_uv:
        return xp.sort(abs(eigvalsh(a)), axis=-1)[..., ::-1]
    w, u = eigh(a)
    sgn = xp.copysign(1.0, w).astype(w.dtype, copy=False)
    s = abs(w)
    sidx = xp.argsort(s, axis=-1)[..., ::-1]
    sgn = xp.take_along_axis(sgn, sidx, axis=-1)
    s = xp.take_along_axis(s, sidx, axis=-1)
    u = xp.take_along_axis(u, sidx[..., None, :], axis=-1)
    vt = xp.swapaxes(u * sgn[..., None, :], -1, -2).conj()
    return SVDResult(u, s, vt)


def pinv_cutoff(rcond: Any, rtol: Any, shape: tuple, dtype: Any) -> Any:
    """The relative cutoff NumPy's ``pinv`` applies, from its ``rcond`` and ``rtol``."""
    if rcond is None:
        if rtol is NoValue:
            return 1e-15
        if rtol is None:
            return max(shape[-2:]) * numpy.finfo(dtype).eps
        return rtol
    return rcond


def pinv_by_svd(xp: Any, svd_: Any, a: Any, rcond: Any, hermitian: bool = False) -> Any:
    """NumPy's ``pinv`` from the backend's ``svd_(a, full_matrices, compute_uv, hermitian)``."""
    u, s, vt = svd_(a.conj(), False, True, hermitian)
    cutoff = xp.asarray(rcond)[..., None] * s.max(axis=-1, keepdims=True)
    large = s > cutoff
    s = xp.where(large, 1 / xp.where(large, s, 1), 0).astype(s.dtype, copy=False)
    return xp.matmul(xp.swapaxes(vt, -1, -2), s[..., None] * xp.swapaxes(u, -1, -2))


def rank_by_svd(xp: Any, svd_: Any, A: Any, tol: Any = None, hermitian: bool = False, rtol: Any = None) -> Any:
    """NumPy's ``matrix_rank`` (of a stack of matrices) from the backend's ``svd_``."""
    S = svd_(A, True, False, hermitian)
    if tol is None:
        if rtol is None:
            rtol = max(A.shape[-2:]) * numpy.finfo(S.dtype).eps
        else:
            rtol = xp.asarray(rtol)[..., None]
        smax = S.max(axis=-1, keepdims=True) if S.shape[-1] else xp.zeros(S.shape[:-1] + (1,), S.dtype)
        tol = smax * rtol
    else:
        tol = xp.asarray(tol)[..., None]
    return xp.count_nonzero(S > tol, axis=-1).astype(numpy.intp, copy=False)


def lstsq_by_svd(xp: Any, svd_: Any, a: Any, b: Any, rcond: Any = None) -> tuple:
    """NumPy's ``lstsq`` (LAPACK's ``gelsd``: the minimum-norm solution, singular values at most
    ``rcond`` times the largest treated as zero, ``rcond < 0`` meaning the machine precision) from the
    backend's ``svd_``; ``(x, residuals, rank, s)`` with ``rank`` a 0-d int32 array."""
    vec = b.ndim == 1
    b2 = b[:, None] if vec else b
    dt = xp.result_type(a.dtype, b2.dtype)
    a, b2 = a.astype(dt, copy=False), b2.astype(dt, copy=False)
    m, n = a.shape
    real = numpy.finfo(dt).dtype
    eps = numpy.finfo(dt).eps
    rcond = eps * max(m, n) if rcond is None else (eps if rcond < 0 else rcond)
    if min(m, n) == 0:
        s = xp.zeros((0,), real)
        x = xp.zeros((n, b2.shape[1]), dt)
        rank = xp.asarray(0, dtype=numpy.int32)
    else:
        u, s, vh = svd_(a, False, True, False)
        keep = s > rcond * s[0]
        inv_s = xp.where(keep, 1 / xp.where(keep, s, 1), 0).astype(real, copy=False)
        x = xp.matmul(vh.conj().T, inv_s[:, None] * xp.matmul(u.conj().T, b2))
        rank = keep.sum().astype(numpy.int32)
    if m > n and int(rank) == n:
        r = b2 - xp.matmul(a, x)
        resids = (abs(r) ** 2).sum(axis=0).astype(real, copy=False)
    else:
        resids = xp.zeros((0,), real)
    return (x[:, 0] if vec else x), resids, rank, s


def cond_by(xp: Any, svd_: Any, inv_: Any, x: Any, p: Any = None) -> Any:
    """NumPy's ``cond``: the ratio of extreme singular values for ``p`` None or ±2, else
    ``norm(x, p) * norm(inv(x), p)`` with ``inv_`` giving NaN where a matrix is singular; a NaN
    that does not come from a NaN of ``x`` is infinity."""
    real = numpy.finfo(x.dtype).dtype
    if p is None or p in (2, -2):
        s = svd_(x, True, False, False)
        with numpy.errstate(all="ignore"):
            r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    else:
        with numpy.errstate(all="ignore"):
            ix = inv_(x)
            ix = xp.where(xp.isfinite(ix).all(axis=(-2, -1))[..., None, None], ix, numpy.nan)  # singular: NaN
            r = (_matrix_norm(xp, x, p) * _matrix_norm(xp, ix, p)).astype(real, copy=False)
    bad = xp.isnan(r) & ~xp.isnan(x).any(axis=(-2, -1))
    return xp.where(bad, xp.asarray(numpy.inf, dtype=real), r)


def _matrix_norm(xp: Any, x: Any, p: Any) -> Any:
    a = abs(x)
    if p == "fro":
        return xp.sqrt((a * a).sum(axis=(-2, -1)))
    if p == "nuc":
        return xp.linalg.svd(x, compute_uv=False).sum(axis=-1)
    if p in (1, -1):
        col = a.sum(axis=-2)
        return col.max(axis=-1) if p == 1 else col.min(axis=-1)
    row = a.sum(axis=-1)  # p is inf or -inf
    return row.max(axis=-1) if p > 0 else row.min(axis=-1)


def power_by_squaring(xp: Any, inv_: Any, a: Any, n: int) -> Any:
    """NumPy's ``matrix_power``: the identity for 0, ``inv_(a)`` raised for a negative power, else
    products of repeated squares (bit by bit of ``n``)."""
    if n == 0:
        return xp.broadcast_to(xp.eye(a.shape[-1], dtype=a.dtype), a.shape).copy()
    if n < 0:
        a = inv_(a)
        n = -n
    if n == 1:
        return a
    z = result = None
    while n > 0:
        z = a if z is None else xp.matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else xp.matmul(result, z)
    return result


def tensorinv_by(inv_: Any, a: Any, ind: int = 2) -> Any:
    """NumPy's ``tensorinv``: ``a`` as a ``prod(a.shape[ind:])``-row matrix, inverted, reshaped."""
    old = a.shape
    rows = math.prod(old[ind:])
    return inv_(a.reshape(rows, -1)).reshape(old[ind:] + old[:ind])


def tensorsolve_by(solve_: Any, a: Any, b: Any, axes: Any = None) -> Any:
    """NumPy's ``tensorsolve``: ``a`` with ``axes`` moved last, as a square matrix; ``b`` as a vector."""
    an = a.ndim
    if axes is not None:
        order = list(range(an))
        for k in axes:
            order.remove(k)
            order.insert(an, k)
        a = a.transpose(order)
    old = a.shape[-(an - b.ndim):]
    k = math.prod(old)
    return solve_(a.reshape(k, k), b.reshape(-1)).reshape(old)
