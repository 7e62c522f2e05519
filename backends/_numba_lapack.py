"""NumPy's own LAPACK, called from Numba-jitted code the way NumPy calls it: NumPy's answers to the bit.

NumPy's wheels carry OpenBLAS as ``libscipy_openblas64_`` (64-bit integers, symbols ``scipy_*64_``).
Numba's ``np.linalg`` calls SciPy's copy instead, another build, and with other algorithms: its
``inv`` is getrf + getri where NumPy solves against the identity with gesv, its ``det`` multiplies
the pivots where NumPy sums their logarithms, and it keeps float32 in single precision where NumPy
computes every decomposition in double. Each of those changes the last digits. Here the kernels
call NumPy's library through its LAPACKE entry points (column-major, which go straight to the
Fortran routines NumPy calls, with the same workspace queries) on float64 / complex128 copies in
Fortran order, as NumPy's ``_umath_linalg`` does.

The library's functions are registered with LLVM under names of ours, so the jitted kernels refer
to them by name and Numba can cache them. ``AVAILABLE`` is False where NumPy was built against
another LAPACK (conda, a Linux distribution, Accelerate): the backend then uses Numba's own binding.
Importing this module imports Numba; only the numba backend does.
"""

from __future__ import annotations

import ctypes
import glob
import os

import llvmlite.binding as _llvm
import numpy as np
from numba import njit, types
from numba.extending import overload

from xpmath_backends._numba_kernels import unpack_real_eig

_OPTS = dict(cache=True, nogil=True)
COL_MAJOR = 102
# (our symbol, NumPy's symbol) for each routine, double and double complex
_ROUTINES = ("dgesv", "zgesv", "dgetrf", "zgetrf", "dsyevd", "zheevd", "dgeev", "zgeev")
_BLAS = tuple(f"{t}{r}" for r in ("gemm", "syrk") for t in "sdcz")


def _numpy_openblas():
    """NumPy's bundled OpenBLAS, or None where NumPy links another LAPACK."""
    if os.environ.get("XPMATH_NUMBA_LAPACK", "").strip().lower() == "numba":
        return None  # forced: Numba's own binding (tests use this to cover that path)
    root = os.path.dirname(os.path.dirname(np.__file__))
    for path in sorted(glob.glob(os.path.join(root, "numpy.libs", "libscipy_openblas64_*.so"))):
        try:
            lib = ctypes.CDLL(path)  # already loaded by NumPy: the same handle, the same threads
            for r in _ROUTINES:
                getattr(lib, f"scipy_LAPACKE_{r}64_")
            for r in _BLAS:
                getattr(lib, f"scipy_cblas_{r}64_")
        except (OSError, AttributeError):
            continue
        return lib
    return None


def _register(lib) -> bool:
    if lib is None:
        return False
    for r in _ROUTINES:
        addr = ctypes.cast(getattr(lib, f"scipy_LAPACKE_{r}64_"), ctypes.c_void_p).value
        _llvm.add_symbol(f"xpmath_LAPACKE_{r}", addr)
    for r in _BLAS:
        _llvm.add_symbol(f"xpmath_cblas_{r}", ctypes.cast(getattr(lib, f"scipy_cblas_{r}64_"), ctypes.c_void_p).value)
    return True


AVAILABLE = _register(_numpy_openblas())

_i64, _int, _chr = types.int64, types.intc, types.int8
_pd, _pz, _pi = types.CPointer(types.float64), types.CPointer(types.complex128), types.CPointer(types.int64)


def _ext(name, *args):
    return types.ExternalFunction(f"xpmath_LAPACKE_{name}", _i64(*args))


# lapack_int LAPACKE_?gesv(layout, n, nrhs, a, lda, ipiv, b, ldb)
_GESV = {t: _ext(r, _int, _i64, _i64, p, _i64, _pi, p, _i64)
         for t, r, p in ((types.float64, "dgesv", _pd), (types.complex128, "zgesv", _pz))}
# lapack_int LAPACKE_?getrf(layout, m, n, a, lda, ipiv)
_GETRF = {t: _ext(r, _int, _i64, _i64, p, _i64, _pi)
          for t, r, p in ((types.float64, "dgetrf", _pd), (types.complex128, "zgetrf", _pz))}
