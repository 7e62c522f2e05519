"""Decompositions: eigenvalues and eigenvectors, the singular value, QR and Cholesky factorisations,
and what the singular values give (rank, condition number)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy

from .. import _validate as _v
from .._dispatch import impl, select
from .._reference.linalg import EighResult, EigResult, QRResult, SVDResult, sort_eig

_ndarray = numpy.ndarray

__all__ = ["eig", "eigh", "eigvals", "eigvalsh", "EigResult", "EighResult"]


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


def eigh(a, UPLO: str = "L", *, backend: str | None = None) -> EighResult:
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
    EighResult
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
    w, v = impl(be, "eigh")(_v.square_finite(be, a, "eigh"), UPLO=UPLO)
    return _v.output(be, EighResult(w, v), a)


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
        from .._portable.linalg import sort_eig as portable_sort

        return portable_sort(be.xp, w, v)
    if isinstance(w, be.array_type):
        return sort_eig(be.xp, w, v)
    r = sort_eig(numpy, w, v)
    return be.asarray(r) if v is None else EigResult(be.asarray(r[0]), be.asarray(r[1]))


# ---------------------------------------------------------------- singular values, QR, Cholesky

__all__ += ["svd", "svdvals", "qr", "cholesky", "matrix_rank", "cond", "SVDResult", "QRResult"]

_QR_MODES = ("reduced", "complete", "r", "raw")
_COND_ORDERS = (None, 1, -1, 2, -2, math.inf, -math.inf, "fro", "nuc")


def _run(be, op: str, fn: str, args: tuple, inputs: tuple, wrap=None, **kwargs):
    """``op`` on ``be`` and the result as the caller sees it (``wrap`` builds the result type first);
    a failure inside the factorisation or the backend as xpmath's error class."""
    try:
        r = impl(be, op)(*args, **kwargs)
        return _v.output(be, r if wrap is None else wrap(*r), *inputs)
    except Exception as exc:
        _v.linalg_error(exc, fn, be)


def svd(a, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False, *,
        backend: str | None = None):
    """Singular value decomposition ``a = U @ diag(S) @ Vh``, as :func:`numpy.linalg.svd`.

    Parameters
    ----------
    a : array_like, shape (..., M, N)
        A matrix or a stack of them; integer and bool input computes in float64.
    full_matrices : bool, optional
        True (the default): ``U`` is ``(..., M, M)`` and ``Vh`` ``(..., N, N)``; False: ``(..., M, K)``
        and ``(..., K, N)`` with ``K = min(M, N)``.
    compute_uv : bool, optional
        False returns the singular values alone.
    hermitian : bool, optional
        ``a`` is Hermitian (real symmetric): the decomposition comes from its eigen-decomposition,
        reading its lower triangle, as NumPy's.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    SVDResult or ndarray
        ``(U, S, Vh)`` with ``S`` real and descending (``U`` and ``Vh`` in ``a``'s floating dtype);
        ``S`` alone when ``compute_uv`` is False. Singular vectors are unique up to sign (phase),
        which each backend's solver chooses.

    Raises
    ------
    ShapeError
        ``a`` with fewer than two dimensions (a ``LinAlgError``); with ``hermitian``, ``a`` not square.
    LinAlgError
        The SVD did not converge (NaN in ``a``), on every backend.
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).
    BackendError
        On ``dask``, a full ``U`` of a tall matrix chunked by rows (``full_matrices=False`` gives the
        thin factors by TSQR).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.svd([[3.0, 0.0], [0.0, -4.0]]).S.tolist()
    [4.0, 3.0]
    """
    be = select(backend, "svd", a)
    x = _v.lapack_array(be, a, "svd", square_=bool(hermitian))
    if not hermitian:
        _v.svd_converges(be, x, "svd")
    return _run(be, "svd", "svd", (x,), (a,), SVDResult if compute_uv else None, full_matrices=bool(full_matrices),
                compute_uv=bool(compute_uv), hermitian=bool(hermitian))


