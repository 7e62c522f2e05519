"""Linear algebra: ``numpy.linalg``'s names on every backend.

Each function validates its input once, then runs on the selected backend (``backend=`` >
``use_backend`` > ``set_backend`` > ``XPMATH_BACKEND`` > ``numpy``).
"""

from __future__ import annotations

import numpy

from . import _validate as _v

_ndarray = numpy.ndarray
from ._dispatch import impl, select
from ._reference.linalg import EigResult, sort_eig

__all__ = [
    "dot", "matmul", "transpose", "norm", "cosine_similarity",
    "inv", "solve", "det", "eig", "eigh", "eigvals", "eigvalsh", "EigResult",
]


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


def inv(a, *, backend: str | None = None):
    """Inverse of a square matrix (or of each in a stack ``(..., n, n)``), as :func:`numpy.linalg.inv`.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., n, n)
        The inverse of each matrix, in ``a``'s floating dtype.

    Raises
    ------
    SingularMatrixError
        When ``a`` is exactly singular (a zero pivot), on every backend.
    ShapeError
        When ``a`` is not a square matrix or a stack of them.
    NonFiniteError
        When ``a`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.inv([[4.0, 7.0], [2.0, 6.0]]).round(4).tolist()
    [[0.6, -0.7], [-0.2, 0.4]]
    """
    be = select(backend, "inv", a)
    a_in = a
    a = _v.square_finite(be, a, "inv")
    try:
        r = impl(be, "inv")(a)
    except numpy.linalg.LinAlgError as exc:
        _v.raise_singular(exc, "inv", be)
        raise
    return r if be.array_type is _ndarray else _v.output(be, r, a_in)


def solve(a, b, *, backend: str | None = None):
    """Solve ``a @ x = b``, as :func:`numpy.linalg.solve` (``b`` 1-D, or ``(..., n, k)``).

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Coefficient matrix, or a stack of them; integer and bool input computes in float64.
    b : array_like, shape (n,) or (..., n, k)
        Ordinate values: one vector, or ``k`` columns per matrix; the batch axes of ``a`` and ``b``
        broadcast.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray
        The solution ``x``, shaped as ``b`` (with the batch axes broadcast).

    Raises
    ------
    SingularMatrixError
        When ``a`` is exactly singular (a zero pivot), on every backend.
    ShapeError
        When ``a`` is not square or ``b``'s shape does not fit it.
    NonFiniteError
        When ``a`` or ``b`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.solve([[3.0, 1.0], [1.0, 2.0]], [9.0, 8.0]).tolist()
    [2.0, 3.0]
    """
    be = select(backend, "solve", a, b)
    a_in, b_in = a, b
    a = _v.float_array(be, a, "solve", "a")
    b = _v.float_array(be, b, "solve", "b")
    _v.solve_shapes(a, b)
    _v.lapack_dtype(a, "solve", "a")
    _v.lapack_dtype(b, "solve", "b")
    _v.finite(be, a, "solve", "a")
    _v.finite(be, b, "solve", "b")
    try:
        return _v.output(be, impl(be, "solve")(a, b), a_in, b_in)
    except numpy.linalg.LinAlgError as exc:
        _v.raise_singular(exc, "solve", be)
        raise


def det(a, *, backend: str | None = None):
    """Determinant, as :func:`numpy.linalg.det` (0.0 for a singular matrix).

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray, shape (...)
        The determinant of each matrix.

    Raises
    ------
    ShapeError
        When ``a`` is not a square matrix or a stack of them.
    NonFiniteError
        When ``a`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.linalg.det([[4.0, 7.0], [2.0, 6.0]])), 10)
    10.0
    """
    be = select(backend, "det", a)
    return _v.output(be, impl(be, "det")(_v.square_finite(be, a, "det")), a)


def eig(a, *, backend: str | None = None) -> EigResult:
    """Eigenvalues and unit eigenvectors of a general square matrix.

    Always complex (complex128 for float64 input, complex64 for float32). Unlike NumPy, the pairs
    are sorted by descending real part, then descending imaginary part, so every backend returns
    the same order. Returns a named tuple ``(eigenvalues, eigenvectors)``.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    EigResult
        eigenvalues : ndarray, shape (..., n)
            Complex, sorted by descending real part, then descending imaginary part (real parts
            within ``sqrt(eps)·max|w|`` of each other count as equal, so a conjugate pair comes out
            with the positive imaginary part first).
        eigenvectors : ndarray, shape (..., n, n)
            Complex; the unit-norm column ``eigenvectors[..., :, i]`` belongs to ``eigenvalues[..., i]``.

    Raises
    ------
    ShapeError
        When ``a`` is not a square matrix or a stack of them.
    NonFiniteError
        When ``a`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).
    LinAlgError
        When the eigenvalue computation does not converge.

    Examples
    --------
    >>> import xpmath
    >>> w, v = xpmath.linalg.eig([[4.0, 2.0], [2.0, 3.0]])
    >>> w.real.round(4).tolist()
    [5.5616, 1.4384]
    """
    be = select(backend, "eig", a)
    w, v = impl(be, "eig")(_v.square_finite(be, a, "eig"))
    return _v.output(be, _ordered(be, w, v), a)


