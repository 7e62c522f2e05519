"""Products: ``numpy.dot``, ``matmul``, ``transpose`` and the rest of numpy.linalg's products."""

from __future__ import annotations

import numpy

from .. import _validate as _v
from .._arrays import kind, numpy_dtype
from .._dispatch import impl, select

_ndarray = numpy.ndarray

__all__ = ["dot", "matmul", "transpose"]
__all__ += ["outer", "cross", "tensordot", "vecdot", "multi_dot", "matrix_transpose", "diagonal", "trace"]


def dot(a, b, out=None, *, backend: str | None = None):
    """Dot product of two arrays, as :func:`numpy.dot` (1-D and 2-D operands, scalars too).

    Integer inputs keep their dtype, as in NumPy.

    Parameters
    ----------
    a : array_like
        First argument.
    b : array_like
        Second argument. Its only axis when it is 1-D, else its second-to-last, must have the length
        of ``a``'s last axis; a scalar (0-d) operand multiplies the other elementwise.
    out : ndarray, optional
        An array to place the result in, of the exact shape and dtype the result would have (and
        C-contiguous, as NumPy requires). A NumPy array given to a device or lazy backend is filled
        with the result.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    output : ndarray or scalar
        The dot product of ``a`` and ``b``: a scalar for two 1-D arrays or two scalars, else an
        array; ``out`` itself when it is given.

    Raises
    ------
    ShapeError
        When the last axis of ``a`` and the matching axis of ``b`` differ in length.
    XPMathTypeError
        Non-numeric input, or an ``out`` that is not an array.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.dot([85, 90, 78], [0.4, 0.35, 0.25]))
    85.0
    """
    be = select(backend, "dot", a, b) if out is None else select(backend, "dot", a, b, out)
    a_in, b_in = a, b
    a = _v.array(be, a, "dot", "a")
    b = _v.array(be, b, "dot", "b")
    _v.dot_shapes(a, b)
    if out is None:
        r = impl(be, "dot")(a, b)
        return r if be.array_type is _ndarray else _v.output(be, r, a_in, b_in)
    out, into = _v.out_arg(be, out, "dot")
    r = impl(be, "dot")(a, b) if out is None else impl(be, "dot")(a, b, out)
    return _v.output(be, _v.fill(be, into, r), a_in, b_in)


def matmul(a, b, /, *, backend: str | None = None):
    """Matrix product, as :func:`numpy.matmul`; stacks of matrices broadcast.

    Parameters
    ----------
    a, b : array_like
        Operands of at least one dimension. A 1-D ``a`` is a row vector and a 1-D ``b`` a column
        vector (the added axis is removed from the result); the leading (batch) axes of N-D operands
        broadcast. Integer inputs keep their dtype.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        The matrix product of ``a`` and ``b``; a scalar for two 1-D operands.

    Raises
    ------
    ShapeError
        When the inner dimensions differ, e.g. ``matmul: shapes (3, 4) and (3, 2) are not aligned (4 != 3)``,
        when the batch axes do not broadcast, or for a 0-d (scalar) operand.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]).tolist()
    [[19, 22], [43, 50]]
    """
    be = select(backend, "matmul", a, b)
    a_in, b_in = a, b
    a = _v.array(be, a, "matmul", "a")
    b = _v.array(be, b, "matmul", "b")
    _v.matmul_shapes(a, b)
    return _v.output(be, impl(be, "matmul")(a, b), a_in, b_in)


def transpose(a, axes=None, *, backend: str | None = None):
    """Permute the axes of ``a``, as :func:`numpy.transpose` (reverse them by default).

    Parameters
    ----------
    a : array_like
        Input array; its dtype is kept.
    axes : tuple or list of ints, optional
        A permutation of ``[0, 1, ..., a.ndim - 1]`` (negative indices count from the end): axis ``i``
        of the result is axis ``axes[i]`` of ``a``. None (the default) reverses the axes.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        ``a`` with its axes permuted.

    Raises
    ------
    AxisError
        ``axes`` that is not a permutation of ``a``'s axes (an axis out of range, repeated or missing).
    XPMathTypeError
        An entry of ``axes`` that is not an integer.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.transpose([[2, 50], [5, 80], [8, 95]]).shape
    (2, 3)
    """
    be = select(backend, "transpose", a)
    a_in = a
    a = _v.array(be, a, "transpose", "a")
    if axes is not None:
        axes = _v.permutation(a, axes, "transpose")
    return _v.output(be, impl(be, "transpose")(a, axes), a_in)


