"""Products: ``numpy.dot``, ``matmul``, ``transpose`` and the rest of numpy.linalg's products."""

from __future__ import annotations

import numpy

from .. import _validate as _v
from .._dispatch import impl, select

_ndarray = numpy.ndarray

__all__ = ["dot", "matmul", "transpose"]


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
