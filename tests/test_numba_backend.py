"""Numba-specific checks: parity with the NumPy backend over layouts, dtypes and axes; threads; cache dir.

The whole suite already runs on numba through the ``backend`` fixture; this file adds what only
the numba backend needs: strided / Fortran / NaN / complex inputs into every kernel, many Python
threads calling kernels at once, a read-only install's cache directory, and accuracy on larger data.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath.testing import assert_close, assert_same, backend_marks

pytestmark = backend_marks("numba")
same = functools.partial(assert_same, backend="numba")  # value, dtype, shape and type as NumPy's


def _layouts(a):
    """The same values as C-ordered, Fortran-ordered and strided (non-contiguous) arrays."""
    big = np.zeros(tuple(2 * s for s in a.shape), dtype=a.dtype)
    view = big[tuple(slice(None, None, 2) for _ in a.shape)]
    view[...] = a
    return {"C": np.ascontiguousarray(a), "F": np.asfortranarray(a), "strided": view}


def _data(shape, dtype, seed=0, nan=False):
    r = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "i":
        a = r.integers(-5, 6, size=shape).astype(dtype)
    elif np.dtype(dtype).kind == "c":
        a = (r.standard_normal(shape) + 1j * r.standard_normal(shape)).astype(dtype)
    else:
        a = (r.standard_normal(shape) * 3 + 1).astype(dtype)
    if nan and a.size and a.dtype.kind == "f":
        a.reshape(-1)[a.size // 2] = np.nan
    return a


AXES_3D = [None, 0, 1, 2, -1, (0, 2), (1, 2), (0, 1, 2)]
DTYPES = [np.float64, np.float32, np.int64, np.complex128]


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_moments_every_axis(layout, dtype):
    x = _layouts(_data((4, 5, 6), dtype))[layout]
    for axis in AXES_3D:
        for keepdims in (False, True):
            same(xpmath.mean, x, axis=axis, keepdims=keepdims)
            for ddof in (0, 1):
                same(xpmath.var, x, axis=axis, ddof=ddof, keepdims=keepdims)
                same(xpmath.std, x, axis=axis, ddof=ddof, keepdims=keepdims)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: np.dtype(d).name)
def test_median_mode_zscore_every_axis(layout, dtype):
    for nan in (False, True):
        x = _layouts(_data((4, 5, 6), dtype, nan=nan))[layout]
        for axis in AXES_3D:
            same(xpmath.median, x, axis=axis)
            same(xpmath.median, x, axis=axis, keepdims=True)
            if axis is None or isinstance(axis, int):
                same(xpmath.mode, x, axis=axis)
                for ddof in (0, 1):
                    same(xpmath.zscore, x, axis=axis, ddof=ddof)


def test_stats_edge_shapes():
    for x in (np.array(3.5), np.array([2.0]), np.array([[1.0, 2.0, 2.0]]), np.ones((3, 1), np.float32),
              np.array([1.0, np.inf]), np.array([np.nan, 1.0]), np.array([5, 5, 5])):
        for axis in ([None] if x.ndim == 0 else [None, 0, -1]):
            same(xpmath.mean, x, axis=axis)
            same(xpmath.var, x, axis=axis, ddof=1)
            same(xpmath.std, x, axis=axis)
            same(xpmath.median, x, axis=axis)
            same(xpmath.mode, x, axis=axis)
            same(xpmath.zscore, x, axis=axis)
    # even / odd lengths and ties around the middle, for the selection median
    for n in (1, 2, 3, 4, 10, 2049, 5000):
        x = np.random.default_rng(n).integers(0, 7, n).astype(np.float64)
        same(xpmath.median, x)
        same(xpmath.median, x.astype(np.float32))


def test_median_large_selection_paths():
    r = np.random.default_rng(1)
    for x in (r.standard_normal(300_001), r.integers(0, 3, 200_000).astype(np.float64),
              np.concatenate([np.full(100_000, 2.0), r.standard_normal(3) * 1e300]),
              r.standard_normal(100_000).astype(np.float32), np.full(70_000, -0.0)):
        same(xpmath.median, x)
        same(xpmath.median, x[::3])


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: np.dtype(d).name)
def test_cov_corrcoef(layout, dtype):
    x = _layouts(_data((5, 40), dtype))[layout]
    y = _layouts(_data((2, 40), dtype, seed=1))[layout]
    for rowvar in (True, False):
        xx = x if rowvar else x.T
        yy = y if rowvar else y.T
        for ddof in (None, 0, 1, 2):
            same(xpmath.cov, xx, rowvar=rowvar, ddof=ddof)
            same(xpmath.cov, xx, yy, rowvar=rowvar, ddof=ddof)
        same(xpmath.corrcoef, xx, rowvar=rowvar)
        same(xpmath.corrcoef, xx, yy, rowvar=rowvar)
    v = x[0]
    same(xpmath.cov, v)
    same(xpmath.cov, v, x[1])
    same(xpmath.corrcoef, v, x[1])
    same(xpmath.cov, np.array([[1.0, 2.0, np.nan]]))


def test_cov_complex_and_constant_rows():
    c = _data((3, 20), np.complex128)
    same(xpmath.cov, c)
    same(xpmath.corrcoef, c)
    x = np.vstack([np.ones(10), np.arange(10.0)])
    with np.errstate(all="ignore"):
        same(xpmath.corrcoef, x)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_norm_every_ord(layout, dtype):
    m = _layouts(_data((5, 7), dtype))[layout]
    v = m[1]
    for ord in (None, 0, 1, -1, 2, -2, 3, 0.5, np.inf, -np.inf):
        same(xpmath.norm, v, ord=ord)
        same(xpmath.norm, v, ord=ord, keepdims=True)
        same(xpmath.norm, m, ord=ord, axis=1)
        same(xpmath.norm, m, ord=ord, axis=0, keepdims=True)
    for ord in (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        same(xpmath.norm, m, ord=ord)
        same(xpmath.norm, m, ord=ord, keepdims=True)
        same(xpmath.norm, m, ord=ord, axis=(1, 0))
    t = _data((3, 4, 5), dtype)
    for axis in (None, (0, 2), (2, 1)):
        same(xpmath.norm, t, axis=axis)
        same(xpmath.norm, t, ord="fro" if axis is not None else None, axis=axis, keepdims=True)
    same(xpmath.norm, t, ord=1, axis=(0, 2))
    same(xpmath.norm, t, ord=2, axis=-1)


@pytest.mark.parametrize("shape", [(300_001,), (40_000, 3), (3, 40_000), (2, 200, 4500), (64, 16, 16),
                                   (2, 600, 700)], ids=str)
def test_norm_kernel_paths(shape):
    """Sizes that reach each kernel path: blocked 1-D sums, long rows, many row blocks of columns,
    many small matrices (one task each) and a few large ones (the vector kernels twice), with
    NaN, inf and zeros in them, C / F / strided."""
    x = _data(shape, np.float64)
    x.flat[7] = 0.0
    y = x.copy()
    y.flat[x.size // 2] = np.nan
    z = x.copy()
    z.flat[x.size - 3] = -np.inf
    axes = [None, -1] if x.ndim == 1 else [0, -1, (0, -1), (-1, 0)] + ([(1, 2), (2, 1)] if x.ndim == 3 else [])
    for a in (x, y, z, np.asfortranarray(x), x[..., ::3]):
        for axis in axes:
            if axis is None and a.ndim == 3:
                continue
            ords = (None, "fro", 1, -1, np.inf, -np.inf) if isinstance(axis, tuple) or (axis is None and a.ndim == 2) \
                else (None, 0, 1, -1, 2, 3, 0.5, 1.5, np.inf, -np.inf)
            for ord in ords:
                same(xpmath.norm, a, ord=ord, axis=axis, rtol=1e-10)
    same(xpmath.norm, x.astype(np.float32), ord=1, axis=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: np.dtype(d).name)
def test_cosine_similarity(dtype):
    a = _data((6, 5), dtype)
    a[2] = 0
    b = _data((4, 5), dtype, seed=3)
    same(xpmath.cosine_similarity, a)
    same(xpmath.cosine_similarity, a, b)
    same(xpmath.cosine_similarity, np.asfortranarray(a), b[:, ::-1])
    same(xpmath.cosine_similarity, a[0], b)
    same(xpmath.cosine_similarity, a, b[1])
    same(xpmath.cosine_similarity, a[0], b[1])
    same(xpmath.cosine_similarity, a[2], b[1])
    same(xpmath.cosine_similarity, a[::2, ::2], b[:3, ::2])


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
def test_probability(dtype):
    x = _layouts(_data((6, 5), dtype, nan=True))["strided"]
    same(xpmath.probability.normal_pdf, x)
    same(xpmath.probability.normal_cdf, x)
    same(xpmath.probability.normal_pdf, x, mean=np.arange(5.0), std=np.linspace(0.5, 3, 5))
    same(xpmath.probability.normal_cdf, x, mean=1.5, std=2.0)
    same(xpmath.probability.normal_pdf, 0.3)
    same(xpmath.probability.normal_cdf, [-40.0, -3.0, 0.0, 2.0, 40.0])
    p = np.linspace(0.05, 0.95, 12).astype(dtype).reshape(3, 4)
    same(xpmath.probability.total_probability, p, p[::-1, ::-1], 0.25)
    same(xpmath.probability.bayes, p, 0.3, p_b_given_not_a=p.T[:4, :3].T)
    same(xpmath.probability.bayes, 0.9, 0.01, 0.05)
    y = _data((999,), dtype)
    same(xpmath.probability.empirical_rule, y)
    same(xpmath.probability.empirical_rule, y[::3])
    same(xpmath.probability.empirical_rule, np.arange(24).reshape(4, 6).T)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128], ids=lambda d: np.dtype(d).name)
def test_linalg_stacks_layouts(dtype):
    r = np.random.default_rng(7)
    a = _data((3, 4, 4), dtype) + 4 * np.eye(4, dtype=dtype)
    b = _data((3, 4, 2), dtype, seed=2)
    for lay in ("C", "F", "strided"):
        aa = _layouts(a)[lay]
        m = aa[0]
        same(xpmath.linalg.inv, aa)
        same(xpmath.linalg.inv, m)
        same(xpmath.linalg.det, aa)
        same(xpmath.linalg.det, m)
        same(xpmath.linalg.solve, aa, b)
        same(xpmath.linalg.solve, m, b[0])
        same(xpmath.linalg.solve, m, b[0][:, 0])
        same(xpmath.matmul, aa, b)
        same(xpmath.matmul, m, b[0])
        same(xpmath.dot, m, b[0])
        same(xpmath.dot, m[0], m[1])
        same(xpmath.matmul, m[0], m)
        s = aa + np.swapaxes(aa, -1, -2).conj()
        for uplo in ("L", "U"):
            w, v = xpmath.linalg.eigh(s, UPLO=uplo, backend="numba")
            wr = np.linalg.eigh(s, UPLO=uplo).eigenvalues
            assert_close(w, wr, rtol=1e-4 if dtype == np.float32 else None)
            assert v.dtype == s.dtype and v.shape == s.shape
            same(xpmath.linalg.eigvalsh, s, UPLO=uplo, rtol=1e-4 if dtype == np.float32 else None)
        tol = 1e-4 if dtype == np.float32 else 1e-9
        w, v = xpmath.linalg.eig(aa, backend="numba")
        wr, vr = xpmath.linalg.eig(aa, backend="numpy")
        assert_close(w, wr, rtol=tol, atol=tol)
        assert v.dtype == vr.dtype and v.shape == vr.shape
        av = np.matmul(aa.astype(v.dtype), v)
        np.testing.assert_allclose(av, v * w[..., None, :], rtol=tol * 10, atol=tol * 10)
        assert_close(xpmath.linalg.eigvals(aa, backend="numba"), wr, rtol=tol, atol=tol)
    rot = np.array([[0.0, -1.0], [1.0, 0.0]], dtype=dtype)
    same(xpmath.linalg.eigvals, rot)
    same(xpmath.matmul, _data((2, 3, 4), dtype), _data((4, 5), dtype))
    same(xpmath.dot, np.arange(6).reshape(2, 3), np.arange(3))
    same(xpmath.matmul, np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4))
    del r


def test_linalg_empty_and_singular():
    for fn in (xpmath.linalg.inv, xpmath.linalg.det):
        same(fn, np.zeros((0, 3, 3)))
        same(fn, np.zeros((2, 0, 0)))
    same(xpmath.linalg.eigvals, np.zeros((0, 2, 2)))
    for fn in (xpmath.linalg.inv, ):
        with pytest.raises(xpmath.SingularMatrixError):
            fn(np.ones((3, 3)), backend="numba")
        with pytest.raises(xpmath.SingularMatrixError):
            fn(np.stack([np.eye(3), np.ones((3, 3))]), backend="numba")
    with pytest.raises(xpmath.SingularMatrixError):
        xpmath.linalg.solve(np.ones((3, 3)), np.ones(3), backend="numba")
    same(xpmath.linalg.det, np.ones((3, 3)))
    same(xpmath.linalg.det, np.ones((3, 3), np.float32))


def test_models_match_numpy():
    r = np.random.default_rng(5)
    X = r.standard_normal((500, 6))
    X = np.asfortranarray(X)
    y = X @ np.arange(1.0, 7.0) + 0.5 + r.standard_normal(500) * 0.1
    for alpha in (0.0, 2.0):
        for fi in (True, False):
            m1 = xpmath.models.LinearRegression(solver="gd", alpha=alpha, fit_intercept=fi, lr=0.1, max_iter=50, backend="numba").fit(X, y)
            m2 = xpmath.models.LinearRegression(solver="gd", alpha=alpha, fit_intercept=fi, lr=0.1, max_iter=50, backend="numpy").fit(X, y)
            assert_close(m1.coef_, m2.coef_, rtol=1e-9)
            assert_close(m1.loss_history_, m2.loss_history_, rtol=1e-9)
            assert m1.n_iter_ == m2.n_iter_
    Y = np.stack([y, -y], axis=1)
    m1 = xpmath.models.LinearRegression(solver="gd", lr=0.1, max_iter=20, backend="numba").fit(X, Y)
    m2 = xpmath.models.LinearRegression(solver="gd", lr=0.1, max_iter=20, backend="numpy").fit(X, Y)
    assert_close(m1.coef_, m2.coef_, rtol=1e-9)
    X32 = X.astype(np.float32)[::2]
    yb = (X32[:, 0] + 0.3 * X32[:, 1] > 0).astype(np.float32)
    for alpha in (0.0, 1.0):
        C = 1 / alpha if alpha else np.inf
        m1 = xpmath.models.LogisticRegression(solver="gd", max_iter=30, C=C, backend="numba").fit(X32, yb)
        m2 = xpmath.models.LogisticRegression(solver="gd", max_iter=30, C=C, backend="numpy").fit(X32, yb)
        assert_close(m1.coef_, m2.coef_, rtol=1e-4, atol=1e-5)
        assert_close(m1.loss_history_, m2.loss_history_, rtol=1e-4, atol=1e-5)
    p1 = xpmath.models.PCA(3, backend="numba").fit(X)
    p2 = xpmath.models.PCA(3, backend="numpy").fit(X)
    assert_close(p1.components_, p2.components_, rtol=1e-8, atol=1e-10)


def _exact_cov(X):
    """The covariance of float64 columns by exactly rounded sums (math.fsum): the oracle."""
    import math

    Xc = X - np.array([math.fsum(c) / len(c) for c in X.T])
    p = X.shape[1]
    C = np.empty((p, p))
    for i in range(p):
        for j in range(i, p):
            C[i, j] = C[j, i] = math.fsum(Xc[:, i] * Xc[:, j]) / (len(X) - 1)
    return C


def _hard_columns(n):
    """Large inputs whose rows' order defeats a shift taken from the first rows: an offset, sorted
    values, a ramp, a first block far from the rest, and spikes every 48 rows."""
    r = np.random.default_rng(11)
    spikes = np.where(np.arange(n) % 48 == 0, 1e6, 0.0) + r.standard_normal(n)
    first_far = np.concatenate([np.full(8192, 1e6), r.standard_normal(n - 8192) * 1e-3])
    return {"offset": r.standard_normal((n, 3)) + 1e8, "sorted": np.sort(r.standard_normal((n, 3)) * 5 + 3, axis=0),
            "ramp": np.stack([np.arange(n, dtype=float) + r.standard_normal(n), r.standard_normal(n)], axis=1),
            "first block far": np.stack([first_far, r.standard_normal(n)], axis=1),
            "spikes every 48 rows": np.stack([spikes, r.standard_normal(n)], axis=1)}


@pytest.mark.parametrize("case", ["offset", "sorted", "ramp", "first block far", "spikes every 48 rows"])
def test_one_pass_gram_is_as_exact_as_two(case, monkeypatch):
    """cov of many rows on numba centres by a shift from a sample of rows in one pass, or falls back
    to the exact means where the sample is far from them: within a few ε of exactly rounded sums
    (NumPy's own two-pass error is of that order), and the means of the normal equations too."""
    n = 98_304 + 48
    X = _hard_columns(n)[case]
    be = _registry.resolve("numba")
    took = []
    real = type(be)._shifted_gram
    monkeypatch.setattr(type(be), "_shifted_gram", lambda self, *a: took.append(r := real(self, *a)) or r)
    got = xpmath.cov(X, rowvar=False, backend="numba")
    ex = _exact_cov(X)
    scale = np.sqrt(np.outer(np.diag(ex), np.diag(ex)))
    assert np.max(np.abs(got - ex) / scale) < 2e-14, case
    assert_close(got, np.cov(X, rowvar=False), rtol=1e-9, atol=1e-10 * float(np.max(np.diag(ex))))  # NumPy's errors
    X32 = X.astype(np.float32)
    assert_close(xpmath.cov(X32, rowvar=False, backend="numba"), xpmath.cov(X32, rowvar=False, backend="numpy"),
                 rtol=1e-4, atol=1e-5 * float(np.max(np.diag(ex))))
    # rows sampled every 24: every other sample a spike, the shift far from the mean: two passes
    assert (took[0] is None) == (case == "spikes every 48 rows")
    y = X @ np.arange(1.0, X.shape[1] + 1) + np.random.default_rng(2).standard_normal(n)
    m = xpmath.LinearRegression(backend="numba").fit(X, y)
    ref = xpmath.LinearRegression(backend="numpy").fit(X, y)
    assert_close(m.coef_, ref.coef_, rtol=1e-6)
    # the intercept ȳ − x̄·w cancels terms of size |x̄ᵢ wᵢ|: both answers are that exact, no more
    size = abs(float(np.mean(y))) + float(np.sum(np.abs(X.mean(axis=0) * ref.coef_)))
    assert abs(float(m.intercept_) - float(ref.intercept_)) <= 1e-9 * size


@pytest.mark.parametrize("model", ["linear", "logistic"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gd_fit_finds_non_finite_x_through_its_first_step(model, bad, where, dtype, monkeypatch):
    """A gradient-descent fit on numba checks X through its first step's loss, not by a read of its
    own: any NaN or infinity, anywhere, still raises the NonFiniteError naming X that NumPy's fit raises."""
    r = np.random.default_rng(3)
    X = r.standard_normal((2003, 7)).astype(dtype)
    y = (X[:, 0] > 0).astype(dtype) if model == "logistic" else (X @ np.arange(7.0)).astype(dtype)
    i = {"first": 0, "middle": 1001, "last": X.size - 1}[where]
    X.reshape(-1)[i] = bad
    make = {"linear": lambda be: xpmath.LinearRegression(solver="gd", max_iter=3, backend=be),
            "logistic": lambda be: xpmath.LogisticRegression(solver="gd", max_iter=3, backend=be)}[model]
    with pytest.raises(xpmath.errors.NonFiniteError, match="X") as on_numpy:
        make("numpy").fit(X, y)
    with pytest.raises(xpmath.errors.NonFiniteError, match="X") as on_numba:
        make("numba").fit(X, y)
    assert str(on_numba.value) == str(on_numpy.value)


def test_gd_fit_reads_x_for_the_finite_check_only_when_its_first_loss_is_not_finite(monkeypatch):
    """Finite X: the numba fit does not run the separate finite check of X (its first step stands for
    it), and the fit's last pass asks the kernel for the loss alone; where the reference runs the
    step (sample weights), X is checked before the first step."""
    be = _registry.resolve("numba")
    calls = []
    real_finite = type(be).all_finite
    monkeypatch.setattr(type(be), "all_finite", lambda self, a: calls.append(a.shape) or real_finite(self, a))
    grads = []
    real_step = type(be)._gd_step
    monkeypatch.setattr(type(be), "_gd_step", lambda self, *a: grads.append(a[-1]) or real_step(self, *a))
    r = np.random.default_rng(4)
    X = r.standard_normal((3000, 5))
    y = X @ np.arange(5.0)
    m = xpmath.LinearRegression(solver="gd", max_iter=4, tol=0.0, backend="numba").fit(X, y)
    ref = xpmath.LinearRegression(solver="gd", max_iter=4, tol=0.0, backend="numpy").fit(X, y)
    assert_close(m.loss_history_, ref.loss_history_, rtol=1e-10)
    assert X.shape not in calls
    assert grads == [True] * 4 + [False]
    calls.clear()
    xpmath.LinearRegression(solver="gd", max_iter=2, backend="numba").fit(X, y, sample_weight=np.ones(3000))
    assert X.shape in calls


def test_calculus_and_optimize():
    f = np.sin
    x = np.linspace(0, 3, 7)
    same(xpmath.calculus.derivative, f, x)
    g = lambda v: (v ** 2).sum()  # noqa: E731
    same(xpmath.calculus.gradient, g, np.array([1.0, -2.0, 3.0]))
    same(xpmath.calculus.partial_derivative, g, np.array([1.0, -2.0, 3.0]), 1)
    r1 = xpmath.optimize.gradient_descent(lambda v: 2 * (v - 3), 5.0, lr=0.1, backend="numba")
    r2 = xpmath.optimize.gradient_descent(lambda v: 2 * (v - 3), 5.0, lr=0.1, backend="numpy")
    assert r1.n_iter == r2.n_iter
    assert_close(r1.x, r2.x)


def test_random_reproducible_in_jitted_code():
    for dt in (np.float64, np.float32):
        g1 = xpmath.random.default_rng(42, backend="numba")
        g2 = xpmath.random.default_rng(42, backend="numba")
        a = g1.normal(1.0, 2.0, size=(3, 4), dtype=dt)
        assert a.dtype == dt and a.shape == (3, 4)
        np.testing.assert_array_equal(a, g2.normal(1.0, 2.0, size=(3, 4), dtype=dt))
        u = g1.uniform(-1, 1, size=1000, dtype=dt)
        assert u.dtype == dt and u.min() >= -1 and u.max() < 1
    b = xpmath.random.default_rng(1, backend="numba").bernoulli(0.3, size=10_000)
    assert b.dtype == np.int64 and abs(b.mean() - 0.3) < 0.03
    s = xpmath.random.default_rng(1, backend="numba").normal()
    assert isinstance(s, float | np.floating)
    with xpmath.use_backend("numba"):
        xpmath.random.seed(7)
        a = xpmath.random.normal(size=5)
        xpmath.random.seed(7)
        np.testing.assert_array_equal(a, xpmath.random.normal(size=5))


def test_large_accuracy_against_exact_sums():
    # offset data: a naive sum of squares would lose ~8 digits here
    r = np.random.default_rng(3)
    x = 1e6 + r.standard_normal(2_000_000)
    xl = x.astype(np.longdouble)
    m = xl.mean()
    exact = ((xl - m) ** 2).mean()
    got = xpmath.var(x, backend="numba")
    assert abs(float(got) - float(exact)) <= 1e-9 * float(exact)
    assert abs(float(xpmath.mean(x, backend="numba")) - float(m)) <= 1e-15 * float(m)
    X = 1e4 + r.standard_normal((200_000, 4))
    assert_close(xpmath.cov(X, rowvar=False, backend="numba"), np.cov(X, rowvar=False), rtol=1e-9, atol=1e-12)


def test_cov_blocks_on_threads():
    """Tall data takes the path where each thread centres its own blocks and runs a one-thread
    SYRK: NumPy's answer in every layout and dtype, from several Python threads at once, and
    BLAS's thread count restored afterwards."""
    from threadpoolctl import threadpool_info

    before = [i["num_threads"] for i in threadpool_info()]
    r = np.random.default_rng(4)
    x = r.standard_normal((70_000, 9)) * 5 + 100
    for a, rowvar in ((x, False), (np.asfortranarray(x), False), (x.T.copy(), True), (x[::2], False)):
        same(xpmath.cov, a, rowvar=rowvar, rtol=1e-12)
        same(xpmath.corrcoef, a, rowvar=rowvar, rtol=1e-12)
    same(xpmath.cov, x.astype(np.float32), rowvar=False, rtol=1e-5)
    same(xpmath.cov, x[:, :4], x[:, 4:], rowvar=False, ddof=0, rtol=1e-12)
    want = np.cov(x, rowvar=False)

    def work():
        for _ in range(3):
            np.testing.assert_allclose(xpmath.cov(x, rowvar=False, backend="numba"), want, rtol=1e-12)

    _on_threads(work, 4)
    assert [i["num_threads"] for i in threadpool_info()] == before


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_normal_equations_on_threads(dtype):
    """LinearRegression's XᵀX and Xᵀy from the same threaded blocks as cov (y beside X in each
    block): NumPy's coefficients with and without intercept, ridge, and 2-D targets."""
    r = np.random.default_rng(6)
    X = (r.standard_normal((70_000, 10)) * 3 + 5).astype(dtype)
    y = (X @ r.standard_normal(10) + 2 + r.standard_normal(70_000) * 0.1).astype(dtype)
    tol = 1e-3 if dtype == np.float32 else 1e-9
    for yy in (y, np.stack([y, 2 * y + 1], axis=1)):
        for fit_intercept in (True, False):
            for alpha in (0.0, 3.0):
                ref = xpmath.LinearRegression(fit_intercept=fit_intercept, alpha=alpha, backend="numpy").fit(X, yy)
                got = xpmath.LinearRegression(fit_intercept=fit_intercept, alpha=alpha, backend="numba").fit(X, yy)
                assert_close(got.coef_, ref.coef_, rtol=tol, atol=tol)
                assert_close(got.intercept_, ref.intercept_, rtol=tol, atol=tol)


def _on_threads(work, n):
    """Run ``work`` on n Python threads at once; re-raise what any of them raised."""
    errors = []

    def run():
        try:
            work()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_many_python_threads_at_once():
    x = np.random.default_rng(0).standard_normal((2000, 50))
    want = (np.var(x, axis=0), float(np.median(x)), np.linalg.inv(x[:50] + 50 * np.eye(50)))

    def work():
        for _ in range(20):
            np.testing.assert_allclose(xpmath.var(x, axis=0, backend="numba"), want[0], rtol=1e-12)
            assert float(xpmath.median(x, backend="numba")) == want[1]
            np.testing.assert_allclose(xpmath.linalg.inv(x[:50] + 50 * np.eye(50), backend="numba"), want[2], rtol=1e-10)

    _on_threads(work, 6)
    layer = _registry.get("numba").config()["threading_layer"]
    assert layer.startswith(("omp", "tbb")) or "serialised" in layer


def test_read_only_install_uses_user_cache(tmp_path):
    """With the package directory unwritable and no NUMBA_CACHE_DIR, kernels cache under the user's cache."""
    code = (
        "import os, numpy as np, xpmath_backends.numba_backend as nb\n"
        "nb._runtime._writable = lambda path: False\n"
        "import xpmath\n"
        "xpmath.var(np.arange(10.0), backend='numba')\n"
        "import numba; print(numba.config.CACHE_DIR)\n"
        "print('NUMBA_CACHE_DIR' in os.environ)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    d, in_environ = out.stdout.split()
    assert d.startswith(str(tmp_path)) and os.path.isdir(d)
    assert in_environ == "False"  # numba.config carries it, the environment stays the user's
    assert any(f.endswith(".nbi") for _, _, fs in os.walk(d) for f in fs)


def test_importing_the_backend_module_does_not_import_numba():
    code = "import sys, xpmath, xpmath_backends.numba_backend; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64], ids=lambda d: np.dtype(d).name)
def test_linalg_is_numpys_to_the_bit(dtype):
    # the numba backend leaves BLAS/LAPACK-bound operations to NumPy's own calls: equal, not close.
    # Stacks of 256 or more real 2×2…8×8 matrices run its own kernels instead, close to NumPy's
    # (tests/test_numba_smallmat.py); these stacks of 4 are below that and must stay NumPy's
    from xpmath import _registry
    from xpmath._dispatch import runs_own

    assert not any(runs_own(_registry.get("numba"), op, np.zeros((4, 3, 3), dtype))
                   for op in ("inv", "det", "eigh", "eigvalsh"))
    r = np.random.default_rng(5)

    def mk(*shape):
        a = r.standard_normal(shape)
        if np.dtype(dtype).kind == "c":
            a = a + 1j * r.standard_normal(shape)
        return a.astype(dtype)

    for n in (2, 3, 17, 120):
        a, b, s = mk(4, n, n), mk(4, n, 3), mk(n, n)
        h = s + np.conj(s.T)
        for layout in (np.ascontiguousarray, np.asfortranarray):
            m = layout(a[1])
            got = {"inv": xpmath.linalg.inv(a, backend="numba"), "inv2": xpmath.linalg.inv(m, backend="numba"),
                   "solve": xpmath.linalg.solve(a, b, backend="numba"),
                   "solve1": xpmath.linalg.solve(m, b[0, :, 0], backend="numba"),
                   "det": xpmath.linalg.det(a, backend="numba"), "eigh": xpmath.linalg.eigh(h, backend="numba"),
                   "eighU": xpmath.linalg.eigh(h, UPLO="U", backend="numba"), "eigvalsh": xpmath.linalg.eigvalsh(h, backend="numba"),
                   "eig": xpmath.linalg.eig(a, backend="numba"), "eigvals": xpmath.linalg.eigvals(m, backend="numba"),
                   "matmul": xpmath.matmul(m, layout(s), backend="numba"), "dot": xpmath.dot(m, s, backend="numba"),
                   "gram": xpmath.matmul(m, m.T, backend="numba")}
            ref = {"inv": np.linalg.inv(a), "inv2": np.linalg.inv(m), "solve": np.linalg.solve(a, b),
                   "solve1": np.linalg.solve(m, b[0, :, 0]), "det": np.linalg.det(a), "eigh": np.linalg.eigh(h),
                   "eighU": np.linalg.eigh(h, UPLO="U"), "eigvalsh": np.linalg.eigvalsh(h),
                   "eig": xpmath.linalg.eig(a, backend="numpy"), "eigvals": xpmath.linalg.eigvals(m, backend="numpy"),
                   "matmul": m @ layout(s), "dot": np.dot(m, s), "gram": m @ m.T}
            for k in got:
                for g, e in zip(*(v if isinstance(v, tuple) else (v,) for v in (got[k], ref[k]))):
                    assert g.dtype == e.dtype and g.shape == e.shape, k
                    np.testing.assert_array_equal(g, e, err_msg=f"{k}, n={n}")
