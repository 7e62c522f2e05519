"""Every input check and dtype rule, used only by the public modules.

Checks run once, before any backend kernel, so every backend raises the same error with the same
message for the same input. Messages name the function, the offending shapes or values, and the fix.
"""

from __future__ import annotations

import math
import numbers
import operator
import os
from typing import TYPE_CHECKING, Any, NoReturn

import numpy

from . import _config
from ._arrays import astype as _astype
from ._arrays import _library, device_of, is_foreign, kind, numpy_dtype
from ._arrays import size as _size
from ._arrays import to_numpy as _to_numpy
from .errors import (
    AxisError,
    DeviceMemoryError,
    DomainError,
    EmptyInputError,
    FileFormatError,
    LinAlgError,
    MissingFileError,
    NonFiniteError,
    ShapeError,
    SingularMatrixError,
    XPMathError,
    XPMathTypeError,
)

if TYPE_CHECKING:
    from ._protocol import Backend

_NUMERIC = frozenset("biufc")
_ndarray = numpy.ndarray


def array(be: Backend, x: Any, fn: str, name: str = "x") -> Any:
    """``x`` as an array of backend ``be``; non-numeric input raises XPMathTypeError."""
    t = type(x)
    if t is _ndarray and be.array_type is _ndarray:  # the common case, checked first
        dt = x.dtype
        if dt.kind in _NUMERIC and dt.isnative:
            return x
    if t is not be.array_type:
        try:
            x = be.asarray(x)
        except TypeError as exc:
            raise _not_numeric(fn, name, f"{type(x).__name__} ({exc})") from exc
        except ValueError as exc:  # a ragged list: NumPy's ValueError
            raise DomainError(f"{fn}: {name} is not a regular array ({exc})") from exc
    if kind(x.dtype) not in _NUMERIC:
        raise _not_numeric(fn, name, f"dtype {x.dtype}")
    if not getattr(x.dtype, "isnative", True):  # kernels and device copies take native byte order only
        x = x.astype(x.dtype.newbyteorder("="))
    return x


class WeightsShapeError(ShapeError, RuntimeError):
    """cov's weights of the wrong shape: NumPy raises RuntimeError there."""


def _not_numeric(fn: str, name: str, what: str) -> XPMathTypeError:
    # worded so that NumPy's and SciPy's own tests of this error recognise it
    return XPMathTypeError(
        f"{fn}: Argument `{name}` is not recognized as numeric. Cannot interpret {what} as numbers "
        "(bool, int, float or complex); convert strings with float() or numpy.asarray(..., dtype=float) first"
    )


def float_array(be: Backend, x: Any, fn: str, name: str = "x") -> Any:
    """Like :func:`array`, with integer and bool input cast to float64."""
    if type(x) is be.array_type and kind(x.dtype) in "fc" and getattr(x.dtype, "isnative", True):  # the common case
        return x
    a = array(be, x, fn, name)
    return a if kind(a.dtype) in "fc" else astype(be, a, numpy.float64)


def astype(be: Backend, a: Any, dt: Any) -> Any:
    """``a`` as NumPy's dtype ``dt``, in ``a``'s own library (no copy when it already is)."""
    native = getattr(be, "dtype", None)
    return _astype(be.xp, a, native(dt) if native is not None else dt)


def device_kw(a: Any) -> dict:
    """``{"device": ...}`` for an array of a foreign library (the standard's creation functions take
    it), else nothing: NumPy, CuPy and Dask put new arrays where they always do."""
    if not is_foreign(a) or _library(type(a)) != "foreign":
        return {}
    return {"device": device_of(a)}


def astype_like(be: Backend, a: Any, dt: Any) -> Any:
    """``a`` as another array's dtype ``dt`` (the backend's own dtype object)."""
    return _astype(be.xp, a, dt)


def real_float_array(be: Backend, x: Any, fn: str, name: str = "x") -> Any:
    a = float_array(be, x, fn, name)
    if kind(a.dtype) == "c":
        raise XPMathTypeError(f"{fn}: {name} must be real; got dtype {a.dtype}")
    return a


def nonempty(a: Any, fn: str, name: str = "x") -> Any:
    if _size(a) == 0:
        raise EmptyInputError(f"{fn}: {name} is empty (shape {a.shape}); it needs at least one element")
    return a


def finite(be: Backend, a: Any, fn: str, name: str = "a") -> Any:
    if not be.all_finite(a):
        raise NonFiniteError(
            f"{fn}: {name} contains NaN or infinity; remove or impute non-finite values first"
        )
    return a


def square(a: Any, fn: str, name: str = "a") -> Any:
    s = a.shape
    if len(s) < 2 or s[-1] != s[-2]:
        raise ShapeError(
            f"{fn}: {name} must be a square matrix or a stack of them (..., n, n); got shape {a.shape}"
        )
    return a


def square_finite(be: Backend, x: Any, fn: str, name: str = "a") -> Any:
    """A float square matrix (or stack of them) with no NaN or inf: the input check of inv, det, eig, eigh.

    One frame, not three: on a 2x2 these checks are most of what the dispatch layer adds. A tiny
    NumPy matrix is checked here in Python (a sum of finite numbers minus itself is 0; NaN if any
    is NaN or inf), cheaper than the ufunc and reduction of the backend's all_finite.
    """
    t = type(x)
    if t is be.array_type and (x.dtype.char in "fdFD" if t is _ndarray else _lapack(x.dtype)):
        a = x  # the common case: one test
    else:
        a = float_array(be, x, fn, name)
        if not _lapack(a.dtype):
            square(a, fn, name)  # a shape error first, as for the other types
            lapack_dtype(a, fn, name)
    s = a.shape
    if len(s) < 2 or s[-1] != s[-2]:
        square(a, fn, name)
    if type(a) is numpy.ndarray and a.size <= 64:
        t = sum(a.ravel().tolist())
        if t - t == 0:
            return a
    if not be.all_finite(a):
        finite(be, a, fn, name)
    return a


def lapack_dtype(a: Any, fn: str, name: str = "a") -> Any:
    """LAPACK's four types only, as NumPy's linalg (which raises TypeError for float16 and longdouble)."""
    if not _lapack(a.dtype):
        raise XPMathTypeError(
            f"{fn}: array type {a.dtype} is unsupported in linalg; convert {name} to float32 or float64 first"
        )
    return a


