"""Decompositions: eigenvalues and eigenvectors (and the factorisations of numpy.linalg)."""

from __future__ import annotations

import numpy

from .. import _validate as _v
from .._dispatch import impl, select
from .._reference.linalg import EigResult, sort_eig

_ndarray = numpy.ndarray

__all__ = ["eig", "eigh", "eigvals", "eigvalsh", "EigResult"]


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
        from .._portable.linalg import sort_eig as portable_sort

        return portable_sort(be.xp, w, v)
    if isinstance(w, be.array_type):
        return sort_eig(be.xp, w, v)
    r = sort_eig(numpy, w, v)
    return be.asarray(r) if v is None else EigResult(be.asarray(r[0]), be.asarray(r[1]))