# ---------------------------------------------------------------- numpy.linalg's array API products


def outer(x1, x2, /, *, backend: str | None = None):
    """Outer product of two vectors, as :func:`numpy.linalg.outer`: ``out[i, j] = x1[i] * x2[j]``.

    Parameters
    ----------
    x1 : array_like, shape (M,)
        The first vector; its dtype and ``x2``'s give the result's (integers stay integers).
    x2 : array_like, shape (N,)
        The second vector.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (M, N)
        The outer product.

    Raises
    ------
    ShapeError
        An input that is not one-dimensional (a ``ValueError``, as NumPy's).
    XPMathTypeError
        Non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.outer([1, 2], [3, 4, 5]).tolist()
    [[3, 4, 5], [6, 8, 10]]
    """
    be = select(backend, "outer", x1, x2)
    a = _v.array(be, x1, "outer", "x1")
    b = _v.array(be, x2, "outer", "x2")
    _v.outer_shapes(a, b)
    return _v.output(be, impl(be, "outer")(a, b), x1, x2)


def cross(x1, x2, /, *, axis: int = -1, backend: str | None = None):
    """Cross product of 3-element vectors, as :func:`numpy.linalg.cross`; stacks broadcast.

    Parameters
    ----------
    x1 : array_like
        The first vectors, along ``axis``.
    x2 : array_like
        The second vectors, along ``axis``; the other axes broadcast with ``x1``'s.
    axis : int, optional
        The axis holding the vectors, counted in each input's own axes (the last by default); the
        result holds its vectors along the same axis.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        The cross products, in the inputs' promoted dtype (integers stay integers).

    Raises
    ------
    ShapeError
        Vectors of a length other than 3, or other axes that do not broadcast (``ValueError`` s).
    AxisError
        An ``axis`` out of range for either input (NumPy's ``IndexError``).
    XPMathTypeError
        Two bool arrays (NumPy cannot subtract bools), non-numeric input or a non-integer ``axis``.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.cross([1, 0, 0], [0, 1, 0]).tolist()
    [0, 0, 1]
    """
    be = select(backend, "cross", x1, x2)
    a = _v.array(be, x1, "cross", "x1")
    b = _v.array(be, x2, "cross", "x2")
    axis = _v.vector_operands(a, b, axis, "cross", size=3)
    if kind(a.dtype) == "b" and kind(b.dtype) == "b":
        raise _v.XPMathTypeError(
            "cross: numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` "
            "operator, or the logical_xor function instead (the cross product of two bool arrays)"
        )
    return _v.output(be, impl(be, "cross")(a, b, axis=axis), x1, x2)


def tensordot(x1, x2, /, *, axes=2, backend: str | None = None):
    """Sum products over the given axes, as :func:`numpy.linalg.tensordot` (NumPy's ``tensordot``).

    Parameters
    ----------
    x1, x2 : array_like
        The operands; integers stay integers, bools give bools (a sum is True where any product is).
    axes : int or (sequence of ints, sequence of ints), optional
        An integer ``n``: the last ``n`` axes of ``x1`` with the first ``n`` of ``x2`` (0: the outer
        product). A pair: the axes of ``x1`` and of ``x2`` summed over, in matching order; each may
        be a single integer.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        The axes of ``x1`` not summed over, then those of ``x2``.

    Raises
    ------
    ShapeError
        Paired axes of different lengths, or unequal numbers of axes (``shape-mismatch for sum``).
    AxisError
        An axis out of range, or repeated (NumPy's ``IndexError`` and ``ValueError``).
    XPMathTypeError
        A non-integer axis, or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> int(xpmath.linalg.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]]))
    5
    """
    be = select(backend, "tensordot", x1, x2)
    a = _v.array(be, x1, "tensordot", "x1")
    b = _v.array(be, x2, "tensordot", "x2")
    axes = _v.tensordot_axes(a, b, axes)
    return _v.output(be, impl(be, "tensordot")(a, b, axes=axes), x1, x2)