def eigvals(a, *, backend: str | None = None):
    """Eigenvalues of a general square matrix, complex, in :func:`eig`'s order.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., n)
        The eigenvalues, complex (complex64 for float32 input, else complex128), sorted by descending
        real part, then descending imaginary part.

    Raises
    ------
    ShapeError, NonFiniteError, XPMathTypeError, LinAlgError
        As :func:`eig`.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.eigvals([[0.0, -1.0], [1.0, 0.0]]).tolist()
    [1j, -1j]
    """
    be = select(backend, "eigvals", a)
    return _v.output(be, _ordered(be, impl(be, "eigvals")(_v.square_finite(be, a, "eigvals"))), a)


def _uplo(UPLO, fn):
    u = UPLO.upper() if isinstance(UPLO, str) else UPLO  # NumPy takes 'l' and 'u' too
    if u not in ("L", "U"):
        raise _v.DomainError(f"{fn}: UPLO must be 'L' or 'U'; got {UPLO!r}")
    return u


def eigh(a, UPLO: str = "L", *, backend: str | None = None) -> EigResult:
    """Eigen-decomposition of a symmetric / Hermitian matrix: ascending values, orthonormal columns.

    Only the ``UPLO`` triangle is read, as :func:`numpy.linalg.eigh`.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A real symmetric or complex Hermitian matrix, or a stack of them; integer and bool input
        computes in float64.
    UPLO : {'L', 'U'}, optional
        Read the lower (``'L'``, the default) or the upper (``'U'``) triangle of ``a``; the other
        triangle is ignored. Lower-case letters are taken too.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    EigResult
        eigenvalues : ndarray, shape (..., n)
            Real (float32 for float32 or complex64 input, else float64), in ascending order.
        eigenvectors : ndarray, shape (..., n, n)
            Orthonormal columns; ``eigenvectors[..., :, i]`` belongs to ``eigenvalues[..., i]``.

    Raises
    ------
    DomainError
        ``UPLO`` other than ``'L'`` or ``'U'``.
    ShapeError
        When ``a`` is not a square matrix or a stack of them.
    NonFiniteError
        When ``a`` holds NaN or infinity.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).
    LinAlgError
        When the eigenvalue computation does not converge.

    Examples
    --------
    >>> import xpmath
    >>> w, v = xpmath.linalg.eigh([[4.0, 2.0], [2.0, 3.0]])
    >>> w.round(4).tolist()
    [1.4384, 5.5616]
    """
    be = select(backend, "eigh", a)
    UPLO = _uplo(UPLO, "eigh")
    return _v.output(be, impl(be, "eigh")(_v.square_finite(be, a, "eigh"), UPLO=UPLO), a)


def eigvalsh(a, UPLO: str = "L", *, backend: str | None = None):
    """Eigenvalues of a symmetric / Hermitian matrix, ascending, as :func:`numpy.linalg.eigvalsh`.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        A real symmetric or complex Hermitian matrix, or a stack of them; integer and bool input
        computes in float64.
    UPLO : {'L', 'U'}, optional
        Read the lower (``'L'``, the default) or the upper (``'U'``) triangle of ``a``; lower-case
        letters are taken too.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., n)
        The eigenvalues, real, in ascending order.

    Raises
    ------
    DomainError, ShapeError, NonFiniteError, XPMathTypeError, LinAlgError
        As :func:`eigh`.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.eigvalsh([[4.0, 2.0], [2.0, 3.0]]).round(4).tolist()
    [1.4384, 5.5616]
    """
    be = select(backend, "eigvalsh", a)
    UPLO = _uplo(UPLO, "eigvalsh")
    return _v.output(be, impl(be, "eigvalsh")(_v.square_finite(be, a, "eigvalsh"), UPLO=UPLO), a)



def _ordered(be, w, v=None):
    """Eigenpairs in xpmath's order, on ``be``: a backend whose solver ran on the host (Dask) hands
    them back as NumPy arrays, ordered there."""
    if getattr(be, "portable", False):
        from ._portable.linalg import sort_eig as portable_sort

        return portable_sort(be.xp, w, v)
    if isinstance(w, be.array_type):
        return sort_eig(be.xp, w, v)
    r = sort_eig(numpy, w, v)
    return be.asarray(r) if v is None else EigResult(be.asarray(r[0]), be.asarray(r[1]))
