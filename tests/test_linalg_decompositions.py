"""Factorisations, least squares and matrix functions on every backend against NumPy (docs/API.md §4).

Singular vectors and QR factors are unique up to the sign (phase) of each vector, which each
solver chooses: those are compared through what the choice leaves unique (the values, the moduli
of ``R``, the products, orthonormality). Everything else is compared with NumPy's own call by
value, dtype, shape and result type (``assert_same``), errors by class.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath.testing import assert_close, assert_same, tolerance

L = xpmath.linalg
DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


def _tol(dtype, scale=1.0):
    r, a = tolerance(np.dtype(dtype))
    return dict(rtol=r * 100 * scale, atol=max(a, r) * 100 * scale)


def _data(rng, shape, dtype):
    a = rng.normal(size=shape)
    if np.issubdtype(dtype, np.complexfloating):
        a = a + 1j * rng.normal(size=shape)
    return a.astype(dtype)


def _spd(rng, shape, dtype):
    a = _data(rng, shape, dtype)
    return (a @ np.swapaxes(a, -1, -2).conj() + shape[-1] * np.eye(shape[-1])).astype(dtype)


def _host(r):
    return xpmath.to_numpy(r)


def _unitary_columns(q, dtype):
    k = q.shape[-1]
    assert_close(np.swapaxes(q, -1, -2).conj() @ q, np.broadcast_to(np.eye(k), q.shape[:-2] + (k, k)),
                 check_dtype=False, **_tol(dtype))


def _same_up_to_phase(got, ref, dtype):
    """Columns of ``got`` equal ``ref``'s up to a phase each: |<got_i, ref_i>| = 1."""
    if got.size:
        overlap = np.abs(np.sum(got.conj() * ref, axis=-2))
        np.testing.assert_allclose(overlap, 1, **_tol(dtype, 10))


# ---------------------------------------------------------------- svd, svdvals


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 5, 3), (4, 0), (0, 3), (2, 0, 0)])
@pytest.mark.parametrize("full", [True, False])
def test_svd(backend, rng, dtype, shape, full):
    a = _data(rng, shape, dtype)
    u, s, vh = L.svd(a, full_matrices=full, backend=backend)
    ru, rs, rvh = np.linalg.svd(a, full_matrices=full)
    for got, ref in ((u, ru), (s, rs), (vh, rvh)):
        assert type(got) is np.ndarray and got.shape == ref.shape and got.dtype == ref.dtype
    assert_close(s, rs, **_tol(dtype))
    k = min(shape[-2:])
    assert_close((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], a, **_tol(dtype))
    _unitary_columns(u, dtype)
    _unitary_columns(np.swapaxes(vh, -1, -2), dtype)
    _same_up_to_phase(u[..., :, :k], ru[..., :, :k], dtype)
    assert isinstance(L.svd(a, full_matrices=full, backend=backend), L.SVDResult)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_svd_values_alone_and_svdvals(backend, rng, dtype):
    a = _data(rng, (3, 6, 4), dtype)
    assert_same(L.svd, a, compute_uv=False, backend=backend, **_tol(dtype))
    assert_same(L.svdvals, a, backend=backend, **_tol(dtype))
    assert_same(L.svdvals, np.arange(12).reshape(4, 3), backend=backend)  # integers: float64


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_svd_hermitian(backend, rng, dtype):
    h = _data(rng, (2, 4, 4), dtype)
    h = h + np.swapaxes(h, -1, -2).conj()  # indefinite: negative eigenvalues move their sign into Vh
    u, s, vh = L.svd(h, hermitian=True, backend=backend)
    ru, rs, rvh = np.linalg.svd(h, hermitian=True)
    assert_close(s, rs, **_tol(dtype))
    assert_close((u * s[..., None, :]) @ vh, h, **_tol(dtype))
    assert u.dtype == ru.dtype and vh.dtype == rvh.dtype
    assert_same(L.svd, h, compute_uv=False, hermitian=True, backend=backend, **_tol(dtype))


