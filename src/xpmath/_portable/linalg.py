"""Portable linear algebra: the standard's ``matmul``, ``tensordot`` and ``linalg`` extension.

``eig`` is not in the standard: the library's own ``linalg.eig`` runs where it has one (PyTorch,
JAX, array-api-strict), else a :class:`~xpmath.errors.BackendError` names the host route.
"""

from __future__ import annotations

import math
from typing import Any

import numpy

from .._arrays import device_of, numpy_dtype
from .._reference.linalg import EigResult, chain_split
from ..errors import BackendError
from ._common import astype, into, is_complex, native

__all__ = [
    "dot", "matmul", "transpose", "norm", "cosine_similarity",
    "inv", "solve", "det", "eig", "eigvals", "eigh", "eigvalsh",
]
__all__ += [
    "outer", "cross", "tensordot", "vecdot", "multi_dot", "matrix_transpose", "diagonal", "trace",
    "vector_norm", "matrix_norm",
]


def _common(xp: Any, *arrays: Any) -> list[Any]:
    dt = xp.result_type(*arrays)
    return [astype(xp, a, dt) for a in arrays]


def dot(xp: Any, a: Any, b: Any) -> Any:
    a, b = _common(xp, a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim <= 2 and b.ndim <= 2:  # numpy.dot and matmul agree here
        return xp.matmul(a, b)
    return xp.tensordot(a, b, axes=([a.ndim - 1], [max(b.ndim - 2, 0)]))


def matmul(xp: Any, a: Any, b: Any) -> Any:
    a, b = _common(xp, a, b)
    return xp.matmul(a, b)


def transpose(xp: Any, a: Any, axes: Any = None) -> Any:
    order = tuple(range(a.ndim))[::-1] if axes is None else tuple(int(i) % max(a.ndim, 1) for i in axes)
    return xp.permute_dims(a, order)


# ---------------------------------------------------------------- products and norms of numpy.linalg's array API half
# The standard's functions (its linalg extension has all but multi_dot), in NumPy's dtypes: the
# standard defines no products of bools and no promotion across kinds (array-api-strict refuses int64
# with float64), and leaves the trace of small integers in their own type.


def _numpy_type(*arrays: Any) -> numpy.dtype:
    return numpy.result_type(*(numpy_dtype(a.dtype) for a in arrays))


def _promoted(xp: Any, *arrays: Any) -> tuple[numpy.dtype, list[Any]]:
    dt = _numpy_type(*arrays)
    return dt, [astype(xp, a, native(xp, dt)) for a in arrays]


def _product(xp: Any, f: Any, x1: Any, x2: Any) -> Any:
    """``f(x1, x2)`` in NumPy's result dtype; bools as NumPy multiplies them (a sum of products is
    True where any product is), through counts in int64."""
    dt, (a, b) = _promoted(xp, x1, x2)
    if dt.kind == "b":
        return f(xp.astype(a, xp.int64), xp.astype(b, xp.int64)) != 0
    return f(a, b)


def _to_last(xp: Any, a: Any, axis: int) -> Any:
    ax = axis % a.ndim
    if ax == a.ndim - 1:
        return a
    return xp.permute_dims(a, tuple(i for i in range(a.ndim) if i != ax) + (ax,))


def _from_last(xp: Any, a: Any, axis: int) -> Any:
    ax = axis % a.ndim
    if ax == a.ndim - 1:
        return a
    order = list(range(a.ndim - 1))
    order.insert(ax, a.ndim - 1)
    return xp.permute_dims(a, tuple(order))


def outer(xp: Any, x1: Any, x2: Any) -> Any:
    return _product(xp, xp.linalg.outer, x1, x2)


def cross(xp: Any, x1: Any, x2: Any, axis: int = -1) -> Any:
    _, (a, b) = _promoted(xp, x1, x2)
    # NumPy's axis counts in each operand's own axes; the result's, in the broadcast shape's
    a, b = xp.broadcast_arrays(_to_last(xp, a, axis), _to_last(xp, b, axis))
    return _from_last(xp, xp.linalg.cross(a, b, axis=-1), axis)


def tensordot(xp: Any, x1: Any, x2: Any, axes: Any = 2) -> Any:
    pair = (list(axes[0]), list(axes[1]))
    return _product(xp, lambda a, b: xp.tensordot(a, b, axes=pair), x1, x2)


def vecdot(xp: Any, x1: Any, x2: Any, axis: int = -1) -> Any:
    dt, (a, b) = _promoted(xp, x1, x2)
    a, b = _to_last(xp, a, axis), _to_last(xp, b, axis)
    if dt.kind == "b":
        return xp.any(xp.logical_and(a, b), axis=-1)
    return xp.vecdot(a, b, axis=-1)


def multi_dot(xp: Any, arrays: Any, out: Any = None) -> Any:
    """The chain in NumPy's order (:func:`xpmath._reference.linalg.chain_split`), one ``matmul`` a step."""
    first, last = arrays[0].ndim, arrays[-1].ndim
    two = list(arrays)
    if first == 1:
        two[0] = xp.reshape(two[0], (1, -1))
    if last == 1:
        two[-1] = xp.reshape(two[-1], (-1, 1))
    split = chain_split([tuple(a.shape) for a in two])

    def product(i: int, j: int) -> Any:
        if i == j:
            return two[i]
        k = split(i, j)
        return _product(xp, xp.matmul, product(i, k), product(k + 1, j))

    r = into(out, product(0, len(two) - 1))
    if first == 1 and last == 1:
        return r[0, 0]
    return xp.reshape(r, (-1,)) if first == 1 or last == 1 else r


def matrix_transpose(xp: Any, x: Any) -> Any:
    return xp.linalg.matrix_transpose(x) if hasattr(xp.linalg, "matrix_transpose") else xp.matrix_transpose(x)


def diagonal(xp: Any, x: Any, offset: int = 0) -> Any:
    return xp.linalg.diagonal(x, offset=offset)


def trace(xp: Any, x: Any, offset: int = 0, dtype: Any = None) -> Any:
    # NumPy sums in its sum's type: bools and small integers in the default integer (int64)
    dt = numpy.dtype(dtype) if dtype is not None else numpy.trace(numpy.zeros((1, 1), numpy_dtype(x.dtype))).dtype
    if dt.kind == "b":  # the standard sums numbers only: a sum of bools is True where any is
        return xp.linalg.trace(astype(xp, x, xp.int64), offset=offset, dtype=xp.int64) != 0
    d = native(xp, dt)
    return xp.linalg.trace(astype(xp, x, d), offset=offset, dtype=d)


def vector_norm(xp: Any, x: Any, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Any:
    return xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)


def matrix_norm(xp: Any, x: Any, keepdims: bool = False, ord: Any = "fro") -> Any:
    return xp.linalg.matrix_norm(x, keepdims=keepdims, ord=ord)


def _abs2_sum(xp: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    m = xp.abs(x) if is_complex(x) else x
    return xp.sqrt(xp.sum(m * m, axis=axis, keepdims=keepdims))


def norm(xp: Any, x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    nd = x.ndim
    if axis is None:
        if ord is None:  # the 2-norm of every element, whatever the shape
            return _abs2_sum(xp, x, None, keepdims)
        axis = (0,) if nd == 1 else (0, 1)
    axes = axis if isinstance(axis, tuple) else (axis,)
    axes = tuple(int(a) % max(nd, 1) for a in axes)
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        return xp.linalg.vector_norm(x, axis=axes[0], keepdims=keepdims, ord=2 if ord is None else ord)
    if axes[0] == axes[1]:
        raise ValueError("Duplicate axes given.")
    if ord is None or ord == "fro":
        return _abs2_sum(xp, x, axes, keepdims)
    if ord not in ("nuc", 1, -1, 2, -2, math.inf, -math.inf):
        raise ValueError("Invalid norm order for matrices.")
    rest = tuple(i for i in range(nd) if i not in axes)
    r = xp.linalg.matrix_norm(xp.permute_dims(x, rest + axes), ord=ord, keepdims=False)
    if keepdims:
        shape = list(r.shape)
        for a in sorted(axes):
            shape.insert(a, 1)
        r = xp.reshape(r, tuple(shape))
    return r


def _unit_rows(xp: Any, m: Any) -> Any:
    n = xp.linalg.vector_norm(m, axis=1, keepdims=True)
    return m / xp.where(n == 0, xp.ones_like(n), n)


def cosine_similarity(xp: Any, a: Any, b: Any = None) -> Any:
    b = a if b is None else b
    a, b = _common(xp, a, b)
    if a.ndim == 1 and b.ndim == 1:
        den = xp.linalg.vector_norm(a) * xp.linalg.vector_norm(b)
        zero = den == 0
        return xp.where(zero, xp.zeros_like(den), xp.sum(a * b) / xp.where(zero, xp.ones_like(den), den))
    a2 = xp.reshape(a, (1, -1)) if a.ndim == 1 else a
    b2 = xp.reshape(b, (1, -1)) if b.ndim == 1 else b
    out = xp.matmul(_unit_rows(xp, a2), _unit_rows(xp, b2).mT)
    if a.ndim == 1:
        return out[0, ...]
    if b.ndim == 1:
        return out[:, 0]
    return out


def _singular(xp: Any, call: Any, *args: Any) -> Any:
    """``call(*args)``; LAPACK's singular-matrix failure as NumPy's ``LinAlgError`` whether the
    library raises its own class (PyTorch) or returns inf/NaN (JAX): the input was finite."""
    try:
        r = call(*args)
    except Exception as exc:
        if type(exc).__name__.endswith("LinAlgError") or "singular" in str(exc).lower():
            raise numpy.linalg.LinAlgError("Singular matrix") from exc
        raise
    if not bool(xp.all(xp.isfinite(r))):
        raise numpy.linalg.LinAlgError("Singular matrix")
    return r


def inv(xp: Any, a: Any) -> Any:
    return _singular(xp, xp.linalg.inv, a)


def solve(xp: Any, a: Any, b: Any) -> Any:
    a, b = _common(xp, a, b)
    if b.ndim == 1:  # a vector: the standard's solve broadcasts a 1-D b as a stack of rows
        return _singular(xp, xp.linalg.solve, a, xp.reshape(b, (-1, 1)))[..., 0]
    return _singular(xp, xp.linalg.solve, a, b)


def det(xp: Any, a: Any) -> Any:
    return xp.linalg.det(a)


def _complex_dtype(xp: Any, a: Any) -> Any:
    return xp.complex64 if str(a.dtype).endswith(("float32", "complex64")) else xp.complex128


def _library_eig(xp: Any, name: str) -> Any:
    f = getattr(xp.linalg, name, None)
    if f is None:
        lib = xp.__name__.replace("array_api_compat.", "")
        raise BackendError(
            f"{name}: {lib} has no {name} (the array API standard has none); compute it on the host "
            f"with xpmath.linalg.{name}(xpmath.to_numpy(a)) and move the result back with the library's asarray"
        )
    return f


def eig(xp: Any, a: Any) -> EigResult:
    w, v = _library_eig(xp, "eig")(a)
    ct = _complex_dtype(xp, a)
    return EigResult(astype(xp, w, ct), astype(xp, v, ct))


def eigvals(xp: Any, a: Any) -> Any:
    return astype(xp, _library_eig(xp, "eigvals")(a), _complex_dtype(xp, a))


def _hermitian(xp: Any, a: Any, UPLO: str) -> Any:
    """The Hermitian matrix that ``a``'s ``UPLO`` triangle describes (the other triangle is not read)."""
    tri, strict = (xp.tril(a), xp.tril(a, k=-1)) if UPLO == "L" else (xp.triu(a), xp.triu(a, k=1))
    other = strict.mT
    if is_complex(a):
        other = xp.conj(other)
        # the diagonal of a Hermitian matrix is real: its imaginary part is not read
        tri = tri - 1j * xp.astype(xp.imag(tri) * xp.eye(a.shape[-1], dtype=xp.imag(tri).dtype), a.dtype)
    return tri + other


def eigh(xp: Any, a: Any, UPLO: str = "L") -> EigResult:
    w, v = xp.linalg.eigh(_hermitian(xp, a, UPLO))
    return EigResult(w, v)


def eigvalsh(xp: Any, a: Any, UPLO: str = "L") -> Any:
    return xp.linalg.eigvalsh(_hermitian(xp, a, UPLO))


def sort_eig(xp: Any, w: Any, v: Any = None) -> Any:
    """:func:`xpmath._reference.linalg.sort_eig` in the standard's functions."""
    if w.shape[-1] == 0:
        return w if v is None else EigResult(w, v)
    re, im = xp.real(w), xp.imag(w)
    eps = numpy.finfo(numpy.float32 if str(re.dtype).endswith("float32") else numpy.float64).eps
    tol = math.sqrt(eps) * xp.max(xp.abs(w), axis=-1, keepdims=True)
    o1 = xp.argsort(-re, axis=-1, stable=True)
    rs = xp.take_along_axis(re, o1, axis=-1)
    step = xp.astype((rs[..., :-1] - rs[..., 1:]) > tol, xp.int64)
    gid = xp.concat([xp.zeros(step.shape[:-1] + (1,), dtype=xp.int64, device=device_of(w)),
                     xp.cumulative_sum(step, axis=-1)], axis=-1)
    o2 = xp.argsort(-xp.take_along_axis(im, o1, axis=-1), axis=-1, stable=True)
    o3 = xp.argsort(xp.take_along_axis(gid, o2, axis=-1), axis=-1, stable=True)
    order = xp.take_along_axis(o1, xp.take_along_axis(o2, o3, axis=-1), axis=-1)
    w = xp.take_along_axis(w, order, axis=-1)
    if v is None:
        return w
    idx = xp.broadcast_to(order[..., None, :], v.shape)
    return EigResult(w, xp.take_along_axis(v, idx, axis=-1))



# ---------------------------------------------------------------- factorisations, least squares, matrix functions
# The standard's svd, svdvals, qr, cholesky(upper=), slogdet where they fit; NumPy's formulations in
# the standard's functions where it has none (hermitian SVD by eigh, lstsq, cond and matrix_rank by
# the singular values, qr's 'raw' mode by Householder reflections as LAPACK's geqrf, tensor forms by
# reshape). A library's own LinAlgError, or the NaN a library returns instead of raising, becomes
# NumPy's LinAlgError (the public layer raises it as xpmath's).

__all__ += [
    "svd", "svdvals", "qr", "cholesky", "lstsq", "pinv", "slogdet", "matrix_rank", "cond", "matrix_power",
    "tensorinv", "tensorsolve", "randomized_svd",
]


def _finite(xp: Any, a: Any) -> bool:
    return bool(xp.all(xp.isfinite(a)))


def _lapack_failure(exc: Exception) -> bool:
    return type(exc).__name__.endswith("LinAlgError")


def _conj(xp: Any, a: Any) -> Any:
    return xp.conj(a) if is_complex(a) else a


def _device(a: Any) -> dict:
    return {"device": device_of(a)}


def _svd_by_eigh(xp: Any, a: Any, compute_uv: bool) -> Any:
    """NumPy's ``svd(a, hermitian=True)``: the eigen-decomposition of the Hermitian matrix of ``a``'s
    lower triangle, its values' moduli in descending order (ties as NumPy's sort leaves them), their
    signs moved into ``Vh``."""
    h = _hermitian(xp, a, "L")
    if not compute_uv:
        return xp.flip(xp.sort(xp.abs(xp.linalg.eigvalsh(h)), axis=-1), axis=-1)
    w, u = xp.linalg.eigh(h)
    sgn = xp.copysign(xp.ones_like(w), w)
    s = xp.abs(w)
    order = xp.flip(xp.argsort(s, axis=-1, stable=True), axis=-1)
    s = xp.take_along_axis(s, order, axis=-1)
    sgn = xp.take_along_axis(sgn, order, axis=-1)
    u = xp.take_along_axis(u, xp.broadcast_to(order[..., None, :], u.shape), axis=-1)
    return u, s, _conj(xp, (u * astype(xp, sgn, u.dtype)[..., None, :]).mT)


def _empty_svd(xp: Any, a: Any, full_matrices: bool, compute_uv: bool) -> Any:
    """NumPy's SVD of no data: no singular values; identity factors where they are square."""
    *batch, m, n = a.shape
    batch = tuple(batch)
    k = min(m, n)
    real = xp.float32 if str(a.dtype).endswith(("float32", "complex64")) else xp.float64
    s = xp.zeros(batch + (k,), dtype=real, **_device(a))
    if not compute_uv:
        return s
    if full_matrices:
        u = xp.broadcast_to(xp.eye(m, dtype=a.dtype, **_device(a)), batch + (m, m))
        vh = xp.broadcast_to(xp.eye(n, dtype=a.dtype, **_device(a)), batch + (n, n))
    else:
        u = xp.zeros(batch + (m, k), dtype=a.dtype, **_device(a))
        vh = xp.zeros(batch + (k, n), dtype=a.dtype, **_device(a))
    return u, s, vh


def svd(xp: Any, a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Any:
    if hermitian:
        return _svd_by_eigh(xp, a, compute_uv)
    if math.prod(a.shape) == 0:
        return _empty_svd(xp, a, full_matrices, compute_uv)
    try:
        if not compute_uv:
            return xp.linalg.svdvals(a)
        return tuple(xp.linalg.svd(a, full_matrices=full_matrices))
    except Exception as exc:
        if _lapack_failure(exc) or "converge" in str(exc).lower():
            raise numpy.linalg.LinAlgError("SVD did not converge") from exc
        raise


def svdvals(xp: Any, x: Any) -> Any:
    return svd(xp, x, compute_uv=False)


def _householder(xp: Any, a: Any) -> tuple[Any, Any]:
    """LAPACK's ``geqrf`` in the standard's functions (xLARFG's reflectors, applied as xGEQR2 does):
    ``(h, tau)`` with ``h`` each factor transposed, as NumPy's ``qr(a, 'raw')`` gives it."""
    *batch, m, n = a.shape
    k = min(m, n)
    dev = _device(a)
    rows = xp.arange(m, **dev)
    cols = xp.arange(n, **dev)
    r = a
    low = xp.zeros(a.shape, dtype=a.dtype, **dev)  # the reflectors' tails, below the diagonal
    taus = []
    for j in range(k):
        col = r[..., :, j]
        below = rows > j
        alpha = col[..., j]
        tail = xp.where(below, col, xp.zeros_like(col))
        xnorm = xp.linalg.vector_norm(tail, axis=-1)
        alphr = xp.real(alpha) if is_complex(a) else alpha
        alphi = xp.imag(alpha) if is_complex(a) else xp.zeros_like(alphr)
        keep = (xnorm == 0) & (alphi == 0)  # H = I: nothing to annihilate
        norm = xp.sqrt(xp.abs(alpha) ** 2 + xnorm ** 2)
        beta = -xp.copysign(norm, alphr)
        beta = xp.where(keep, alphr, beta)
        safe = xp.where(keep, xp.ones_like(beta), beta)
        betac = astype(xp, beta, a.dtype)
        tau = xp.where(keep, xp.zeros_like(alpha), (betac - alpha) / astype(xp, safe, a.dtype))
        denom = xp.where(keep, xp.ones_like(alpha), alpha - betac)
        v = xp.where(below, col / denom[..., None], xp.zeros_like(col))
        v = xp.where(rows == j, xp.ones_like(col), v)  # v = (0..0, 1, x / (alpha - beta))
        # apply H^H = I - conj(tau) v v^H from the left (columns before j are zero in these rows)
        w = xp.sum(_conj(xp, v)[..., :, None] * r, axis=-2)
        r = r - (_conj(xp, tau)[..., None, None] * v[..., :, None]) * w[..., None, :]
        newcol = xp.where(rows < j, col, xp.zeros_like(col))
        newcol = xp.where(rows == j, betac[..., None], newcol)
        r = xp.where(cols == j, newcol[..., :, None], r)
        low = xp.where((cols == j) & (rows[:, None] > j), xp.where(keep[..., None], tail, v)[..., :, None], low)
        taus.append(tau)
    upper = rows[:, None] <= cols
    h = xp.where(upper, r, low)
    tau = xp.stack(taus, axis=-1) if taus else xp.zeros(tuple(batch) + (0,), dtype=a.dtype, **dev)
    return h.mT, tau


def qr(xp: Any, a: Any, mode: str = "reduced") -> Any:
    if mode == "raw":
        return _householder(xp, a)
    *batch, m, n = a.shape
    if math.prod(a.shape) == 0:  # NumPy's factors of no data: an identity Q where it is square
        k = m if mode == "complete" else min(m, n)
        q = xp.broadcast_to(xp.eye(m, k, dtype=a.dtype, **_device(a)), tuple(batch) + (m, k))
        r = xp.zeros(tuple(batch) + (k, n), dtype=a.dtype, **_device(a))
        return r if mode == "r" else (q, r)
    q, r = xp.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
    return r if mode == "r" else (q, r)


def cholesky(xp: Any, a: Any, upper: bool = False) -> Any:
    h = _hermitian(xp, a, "U" if upper else "L")  # NumPy reads one triangle (JAX would average both)
    try:
        r = xp.linalg.cholesky(h, upper=upper)
    except Exception as exc:
        if _lapack_failure(exc) or "positive" in str(exc).lower():
            raise numpy.linalg.LinAlgError("Matrix is not positive definite") from exc
        raise
    if not _finite(xp, r) and _finite(xp, a):  # JAX: NaN instead of an error
        raise numpy.linalg.LinAlgError("Matrix is not positive definite")
    return r


def lstsq(xp: Any, a: Any, b: Any, rcond: Any = None) -> tuple:
    """LAPACK's ``gelsd`` by the standard's SVD: the minimum-norm solution, singular values at most
    ``rcond`` times the largest dropped (``rcond < 0``: the machine precision)."""
    a, b = _common(xp, a, b)
    vec = b.ndim == 1
    b2 = xp.reshape(b, (-1, 1)) if vec else b
    m, n = a.shape
    real = xp.float32 if str(a.dtype).endswith(("float32", "complex64")) else xp.float64
    eps = float(numpy.finfo(numpy.float32 if real == xp.float32 else numpy.float64).eps)
    rcond = eps * max(m, n) if rcond is None else (eps if rcond < 0 else rcond)
    dev = _device(a)
    if min(m, n) == 0:
        s = xp.zeros((0,), dtype=real, **dev)
        x = xp.zeros((n, b2.shape[1]), dtype=a.dtype, **dev)
        rank = xp.asarray(0, dtype=xp.int32, **dev)
    else:
        u, s, vh = svd(xp, a, full_matrices=False)
        keep = s > rcond * s[0]
        inv_s = xp.where(keep, 1 / xp.where(keep, s, xp.ones_like(s)), xp.zeros_like(s))
        x = xp.matmul(_conj(xp, vh).mT, astype(xp, inv_s, a.dtype)[:, None] * xp.matmul(_conj(xp, u).mT, b2))
        rank = astype(xp, xp.sum(astype(xp, keep, xp.int32)), xp.int32)
    if m > n and int(rank) == n:
        r = b2 - xp.matmul(a, x)
        resids = xp.sum(astype(xp, xp.abs(r), real) ** 2, axis=0)
    else:
        resids = xp.zeros((0,), dtype=real, **dev)
    return (x[:, 0] if vec else x), resids, rank, s


def pinv(xp: Any, a: Any, rcond: Any = None, hermitian: bool = False, rtol: Any = numpy._NoValue) -> Any:
    from .._reference.linalg import pinv_cutoff

    real = xp.float32 if str(a.dtype).endswith(("float32", "complex64")) else xp.float64
    cut = pinv_cutoff(rcond, rtol, a.shape, numpy.float32 if real == xp.float32 else numpy.float64)
    u, s, vt = svd(xp, _conj(xp, a), full_matrices=False, hermitian=hermitian)
    rc = xp.asarray(numpy.asarray(cut, dtype=numpy.float64), dtype=real, **_device(a))
    cutoff = rc[..., None] * xp.max(s, axis=-1, keepdims=True)
    large = s > cutoff
    s = xp.where(large, 1 / xp.where(large, s, xp.ones_like(s)), xp.zeros_like(s))
    return xp.matmul(vt.mT, astype(xp, s, a.dtype)[..., None] * u.mT)


def slogdet(xp: Any, a: Any) -> tuple:
    sign, logabsdet = xp.linalg.slogdet(a)
    return sign, logabsdet


def matrix_rank(xp: Any, A: Any, tol: Any = None, hermitian: bool = False, rtol: Any = None) -> Any:
    S = svd(xp, A, compute_uv=False, hermitian=hermitian)
    dev = _device(A)
    if tol is None:
        if rtol is None:
            f = numpy.float32 if str(S.dtype).endswith("float32") else numpy.float64
            rt = xp.asarray(max(A.shape[-2:]) * float(numpy.finfo(f).eps), dtype=S.dtype, **dev)
        else:
            rt = xp.asarray(numpy.asarray(rtol, dtype=numpy.float64), dtype=S.dtype, **dev)[..., None]
        smax = xp.max(S, axis=-1, keepdims=True) if S.shape[-1] else xp.zeros(S.shape[:-1] + (1,), dtype=S.dtype, **dev)
        cut = smax * rt
    else:
        cut = xp.asarray(numpy.asarray(tol, dtype=numpy.float64), dtype=S.dtype, **dev)[..., None]
    return xp.sum(astype(xp, S > cut, xp.int64), axis=-1)


def _inv_nan(xp: Any, x: Any) -> Any:
    """The inverse of each matrix, NaN where one is singular (NumPy's cond ignores the failure)."""
    try:
        ix = xp.linalg.inv(x)
    except Exception as exc:
        if not (_lapack_failure(exc) or "singular" in str(exc).lower()):
            raise
        *batch, n, _ = x.shape
        flat = xp.reshape(x, (-1, n, n))
        parts = []
        for i in range(flat.shape[0]):
            try:
                parts.append(xp.linalg.inv(flat[i, ...]))
            except Exception:
                parts.append(xp.full((n, n), math.nan, dtype=x.dtype, **_device(x)))
        ix = xp.reshape(xp.stack(parts), x.shape)
    ok = xp.all(xp.isfinite(ix), axis=(-2, -1))
    return xp.where(ok[..., None, None], ix, xp.full_like(ix, math.nan))


def cond(xp: Any, x: Any, p: Any = None) -> Any:
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = svd(xp, x, compute_uv=False)
        r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    else:
        real = xp.float32 if str(x.dtype).endswith(("float32", "complex64")) else xp.float64
        r = astype(xp, xp.linalg.matrix_norm(x, ord=p) * xp.linalg.matrix_norm(_inv_nan(xp, x), ord=p), real)
    bad = xp.isnan(r) & ~xp.any(xp.isnan(x), axis=(-2, -1))
    return xp.where(bad, xp.full_like(r, math.inf), r)


def _inverse(xp: Any, a: Any) -> Any:
    """``inv(a)`` as NumPy's: LinAlgError for an exactly singular matrix; NaN in, NaN out."""
    try:
        r = xp.linalg.inv(a)
    except Exception as exc:
        if _lapack_failure(exc) or "singular" in str(exc).lower():
            raise numpy.linalg.LinAlgError("Singular matrix") from exc
        raise
    if not _finite(xp, r) and _finite(xp, a):
        raise numpy.linalg.LinAlgError("Singular matrix")
    return r


def matrix_power(xp: Any, a: Any, n: int) -> Any:
    """NumPy's repeated squaring; bool matrices multiply as integers, nonzero meaning True."""
    if n == 0:
        return xp.broadcast_to(xp.eye(a.shape[-1], dtype=a.dtype, **_device(a)), a.shape)
    if n < 0:
        a = _inverse(xp, a)
        n = -n
    if n == 1:
        return a
    boolean = str(a.dtype).endswith("bool")
    x = astype(xp, a, xp.int64) if boolean else a
    z = result = None
    while n > 0:
        z = x if z is None else xp.matmul(z, z)
        if boolean:
            z = astype(xp, z != 0, xp.int64)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else xp.matmul(result, z)
            if boolean:
                result = astype(xp, result != 0, xp.int64)
    return result != 0 if boolean else result


def tensorinv(xp: Any, a: Any, ind: int = 2) -> Any:
    old = a.shape
    rows = math.prod(old[ind:])
    return xp.reshape(_inverse(xp, xp.reshape(a, (rows, -1))), old[ind:] + old[:ind])


def tensorsolve(xp: Any, a: Any, b: Any, axes: Any = None) -> Any:
    a, b = _common(xp, a, b)
    an = a.ndim
    if axes is not None:
        order = list(range(an))
        for k in axes:
            order.remove(k)
            order.insert(an, k)
        a = xp.permute_dims(a, tuple(order))
    old = a.shape[-(an - b.ndim):]
    k = math.prod(old)
    m = xp.reshape(a, (k, k))
    try:
        x = xp.linalg.solve(m, xp.reshape(b, (-1, 1)))[:, 0]
    except Exception as exc:
        if _lapack_failure(exc) or "singular" in str(exc).lower():
            raise numpy.linalg.LinAlgError("Singular matrix") from exc
        raise
    if not _finite(xp, x) and _finite(xp, m) and _finite(xp, b):
        raise numpy.linalg.LinAlgError("Singular matrix")
    return xp.reshape(x, old)


def randomized_svd(
    xp: Any, a: Any, n_components: int, *, n_oversamples: int = 10, n_iter: int = 4,
    power_iteration_normalizer: str = "auto", random_state: Any = None,
) -> tuple[Any, Any, Any]:
    """scikit-learn's ``randomized_svd`` as it runs under the array API: its random matrix (NumPy's
    RandomState, moved to the array's device), QR between power iterations (the standard has no LU)."""
    from .._reference.linalg import check_random_state

    rs = check_random_state(random_state)
    transpose = a.shape[0] < a.shape[1]
    m = a.mT if transpose else a
    q = rs.normal(size=(m.shape[1], n_components + n_oversamples))
    if str(m.dtype).endswith("float32"):
        q = q.astype(numpy.float32)
    q = xp.asarray(q, **_device(a))
    if power_iteration_normalizer == "none" or (power_iteration_normalizer == "auto" and n_iter <= 2):
        normalise = lambda y: y  # noqa: E731
    else:
        normalise = lambda y: xp.linalg.qr(y)[0]  # noqa: E731
    for _ in range(n_iter):
        q = normalise(m @ q)
        q = normalise(m.mT @ q)
    q = xp.linalg.qr(m @ q)[0]
    uhat, s, vt = xp.linalg.svd(q.mT @ m, full_matrices=False)
    u = q @ uhat
    if transpose:
        return vt[:n_components, :].mT, s[:n_components], u[:, :n_components].mT
    return u[:, :n_components], s[:n_components], vt[:n_components, :]