def _lapack(dt: Any) -> bool:
    """Whether ``dt`` (of any library) is one of float32, float64, complex64, complex128."""
    char = getattr(dt, "char", None)
    if type(char) is str:
        return char in "fdFD"
    return str(dt).rpartition(".")[2] in ("float32", "float64", "complex64", "complex128")


def ndim(a: Any, fn: str, dims: tuple[int, ...], name: str = "x") -> Any:
    if a.ndim not in dims:
        want = " or ".join(f"{d}-D" for d in dims)
        raise ShapeError(f"{fn}: {name} must be {want}; got shape {a.shape} ({a.ndim}-D)")
    return a


def axis(a: Any, ax: Any, fn: str, *, scalar_ok: bool = False) -> int | tuple[int, ...] | None:
    """An ``axis`` (None, an int or a tuple of ints; NumPy's integers too) checked against ``a``, as
    Python ints: what the backends are given, so no kernel ever sees a NumPy integer.

    As NumPy: a bare bool is not an axis, a 0-d array has none (``scalar_ok``: SciPy's ``mode``,
    which takes 0 and -1 there), and an axis may not repeat.
    """
    if ax is None:
        return None
    single = not isinstance(ax, tuple)
    if single and isinstance(ax, (bool, numpy.bool_)):
        raise XPMathTypeError(f"{fn}: axis must be an int, a tuple of ints or None; got {ax!r}")
    nd = a.ndim
    seen = set()
    out = []
    for one in (ax,) if single else ax:
        try:
            i = int(operator.index(one))
        except TypeError:
            raise XPMathTypeError(f"{fn}: axis must be an int, a tuple of ints or None; got {ax!r}") from None
        if not -nd <= i < nd and not (scalar_ok and nd == 0 and i in (0, -1)):
            raise AxisError(f"{fn}: axis {i} is out of bounds for array of dimension {nd} (shape {a.shape})")
        k = i % max(nd, 1)
        if k in seen:
            raise AxisError(f"{fn}: axis {ax!r} repeats an axis")
        seen.add(k)
        out.append(i)
    return out[0] if single else tuple(out)


def permutation(a: Any, axes: Any, fn: str) -> tuple[int, ...]:
    """``axes`` of ``transpose``: a permutation of ``a``'s axes (negative ones count from the end),
    as a tuple of non-negative Python ints. NumPy's messages; every wrong permutation is an
    :class:`AxisError` (NumPy's class for an axis out of range, a ``ValueError`` as its class for the others)."""
    try:
        given = tuple(axes)
    except TypeError:
        given = (axes,)
    nd = a.ndim
    out = []
    for one in given:
        try:
            out.append(int(operator.index(one)))
        except TypeError:
            raise XPMathTypeError(f"{fn}: axes must be integers; got {one!r} in {axes!r}") from None
    if len(out) != nd:
        raise AxisError(f"{fn}: axes don't match array: {len(out)} axes given for an array of shape {a.shape}")
    for i in out:
        if not -nd <= i < nd:
            raise AxisError(f"{fn}: axis {i} is out of bounds for array of dimension {nd} (shape {a.shape})")
    out = [i % nd for i in out]
    if len(set(out)) != nd:
        raise AxisError(f"{fn}: repeated axis in transpose: axes {axes!r}")
    return tuple(out)


def ddof(d: Any, fn: str, name: str = "ddof") -> int | float:
    """A delta degrees of freedom, as NumPy's ``var`` takes it: an integer (NumPy's too) or a real
    number, given back as a Python int where it is integral, else a float."""
    if isinstance(d, numbers.Integral):
        return int(d)
    if isinstance(d, numbers.Real):
        f = float(d)
        return int(f) if f.is_integer() else f
    try:
        return int(operator.index(d))
    except TypeError:
        raise XPMathTypeError(f"{fn}: {name} must be a number; got {d!r}") from None


def int_arg(v: Any, fn: str, name: str) -> int:
    """An integer argument as a Python int (NumPy's integers too); an integral float is taken, as
    NumPy's ``cov`` takes ``ddof=2.0``."""
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        if float(v).is_integer():
            return int(v)
        raise DomainError(f"{fn}: {name} must be integer; got {v!r}")
    try:
        return int(operator.index(v))
    except TypeError:
        raise XPMathTypeError(f"{fn}: {name} must be an integer; got {v!r}") from None


def index_arg(v: Any, fn: str, name: str) -> int:
    """An integer argument that must be an integer (NumPy's too), not an integral float: a Python int."""
    try:
        return int(operator.index(v))
    except TypeError:
        raise XPMathTypeError(f"{fn}: {name} must be an integer; got {v!r}") from None


def dtype_arg(dtype: Any, fn: str) -> numpy.dtype | None:
    """``dtype=`` as a NumPy dtype (None stays None); strings, bytes and datetimes are refused, as
    NumPy's reductions refuse to compute in them (TypeError)."""
    if dtype is None:
        return None
    try:
        dt = numpy.dtype(dtype)
    except TypeError as exc:
        raise XPMathTypeError(f"{fn}: {exc}") from None
    if dt.kind in "SUVM":
        raise XPMathTypeError(f"{fn}: cannot compute in dtype {dt}; give a numeric dtype (bool, int, float or complex)")
    return dt


def where_arg(be: Backend, where: Any, x: Any, fn: str) -> Any:
    """``where=``: True, or a boolean mask on the backend that broadcasts to ``x``."""
    if where is True:
        return True
    w = array(be, where, fn, "where")
    try:
        numpy.broadcast_shapes(w.shape, x.shape)
    except ValueError:
        raise ShapeError(f"{fn}: where of shape {w.shape} does not broadcast to the data's {x.shape}") from None
    return w


def out_arg(be: Backend, out: Any, fn: str) -> tuple[Any, numpy.ndarray | None]:
    """``out=`` as ``(for the backend, host array to fill)``: the backend's own array is written by
    the operation; a NumPy array given to a device or lazy backend is filled with the result."""
    if out is None:
        return None, None
    if isinstance(out, be.array_type):
        return out, None
    if isinstance(out, numpy.ndarray):
        return None, out
    raise XPMathTypeError(f"{fn}: out must be an array; got {type(out).__name__}")


