"""Norms and similarity: ``numpy.linalg.norm`` and its relatives, cosine similarity."""

from __future__ import annotations

import operator

import numpy

from .. import _validate as _v
from .._dispatch import impl, select

_ndarray = numpy.ndarray

__all__ = ["norm", "cosine_similarity"]
__all__ += ["vector_norm", "matrix_norm"]


def norm(x, ord=None, axis=None, keepdims: bool = False, *, backend: str | None = None):
    """Vector or matrix norm, as :func:`numpy.linalg.norm`.

    Parameters
    ----------
    x : array_like
        Input array; integer and bool input computes in float64.
    ord : {int, float, inf, -inf, 'fro', 'nuc'}, optional
        Order of the norm (``inf`` is ``numpy.inf``):

        =====  ============================  ==========================
        ord    norm for matrices             norm for vectors
        =====  ============================  ==========================
        None   Frobenius norm                2-norm
        'fro'  Frobenius norm                --
        'nuc'  nuclear norm                  --
        inf    max(sum(abs(x), axis=1))      max(abs(x))
        -inf   min(sum(abs(x), axis=1))      min(abs(x))
        0      --                            sum(x != 0)
        1      max(sum(abs(x), axis=0))      as below
        -1     min(sum(abs(x), axis=0))      as below
        2      largest singular value        as below
        -2     smallest singular value       as below
        other  --                            sum(abs(x)**ord)**(1./ord)
        =====  ============================  ==========================

    axis : {None, int, 2-tuple of ints}, optional
        An int: vector norms along that axis. A 2-tuple: matrix norms of the matrices those two axes
        hold. None: the vector norm of a 1-D ``x`` or the matrix norm of a 2-D ``x``, and with
        ``ord=None`` the 2-norm of ``x.ravel()`` whatever its dimension.
    keepdims : bool, optional
        Keep the normed axes in the result with length one.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    float or ndarray
        The norm(s), real (float32 for float32 or complex64 input, else float64).

    Raises
    ------
    DomainError
        An ``ord`` string other than ``'fro'`` and ``'nuc'``, or an ``ord`` the input does not take
        (a ``ValueError``).
    ShapeError
        ``ord`` given with ``axis=None`` for an ``x`` that is not 1-D or 2-D, or ``axis`` naming more
        than two axes.
    AxisError
        An axis out of range.
    LinAlgError
        The SVD behind ``ord=2``, ``-2`` or ``'nuc'`` did not converge (NaN in the matrix).

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.norm([3.0, 4.0])), 6)
    5.0
    """
    be = select(backend, "norm", x)
    x_in = x
    x = _v.float_array(be, x, "norm")
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise _v.DomainError(f"norm: Invalid norm order {ord!r}")
    if axis is not None and not isinstance(axis, tuple):
        try:  # NumPy's norm takes any axis int() takes (1.0, "1"); a tuple's entries must be integers
            axis = int(axis)
        except (TypeError, ValueError):
            raise _v.XPMathTypeError(
                f"norm: 'axis' must be None, an integer or a tuple of integers; got {axis!r}"
            ) from None
    axis = _v.axis(x, axis, "norm")
    if axis is None and ord is not None and x.ndim not in (1, 2):
        raise _v.ShapeError(f"norm: ord={ord!r} needs a 1-D or 2-D array when axis is None; got shape {x.shape}")
    if isinstance(axis, tuple) and len(axis) not in (1, 2):
        raise _v.ShapeError(f"norm: axis must name 1 or 2 axes; got {axis}")
    try:
        return _v.output(be, impl(be, "norm")(x, ord=ord, axis=axis, keepdims=keepdims), x_in)
    except numpy.linalg.LinAlgError as exc:  # an SVD that did not converge (NaN in the matrix)
        raise _v.LinAlgError(f"norm: {exc}") from exc
    except ValueError as exc:
        raise _v.DomainError(f"norm: invalid ord={ord!r} for this input of shape {x.shape} ({exc})") from exc
    except TypeError as exc:  # the SVD behind ord=2, -2 and 'nuc' has no float16 loop (NumPy's TypeError)
        raise _v.XPMathTypeError(f"norm: {exc}") from exc


def cosine_similarity(a, b=None, *, backend: str | None = None):
    """Cosine similarity: ``a·b / (‖a‖‖b‖)``; a zero vector's similarity is 0, as scikit-learn.

    1-D and 1-D give a scalar; ``(n, d)`` and ``(m, d)`` give ``(n, m)``; ``b=None`` compares the rows
    of ``a`` with each other.

    Parameters
    ----------
    a : array_like, shape (d,) or (n, d)
        A vector or ``n`` vectors in rows; integer and bool input computes in float64.
    b : array_like, shape (d,) or (m, d), optional
        A vector or ``m`` vectors in rows, with as many features ``d`` as ``a``. None: ``a`` itself.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray
        A scalar for two vectors; ``(n, m)`` for two 2-D inputs (``(n, n)`` when ``b`` is None);
        ``(m,)`` for a 1-D ``a`` and a 2-D ``b``; ``(n,)`` for a 2-D ``a`` and a 1-D ``b``.

    Raises
    ------
    ShapeError
        An input that is not 1-D or 2-D, or ``a`` and ``b`` with different numbers of features.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.cosine_similarity([85, 90, 78], [82, 88, 80])), 4)
    0.9997
    """
    be = select(backend, "cosine_similarity", a, b)
    a_in, b_in = a, b
    a = _v.float_array(be, a, "cosine_similarity", "a")
    _v.ndim(a, "cosine_similarity", (1, 2), "a")
    if b is not None:
        b = _v.float_array(be, b, "cosine_similarity", "b")
        _v.ndim(b, "cosine_similarity", (1, 2), "b")
        if a.shape[-1] != b.shape[-1]:
            raise _v.ShapeError(
                f"cosine_similarity: a {a.shape} and b {b.shape} have different numbers of features "
                f"({a.shape[-1]} != {b.shape[-1]})"
            )
    return _v.output(be, impl(be, "cosine_similarity")(a, b), a_in, b_in)