# ---------------------------------------------------------------- qr


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4), (3, 0), (0, 3)])
def test_qr_modes(backend, rng, dtype, shape):
    a = _data(rng, shape, dtype)
    for mode in ("reduced", "complete"):
        q, r = L.qr(a, mode=mode, backend=backend)
        rq, rr = np.linalg.qr(a, mode=mode)
        assert q.shape == rq.shape and r.shape == rr.shape and q.dtype == rq.dtype and r.dtype == rr.dtype
        assert_close(abs(r), abs(rr), **_tol(dtype))
        assert_close(q @ r, a, **_tol(dtype))
        assert_close(np.triu(r), r)
        _unitary_columns(q, dtype)
        assert isinstance(L.qr(a, mode=mode, backend=backend), L.QRResult)
    r = L.qr(a, mode="r", backend=backend)
    assert_close(abs(r), abs(np.linalg.qr(a, mode="r")), **_tol(dtype))
    # the Householder form is LAPACK's convention, the same numbers everywhere
    assert_same(L.qr, a, mode="raw", backend=backend, **_tol(dtype))


def test_qr_deprecated_modes_and_errors(backend, rng):
    a = rng.normal(size=(4, 3))
    with pytest.warns(DeprecationWarning):
        assert_close(L.qr(a, mode="economic", backend=backend), np.swapaxes(np.linalg.qr(a, mode="raw")[0], -1, -2))
    with pytest.warns(DeprecationWarning):
        assert_close(abs(L.qr(a, mode="full", backend=backend).R), abs(np.linalg.qr(a).R))
    with pytest.raises(xpmath.DomainError, match="Unrecognized mode"):
        L.qr(a, mode="thin", backend=backend)
    assert_same(L.qr, np.arange(6).reshape(3, 2), mode="raw", backend=backend)  # integers: float64


# ---------------------------------------------------------------- cholesky


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (3, 4, 4), (0, 2, 2), (2, 0, 0)])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(backend, rng, dtype, shape, upper):
    assert_same(L.cholesky, _spd(rng, shape, dtype), upper=upper, backend=backend, **_tol(dtype))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reads_one_triangle(backend, rng, upper):
    a = _spd(rng, (4, 4), np.complex128)
    junk = np.triu(a, 1) * 0 + np.tril(rng.normal(size=(4, 4)), -1) if upper else np.triu(rng.normal(size=(4, 4)), 1)
    given = (np.triu(a) + junk) if upper else (np.tril(a) + junk)
    assert_same(L.cholesky, given, upper=upper, backend=backend, **_tol(np.complex128))


def test_cholesky_not_positive_definite_is_linalg_error(backend):
    for a in ([[1.0, 2.0], [2.0, 1.0]], np.stack([np.eye(3), -np.eye(3)]), [[0.0]]):
        with pytest.raises(xpmath.LinAlgError, match="not positive definite") as ei:
            L.cholesky(a, backend=backend)
        assert isinstance(ei.value, np.linalg.LinAlgError)
    assert_same(L.cholesky, np.array([[4, 2], [2, 5]]), backend=backend)  # integers: float64


# ---------------------------------------------------------------- lstsq


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(8, 3), (3, 8), (5, 5)])
@pytest.mark.parametrize("nrhs", [None, 2])
def test_lstsq(backend, rng, dtype, shape, nrhs):
    a = _data(rng, shape, dtype)
    b = _data(rng, (shape[0],) if nrhs is None else (shape[0], nrhs), dtype)
    got = assert_same(L.lstsq, a, b, backend=backend, **_tol(dtype))
    assert type(got[2]) is np.int32


@pytest.mark.parametrize("rcond", [None, -1, 0.3])
def test_lstsq_rank_deficient_minimum_norm(backend, rng, rcond):
    a = rng.normal(size=(7, 4))
    a[:, 3] = a[:, 0] + a[:, 1]  # rank 3: no residuals, the minimum-norm solution
    a[:, 2] *= 1e-3
    b = rng.normal(size=(7, 2))
    x, res, rank, s = assert_same(L.lstsq, a, b, rcond, backend=backend, rtol=1e-7, atol=1e-9)
    assert res.shape == (0,)