def fill(be: Backend, into: numpy.ndarray | None, r: Any, *, broadcast: bool = False) -> Any:
    """``r``, or the host array ``into`` holding it (``out=`` given to a device or lazy backend);
    ``broadcast``: ``into`` may be of any shape ``r`` broadcasts to, as NumPy's ufuncs write theirs."""
    if into is None:
        return r
    h = be.to_numpy(r)
    fits = h.shape == into.shape
    if not fits and broadcast:
        try:
            fits = numpy.broadcast_shapes(h.shape, into.shape) == into.shape
        except ValueError:
            fits = False
    if not fits:
        raise DomainError(f"output array has shape {into.shape}; the result has shape {h.shape}")
    numpy.copyto(into, h, casting="unsafe")
    return into


def nan_policy(be: Backend, policy: Any, x: Any, fn: str) -> str:
    """SciPy's ``nan_policy``; ``"raise"`` refuses NaN here, once, for every backend."""
    if policy not in ("propagate", "omit", "raise"):
        raise DomainError(f"{fn}: nan_policy must be one of 'propagate', 'omit' or 'raise'; got {policy!r}")
    if policy == "raise" and kind(x.dtype) in "fc" and bool(be.xp.any(be.xp.isnan(x))):
        raise DomainError(f"{fn}: The input contains nan values (nan_policy='raise')")
    return policy


def reraise(exc: Exception, fn: str) -> NoReturn:
    """Raise ``exc``, from inside a backend or library, as the :class:`XPMathError` that is also its
    class (NumPy's and SciPy's messages kept); an error of xpmath's own goes on as it is."""
    if isinstance(exc, XPMathError):
        raise exc
    msg = f"{fn}: {exc}"
    if isinstance(exc, numpy.exceptions.AxisError):
        raise AxisError(msg) from exc
    if isinstance(exc, numpy.linalg.LinAlgError) or type(exc).__name__.endswith("LinAlgError"):  # torch's too
        raise LinAlgError(msg) from exc
    if isinstance(exc, TypeError):
        raise XPMathTypeError(msg) from exc
    if isinstance(exc, ValueError):
        raise DomainError(msg) from exc
    if isinstance(exc, MemoryError):
        raise DeviceMemoryError(msg) from exc
    raise exc


def matmul_shapes(a: Any, b: Any, fn: str = "matmul") -> None:
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"{fn}: operands must have at least 1 dimension; got shapes {a.shape} and {b.shape}")
    ka = a.shape[-1]
    kb = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if ka != kb:
        raise ShapeError(f"{fn}: shapes {a.shape} and {b.shape} are not aligned ({ka} != {kb})")
    if a.ndim > 2 or b.ndim > 2:
        ba = a.shape[:-2]
        bb = b.shape[:-2]
        try:
            numpy.broadcast_shapes(ba, bb)
        except ValueError:
            raise ShapeError(
                f"{fn}: the batch dimensions of shapes {a.shape} and {b.shape} do not broadcast ({ba} vs {bb})"
            ) from None


def dot_shapes(a: Any, b: Any) -> None:
    sa, sb = a.shape, b.shape  # read once: on tiny inputs this check is most of the dispatch cost
    if not sa or not sb:
        return
    kb = sb[0] if len(sb) == 1 else sb[-2]
    if sa[-1] != kb:
        raise ShapeError(f"dot: shapes {sa} and {sb} are not aligned ({sa[-1]} != {kb})")


# ---------------------------------------------------------------- products and norms of numpy.linalg's array API half


def vector_operands(a: Any, b: Any, axis: Any, fn: str, size: int | None = None) -> int:
    """``axis`` of ``cross`` / ``vecdot`` as a Python int, checked against each operand as NumPy reads
    it (per operand: the axis counts in each array's own dimensions), the two vector lengths (equal,
    and ``size`` where given) and the broadcasting of the other axes. Raises NumPy's classes: an axis
    out of range an :class:`AxisError` (NumPy's ``IndexError`` and ``AxisError``), a misfit a
    :class:`ShapeError` (a ``ValueError``)."""
    ax = index_arg(axis, fn, "axis")
    sa, sb = a.shape, b.shape
    if fn == "vecdot":
        for i, s in enumerate((sa, sb)):
            if not s:
                raise ShapeError(f"vecdot: Input operand {i} does not have enough dimensions (has 0, it needs "
                                 f"at least 1); got shapes {sa} and {sb}")
    for s in (sa, sb):
        if not -len(s) <= ax < len(s):
            raise AxisError(f"{fn}: axis {ax} is out of bounds for array of dimension {len(s)} "
                            f"(shapes {sa} and {sb})")
    na, nb = sa[ax], sb[ax]
    if size is not None and (na != size or nb != size):
        raise ShapeError(f"{fn}: Both input arrays must be (arrays of) {size}-dimensional vectors, but they are "
                         f"{na} and {nb} dimensional instead (shapes {sa} and {sb}, axis {ax})")
    if na != nb:
        raise ShapeError(f"{fn}: the vectors along axis {ax} differ in length: shapes {sa} and {sb} ({na} != {nb})")
    rest_a = sa[:ax % len(sa)] + sa[ax % len(sa) + 1:]
    rest_b = sb[:ax % len(sb)] + sb[ax % len(sb) + 1:]
    if rest_a == rest_b or not rest_a or not rest_b:  # the common cases, without broadcast_shapes' microseconds
        return ax
    try:
        numpy.broadcast_shapes(rest_a, rest_b)
    except ValueError:
        raise ShapeError(f"{fn}: shapes {sa} and {sb} do not broadcast: the axes beside axis {ax} are "
                         f"{rest_a} and {rest_b}") from None
    return ax


def outer_shapes(a: Any, b: Any) -> None:
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(f"outer: Input arrays must be one-dimensional, but they are x1.ndim={a.ndim} and "
                         f"x2.ndim={b.ndim} (shapes {a.shape} and {b.shape})")


