"""Solvers: inverse, linear systems, determinants, least squares, the pseudo-inverse, matrix powers
and their tensor forms."""

from __future__ import annotations

import math
import operator

import numpy

from .. import _validate as _v
from .._dispatch import impl, select
from .._reference.linalg import NoValue, SlogdetResult

_ndarray = numpy.ndarray

__all__ = ["inv", "solve", "det"]


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


# ---------------------------------------------------------------- least squares, pseudo-inverse, powers, tensors

__all__ += ["lstsq", "pinv", "slogdet", "matrix_power", "tensorinv", "tensorsolve", "SlogdetResult"]


def _run(be, op: str, fn: str, args: tuple, inputs: tuple, wrap=None, **kwargs):
    """``op`` on ``be`` and the result as the caller sees it (``wrap`` builds the result type first);
    a failure inside the factorisation or the backend as xpmath's error class."""
    try:
        r = impl(be, op)(*args, **kwargs)
        return _v.output(be, r if wrap is None else wrap(*r), *inputs)
    except Exception as exc:
        _v.linalg_error(exc, fn, be)


def lstsq(a, b, rcond=None, *, backend: str | None = None) -> tuple:
    """Least-squares solution of ``a @ x = b``, as :func:`numpy.linalg.lstsq` (LAPACK's ``gelsd``).

    The minimum-norm solution where ``a`` is rank deficient or wide, never an error.

    Parameters
    ----------
    a : array_like, shape (M, N)
        The coefficient matrix; integer and bool input computes in float64.
    b : array_like, shape (M,) or (M, K)
        The ordinate: one vector, or ``K`` columns solved together.
    rcond : float, optional
        Singular values at most ``rcond`` times the largest count as zero; negative: the machine
        precision. None (the default): ``eps * max(M, N)``.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    x : ndarray, shape (N,) or (N, K)
        The solution.
    residuals : ndarray, shape (1,), (K,) or (0,)
        The squared 2-norm of each column of ``b - a @ x`` where ``a`` has full column rank and
        ``M > N``; otherwise empty.
    rank : int32
        The rank of ``a``.
    s : ndarray, shape (min(M, N),)
        The singular values of ``a``, descending.

    Raises
    ------
    ShapeError
        ``a`` not 2-D, ``b`` not 1-D or 2-D, or their rows differ ("Incompatible dimensions"; a ``LinAlgError``).
    LinAlgError
        The SVD did not converge (NaN or infinity in ``a``), on every backend.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).
    BackendError
        On ``dask``, a matrix too wide for TSQR and too large for one task.

    Examples
    --------
    >>> import xpmath
    >>> x, res, rank, s = xpmath.linalg.lstsq([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [1.0, 2.0, 3.0])
    >>> x.round(6).tolist(), int(rank)
    ([1.0, 1.0], 2)
    """
    be = select(backend, "lstsq", a, b)
    x = _v.float_array(be, a, "lstsq", "a")
    y = _v.float_array(be, b, "lstsq", "b")
    if x.ndim != 2 or y.ndim not in (1, 2):
        bad, name = (x, "a") if x.ndim != 2 else (y, "b")
        raise _v.ShapeError(f"lstsq: {bad.ndim}-dimensional array given. Array must be two-dimensional "
                            f"({name} has shape {bad.shape}; b may also be a vector)")
    if x.shape[0] != y.shape[0]:
        raise _v.ShapeError(f"lstsq: Incompatible dimensions: a {x.shape} and b {y.shape} have different numbers "
                            f"of rows ({x.shape[0]} != {y.shape[0]})")
    _v.lapack_dtype(x, "lstsq", "a")
    _v.lapack_dtype(y, "lstsq", "b")
    if rcond is not None:
        try:
            rcond = float(rcond)
        except (TypeError, ValueError):
            raise _v.XPMathTypeError(f"lstsq: rcond must be a real number or None; got {rcond!r}") from None
    _v.svd_converges(be, x, "lstsq", infinite=True)
    return _run(be, "lstsq", "lstsq", (x, y), (a, b), rcond=rcond)