def svdvals(x, /, *, backend: str | None = None):
    """The singular values of a matrix (or of each in a stack), descending, as :func:`numpy.linalg.svdvals`.

    Parameters
    ----------
    x : array_like, shape (..., M, N)
        A matrix or a stack of them; integer and bool input computes in float64.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., K)
        ``K = min(M, N)`` singular values, real, in descending order.

    Raises
    ------
    ShapeError, LinAlgError, XPMathTypeError
        As :func:`svd`.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.svdvals([[3.0, 0.0], [0.0, -4.0]]).tolist()
    [4.0, 3.0]
    """
    be = select(backend, "svdvals", x)
    a = _v.svd_converges(be, _v.lapack_array(be, x, "svdvals", "x"), "svdvals")
    return _run(be, "svdvals", "svdvals", (a,), (x,))


def qr(a, mode: str = "reduced", *, backend: str | None = None):
    """QR factorisation ``a = Q @ R``, as :func:`numpy.linalg.qr`, in all of NumPy's modes.

    Parameters
    ----------
    a : array_like, shape (..., M, N)
        A matrix or a stack of them; integer and bool input computes in float64.
    mode : {'reduced', 'complete', 'r', 'raw'}, optional
        With ``K = min(M, N)``: ``'reduced'`` (the default) gives ``Q (..., M, K)`` and ``R (..., K, N)``;
        ``'complete'`` ``Q (..., M, M)`` and ``R (..., M, N)``; ``'r'`` ``R (..., K, N)`` alone;
        ``'raw'`` LAPACK's Householder form ``(h, tau)``, each ``h`` transposed as NumPy gives it. The
        deprecated ``'full'``/``'f'`` and ``'economic'``/``'e'`` work with NumPy's DeprecationWarning.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    QRResult, ndarray or tuple
        ``(Q, R)`` for ``'reduced'`` and ``'complete'``; ``R`` for ``'r'``; ``(h, tau)`` for ``'raw'``.
        In ``a``'s floating dtype. The signs of ``R``'s rows (and ``Q``'s columns) are the solver's.

    Raises
    ------
    DomainError
        An unknown ``mode`` (a ``ValueError``).
    ShapeError
        ``a`` with fewer than two dimensions (a ``LinAlgError``).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).
    BackendError
        On ``dask``, ``'complete'`` or ``'raw'`` of a tall matrix chunked by rows (TSQR gives ``'reduced'``
        and ``'r'``).

    Examples
    --------
    >>> import xpmath
    >>> q, r = xpmath.linalg.qr([[3.0, 1.0], [4.0, 2.0]])
    >>> abs(r).round(4).tolist()
    [[5.0, 2.2], [0.0, 0.4]]
    """
    if mode not in _QR_MODES:
        if mode in ("f", "full"):
            warnings.warn("The 'full' option is deprecated in favor of 'reduced'.\n"
                          "For backward compatibility let mode default.", DeprecationWarning, stacklevel=2)
            mode = "reduced"
        elif mode in ("e", "economic"):
            warnings.warn("The 'economic' option is deprecated.", DeprecationWarning, stacklevel=2)
            mode = "economic"
        else:
            raise _v.DomainError(f"qr: Unrecognized mode '{mode}'; use one of {', '.join(_QR_MODES)}")
    be = select(backend, "qr", a)
    x = _v.lapack_array(be, a, "qr")
    if mode == "economic":  # LAPACK's factor itself: raw's h, each matrix transposed back
        h, _ = _run(be, "qr", "qr", (x,), (a,), mode="raw")
        return h.mT if hasattr(h, "mT") else h.swapaxes(-1, -2)
    return _run(be, "qr", "qr", (x,), (a,), QRResult if mode in ("reduced", "complete") else None, mode=mode)


def cholesky(a, /, *, upper: bool = False, backend: str | None = None):
    """Cholesky factor of a Hermitian positive-definite matrix, as :func:`numpy.linalg.cholesky`.

    Only the lower triangle of ``a`` is read (the upper one with ``upper=True``), as NumPy's.

    Parameters
    ----------
    a : array_like, shape (..., M, M)
        A Hermitian (real symmetric) positive-definite matrix, or a stack of them; integer and bool
        input computes in float64.
    upper : bool, optional
        Give the upper factor ``U`` with ``a = U^H @ U`` instead of the lower ``L`` with ``a = L @ L^H``.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    ndarray, shape (..., M, M)
        The triangular factor, in ``a``'s floating dtype, with a real positive diagonal.

    Raises
    ------
    LinAlgError
        ``a`` is not positive definite, on every backend (CuPy included, where cuSOLVER only flags it;
        on ``dask``, a matrix chunked in both axes raises it when its result is computed).
    ShapeError
        ``a`` not square, or with fewer than two dimensions (a ``LinAlgError``).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.linalg.cholesky([[4.0, 2.0], [2.0, 5.0]]).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    """
    be = select(backend, "cholesky", a)
    x = _v.lapack_array(be, a, "cholesky", square_=True)
    return _run(be, "cholesky", "cholesky", (x,), (a,), upper=bool(upper))


