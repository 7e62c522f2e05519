"""End-to-end checks of the public contract on every usable backend (docs/API.md §1-§8)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import xpmath


def host(x):
    return xpmath.to_numpy(x)


def test_seed_linear_algebra(backend):
    assert host(xpmath.dot([85, 90, 78], [0.4, 0.35, 0.25], backend=backend)) == pytest.approx(85.0)
    assert host(xpmath.norm([85, 90, 78], backend=backend)) == pytest.approx(np.linalg.norm([85, 90, 78]))
    a, b = np.array([85, 90, 78]), np.array([82, 88, 80])
    ref = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert host(xpmath.cosine_similarity(a, b, backend=backend)) == pytest.approx(ref, rel=1e-12)
    X = np.array([[2, 50], [5, 80], [8, 95]])
    np.testing.assert_array_equal(host(xpmath.matmul(xpmath.transpose(X, backend=backend), X, backend=backend)), X.T @ X)
    A = np.array([[4, 7], [2, 6]])
    np.testing.assert_allclose(host(xpmath.linalg.inv(A, backend=backend)), np.linalg.inv(A), rtol=1e-12)
    w, v = xpmath.linalg.eig([[4, 2], [2, 3]], backend=backend)
    w, v = host(w), host(v)
    assert w.dtype == np.complex128
    np.testing.assert_allclose(w.real, sorted(np.linalg.eigvals([[4, 2], [2, 3]]), reverse=True), rtol=1e-12)
    np.testing.assert_allclose(np.array([[4, 2], [2, 3]]) @ v, v * w, atol=1e-12)


def test_seed_statistics(backend):
    hours = np.array([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])
    scores = np.array([50, 55, 70, 62, 75, 80, 90, 58, 72, 95])
    for fn, ref in [(xpmath.mean, np.mean), (xpmath.median, np.median), (xpmath.var, np.var), (xpmath.std, np.std)]:
        assert host(fn(hours, backend=backend)) == pytest.approx(ref(hours), rel=1e-12)
    np.testing.assert_allclose(host(xpmath.corrcoef(hours, scores, backend=backend)), np.corrcoef(hours, scores), rtol=1e-12)
    np.testing.assert_allclose(host(xpmath.cov(hours, scores, backend=backend)), np.cov(hours, scores), rtol=1e-12)
    salaries = np.array([30000, 35000, 32000, 28000, 1000000])
    assert host(xpmath.mean(salaries, backend=backend)) == pytest.approx(225000)
    assert host(xpmath.median(salaries, backend=backend)) == pytest.approx(32000)


def test_seed_gradient_descent_and_bayes(backend):
    r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 10.0, lr=0.1, backend=backend)
    assert r.converged and abs(float(host(r.x)) - 3) < 1e-6
    with pytest.warns(xpmath.DivergenceWarning):
        d = xpmath.gradient_descent(lambda x: 2 * (x - 3), 5.0, lr=2.0, backend=backend)
    assert d.diverged and d.n_iter < 100
    assert float(host(xpmath.bayes(0.8, 0.3, p_b_given_not_a=0.01, backend=backend))) == pytest.approx(
        0.8 * 0.3 / (0.8 * 0.3 + 0.01 * 0.7)
    )
    assert float(host(xpmath.bayes(0.8, 0.3, 0.25, backend=backend))) == pytest.approx(0.96)


def test_errors_are_the_same_everywhere(backend):
    with pytest.raises(xpmath.ShapeError, match=r"matmul: shapes \(3, 4\) and \(3, 2\) are not aligned \(4 != 3\)"):
        xpmath.matmul(np.ones((3, 4)), np.ones((3, 2)), backend=backend)
    with pytest.raises(xpmath.SingularMatrixError, match="alpha="):
        xpmath.linalg.inv([[1.0, 2.0], [2.0, 4.0]], backend=backend)
    with pytest.raises(np.linalg.LinAlgError):
        xpmath.linalg.solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0], backend=backend)
    with pytest.raises(xpmath.NonFiniteError):
        xpmath.linalg.det([[1.0, np.nan], [0.0, 1.0]], backend=backend)
    with pytest.raises(xpmath.EmptyInputError):
        xpmath.LinearRegression(backend=backend).fit(np.ones((0, 2)), np.ones(0))
    with pytest.raises(xpmath.XPMathTypeError):
        xpmath.mean(["a", "b"], backend=backend)
    with pytest.raises(ValueError):
        xpmath.normal_pdf(0.0, std=0.0, backend=backend)
    with pytest.raises(xpmath.ShapeError):
        xpmath.LinearRegression(backend=backend).fit(np.ones((3, 2)), np.ones(4))


def test_models_match_scikit_learn(backend):
    sk = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.7 + 0.05 * rng.normal(size=300)
    ref = sk.LinearRegression().fit(X, y)
    m = xpmath.LinearRegression(backend=backend).fit(X, y)
    np.testing.assert_allclose(host(m.coef_), ref.coef_, rtol=1e-10)
    assert float(host(m.intercept_)) == pytest.approx(ref.intercept_, rel=1e-10)
    ridge = sk.Ridge(alpha=5.0).fit(X, y)
    m = xpmath.LinearRegression(alpha=5.0, backend=backend).fit(X, y)
    np.testing.assert_allclose(host(m.coef_), ridge.coef_, rtol=1e-10)
    g = xpmath.LinearRegression(solver="gd", lr=0.1, max_iter=5000, tol=1e-10, backend=backend).fit(X, y)
    np.testing.assert_allclose(host(g.coef_), ref.coef_, rtol=1e-6)
    assert len(host(g.loss_history_)) == g.n_iter_ + 1


def test_import_isolation():
    code = "import sys, xpmath; print(sorted(m for m in ('numba', 'cupy', 'dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