def vecdot(x1, x2, /, *, axis: int = -1, backend: str | None = None):
    """Vector dot product along an axis, as :func:`numpy.linalg.vecdot`: ``sum(conj(x1) * x2)``.

    Parameters
    ----------
    x1 : array_like
        The first vectors, along ``axis`` (complex conjugated).
    x2 : array_like
        The second vectors, along ``axis``; the other axes broadcast with ``x1``'s.
    axis : int, optional
        The axis holding the vectors, counted in each input's own axes (the last by default).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        The dot products, shaped as the broadcast other axes, in the promoted dtype (integers stay
        integers; bools give True where any product is).

    Raises
    ------
    ShapeError
        A 0-d input, vectors of different lengths, or other axes that do not broadcast.
    AxisError
        An ``axis`` out of range for either input.
    XPMathTypeError
        Non-numeric input or a non-integer ``axis``.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.vecdot([[1, 2], [3, 4]], [1, 1]).tolist()
    [3, 7]
    """
    be = select(backend, "vecdot", x1, x2)
    a = _v.array(be, x1, "vecdot", "x1")
    b = _v.array(be, x2, "vecdot", "x2")
    axis = _v.vector_operands(a, b, axis, "vecdot")
    return _v.output(be, impl(be, "vecdot")(a, b, axis=axis), x1, x2)


def multi_dot(arrays, *, out=None, backend: str | None = None):
    """Dot product of two or more arrays in the cheapest order, as :func:`numpy.linalg.multi_dot`.

    The order is NumPy's: for three arrays the cheaper of ``(AB)C`` and ``A(BC)``, for more the
    dynamic programming of the matrix-chain problem, so every backend sums the same products.

    Parameters
    ----------
    arrays : sequence of array_like
        Two arrays (as :func:`dot`), or more: the first may be 1-D (a row vector) and the last 1-D (a
        column vector); every other one is 2-D. Integers stay integers.
    out : ndarray, optional
        An array to place the product in, as NumPy's: C-contiguous, of the product's dtype and of
        its shape before a 1-D end is dropped (``(n, k)``; ``(1, k)`` for a 1-D first array). A NumPy
        array given to a device or lazy backend is filled with the result.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The product: 2-D, 1-D when one end is 1-D, a scalar when both are.

    Raises
    ------
    DomainError
        Fewer than two arrays, or an ``out`` of the wrong shape, dtype or layout (``ValueError`` s).
    ShapeError
        A middle array that is not 2-D (NumPy's ``LinAlgError``) or neighbours that are not aligned.
    XPMathTypeError
        ``arrays`` that is not a sequence, or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.multi_dot([[1, 2], [[1, 0], [0, 1]], [[3], [4]]]).tolist()
    [11]
    """
    try:
        n = len(arrays)
    except TypeError:
        raise _v.XPMathTypeError(
            f"multi_dot: arrays must be a sequence of arrays; got {type(arrays).__name__}"
        ) from None
    given = list(arrays)
    be = select(backend, "multi_dot", *given) if out is None else select(backend, "multi_dot", *given, out)
    xs = [_v.array(be, a, "multi_dot", "an entry of arrays") for a in given]
    shape = _v.multi_dot_shapes(xs)
    if n == 2 and out is None:
        return _v.output(be, impl(be, "dot")(xs[0], xs[1]), *given)
    if out is None:
        return _v.output(be, impl(be, "multi_dot")(xs), *given)
    out, into = _v.out_arg(be, out, "multi_dot")
    dt = numpy.result_type(*(numpy_dtype(a.dtype) for a in xs))
    target = into if out is None else out
    _v.product_out(target, shape, dt, "multi_dot")
    if out is not None and be.array_type is _ndarray:  # NumPy writes the product into out itself
        return impl(be, "dot")(xs[0], xs[1], out) if n == 2 else impl(be, "multi_dot")(xs, out=out)
    r = impl(be, "dot")(xs[0], xs[1]) if n == 2 else impl(be, "multi_dot")(xs)
    if into is not None:
        numpy.copyto(into, be.to_numpy(r).reshape(shape), casting="unsafe")
    else:
        try:
            out[...] = be.xp.reshape(r, shape)
        except TypeError as exc:  # a library whose arrays are immutable (JAX)
            raise _v.XPMathTypeError(f"multi_dot: out cannot be written: {exc}") from exc
    if n == 2 or (xs[0].ndim == 2 and xs[-1].ndim == 2):
        return target
    return target[0, 0] if xs[0].ndim == 1 and xs[-1].ndim == 1 else target.reshape(-1)