def tensordot_axes(a: Any, b: Any, axes: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``tensordot``'s ``axes`` (an integer ``n``: the last ``n`` axes of ``a`` with the first ``n`` of
    ``b``; or a pair of axis sequences, or of single axes) as two tuples of non-negative axes, checked
    as NumPy checks them."""
    fn = "tensordot"
    sa, sb = a.shape, b.shape
    if type(axes) is int and 0 <= axes <= min(len(sa), len(sb)) and sa[len(sa) - axes:] == sb[:axes]:
        return tuple(range(len(sa) - axes, len(sa))), tuple(range(axes))  # the common case, checked in one line
    try:
        iter(axes)
    except TypeError:
        n = index_arg(axes, fn, "axes")
        ia, ib = list(range(-n, 0)), list(range(n))  # a negative n pairs no axes, as NumPy's range does
    else:
        try:
            ia, ib = axes
        except (TypeError, ValueError):
            raise XPMathTypeError(f"{fn}: axes must be an integer or a pair of axis sequences; got {axes!r}") from None
        ia = [index_arg(i, fn, "axes") for i in (ia if _iterable(ia) else [ia])]
        ib = [index_arg(i, fn, "axes") for i in (ib if _iterable(ib) else [ib])]
    if len(set(ia)) != len(ia) or len(set(ib)) != len(ib):
        raise AxisError(f"{fn}: duplicate axes are not allowed in tensordot; got axes {ia} and {ib}")
    if len(ia) != len(ib):
        raise ShapeError(f"{fn}: shape-mismatch for sum: {len(ia)} axes of x1 {sa} paired with {len(ib)} of x2 {sb}")
    for i, j in zip(ia, ib):
        for k, s, name in ((i, sa, "x1"), (j, sb, "x2")):
            if not -len(s) <= k < len(s):
                raise AxisError(f"{fn}: axis {k} is out of bounds for {name} of dimension {len(s)} (shape {s})")
        if sa[i] != sb[j]:
            raise ShapeError(f"{fn}: shape-mismatch for sum: axis {i} of x1 {sa} has length {sa[i]}, "
                             f"axis {j} of x2 {sb} has {sb[j]}")
    na = tuple(i % len(sa) for i in ia)
    nb = tuple(j % len(sb) for j in ib)
    if len(set(na)) != len(na) or len(set(nb)) != len(nb):  # -1 and n - 1 name one axis
        raise AxisError(f"{fn}: repeated axis in axes {ia} and {ib} (shapes {sa} and {sb})")
    return na, nb


def _iterable(v: Any) -> bool:
    try:
        iter(v)
    except TypeError:
        return False
    return True


def at_least_2d(a: Any, fn: str, name: str = "x", cls: type = ShapeError) -> Any:
    """A matrix or a stack of them (``ndim >= 2``)."""
    if a.ndim < 2:
        raise cls(f"{fn}: Input array must be at least 2-dimensional, but {name} is {a.ndim}-dimensional "
                  f"(shape {a.shape}); give a matrix or a stack of them")
    return a


def multi_dot_shapes(arrays: list) -> tuple[int, ...]:
    """The shape of ``multi_dot``'s product before its 1-D ends are dropped: what ``out=`` must have.

    NumPy's rules: at least two arrays; two go to ``dot``; of more, the first and the last may be 1-D
    (a row and a column vector), every other one must be 2-D, and neighbours must be aligned.
    """
    n = len(arrays)
    if n < 2:
        raise DomainError(f"multi_dot: Expecting at least two arrays; got {n}")
    if n == 2:
        sa, sb = arrays[0].shape, arrays[1].shape
        if not sa or not sb:  # a scalar scales the other
            return sb or sa
        kb = sb[0] if len(sb) == 1 else sb[-2]
        if sa[-1] != kb:
            raise ShapeError(f"multi_dot: shapes {sa} and {sb} are not aligned ({sa[-1]} != {kb})")
        return sa[:-1] + (sb[:-2] + sb[-1:] if len(sb) > 1 else ())
    shapes = [a.shape for a in arrays]
    first, last = shapes[0], shapes[-1]
    two = [(1,) + first if len(first) == 1 else first] + shapes[1:-1] + [last + (1,) if len(last) == 1 else last]
    for i, s in enumerate(two):
        if len(s) != 2:
            raise ShapeError(f"multi_dot: arrays[{i}] of shape {shapes[i]} is {len(shapes[i])}-dimensional; "
                             "it must be two-dimensional (the first and the last may also be 1-D)")
    for i in range(n - 1):
        if two[i][1] != two[i + 1][0]:
            raise ShapeError(f"multi_dot: arrays[{i}] {shapes[i]} and arrays[{i + 1}] {shapes[i + 1]} are not "
                             f"aligned ({two[i][1]} != {two[i + 1][0]})")
    return (two[0][0], two[-1][1])


def product_out(out: Any, shape: tuple[int, ...], dtype: numpy.dtype, fn: str) -> None:
    """``out=`` of a product as NumPy's ``dot`` takes it: the result's dtype, number of dimensions and
    shape, C-contiguous; refused with NumPy's words (a ``ValueError``)."""
    got = f"the product is {dtype} of shape {tuple(shape)}; out is {out.dtype} of shape {tuple(out.shape)}"
    if (numpy_dtype(out.dtype) != dtype or len(out.shape) != len(shape)
            or not getattr(getattr(out, "flags", None), "c_contiguous", True)):
        raise DomainError(f"{fn}: output array is not acceptable (must have the right datatype, number of "
                          f"dimensions, and be a C-Array): {got}")
    if tuple(out.shape) != tuple(shape):
        raise DomainError(f"{fn}: output array has wrong dimensions: {got}")


def norm_ord(ord: Any, fn: str, matrix: bool) -> Any:
    """``ord`` of ``vector_norm`` (any number) or ``matrix_norm`` (NumPy's eight), refused as NumPy
    refuses it (a ``ValueError``); ``None`` and ``'f'`` read as NumPy reads them."""
    if matrix:
        if ord is None or ord == "f":
            return "fro"
        if isinstance(ord, str):
            if ord in ("fro", "nuc"):
                return ord
        elif ord in (1, -1, 2, -2, math.inf, -math.inf):
            return ord
        raise DomainError(f"{fn}: Invalid norm order for matrices: {ord!r} (take 'fro', 'nuc', 1, -1, 2, -2, inf "
                          "or -inf)")
    if ord is None:
        return 2
    if isinstance(ord, str):
        raise DomainError(f"{fn}: Invalid norm order {ord!r} for vectors")
    return ord