@pytest.mark.parametrize("m, n, k", [(4, 2, 2), (0, 4, 1), (4, 0, 2), (4, 2, 0), (0, 0, 0)])
def test_lstsq_empty(backend, m, n, k):
    assert_same(L.lstsq, np.arange(m * n, dtype=float).reshape(m, n), np.ones((m, k)), backend=backend)


def test_lstsq_errors(backend):
    with pytest.raises(xpmath.ShapeError, match="Incompatible dimensions"):
        L.lstsq(np.ones((4, 2)), np.ones(5), backend=backend)
    with pytest.raises(xpmath.ShapeError):
        L.lstsq(np.ones((2, 4, 2)), np.ones(4), backend=backend)
    for bad in (np.nan, np.inf):  # NumPy's gelsd does not converge on either
        with pytest.raises(xpmath.LinAlgError, match="SVD did not converge"):
            L.lstsq([[1.0, bad], [0.0, 1.0]], [1.0, 2.0], backend=backend)
    x = L.lstsq(np.eye(2), [np.nan, 1.0], backend=backend)[0]  # NaN in b: NaN in x, as NumPy
    assert np.isnan(x[0])


# ---------------------------------------------------------------- pinv, slogdet, matrix_rank, cond


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_pinv(backend, rng, dtype):
    a = _data(rng, (2, 6, 4), dtype)
    assert_same(L.pinv, a, backend=backend, **_tol(dtype))
    assert_same(L.pinv, a, rcond=np.array([0.5, 1e-15]), backend=backend, **_tol(dtype))
    # pinv's own rtol= (assert_same's rtol= is its tolerance)
    assert_same(lambda x, backend: L.pinv(x, rtol=None, backend=backend), a, backend=backend, **_tol(dtype))
    h = _spd(rng, (4, 4), dtype)
    assert_same(L.pinv, h, hermitian=True, backend=backend, **_tol(dtype, 10))


def test_pinv_edges(backend):
    assert_same(L.pinv, np.zeros((0, 3), dtype=np.int64), backend=backend)  # NumPy keeps an empty input's dtype
    assert_same(L.pinv, np.array([[1, 2], [3, 4]]), backend=backend)
    with pytest.raises(xpmath.DomainError, match="can't be both set"):
        L.pinv(np.eye(2), rcond=0.1, rtol=0.1, backend=backend)
    with pytest.raises(xpmath.LinAlgError, match="SVD did not converge"):
        L.pinv([[1.0, np.nan], [0.0, 1.0]], backend=backend)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_slogdet(backend, rng, dtype):
    a = _data(rng, (3, 4, 4), dtype)
    a[1] = 0  # singular: sign 0, logabsdet -inf
    r = assert_same(L.slogdet, a, backend=backend, **_tol(dtype))
    assert isinstance(r, L.SlogdetResult)
    assert_same(L.slogdet, a[0], backend=backend, **_tol(dtype))
    assert_same(L.slogdet, np.zeros((0, 0), dtype), backend=backend)
    assert_same(L.slogdet, np.array([[2, 1], [1, 3]]), backend=backend)


def test_matrix_rank(backend, rng):
    a = rng.normal(size=(3, 6, 4))
    a[1, :, 3] = a[1, :, 0]
    a[2] = 0
    for kw in ({}, {"tol": 0.5}, {"rtol": 0.3}, {"tol": np.array([1e-9, 1e-9, 1.0])}):
        assert_same(lambda x, backend: L.matrix_rank(x, backend=backend, **kw), a, backend=backend)
    s = a[0].T @ a[0]
    assert_same(L.matrix_rank, s, hermitian=True, backend=backend)
    assert_same(L.matrix_rank, np.zeros((0, 5, 5)), backend=backend)
    for v in ([0, 0, 1], [0.0, 0.0], 3):  # a vector or a scalar: a Python int, as NumPy
        r = L.matrix_rank(v, backend=backend)
        assert type(r) is int and r == np.linalg.matrix_rank(v)
    with pytest.raises(xpmath.DomainError, match="can't be both set"):
        L.matrix_rank(a, tol=1, rtol=1, backend=backend)