# lapack_int LAPACKE_dsyevd / zheevd(layout, jobz, uplo, n, a, lda, w): w is real for both
_EVD = {t: _ext(r, _int, _chr, _chr, _i64, p, _i64, _pd)
        for t, r, p in ((types.float64, "dsyevd", _pd), (types.complex128, "zheevd", _pz))}
# lapack_int LAPACKE_dgeev(layout, jobvl, jobvr, n, a, lda, wr, wi, vl, ldvl, vr, ldvr)
_DGEEV = _ext("dgeev", _int, _chr, _chr, _i64, _pd, _i64, _pd, _pd, _pd, _i64, _pd, _i64)
# lapack_int LAPACKE_zgeev(layout, jobvl, jobvr, n, a, lda, w, vl, ldvl, vr, ldvr)
_ZGEEV = _ext("zgeev", _int, _chr, _chr, _i64, _pz, _i64, _pz, _pz, _i64, _pz, _i64)


# void cblas_?gemm(layout, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) and
# void cblas_?syrk(layout, uplo, trans, n, k, alpha, a, lda, beta, c, ldc); complex scalars by pointer
_GEMM, _SYRK = {}, {}
for _t, _c, _by_ptr in ((types.float32, "s", False), (types.float64, "d", False),
                        (types.complex64, "c", True), (types.complex128, "z", True)):
    _p = types.CPointer(_t)
    _sc = _p if _by_ptr else _t
    _GEMM[_t] = types.ExternalFunction(
        f"xpmath_cblas_{_c}gemm", types.void(_int, _int, _int, _i64, _i64, _i64, _sc, _p, _i64, _p, _i64, _sc, _p, _i64))
    _SYRK[_t] = types.ExternalFunction(
        f"xpmath_cblas_{_c}syrk", types.void(_int, _int, _int, _i64, _i64, _sc, _p, _i64, _sc, _p, _i64))
ROW_MAJOR, NO_TRANS, TRANS, UPPER = 101, 111, 112, 121


def _only_jitted():
    return TypeError("xpmath's LAPACK calls run only inside Numba-jitted code")


# Python stand-ins that give each routine a name and a signature; the overloads below are what runs
def _gesv(n, nrhs, a, ipiv, b):
    raise _only_jitted()


def _getrf(n, a, ipiv):
    raise _only_jitted()


def _evd(jobz, uplo, n, a, w):
    raise _only_jitted()


def _gemm(ta, tb, m, n, k, a, lda, b, ldb, c):
    raise _only_jitted()


def _syrk(t, n, k, a, lda, c):
    raise _only_jitted()


@overload(_gemm)
def _ol_gemm(ta, tb, m, n, k, a, lda, b, ldb, c):
    f = _GEMM[a.dtype]
    by_ptr = isinstance(a.dtype, types.Complex)
    npdt = np.dtype(str(a.dtype))

    if by_ptr:
        def impl(ta, tb, m, n, k, a, lda, b, ldb, c):
            one = np.ones(1, dtype=npdt)
            zero = np.zeros(1, dtype=npdt)
            f(ROW_MAJOR, ta, tb, m, n, k, one.ctypes, a.ctypes, lda, b.ctypes, ldb, zero.ctypes, c.ctypes, max(n, 1))
    else:
        def impl(ta, tb, m, n, k, a, lda, b, ldb, c):
            f(ROW_MAJOR, ta, tb, m, n, k, 1.0, a.ctypes, lda, b.ctypes, ldb, 0.0, c.ctypes, max(n, 1))
    return impl


@overload(_syrk)
def _ol_syrk(t, n, k, a, lda, c):
    f = _SYRK[a.dtype]
    by_ptr = isinstance(a.dtype, types.Complex)
    npdt = np.dtype(str(a.dtype))

    if by_ptr:
        def impl(t, n, k, a, lda, c):
            one = np.ones(1, dtype=npdt)
            zero = np.zeros(1, dtype=npdt)
            f(ROW_MAJOR, UPPER, t, n, k, one.ctypes, a.ctypes, lda, zero.ctypes, c.ctypes, max(n, 1))
    else:
        def impl(t, n, k, a, lda, c):
            f(ROW_MAJOR, UPPER, t, n, k, 1.0, a.ctypes, lda, 0.0, c.ctypes, max(n, 1))
    return impl