def matrix_transpose(x, /, *, backend: str | None = None):
    """Swap the last two axes, as :func:`numpy.linalg.matrix_transpose` (``x.mT``).

    Parameters
    ----------
    x : array_like, shape (..., M, N)
        A matrix or a stack of them; its dtype is kept.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., N, M)
        Each matrix transposed.

    Raises
    ------
    ShapeError
        An input of fewer than two dimensions (a ``ValueError``, as NumPy's).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.matrix_transpose([[1, 2, 3]]).tolist()
    [[1], [2], [3]]
    """
    be = select(backend, "matrix_transpose", x)
    a = _v.at_least_2d(_v.array(be, x, "matrix_transpose"), "matrix_transpose")
    return _v.output(be, impl(be, "matrix_transpose")(a), x)


def diagonal(x, /, *, offset: int = 0, backend: str | None = None):
    """The diagonal of each matrix in the last two axes, as :func:`numpy.linalg.diagonal`.

    Parameters
    ----------
    x : array_like, shape (..., M, N)
        A matrix or a stack of them; its dtype is kept.
    offset : int, optional
        Which diagonal: 0 the main one, above it for ``offset > 0``, below it for ``offset < 0``.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., K)
        The diagonals (empty where ``offset`` passes the matrix's edge). On NumPy a read-only view,
        as NumPy's.

    Raises
    ------
    ShapeError
        An input of fewer than two dimensions (a ``ValueError``, as NumPy's).
    XPMathTypeError
        A non-integer ``offset``, or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.diagonal([[1, 2], [3, 4]], offset=1).tolist()
    [2]
    """
    be = select(backend, "diagonal", x)
    offset = _v.index_arg(offset, "diagonal", "offset")
    a = _v.at_least_2d(_v.array(be, x, "diagonal"), "diagonal")
    return _v.output(be, impl(be, "diagonal")(a, offset=offset), x)


def trace(x, /, *, offset: int = 0, dtype=None, backend: str | None = None):
    """Sum of each matrix's diagonal in the last two axes, as :func:`numpy.linalg.trace`.

    Parameters
    ----------
    x : array_like, shape (..., M, N)
        A matrix or a stack of them.
    offset : int, optional
        Which diagonal: 0 the main one, above it for ``offset > 0``, below it for ``offset < 0``.
    dtype : data-type, optional
        The type to sum in and return. None: NumPy's sum's (bools and integers narrower than the
        default integer sum in it, int64; unsigned ones in uint64; others in their own type).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar, shape (...)
        The traces; a scalar for one matrix.

    Raises
    ------
    ShapeError
        An input of fewer than two dimensions (a ``ValueError``, as NumPy's).
    XPMathTypeError
        A non-integer ``offset``, a ``dtype`` that is no number type, or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> int(xpmath.linalg.trace([[1, 2], [3, 4]]))
    5
    """
    be = select(backend, "trace", x)
    offset = _v.index_arg(offset, "trace", "offset")
    dtype = _v.dtype_arg(dtype, "trace")
    a = _v.at_least_2d(_v.array(be, x, "trace"), "trace")
    return _v.output(be, impl(be, "trace")(a, offset=offset, dtype=dtype), x)