def pinv(a, rcond=None, hermitian: bool = False, *, rtol=NoValue, backend: str | None = None):
    """Moore-Penrose pseudo-inverse by the singular value decomposition, as :func:`numpy.linalg.pinv`.

    Parameters
    ----------
    a : array_like, shape (..., M, N)
        A matrix or a stack of them; integer and bool input computes in float64.
    rcond : float or array_like, optional
        Singular values at most ``rcond`` times the largest are discarded (one cutoff per matrix of
        a stack); NumPy's default 1e-15 when neither it nor ``rtol`` is given.
    hermitian : bool, optional
        ``a`` is Hermitian: its eigen-decomposition stands for the SVD (its lower triangle read).
    rtol : float or array_like, optional
        The same cutoff under the array API standard's name; None means ``max(M, N) * eps``. Only
        one of ``rcond`` and ``rtol`` may be given.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., N, M)
        The pseudo-inverse, in ``a``'s floating dtype (an empty ``a`` keeps its own dtype, as NumPy's).

    Raises
    ------
    DomainError
        Both ``rcond`` and ``rtol`` given (a ``ValueError``).
    ShapeError
        ``a`` with fewer than two dimensions (a ``LinAlgError``).
    LinAlgError
        The SVD did not converge (NaN in ``a``), on every backend.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.pinv([[2.0, 0.0], [0.0, 0.0]]).tolist()
    [[0.5, 0.0], [0.0, 0.0]]
    """
    if rcond is not None and rtol is not NoValue:
        raise _v.DomainError("pinv: `rtol` and `rcond` can't be both set.")
    be = select(backend, "pinv", a)
    x = _v.stacked_2d(_v.array(be, a, "pinv", "a"), "pinv")
    m, n = x.shape[-2:]
    if math.prod(x.shape) == 0 and m * n == 0:  # NumPy's answer for no data: empty, in the input's dtype
        return _v.output(be, be.xp.empty(x.shape[:-2] + (n, m), dtype=x.dtype, **_v.device_kw(x)), a)
    x = _v.lapack_array(be, x, "pinv", square_=bool(hermitian))
    if not hermitian:
        _v.svd_converges(be, x, "pinv")
    return _run(be, "pinv", "pinv", (x,), (a,), rcond=rcond, hermitian=bool(hermitian), rtol=rtol)


def slogdet(a, *, backend: str | None = None) -> SlogdetResult:
    """Sign and natural logarithm of the determinant, as :func:`numpy.linalg.slogdet`.

    Free of the overflow and underflow of :func:`det` for large matrices. NaN and infinity are not
    refused: they give NumPy's answer (NaN, with NumPy's RuntimeWarning on the CPU).

    Parameters
    ----------
    a : array_like, shape (..., M, M)
        A square matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    SlogdetResult
        sign : scalar or ndarray, shape (...)
            The sign (a complex number of modulus 1 for complex input); 0 for a singular matrix.
        logabsdet : scalar or ndarray, shape (...)
            ``log(abs(det(a)))``, real; ``-inf`` for a singular matrix.

    Raises
    ------
    ShapeError
        ``a`` not square, or with fewer than two dimensions (a ``LinAlgError``).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> sign, logdet = xpmath.linalg.slogdet([[2.0, 0.0], [0.0, 3.0]])
    >>> float(sign), round(float(logdet), 6)
    (1.0, 1.791759)
    """
    be = select(backend, "slogdet", a)
    x = _v.lapack_array(be, a, "slogdet", square_=True)
    return _run(be, "slogdet", "slogdet", (x,), (a,), SlogdetResult)


def matrix_power(a, n, *, backend: str | None = None):
    """A square matrix (each in a stack) raised to the integer power ``n``, as :func:`numpy.linalg.matrix_power`.

    ``n = 0`` gives the identity, a negative ``n`` the inverse raised to ``-n``; repeated squaring.

    Parameters
    ----------
    a : array_like, shape (..., M, M)
        A square matrix or a stack of them. Its dtype is kept for ``n >= 0`` (integers and bools too,
        as NumPy's matmul keeps them); a negative ``n`` inverts it in a floating dtype.
    n : int
        The exponent (any Python or NumPy integer).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., M, M)
        ``a`` to the power ``n``.

    Raises
    ------
    XPMathTypeError
        ``n`` not an integer, non-numeric input, or (for ``n < 0``) a dtype LAPACK does not take.
    ShapeError
        ``a`` not square, or with fewer than two dimensions (a ``LinAlgError``).
    SingularMatrixError
        ``n < 0`` and ``a`` exactly singular (a ``LinAlgError``).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.matrix_power([[1, 1], [0, 1]], 3).tolist()
    [[1, 3], [0, 1]]
    """
    be = select(backend, "matrix_power", a)
    x = _v.stacked_2d(_v.array(be, a, "matrix_power", "a"), "matrix_power")
    if x.shape[-1] != x.shape[-2]:
        raise _v.ShapeError(f"matrix_power: Last 2 dimensions of the array must be square; a has shape {x.shape}")
    try:
        n = operator.index(n)
    except TypeError:
        raise _v.XPMathTypeError(f"matrix_power: exponent must be an integer; got {n!r}") from None
    if n < 0:
        x = _v.lapack_dtype(_v.float_array(be, x, "matrix_power", "a"), "matrix_power")
    return _run(be, "matrix_power", "matrix_power", (x, n), (a,))