def norm_of_nothing(shape: tuple[int, ...], ord: Any, axes: tuple[int, ...], fn: str, *, matrix: bool) -> None:
    """NumPy's error for a norm that is the minimum of nothing (a ``ValueError``): a vector norm with
    ``ord=-inf`` over ``axes`` holding no element; a matrix norm over ``axes = (rows, columns)`` with
    ``ord=-inf`` and no rows, ``-1`` and no columns, or ``-2`` and neither."""
    if not matrix:
        empty = ord == -math.inf and math.prod(shape[i] for i in axes) == 0
    else:
        r, c = shape[axes[0]], shape[axes[1]]
        empty = (ord == -math.inf and r == 0) or (ord == -1 and c == 0) or (ord == -2 and min(r, c) == 0)
    if empty:
        raise DomainError(f"{fn}: zero-size array to reduction operation minimum which has no identity "
                          f"(ord={ord!r} over an empty axis of shape {shape})")


def solve_shapes(a: Any, b: Any) -> None:
    square(a, "solve")
    if b.ndim == 0:
        raise ShapeError(f"solve: b must be a vector or a stack of matrices; got a scalar (shape {b.shape})")
    n = a.shape[-1]
    if b.ndim == 1:
        if b.shape[0] != n:
            raise ShapeError(f"solve: a of shape {a.shape} needs b of length {n}; got b of shape {b.shape}")
        return
    if b.shape[-2] != n:
        raise ShapeError(
            f"solve: a of shape {a.shape} needs b of shape (..., {n}, k) or ({n},); got b of shape {b.shape}"
        )
    try:
        numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ShapeError(f"solve: the batch dimensions of a {a.shape} and b {b.shape} do not broadcast") from None


def probability(be: Backend, p: Any, fn: str, name: str) -> Any:
    """A probability (scalar or array) in [0, 1]; returns it as a float array."""
    a = real_float_array(be, p, fn, name)
    xp = be.xp
    if bool(xp.any((a < 0) | (a > 1) | xp.isnan(a))):
        raise DomainError(f"{fn}: {name} must lie in [0, 1]; got {_show(be, a)}")
    return a


def positive(be: Backend, s: Any, fn: str, name: str, *, strict: bool = True) -> Any:
    a = real_float_array(be, s, fn, name)
    bad = (a <= 0) if strict else (a < 0)
    if bool(be.xp.any(bad | be.xp.isnan(a))):
        rel = "> 0" if strict else ">= 0"
        raise DomainError(f"{fn}: {name} must be {rel}; got {_show(be, a)}")
    return a


def _show(be: Backend, a: Any) -> str:
    h = be.to_numpy(a)
    return repr(h.item()) if h.size == 1 else f"an array with values from {h.min()} to {h.max()}"


def broadcastable(fn: str, **arrays: Any) -> tuple[int, ...]:
    try:
        return numpy.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {a.shape}" for k, a in arrays.items())
        raise ShapeError(f"{fn}: the shapes do not broadcast together: {shapes}") from None


def _model_float(be: Backend, a: Any) -> Any:
    """float32 / float64 as they are; float16 computes in float32, longdouble in float64 (models' types)."""
    if getattr(a.dtype, "char", None) in ("f", "d") or str(a.dtype).rpartition(".")[2] in ("float32", "float64"):
        return a
    return astype(be, a, numpy.float32 if str(a.dtype).endswith(("float16", "bfloat16")) else numpy.float64)


def model_values(be: Backend, v: Any, fn: str, name: str) -> Any:
    """A model's data as scikit-learn reads it: real numbers, or strings of numbers (``"1.5"``);
    anything else is a ``ValueError`` (a :class:`DomainError`), scikit-learn's class for it."""
    try:
        return real_float_array(be, v, fn, name)
    except XPMathTypeError as exc:
        try:
            h = numpy.asarray(v)
            if h.dtype.kind in "OUS":
                return real_float_array(be, h.astype(numpy.float64), fn, name)
        except (TypeError, ValueError) as why:
            raise DomainError(f"{fn}: {name} must hold real numbers: {why}") from exc
        raise DomainError(str(exc)) from exc


def samples(be: Backend, X: Any, y: Any, fn: str, finite_x: bool = True) -> tuple[Any, Any]:
    """Model input: X 2-D, y 1-D (or 2-D) of the same length, both finite and non-empty (X's
    finiteness left to the caller with ``finite_x`` False)."""
    X = _model_float(be, model_values(be, X, fn, "X"))
    if X.ndim != 2:
        hint = " (reshape a single feature with X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ShapeError(f"{fn}: X must be 2-D (n_samples, n_features); got shape {X.shape}{hint}")
    nonempty(X, fn, "X")
    if y is None:
        if finite_x:
            finite(be, X, fn, "X")
        return X, None
    y = _model_float(be, _target(be, X, y, fn))
    checked = (X, y) if finite_x else (y,)
    for ok, name in zip(be.all_finite_each(*checked), ("X", "y")[-len(checked):]):  # one pass (dask: one compute)
        if not ok:
            raise NonFiniteError(f"{fn}: {name} contains NaN or infinity; remove or impute non-finite values first")
    if y.dtype != X.dtype:
        dt = be.xp.result_type(X.dtype, y.dtype)
        X, y = _astype(be.xp, X, dt), _astype(be.xp, y, dt)
    return X, y


def positive_int(v: Any, fn: str, name: str, *, allow_zero: bool = False) -> int:
    i = index_arg(v, fn, name)
    if i < 0 or (i == 0 and not allow_zero):
        raise DomainError(f"{fn}: {name} must be {'>= 0' if allow_zero else '> 0'}; got {i}")
    return i


def positive_float(v: Any, fn: str, name: str, *, allow_zero: bool = False) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise XPMathTypeError(f"{fn}: {name} must be a number; got {v!r}") from None
    if not (f > 0 or (allow_zero and f == 0)) or f == float("inf"):
        raise DomainError(f"{fn}: {name} must be finite and {'>= 0' if allow_zero else '> 0'}; got {v!r}")
    return f