@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, np.inf, -np.inf, "fro", "nuc"])
def test_cond(backend, rng, p):
    a = rng.normal(size=(3, 4, 4))
    a[1] = 0  # singular: infinite (for -2, NumPy's 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert_same(L.cond, a, p, backend=backend, **_tol(np.float64))
        assert_same(L.cond, a[0].astype(np.complex64), p, backend=backend, **_tol(np.float32))


def test_cond_errors(backend):
    with pytest.raises(xpmath.LinAlgError, match="empty"):
        L.cond(np.zeros((0, 0)), backend=backend)
    with pytest.raises(xpmath.ShapeError):
        L.cond(np.ones((2, 3)), 1, backend=backend)
    with pytest.raises(xpmath.DomainError):
        L.cond(np.eye(2), 3, backend=backend)
    assert_same(L.cond, np.ones((2, 3)), backend=backend)  # the SVD's ratio takes a rectangle


# ---------------------------------------------------------------- matrix_power, tensorinv, tensorsolve


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6, -1, -3])
def test_matrix_power(backend, rng, n):
    a = rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)
    assert_same(L.matrix_power, a, n, backend=backend, rtol=1e-9, atol=1e-9)
    if n >= 0:  # integers and bools keep their dtype, as NumPy's matmul
        assert_same(L.matrix_power, np.array([[1, 1], [0, 1]]), n, backend=backend)
        assert_same(L.matrix_power, np.array([[True, False], [True, False]]), n, backend=backend)


def test_matrix_power_errors(backend):
    with pytest.raises(xpmath.XPMathTypeError, match="integer"):
        L.matrix_power(np.eye(2), 1.5, backend=backend)
    with pytest.raises(xpmath.ShapeError):
        L.matrix_power(np.ones((2, 3)), 2, backend=backend)
    with pytest.raises(xpmath.SingularMatrixError, match="matrix_power"):
        L.matrix_power([[1.0, 0.0], [0.0, 0.0]], -1, backend=backend)


def test_tensorinv_and_tensorsolve(backend, rng):
    a = rng.normal(size=(4, 6, 8, 3))
    assert_same(L.tensorinv, a, ind=2, backend=backend, rtol=1e-8, atol=1e-9)
    a3 = rng.normal(size=(24, 8, 3))
    assert_same(L.tensorinv, a3, ind=1, backend=backend, rtol=1e-8, atol=1e-9)
    t = rng.normal(size=(2, 3, 6))
    assert_same(L.tensorsolve, t, rng.normal(size=(2, 3)), backend=backend, rtol=1e-8, atol=1e-9)
    t4 = rng.normal(size=(3, 4, 4, 3))
    assert_same(L.tensorsolve, t4, rng.normal(size=(3, 4)), axes=(0, 3), backend=backend, rtol=1e-8, atol=1e-9)
    with pytest.raises(xpmath.DomainError):
        L.tensorinv(a, ind=0, backend=backend)
    with pytest.raises(xpmath.ShapeError):
        L.tensorinv(np.ones((3, 3, 2)), ind=1, backend=backend)
    with pytest.raises(xpmath.ShapeError):
        L.tensorsolve(np.ones((4, 6, 8, 2)), np.ones((4, 6)), backend=backend)
    with pytest.raises(xpmath.SingularMatrixError, match="tensorinv"):
        L.tensorinv(np.ones((2, 2, 4)), ind=2, backend=backend)


# ---------------------------------------------------------------- NaN, infinity, dtypes, errors