def tensorinv(a, ind: int = 2, *, backend: str | None = None):
    """The inverse of a tensor under ``tensordot(..., ind)``, as :func:`numpy.linalg.tensorinv`.

    ``a`` is read as the square matrix ``a.reshape(prod(a.shape[:ind]), -1)`` and inverted.

    Parameters
    ----------
    a : array_like
        A tensor with ``prod(a.shape[:ind]) == prod(a.shape[ind:])``; integer and bool input computes
        in float64.
    ind : int, optional
        How many leading axes index the rows (positive).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape ``a.shape[ind:] + a.shape[:ind]``
        The inverse tensor.

    Raises
    ------
    DomainError
        ``ind`` not positive (a ``ValueError``).
    ShapeError
        The matrix ``a`` stands for is not square (a ``LinAlgError``).
    SingularMatrixError
        That matrix is exactly singular (a ``LinAlgError``).
    XPMathTypeError
        Non-numeric input, a non-integer ``ind``, or a dtype LAPACK does not take.

    Examples
    --------
    >>> import numpy, xpmath
    >>> a = numpy.eye(6).reshape(6, 2, 3) * 2
    >>> xpmath.linalg.tensorinv(a, ind=1).shape
    (2, 3, 6)
    """
    be = select(backend, "tensorinv", a)
    ind = _v.index_arg(ind, "tensorinv", "ind")
    if ind <= 0:
        raise _v.DomainError(f"tensorinv: Invalid ind argument {ind}: it must be positive")
    x = _v.float_array(be, a, "tensorinv", "a")
    rows = math.prod(x.shape[ind:])
    size = math.prod(x.shape)
    if rows * rows != size or rows == 0:
        raise _v.ShapeError(f"tensorinv: a of shape {x.shape} is no square matrix as a {rows}-row reshape "
                            f"(prod(a.shape[:ind]) must equal prod(a.shape[ind:]), ind={ind})")
    _v.lapack_dtype(x, "tensorinv")
    return _run(be, "tensorinv", "tensorinv", (x,), (a,), ind=ind)


def tensorsolve(a, b, axes=None, *, backend: str | None = None):
    """Solve the tensor equation ``tensordot(a, x, x.ndim) == b`` for ``x``, as :func:`numpy.linalg.tensorsolve`.

    Parameters
    ----------
    a : array_like
        The coefficient tensor, shape ``b.shape + Q`` (after ``axes`` are moved to the end) with
        ``prod(Q) == prod(b.shape)``; integer and bool input computes in float64.
    b : array_like
        The right-hand tensor.
    axes : tuple of ints, optional
        Axes of ``a`` moved to the end, in this order, before the solve.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape Q
        The solution.

    Raises
    ------
    ShapeError
        The shapes do not make a square system (a ``LinAlgError``).
    SingularMatrixError
        The system is exactly singular (a ``LinAlgError``).
    DomainError
        ``axes`` naming an axis ``a`` does not have, or twice (a ``ValueError``).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take.

    Examples
    --------
    >>> import numpy, xpmath
    >>> a = numpy.eye(6).reshape(2, 3, 6) * 2
    >>> xpmath.linalg.tensorsolve(a, numpy.ones((2, 3))).round(6).tolist()
    [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    """
    be = select(backend, "tensorsolve", a, b)
    x = _v.float_array(be, a, "tensorsolve", "a")
    y = _v.float_array(be, b, "tensorsolve", "b")
    shape = x.shape
    if axes is not None:
        order = list(range(x.ndim))
        try:
            for k in axes:
                order.remove(k)
                order.insert(x.ndim, k)
        except (ValueError, TypeError):
            raise _v.DomainError(f"tensorsolve: axes {axes!r} must name distinct axes of a (shape {x.shape})") from None
        axes = tuple(axes)
        shape = tuple(x.shape[i] for i in order)
    old = shape[-(x.ndim - y.ndim):]
    k = math.prod(old)
    if math.prod(shape) != k * k or math.prod(y.shape) != k:
        raise _v.ShapeError(
            "tensorsolve: Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim]) "
            f"== prod(b.shape); got a {x.shape}{' (axes moved: ' + str(shape) + ')' if axes is not None else ''} and "
            f"b {y.shape}"
        )
    _v.lapack_dtype(x, "tensorsolve", "a")
    _v.lapack_dtype(y, "tensorsolve", "b")
    return _run(be, "tensorsolve", "tensorsolve", (x, y), (a, b), axes=axes)