@overload(_gesv)
def _ol_gesv(n, nrhs, a, ipiv, b):
    f = _GESV[a.dtype]

    def impl(n, nrhs, a, ipiv, b):
        return f(COL_MAJOR, n, nrhs, a.ctypes, max(n, 1), ipiv.ctypes, b.ctypes, max(n, 1))

    return impl


@overload(_getrf)
def _ol_getrf(n, a, ipiv):
    f = _GETRF[a.dtype]

    def impl(n, a, ipiv):
        return f(COL_MAJOR, n, n, a.ctypes, max(n, 1), ipiv.ctypes)

    return impl


@overload(_evd)
def _ol_evd(jobz, uplo, n, a, w):
    f = _EVD[a.dtype]

    def impl(jobz, uplo, n, a, w):
        return f(COL_MAJOR, jobz, uplo, n, a.ctypes, max(n, 1), w.ctypes)

    return impl


# Each kernel takes a C-ordered (B, n, n) stack in float64 or complex128; ``m.T.copy()`` is a
# matrix's Fortran-ordered copy (NumPy's "linearize"), and ``buf.T`` reads a Fortran result back.
# A kernel returns the first non-zero LAPACK info with its results (0 when every matrix was fine).
# Large outputs come in from NumPy (np.empty): its allocator asks the kernel for huge pages, which
# saves a 2048² result's ~4 ms of page faults against an array made inside the jitted code.
@njit(**_OPTS)
def inv_stack(a, out):
    nb, n, _ = a.shape
    ipiv = np.empty(max(n, 1), dtype=np.int64)
    for k in range(nb):
        f = a[k].T.copy()
        b = np.eye(n, dtype=a.dtype)  # NumPy's inv: gesv against the identity
        info = _gesv(n, n, f, ipiv, b)
        if info != 0:
            return out, info
        out[k] = b.T
    return out, 0


@njit(**_OPTS)
def solve_stack(a, b, out):
    nb, n, _ = a.shape
    ipiv = np.empty(max(n, 1), dtype=np.int64)
    for k in range(nb):
        f = a[k].T.copy()
        x = b[k].T.copy()
        info = _gesv(n, b.shape[2], f, ipiv, x)
        if info != 0:
            return out, info
        out[k] = x.T
    return out, 0


@njit(**_OPTS)
def _pivot_sign(ipiv, n):
    """-1.0 for an odd number of row interchanges in getrf's pivots (1-based), else 1.0."""
    changes = 0
    for i in range(n):
        changes += ipiv[i] != i + 1
    return -1.0 if changes % 2 else 1.0


@njit(**_OPTS)
def det_real_stack(a):
    # NumPy's det: getrf, then sign·exp(Σ log|u_ii|); an exactly singular matrix gives 0
    nb, n, _ = a.shape
    out = np.empty(nb, dtype=np.float64)
    ipiv = np.empty(max(n, 1), dtype=np.int64)
    for k in range(nb):
        f = a[k].T.copy()
        if _getrf(n, f, ipiv) != 0:
            out[k] = 0.0  # NumPy's sign 0 times exp(-inf)
            continue
        sign = _pivot_sign(ipiv, n)
        logdet = 0.0
        for i in range(n):
            u = f[i, i]
            if u < 0.0:
                sign = -sign
                u = -u
            logdet += np.log(u)
        out[k] = sign * np.exp(logdet)
    return out


@njit(**_OPTS)
def det_complex_stack(a):
    # the same with a complex sign: Π u_ii/|u_ii| multiplied as NumPy's mult(), then ·exp(Σ log|u_ii|)
    nb, n, _ = a.shape
    out = np.empty(nb, dtype=np.complex128)
    ipiv = np.empty(max(n, 1), dtype=np.int64)
    for k in range(nb):
        f = a[k].T.copy()
        if _getrf(n, f, ipiv) != 0:
            out[k] = 0.0  # NumPy's sign 0 times exp(-inf)
            continue
        sr, si = _pivot_sign(ipiv, n), 0.0
        logdet = 0.0
        for i in range(n):
            u = f[i, i]
            au = np.hypot(u.real, u.imag)
            er, ei = u.real / au, u.imag / au
            sr, si = sr * er - si * ei, sr * ei + si * er
            logdet += np.log(au)
        e = np.exp(logdet)
        out[k] = complex(sr * e - si * 0.0, sr * 0.0 + si * e)
    return out


