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