def finite_float(v: Any, fn: str, name: str) -> float:
    """A finite real number given as a scalar."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise XPMathTypeError(f"{fn}: {name} must be a real number; got {v!r}") from None
    if f != f or f in (float("inf"), float("-inf")):
        raise DomainError(f"{fn}: {name} must be finite; got {v!r}")
    return f


def float_dtype(dtype: Any, fn: str) -> numpy.dtype:
    try:
        dt = numpy.dtype(dtype)
    except TypeError:
        raise XPMathTypeError(f"{fn}: dtype must be float32 or float64; got {dtype!r}") from None
    if dt not in (numpy.float32, numpy.float64):
        raise XPMathTypeError(f"{fn}: dtype must be float32 or float64; got {dt}")
    return dt


def size(s: Any, fn: str) -> int | tuple[int, ...] | None:
    if s is None:
        return None
    if isinstance(s, tuple | list) or (isinstance(s, numpy.ndarray) and s.ndim == 1):
        return tuple(positive_int(v, fn, "size", allow_zero=True) for v in s)
    return positive_int(s, fn, "size", allow_zero=True)


def data_file(path: Any, chunk_rows: Any, fn: str) -> tuple[str, int | None]:
    """``open_array``'s arguments checked: ``(path as a str, chunk_rows as an int or None)``.

    A ``.npy`` file is opened as NumPy's ``load`` maps it (its header read, nothing else), so a
    missing, truncated or foreign file, Python objects or non-numeric data are refused here, by
    name, before any task is made; a Zarr store must at least exist where it is a local path.
    """
    try:
        p = os.fspath(path)
    except TypeError:
        raise XPMathTypeError(f"{fn}: path must be a str or path-like object; got {type(path).__name__}") from None
    if isinstance(p, bytes):
        p = os.fsdecode(p)
    if chunk_rows is not None:
        chunk_rows = positive_int(chunk_rows, fn, "chunk_rows")
    if not p.endswith(".npy"):
        if "://" not in p and not os.path.exists(p):
            raise MissingFileError(f"{fn}: no such file or Zarr store: {p!r}")
        return p, chunk_rows
    try:
        mm = numpy.load(p, mmap_mode="r")
    except FileNotFoundError:
        raise MissingFileError(f"{fn}: no such file: {p!r}") from None
    except (ValueError, EOFError, OSError) as exc:  # truncated, not .npy, pickled objects, a directory...
        text = str(exc).lower()
        if "memory-mapped" in text:
            what = "holds Python objects, which only a pickle can restore"
        elif "pickled" in text:
            what = "is not a .npy file (no .npy header; NumPy would read it as a pickle)"
        elif isinstance(exc, IsADirectoryError):
            what = "is a directory, not a .npy file"
        elif isinstance(exc, OSError):
            what = "cannot be read"
        else:
            what = "is not a complete .npy file (truncated or damaged)"
        raise FileFormatError(f"{fn}: {p!r} {what} ({type(exc).__name__}: {exc})") from None
    dtype = mm.dtype
    del mm
    if dtype.kind not in _NUMERIC:
        raise XPMathTypeError(f"{fn}: {p!r} holds {dtype} data; xpmath computes with numbers "
                              "(bool, int, float or complex)")
    return p, chunk_rows


SINGULAR_HINT = "pass alpha= (ridge regularisation) to a model, or check the matrix's rank"


def singular_error(fn: str, backend: str) -> SingularMatrixError:
    return SingularMatrixError(
        f"{fn}: the matrix is exactly singular (a zero pivot in its LU factorisation) on the "
        f"{backend!r} backend; {SINGULAR_HINT}"
    )


def raise_singular(exc: Exception, fn: str, be: Backend) -> None:
    """Raise LAPACK's singular-matrix error as :class:`SingularMatrixError` naming ``fn`` and the
    backend; return for any other error (the caller re-raises it)."""
    if not isinstance(exc, SingularMatrixError) and "singular" in str(exc).lower():
        raise singular_error(fn, be.name) from exc


def output(be: Backend, r: Any, *inputs: Any) -> Any:
    """``r`` as the caller should see it: on NumPy-array backends as it is; elsewhere the backend's
    own arrays when an input was one (so chained calls stay on the device or stay lazy), else NumPy
    (switching the backend changes the speed, never the type)."""
    if be.array_type is numpy.ndarray or _config.value("output") == "backend":
        return r
    for i in inputs:
        if isinstance(i, be.array_type):
            return r
    try:  # a lazy backend computes here: what fails inside it is raised as xpmath's error
        return to_host(be, r)
    except Exception as exc:
        reraise(exc, f"{be.name} backend")


def to_host(be: Backend, r: Any) -> Any:
    """A backend result (an array, a scalar, a tuple or named tuple of them) as NumPy; a 0-d
    result becomes a NumPy scalar, as NumPy's full reductions give."""
    if isinstance(r, tuple):
        vals = [to_host(be, v) for v in r]
        return type(r)(*vals) if hasattr(r, "_fields") else tuple(vals)
    if r is None or isinstance(r, (bool, int, float, complex, numpy.generic, numpy.ndarray)):
        return r
    h = be.to_numpy(r)
    return h[()] if h.ndim == 0 else h


# ---------------------------------------------------------------- models' data (also without scikit-learn)


def on_host(x) -> bool:
    """Whether ``x`` is host data (NumPy, lists, data frames…) rather than a device or lazy array:
    the models return NumPy for host data and the backend's own arrays otherwise."""
    return not is_foreign(x)


def feature_names(x):
    """A data frame's column names as an object array when all are strings, else None (scikit-learn's rule)."""
    cols = getattr(x, "columns", None)
    if cols is None or not hasattr(x, "shape"):
        return None
    names = numpy.asarray(list(cols), dtype=object)
    kinds = {type(v) for v in names}
    if names.size == 0 or kinds != {str}:
        if str in kinds:
            raise XPMathTypeError(
                "Feature names are only supported if all input features have string names; "
                "convert them all to strings with X.columns = X.columns.astype(str)"
            )
        return None
    return names


def model_dtype(x):
    """What a model computes in, as scikit-learn's ``check_array(dtype=...)``: float32 and float64 kept,
    float16 widened to float32, anything else float64."""
    dt = getattr(x, "dtype", None)
    return numpy.float32 if dt == numpy.float16 else [numpy.float64, numpy.float32]


