"""Linear algebra on every backend against NumPy (docs/API.md §4)."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath.testing import assert_close, check_parity, tolerance

L = xpmath.linalg


def _tol(dtype, scale=1.0):
    r, a = tolerance(dtype)
    return dict(rtol=r * 1e3 * scale, atol=max(a, r) * 1e3 * scale)


@pytest.mark.parametrize("shapes", [((5,), (5,)), ((3, 4), (4,)), ((3, 4), (4, 2)), ((4,), (4, 3))])
def test_dot(backend, dtype, rng, shapes):
    a = rng.normal(size=shapes[0]).astype(dtype)
    b = rng.normal(size=shapes[1]).astype(dtype)
    check_parity(backend, xpmath.dot, np.dot, a, b)


def test_dot_and_matmul_keep_integers(backend):
    a = np.arange(6).reshape(2, 3)
    check_parity(backend, xpmath.dot, np.dot, a, a.T)
    check_parity(backend, xpmath.matmul, np.matmul, a, a.T)
    check_parity(backend, xpmath.transpose, np.transpose, a)


@pytest.mark.parametrize("shapes", [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((2, 1, 3, 4), (5, 4, 2)), ((4,), (4, 3))])
def test_matmul_broadcasts(backend, dtype, rng, shapes):
    a = rng.normal(size=shapes[0]).astype(dtype)
    b = rng.normal(size=shapes[1]).astype(dtype)
    check_parity(backend, xpmath.matmul, np.matmul, a, b)


def test_matmul_shape_error_message(backend):
    with pytest.raises(xpmath.ShapeError, match=r"^matmul: shapes \(3, 4\) and \(3, 2\) are not aligned \(4 != 3\)$"):
        xpmath.matmul(np.ones((3, 4)), np.ones((3, 2)), backend=backend)
    with pytest.raises(xpmath.ShapeError, match="dot"):
        xpmath.dot(np.ones(3), np.ones(4), backend=backend)


def test_transpose_axes(backend, rng):
    a = rng.normal(size=(2, 3, 4))
    check_parity(backend, xpmath.transpose, np.transpose, a, (1, 0, 2))
    with pytest.raises(xpmath.AxisError):
        xpmath.transpose(a, (0, 1), backend=backend)


@pytest.mark.parametrize("ord", [None, 1, 2, np.inf, -np.inf])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_norm_vectors_and_matrices(backend, dtype, rng, ord, axis):
    x = rng.normal(size=(4, 5)).astype(dtype)
    if axis is None and ord in (2,):
        ord = "fro"
    got = xpmath.norm(x, ord=ord, axis=axis, backend=backend)
    assert_close(got, np.linalg.norm(x, ord=ord, axis=axis), **_tol(dtype, 0.01))
    got = xpmath.norm(x, ord=ord, axis=axis, keepdims=True, backend=backend)
    assert_close(got, np.linalg.norm(x, ord=ord, axis=axis, keepdims=True), **_tol(dtype, 0.01))


def test_cosine_similarity_matches_scikit_learn(backend, dtype, rng):
    sk = pytest.importorskip("sklearn.metrics.pairwise")
    a = rng.normal(size=(6, 4)).astype(dtype)
    b = rng.normal(size=(3, 4)).astype(dtype)
    a[2] = 0  # a zero vector's similarity is 0
    assert_close(xpmath.cosine_similarity(a, b, backend=backend), sk.cosine_similarity(a, b).astype(dtype), **_tol(dtype, 0.01))
    assert_close(xpmath.cosine_similarity(a, backend=backend), sk.cosine_similarity(a).astype(dtype), **_tol(dtype, 0.01))
    v = xpmath.cosine_similarity(a[0], b[0], backend=backend)
    ref = a[0] @ b[0] / (np.linalg.norm(a[0]) * np.linalg.norm(b[0]))
    assert float(xpmath.to_numpy(v)) == pytest.approx(float(ref), rel=1e-5)
    assert float(xpmath.to_numpy(xpmath.cosine_similarity([0.0, 0.0], [1.0, 2.0], backend=backend))) == 0.0
    with pytest.raises(xpmath.ShapeError):
        xpmath.cosine_similarity(np.ones((2, 3)), np.ones((2, 4)), backend=backend)


@pytest.mark.parametrize("shape", [(4, 4), (3, 5, 5), (2, 0, 0), (0, 3, 3), (1, 1)])
def test_inv_det_stacks(backend, dtype, rng, shape):
    a = rng.normal(size=shape).astype(dtype) + 3 * np.eye(shape[-1], dtype=dtype)
    assert_close(L.inv(a, backend=backend), np.linalg.inv(a), **_tol(dtype))
    assert_close(L.det(a, backend=backend), np.linalg.det(a), **_tol(dtype))


def test_integer_input_computes_in_float64(backend):
    a = np.array([[4, 7], [2, 6]])
    assert_close(L.inv(a, backend=backend), np.linalg.inv(a))
    assert xpmath.to_numpy(L.det(a, backend=backend)).dtype == np.float64


@pytest.mark.parametrize("bshape", [(4,), (4, 2), (3, 4, 2)])
def test_solve(backend, dtype, rng, bshape):
    a = rng.normal(size=(3, 4, 4)).astype(dtype) + 4 * np.eye(4, dtype=dtype)
    if len(bshape) < 3:
        a = a[0]
    b = rng.normal(size=bshape).astype(dtype)
    assert_close(L.solve(a, b, backend=backend), np.linalg.solve(a, b), **_tol(dtype))


def test_complex_input(backend, rng):
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    assert_close(L.inv(a, backend=backend), np.linalg.inv(a), **_tol(a.dtype))
    assert_close(L.det(a, backend=backend), np.linalg.det(a), **_tol(a.dtype))
    h = a @ a.conj().T
    assert_close(L.eigvalsh(h, backend=backend), np.linalg.eigvalsh(h), **_tol(a.dtype))


@pytest.mark.parametrize("shape", [(5, 5), (3, 4, 4), (0, 2, 2)])
def test_eig_sorted_complex_unit_vectors(backend, dtype, rng, shape):
    a = rng.normal(size=shape).astype(dtype)
    w, v = L.eig(a, backend=backend)
    w, v = xpmath.to_numpy(w), xpmath.to_numpy(v)
    ct = np.complex64 if dtype == np.float32 else np.complex128
    assert w.dtype == ct and v.dtype == ct
    ref = np.linalg.eigvals(a)
    if a.size:
        # the same eigenvalues, sorted by descending real part then descending imaginary part
        dist = np.abs(w[..., :, None] - ref[..., None, :])  # the same multiset of eigenvalues
        scale = np.abs(ref).max()
        assert dist.min(axis=-1).max() <= 1e-3 * scale and dist.min(axis=-2).max() <= 1e-3 * scale
        assert np.all(np.diff(w.real, axis=-1) <= 1e-3 * np.abs(w).max())
        np.testing.assert_allclose(np.linalg.norm(v, axis=-2), 1, rtol=1e-4)
        np.testing.assert_allclose(a @ v, v * w[..., None, :], **_tol(dtype, 10))
    w2 = xpmath.to_numpy(L.eigvals(a, backend=backend))
    np.testing.assert_allclose(w2, w, **_tol(dtype))


def test_eig_conjugate_pair_order(backend):
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    w = xpmath.to_numpy(L.eigvals(rot, backend=backend))
    assert w[0].imag > 0 > w[1].imag


@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh(backend, dtype, rng, UPLO):
    a = rng.normal(size=(2, 5, 5)).astype(dtype)
    w, v = L.eigh(a, UPLO=UPLO, backend=backend)
    rw, rv = np.linalg.eigh(a, UPLO=UPLO)
    assert_close(w, rw, **_tol(dtype))
    v = xpmath.to_numpy(v)
    sym = np.tril(a) + np.swapaxes(np.tril(a, -1), -1, -2) if UPLO == "L" else np.triu(a) + np.swapaxes(np.triu(a, 1), -1, -2)
    np.testing.assert_allclose(sym @ v, v * rw[..., None, :], **_tol(dtype, 10))
    np.testing.assert_allclose(np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(5), v.shape), **_tol(dtype, 10))
    assert_close(L.eigvalsh(a, UPLO=UPLO, backend=backend), np.linalg.eigvalsh(a, UPLO=UPLO), **_tol(dtype))


def test_linalg_errors(backend):
    sing = np.array([[1.0, 2.0], [2.0, 4.0]])
    for fn in (L.inv, lambda a, backend: L.solve(a, np.ones(2), backend=backend)):
        with pytest.raises(xpmath.SingularMatrixError, match="alpha=") as ei:
            fn(sing, backend=backend)
        assert isinstance(ei.value, np.linalg.LinAlgError)
    assert float(xpmath.to_numpy(L.det(sing, backend=backend))) == 0.0
    for fn in (L.inv, L.det, L.eig, L.eigh, L.eigvals, L.eigvalsh):
        with pytest.raises(xpmath.ShapeError):
            fn(np.ones((2, 3)), backend=backend)
        with pytest.raises(xpmath.NonFiniteError):
            fn(np.array([[1.0, np.inf], [0.0, 1.0]]), backend=backend)
    with pytest.raises(xpmath.NonFiniteError):
        L.solve(np.eye(2), [np.nan, 1.0], backend=backend)
    with pytest.raises(xpmath.ShapeError):
        L.solve(np.eye(2), np.ones(3), backend=backend)
    with pytest.raises(xpmath.XPMathTypeError):
        L.inv([["a", "b"], ["c", "d"]], backend=backend)


def test_inputs_not_modified(backend, rng):
    a = rng.normal(size=(4, 4)) + 4 * np.eye(4)
    b = rng.normal(size=4)
    a0, b0 = a.copy(), b.copy()
    for f in (lambda: L.inv(a, backend=backend), lambda: L.solve(a, b, backend=backend), lambda: L.eigh(a, backend=backend),
              lambda: L.eig(a, backend=backend), lambda: xpmath.cosine_similarity(a, backend=backend),
              lambda: xpmath.norm(a, backend=backend), lambda: L.det(a, backend=backend)):
        xpmath.to_numpy(f()[0] if isinstance(f(), tuple) else f())
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)


def test_non_contiguous_views(backend, rng):
    big = rng.normal(size=(8, 8)) + 8 * np.eye(8)
    for a in (big[::2, ::2], np.asfortranarray(big), big.T):
        assert_close(L.inv(a, backend=backend), np.linalg.inv(a), rtol=1e-9, atol=1e-11)
        assert_close(xpmath.matmul(a, a, backend=backend), a @ a)


@pytest.mark.parametrize("dt", ["f4", "f8", "c8", "c16", ">f8"])
def test_numpy_inv_is_numpys_to_the_bit(dt):
    # the numpy backend calls NumPy's LAPACK gufunc directly (the input is already checked): the
    # same numbers, dtype and singular-matrix error as numpy.linalg.inv, and no warning
    import warnings

    from xpmath._reference.linalg import numpy_inv

    r = np.random.default_rng(3)
    a = r.standard_normal((5, 3, 3))
    if dt.startswith("c"):
        a = a + 1j * r.standard_normal((5, 3, 3))
    a = a.astype(dt)
    got, want = numpy_inv(a), np.linalg.inv(a)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    s = a.copy()
    s[2] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            numpy_inv(s)
        with pytest.raises(xpmath.SingularMatrixError):
            xpmath.linalg.inv(s)