def test_nan_makes_every_svd_fail_on_every_backend(backend):
    nan = np.array([[1.0, np.nan], [0.0, 1.0]])
    for f in (L.svd, L.svdvals, L.pinv, L.matrix_rank, L.cond, lambda a, backend: L.svd(a, compute_uv=False, backend=backend)):
        with pytest.raises(xpmath.LinAlgError, match="SVD did not converge"):
            f(nan, backend=backend)


def test_nan_follows_numpy_where_numpy_computes(backend):
    nan = np.array([[1.0, np.nan], [np.nan, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for f in (lambda a: L.qr(a, mode="r", backend=backend), lambda a: L.matrix_power(a, 3, backend=backend),
                  lambda a: L.cond(a, 1, backend=backend), lambda a: L.slogdet(a, backend=backend).logabsdet,
                  lambda a: L.tensorinv(a, ind=1, backend=backend), lambda a: L.svd(a, hermitian=True, backend=backend).S):
            assert np.isnan(_host(f(nan))).any()


@pytest.mark.parametrize("fn", [L.svd, L.svdvals, L.qr, L.cholesky, L.pinv, L.slogdet, L.cond, L.matrix_rank])
def test_dtypes_lapack_does_not_take_and_vectors(backend, fn):
    with pytest.raises(xpmath.XPMathTypeError, match="unsupported in linalg"):
        fn(np.eye(2, dtype=np.float16), backend=backend)
    if fn is not L.matrix_rank:
        with pytest.raises(xpmath.ShapeError):
            fn(np.ones(3), backend=backend)


def test_inputs_not_modified(backend, rng):
    a = _spd(rng, (4, 4), np.float64)
    b = rng.normal(size=4)
    a0, b0 = a.copy(), b.copy()
    for f in (L.svd, L.qr, L.cholesky, L.pinv, L.slogdet, L.cond, L.matrix_rank, lambda x, backend: L.lstsq(x, b, backend=backend),
              lambda x, backend: L.qr(x, "raw", backend=backend), lambda x, backend: L.matrix_power(x, -2, backend=backend)):
        f(a, backend=backend)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)


def test_results_stay_on_the_backend(backend, rng):
    a = rng.normal(size=(6, 4))
    spd = _spd(rng, (4, 4), np.float64)
    for f, x in ((L.svdvals, a), (L.cholesky, spd), (L.pinv, a), (lambda m, backend: L.qr(m, backend=backend).R, a),
                 (lambda m, backend: L.lstsq(m, m[:, 0] if isinstance(m, np.ndarray) else m[:, 0], backend=backend)[0], a),
                 (lambda m, backend: L.slogdet(m, backend=backend).logabsdet, spd),
                 (lambda m, backend: L.matrix_power(m, 3, backend=backend), spd)):
        assert_same(f, x, backend=backend, on_backend=True, **_tol(np.float64))


# ---------------------------------------------------------------- the randomized truncated SVD primitive


def _low_rank(rng, m, n, k):
    return (rng.normal(size=(m, k)) * np.geomspace(10, 1, k)) @ rng.normal(size=(k, n))


def test_randomized_svd_is_scikit_learns_on_numpy(rng):
    extmath = pytest.importorskip("sklearn.utils.extmath")
    from xpmath._dispatch import impl

    for shape in ((60, 20), (20, 60)):
        x = _low_rank(rng, *shape, 8) + 0.01 * rng.normal(size=shape)
        for norm in ("auto", "QR", "none", "LU"):
            u, s, vt = impl(_registry.get("numpy"), "randomized_svd")(x, 5, n_iter=4, power_iteration_normalizer=norm,
                                                                      random_state=0)
            ru, rs, rvt = extmath.randomized_svd(x, 5, n_iter=4, power_iteration_normalizer=norm, random_state=0,
                                                 flip_sign=False)
            assert_close(s, rs)
            assert_close(u, ru, rtol=1e-9, atol=1e-10)
            assert_close(vt, rvt, rtol=1e-9, atol=1e-10)


def test_randomized_svd_on_every_backend(backend, rng):
    from xpmath._dispatch import impl

    be = _registry.get(backend)
    x = _low_rank(rng, 200, 30, 5)
    u, s, vt = impl(be, "randomized_svd")(be.asarray(x), 5, random_state=0)
    u, s, vt = (_host(v) for v in (u, s, vt))
    assert_close(s, np.linalg.svd(x, compute_uv=False)[:5], rtol=1e-8, atol=1e-8)  # exact rank 5: exact values
    assert_close((u * s) @ vt, x, rtol=1e-8, atol=1e-8)


# ---------------------------------------------------------------- dask: TSQR and blocked factorisations


@pytest.fixture
def dask_array():
    if _registry.status("dask")[0] is None:
        pytest.skip("dask backend unusable here")
    import dask.array as da

    return da


def test_dask_tall_matrices_by_tsqr_stay_lazy(dask_array, rng):
    da = dask_array
    a = rng.normal(size=(900, 12))
    b = rng.normal(size=(900, 2))
    x = da.from_array(a, chunks=(100, 6))  # rows and columns chunked: TSQR joins the columns
    q, r = L.qr(x)
    assert isinstance(q, da.Array) and isinstance(r, da.Array)
    assert_close(abs(r), abs(np.linalg.qr(a).R), rtol=1e-10, atol=1e-12)
    assert_close(q @ r, a, rtol=1e-10, atol=1e-12)
    u, s, vh = L.svd(x, full_matrices=False)
    assert isinstance(u, da.Array)
    assert_close(s, np.linalg.svdvals(a))
    assert_close((u * s) @ vh, a, rtol=1e-10, atol=1e-12)
    got = L.lstsq(x, da.from_array(b, chunks=(100, 2)))
    ref = np.linalg.lstsq(a, b)
    assert all(isinstance(g, da.Array) for g in got)
    for g, e in zip(got, ref):
        assert_close(g, e)
    assert_close(L.svdvals(x), np.linalg.svdvals(a))
    assert_close(L.pinv(x), np.linalg.pinv(a))
    assert int(_host(L.matrix_rank(x))) == 12
    assert_close(L.cond(x), np.linalg.cond(a))
    with pytest.raises(xpmath.BackendError, match="svd.*dask"):
        L.svd(x)  # a full 900×900 U
    for mode in ("complete", "raw"):
        with pytest.raises(xpmath.BackendError, match="qr.*dask"):
            L.qr(x, mode=mode)
    with pytest.raises(xpmath.LinAlgError, match="SVD did not converge"):
        L.svd(da.from_array(np.where(a > 3, np.nan, a), chunks=(100, 12)), full_matrices=False)


def test_dask_blocked_cholesky_and_solve(dask_array, rng):
    da = dask_array
    a = _spd(rng, (250, 250), np.float64)
    junk = np.triu(rng.normal(size=(250, 250)), 1)  # the upper triangle is not read
    x = da.from_array(np.tril(a) + junk, chunks=(60, 100))  # uneven blocks: padded to whole square ones
    low = L.cholesky(x)
    assert isinstance(low, da.Array)
    assert_close(low, np.linalg.cholesky(a), rtol=1e-10, atol=1e-10)
    up = L.cholesky(da.from_array(np.triu(a) + junk.T, chunks=60), upper=True)
    assert_close(up, np.linalg.cholesky(a, upper=True), rtol=1e-10, atol=1e-10)
    b = rng.normal(size=250)
    s = L.solve(da.from_array(a, chunks=60), da.from_array(b, chunks=60))
    assert isinstance(s, da.Array)
    assert_close(s, np.linalg.solve(a, b), rtol=1e-9, atol=1e-10)
    assert_close(L.inv(da.from_array(a, chunks=60)), np.linalg.inv(a), rtol=1e-9, atol=1e-10)
    lazy = L.cholesky(da.from_array(-a, chunks=60))  # computed later: the error with it
    with pytest.raises(np.linalg.LinAlgError, match="positive definite"):
        lazy.compute()
    with pytest.raises(xpmath.LinAlgError, match="positive definite"):  # NumPy input: computed here
        L.cholesky(-a, backend="dask")