@njit(**_OPTS)
def eigh_stack(a, want_v, uplo):
    # ?syevd / ?heevd as NumPy calls them: jobz 'V' (or 'N' for eigvalsh), the UPLO triangle
    nb, n, _ = a.shape
    w = np.empty((nb, n), dtype=np.float64)
    v = np.empty_like(a) if want_v else np.empty((1, 1, 1), dtype=a.dtype)
    jobz = np.int8(ord("V") if want_v else ord("N"))
    wk = np.empty(max(n, 1), dtype=np.float64)
    for k in range(nb):
        f = a[k].T.copy()
        info = _evd(jobz, uplo, n, f, wk)
        if info != 0:
            return w, v, info
        w[k] = wk[:n]
        if want_v:
            v[k] = f.T
    return w, v, 0


@njit(**_OPTS)
def geev_real_stack(a, w, v, want_v):
    """dgeev on each real matrix, its output unpacked as NumPy's eig does: a conjugate pair's
    vectors are vr[:, j] ± i·vr[:, j+1]. ``w`` (B, n) and ``v`` (B, n, n) are complex outputs."""
    nb, n, _ = a.shape
    ld = max(n, 1)
    wr = np.empty(ld)
    wi = np.empty(ld)
    vl = np.empty(1)
    vr = np.empty((ld, ld))  # rows: the eigenvectors (vr's Fortran columns)
    jobv = np.int8(ord("V") if want_v else ord("N"))
    for k in range(nb):
        f = a[k].T.copy()
        info = _DGEEV(COL_MAJOR, np.int8(ord("N")), jobv, n, f.ctypes, ld, wr.ctypes, wi.ctypes,
                      vl.ctypes, 1, vr.ctypes, ld)
        if info != 0:
            return info
        unpack_real_eig(wr, wi, vr, n, w[k], v[k if want_v else 0], want_v)
    return 0


@njit(**_OPTS)
def geev_complex_stack(a, w, v, want_v):
    """zgeev on each complex matrix: eigenvalues into ``w`` (B, n), eigenvectors into the columns of ``v``."""
    nb, n, _ = a.shape
    ld = max(n, 1)
    wk = np.empty(ld, dtype=np.complex128)
    vl = np.empty(1, dtype=np.complex128)
    vr = np.empty((ld, ld), dtype=np.complex128)
    jobv = np.int8(ord("V") if want_v else ord("N"))
    for k in range(nb):
        f = a[k].T.copy()
        info = _ZGEEV(COL_MAJOR, np.int8(ord("N")), jobv, n, f.ctypes, ld, wk.ctypes, vl.ctypes, 1, vr.ctypes, ld)
        if info != 0:
            return info
        w[k] = wk[:n]
        if want_v:
            v[k] = vr[:n, :n].T
    return 0


@njit(**_OPTS)
def matmul2(a, a_c, b, b_c, gram, out):
    """``a @ b`` for 2-D operands (every side > 1), each C- (``*_c``) or Fortran-contiguous, as NumPy's
    matmul and dot call BLAS: ?gemm with a transposed operand where it is Fortran-ordered, and
    ?syrk (the upper triangle, mirrored) where ``gram``: b is a's own transpose, one buffer."""
    m, k = a.shape
    n = b.shape[1]
    ta, lda = (NO_TRANS, k) if a_c else (TRANS, m)
    tb, ldb = (NO_TRANS, n) if b_c else (TRANS, k)
    # a Fortran-ordered operand is handed to BLAS as the C-ordered buffer of its transpose
    pa = a if a_c else a.T
    pb = b if b_c else b.T
    if gram:
        _syrk(ta, n, k, pa, lda, out)
        for i in range(n):
            for j in range(i + 1, n):
                out[j, i] = out[i, j]
    else:
        _gemm(ta, tb, m, n, k, pa, lda, pb, ldb, out)
    return out