def matrix_rank(A, tol=None, hermitian: bool = False, *, rtol=None, backend: str | None = None):
    """Rank of a matrix (of each in a stack) by its singular values, as :func:`numpy.linalg.matrix_rank`.

    Parameters
    ----------
    A : array_like, shape (..., M, N)
        A matrix or a stack of them; a scalar or a vector has rank 1 unless all zero.
    tol : float or array_like, optional
        Singular values at most ``tol`` count as zero (one per matrix of a stack).
    hermitian : bool, optional
        ``A`` is Hermitian: its eigenvalues' moduli stand for the singular values.
    rtol : float or array_like, optional
        A tolerance relative to the largest singular value; the default ``max(M, N) * eps``.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    int or ndarray, shape (...)
        The rank (``intp``); a Python int for a scalar or a vector, as NumPy gives.

    Raises
    ------
    DomainError
        Both ``tol`` and ``rtol`` given (a ``ValueError``).
    LinAlgError
        The SVD did not converge (NaN in ``A``).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> int(xpmath.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    1
    """
    if rtol is not None and tol is not None:
        raise _v.DomainError("matrix_rank: `tol` and `rtol` can't be both set.")
    be = select(backend, "matrix_rank", A)
    x = _v.array(be, A, "matrix_rank", "A")
    if x.ndim < 2:
        return int(not bool(be.xp.all(x == 0)))
    x = _v.lapack_array(be, x, "matrix_rank", "A", square_=bool(hermitian))
    if not hermitian:
        _v.svd_converges(be, x, "matrix_rank")
    return _run(be, "matrix_rank", "matrix_rank", (x,), (A,), tol=tol, hermitian=bool(hermitian), rtol=rtol)


def cond(x, p=None, *, backend: str | None = None):
    """Condition number of a matrix (of each in a stack), as :func:`numpy.linalg.cond`.

    Parameters
    ----------
    x : array_like, shape (..., M, N)
        A matrix or a stack of them (square unless ``p`` is None, 2 or -2).
    p : {None, 1, -1, 2, -2, inf, -inf, 'fro', 'nuc'}, optional
        The norm: None or 2 the ratio of the largest to the smallest singular value, -2 its inverse;
        otherwise ``norm(x, p) * norm(inv(x), p)``.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    float or ndarray, shape (...)
        Real (float32 for single precision); infinity for a singular matrix (NaN where ``x`` holds NaN).

    Raises
    ------
    LinAlgError
        ``x`` empty, or the SVD did not converge (NaN in ``x``, ``p`` None or ±2).
    ShapeError
        ``x`` with fewer than two dimensions, or not square for a ``p`` other than None and ±2.
    DomainError
        An unknown ``p`` (a ``ValueError``).
    XPMathTypeError
        Non-numeric input, or a dtype LAPACK does not take (float16, longdouble).

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.linalg.cond([[1.0, 0.0], [0.0, 4.0]]))
    4.0
    """
    be = select(backend, "cond", x)
    a = _v.array(be, x, "cond", "x")
    if math.prod(a.shape) == 0 and math.prod(a.shape[-2:]) == 0:
        raise _v.LinAlgError("cond: cond is not defined on empty arrays")
    if not any(p is o or (type(p) is not str and type(o) is not str and p == o) for o in _COND_ORDERS):
        raise _v.DomainError(f"cond: Invalid norm order {p!r} for matrices")
    svd_based = p is None or (not isinstance(p, str) and p in (2, -2))
    a = _v.lapack_array(be, a, "cond", "x", square_=not svd_based)
    if svd_based:
        _v.svd_converges(be, a, "cond")
    return _run(be, "cond", "cond", (a,), (x,), p=p)