def validation_error(exc: Exception, fn: str):
    """Raise scikit-learn's input-check error ``exc`` as the :class:`XPMathError` of its kind, its message kept."""
    msg = f"{fn}: {exc}"
    if isinstance(exc, ValueError) and not isinstance(exc, XPMathError):
        text = str(exc)
        if "NaN" in text or "infinity" in text:
            raise NonFiniteError(msg) from exc
        if "0 sample(s)" in text or "0 feature(s)" in text:
            raise EmptyInputError(msg) from exc
        if ("inconsistent numbers of samples" in text or "Expected 2D array" in text
                or "features as input" in text or "Found array with dim" in text):
            raise ShapeError(msg) from exc
    reraise(exc, fn)


def _target(be, X, y, fn: str):
    """A model's numeric ``y``: 1-D (or 2-D for several targets), one row per sample of ``X``."""
    y = model_values(be, y, fn, "y")
    if y.ndim not in (1, 2):
        raise ShapeError(f"{fn}: y must be 1-D (or 2-D for several targets); got shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        raise ShapeError(
            f"{fn}: X and y have different numbers of samples: X {X.shape} and y {y.shape} "
            f"({X.shape[0]} != {y.shape[0]})"
        )
    return y


def regression_data(be, X, y, fn: str, finite_x: bool = True):
    """A model's ``X`` (2-D) and numeric ``y`` (1-D or 2-D), finite, non-empty, ``y`` in ``X``'s dtype
    (X's finiteness left to the caller with ``finite_x`` False)."""
    if y is None:
        raise DomainError(f"{fn}: requires y to be passed, but the target y is None")
    X, _ = samples(be, X, None, fn, finite_x)
    y = _target(be, X, y, fn)
    finite(be, y, fn, "y")
    return X, _astype(be.xp, y, X.dtype)


def class_labels(y, n: int, fn: str, be=None):
    """Class labels: 1-D (or one column), ``n`` of them, discrete.

    As a NumPy array (numbers, strings or other sortable objects), or, given the backend ``be`` of
    another library's arrays, checked where they are (numbers only: such arrays hold no strings).
    Continuous (non-integral float) targets are refused, as scikit-learn's ``check_classification_targets``.
    """
    if y is None:
        raise DomainError(f"{fn}: requires y to be passed, but the target y is None")
    y = _to_numpy(y) if be is None else array(be, y, fn, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ShapeError(f"{fn}: y should be a 1d array of class labels; got shape {y.shape}")
    if y.shape[0] != n:
        raise ShapeError(f"{fn}: Found input variables with inconsistent numbers of samples: [{n}, {y.shape[0]}]")
    k = kind(y.dtype)
    if k in "fc":
        xp = numpy if be is None else be.xp
        if not bool(xp.all(xp.isfinite(y))):
            raise NonFiniteError(f"{fn}: Input y contains NaN or infinity")
        if k == "c" or not bool(xp.all(y == xp.round(y))):
            raise DomainError(f"{fn}: Unknown label type: continuous. Class labels must be discrete values")
    return y


def sample_weights(be, sample_weight, n: int, dtype, fn: str):
    """``sample_weight`` (None, a number, or ``n`` non-negative finite weights, not all zero) as a
    ``(n,)`` array of ``dtype`` on backend ``be``; None stays None. Messages as scikit-learn's."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Number):
        w = be.xp.full(n, sample_weight, dtype=dtype)
    else:
        w = real_float_array(be, sample_weight, fn, "sample_weight")
        if w.ndim != 1:
            raise DomainError(
                f"{fn}: Sample weights must be 1D array or scalar, got {w.ndim}D array. "
                f"Expected either a scalar value or a 1D array of length {n}."
            )
        if w.shape[0] != n:
            raise ShapeError(f"{fn}: sample_weight.shape == {w.shape}, expected {(n,)}!")
        w = _astype(be.xp, w, dtype)
    finite(be, w, fn, "sample_weight")
    xp = be.xp
    if bool(xp.all(w == 0)):
        raise DomainError(f"{fn}: Sample weights must contain at least one non-zero number.")
    if bool(xp.any(w < 0)):
        raise DomainError(f"{fn}: Negative values in data passed to `sample_weight`")
    return w


# ---------------------------------------------------------------- factorisations and least squares (NumPy's checks)


def stacked_2d(a: Any, fn: str, name: str = "a") -> Any:
    """A matrix or a stack of them, as NumPy's linalg requires (a ShapeError, so a LinAlgError)."""
    if a.ndim < 2:
        raise ShapeError(
            f"{fn}: {a.ndim}-dimensional array given. Array must be at least two-dimensional "
            f"({name} has shape {a.shape})"
        )
    return a


def lapack_array(be: Backend, x: Any, fn: str, name: str = "a", *, square_: bool = False) -> Any:
    """``x`` as a float matrix (or stack) of one of LAPACK's four types, checked in NumPy's order:
    the shape (at least 2-D, square where asked), then the dtype (integer and bool as float64)."""
    a = float_array(be, x, fn, name)
    stacked_2d(a, fn, name)
    if square_ and a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"{fn}: Last 2 dimensions of the array must be square; {name} has shape {a.shape}")
    return lapack_dtype(a, fn, name)


def svd_converges(be: Backend, a: Any, fn: str, *, infinite: bool = False) -> Any:
    """NumPy's SVD does not converge on NaN (LAPACK's ``gesdd`` raises, and NumPy's least squares
    on infinity too): the same ``LinAlgError`` on every backend, whose solvers may give NaN instead.
    On NumPy arrays LAPACK itself raises, so nothing is checked here."""
    if be.array_type is _ndarray:
        return a
    xp = be.xp
    bad = not be.all_finite(a) if infinite else bool(xp.any(xp.isnan(a)))
    if bad:
        raise LinAlgError(f"{fn}: SVD did not converge{' in Linear Least Squares' if infinite else ''}")
    return a