# ---------------------------------------------------------------- numpy.linalg's array API norms


def vector_norm(x, /, *, axis=None, keepdims: bool = False, ord=2, backend: str | None = None):
    """Vector norm over one axis, several or all, as :func:`numpy.linalg.vector_norm`.

    Parameters
    ----------
    x : array_like
        Input array; integer and bool input computes in float64, float16 and float32 in their own type.
    axis : {None, int, tuple of ints}, optional
        The axis, or axes (any number of them, read as one flattened vector), to take the norm over;
        None: every element, as the norm of ``x.ravel()``.
    keepdims : bool, optional
        Keep the normed axes in the result with length one.
    ord : {int, float, inf, -inf}, optional
        The order: 2 (the default) the Euclidean norm, ``inf`` ``max(abs(x))``, ``-inf``
        ``min(abs(x))``, 0 the count of non-zero elements, any other ``sum(abs(x)**ord)**(1./ord)``.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar
        The norms, real (float32 for float32 or complex64 input, float16 for float16, else float64);
        a scalar for a full reduction.

    Raises
    ------
    DomainError
        A string ``ord``, or ``ord=-inf`` over an empty axis (NumPy's ``ValueError`` s).
    AxisError
        An axis out of range, or repeated.
    XPMathTypeError
        A non-integer axis, or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.linalg.vector_norm([3.0, 4.0]))
    5.0
    >>> xpmath.linalg.vector_norm([[1, -2], [3, -4]], axis=0, ord=1).tolist()
    [4.0, 6.0]
    """
    be = select(backend, "vector_norm", x)
    a = _v.float_array(be, x, "vector_norm")
    ord = _v.norm_ord(ord, "vector_norm", matrix=False)
    if axis is not None and not isinstance(axis, tuple) and not keepdims:
        try:  # NumPy hands a single axis to norm, which takes any axis int() takes (1.0, "1")
            axis = operator.index(axis)
        except TypeError:
            try:
                axis = int(axis)
            except (TypeError, ValueError):
                pass  # refused below, with the other malformed axes
    axis = _v.axis(a, axis, "vector_norm")
    named = (axis,) if isinstance(axis, int) else axis
    axes = tuple(range(a.ndim)) if named is None else tuple(i % a.ndim for i in named)
    _v.norm_of_nothing(a.shape, ord, axes, "vector_norm", matrix=False)
    return _v.output(be, impl(be, "vector_norm")(a, axis=axis, keepdims=keepdims, ord=ord), x)


def matrix_norm(x, /, *, keepdims: bool = False, ord="fro", backend: str | None = None):
    """Matrix norm of each matrix in the last two axes, as :func:`numpy.linalg.matrix_norm`.

    Parameters
    ----------
    x : array_like, shape (..., M, N)
        A matrix or a stack of them; integer and bool input computes in float64.
    keepdims : bool, optional
        Keep the last two axes in the result with length one.
    ord : {'fro', 'nuc', inf, -inf, 1, -1, 2, -2}, optional
        The order (see :func:`norm`): ``'fro'`` the Frobenius norm (``'f'`` and None too), ``'nuc'``
        the sum of the singular values, 2 / -2 the largest / smallest singular value, 1 / -1 the
        largest / smallest column sum of ``abs(x)``, ``inf`` / ``-inf`` the largest / smallest row sum.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray or scalar, shape (...)
        The norms, real (float32 for float32 or complex64 input); a scalar for one matrix.

    Raises
    ------
    DomainError
        An ``ord`` not listed above, or a smallest sum or singular value of an empty matrix (NumPy's
        ``ValueError`` s).
    AxisError
        An input of fewer than two dimensions (NumPy's class: the axes ``(-2, -1)`` are out of range).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble) with an ``ord`` that
        needs the singular values.
    LinAlgError
        The SVD behind ``ord=2``, ``-2`` or ``'nuc'`` did not converge (NaN in the matrix).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.linalg.matrix_norm([[1.0, 2.0], [3.0, 4.0]], ord=1))
    6.0
    """
    be = select(backend, "matrix_norm", x)
    a = _v.float_array(be, x, "matrix_norm")
    ord = _v.norm_ord(ord, "matrix_norm", matrix=True)
    _v.at_least_2d(a, "matrix_norm", cls=_v.AxisError)
    if ord in (2, -2, "nuc"):
        _v.lapack_dtype(a, "matrix_norm", "x")
    _v.norm_of_nothing(a.shape, ord, (a.ndim - 2, a.ndim - 1), "matrix_norm", matrix=True)
    try:
        return _v.output(be, impl(be, "matrix_norm")(a, keepdims=keepdims, ord=ord), x)
    except numpy.linalg.LinAlgError as exc:  # an SVD that did not converge (NaN in the matrix)
        if isinstance(exc, _v.XPMathError):
            raise
        raise _v.LinAlgError(f"matrix_norm: {exc}") from exc