def linalg_error(exc: Exception, fn: str, be: Backend) -> NoReturn:
    """A failure inside a factorisation (NumPy's, a backend's, another library's) as xpmath's
    class: an exactly singular matrix as :class:`SingularMatrixError`, any other LinAlgError as
    :class:`LinAlgError` with the library's message; anything else as :func:`reraise` maps it."""
    if isinstance(exc, SingularMatrixError) and not str(exc).startswith(f"{fn}:"):  # raised by an inner inv/solve
        raise singular_error(fn, be.name) from exc
    if isinstance(exc, XPMathError) and type(exc) is not LinAlgError:
        raise exc
    if isinstance(exc, numpy.linalg.LinAlgError) or type(exc).__name__.endswith("LinAlgError"):
        raise_singular(exc, fn, be)
        if isinstance(exc, LinAlgError):
            raise exc
        text = str(exc)
        raise LinAlgError(text if text.startswith(f"{fn}:") else f"{fn}: {text}") from exc
    reraise(exc, fn)


# ---------------------------------------------------------------- quantiles, weights and NaN-ignoring reductions


class EmptySliceError(EmptyInputError, IndexError):
    """A quantile of no values: NumPy raises IndexError there (its median gives NaN)."""


#: NumPy's quantile methods, in its order (its error message lists them so)
QUANTILE_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
                    "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher",
                    "midpoint", "nearest")
#: the methods that read one order statistic (NumPy takes it, so integers stay integers)
DISCRETE_METHODS = frozenset({"inverted_cdf", "closest_observation", "lower", "higher", "nearest"})
BOOL_SUBTRACT = ("numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` "
                  "operator, or the logical_xor function instead.")


def reduced_count(a: Any, axis: Any) -> int:
    """How many elements each slice of a reduction over ``axis`` (already checked) holds."""
    if axis is None:
        return _size(a)
    n = 1
    for i in axis if isinstance(axis, tuple) else (axis,):
        n *= a.shape[i]
    return n


def quantiles(be: Backend, x: Any, q: Any, fn: str, scale: int) -> Any:
    """``q`` checked as NumPy's ``quantile`` (``scale=1``) or ``percentile`` (``scale=100``) checks it,
    divided by ``scale``: a Python number stays one (NumPy then promotes it weakly), anything else
    becomes an array on the backend. Real data only."""
    if kind(x.dtype) == "c":
        raise XPMathTypeError(f"{fn}: a must be an array of real numbers")
    what = "Percentiles must be in the range [0, 100]" if scale != 1 else "Quantiles must be in the range [0, 1]"
    if type(q) in (int, float):
        v = q / scale if scale != 1 else q
        if not 0 <= v <= 1:
            raise DomainError(f"{fn}: {what}")
        return v
    qa = array(be, q, fn, "q")
    if kind(qa.dtype) == "c":
        raise XPMathTypeError(f"{fn}: q must be real; got dtype {qa.dtype}")
    if scale != 1:
        qa = (astype(be, qa, numpy.float64) if kind(qa.dtype) in "biu" else qa) / scale
    if qa.ndim > 2:
        raise DomainError(f"{fn}: q must be a scalar or 1d")
    qf = astype(be, qa, numpy.float64) if kind(qa.dtype) == "b" else qa
    if not bool(be.xp.all((qf >= 0) & (qf <= 1))):
        raise DomainError(f"{fn}: {what}")
    return qa


def quantile_method(x: Any, q: Any, method: Any, weights: Any, fn: str, *, empty: bool = False) -> str:
    """NumPy's checks of ``method=`` (and of the one method that takes weights), and of bool data,
    which only the methods that read one order statistic can take (NumPy subtracts values otherwise).
    ``empty``: nothing to reduce, which NumPy meets (and answers or refuses) before it subtracts."""
    if weights is not None:
        if method != "inverted_cdf":
            raise DomainError(f"{fn}: Only method 'inverted_cdf' supports weights. Got: {method}.")
    elif not isinstance(method, str) or method not in QUANTILE_METHODS:
        raise DomainError(f"{fn}: {method!r} is not a valid method. Use one of: "
                          f"{dict.fromkeys(QUANTILE_METHODS).keys()}")
    q_integral = type(q) is int or (not isinstance(q, (int, float)) and kind(q.dtype) in "iub")
    if kind(x.dtype) == "b" and not empty and weights is None and method not in DISCRETE_METHODS and not (
            method == "linear" and q_integral):
        raise XPMathTypeError(f"{fn}: {BOOL_SUBTRACT}")
    return method


def weights_for(be: Backend, w: Any, x: Any, axis: Any, fn: str, *, nonnegative: bool) -> Any:
    """NumPy's ``_weights_are_valid``: weights of ``x``'s shape, or, with ``axis``, of the reduced
    axes' shape (in ``axis``'s order); negative weights refused where ``nonnegative``."""
    w = array(be, w, fn, "weights")
    if tuple(w.shape) != tuple(x.shape):
        if axis is None:
            raise XPMathTypeError(f"{fn}: Axis must be specified when shapes of a and weights differ.")
        axes = axis if isinstance(axis, tuple) else (axis,)
        if tuple(w.shape) != tuple(x.shape[i] for i in axes):
            raise ShapeError(f"{fn}: Shape of weights must be consistent with shape of a along specified axis.")
    if nonnegative and bool(be.xp.any(w < 0)):
        raise DomainError(f"{fn}: Weights must be non-negative.")
    return w


def no_identity(x: Any, axis: Any, fn: str, op: str, initial: Any, where: Any, no_value: Any) -> None:
    """NumPy's errors for a reduction by ``op`` (``fmin``, ``maximum``...), which has no identity,
    of no elements, or under a ``where=`` mask, without an ``initial`` value."""
    if initial is not no_value:
        return
    if where is not True and where is not no_value:
        raise DomainError(f"{fn}: reduction operation '{op}' does not have an identity, so to use a where mask "
                          "one has to specify 'initial'")
    if reduced_count(x, axis) == 0:
        raise DomainError(f"{fn}: zero-size array to reduction operation {op} which has no identity")


def inexact_like(x: Any, dtype: Any, out: Any, fn: str) -> None:
    """NumPy's NaN-ignoring mean and variance of inexact data compute and write in inexact dtypes only."""
    if kind(x.dtype) not in "fc":
        return
    if dtype is not None and numpy.dtype(dtype).kind not in "fc":
        raise XPMathTypeError(f"{fn}: If a is inexact, then dtype must be inexact")
    if out is not None and kind(out.dtype) not in "fc":
        raise XPMathTypeError(f"{fn}: If a is inexact, then out must be inexact")
