"""End-to-end checks of the public contract on every usable backend (docs/API.md §1-§8)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import xpmath
from xpmath import _registry


def _backends():
    out = []
    for name in _registry.names():
        be, why = _registry.status(name)
        marks = [pytest.mark.gpu] if name == "cupy" else []
        if be is None:
            marks.append(pytest.mark.skip(reason=f"{name} backend unusable here: {why}"))
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.fixture(params=_backends())
def bk(request):
    return request.param


def host(x):
    return xpmath.to_numpy(x)


def test_seed_linear_algebra(bk):
    assert host(xpmath.dot([85, 90, 78], [0.4, 0.35, 0.25], backend=bk)) == pytest.approx(85.0)
    assert host(xpmath.norm([85, 90, 78], backend=bk)) == pytest.approx(np.linalg.norm([85, 90, 78]))
    a, b = np.array([85, 90, 78]), np.array([82, 88, 80])
    ref = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert host(xpmath.cosine_similarity(a, b, backend=bk)) == pytest.approx(ref, rel=1e-12)
    X = np.array([[2, 50], [5, 80], [8, 95]])
    np.testing.assert_array_equal(host(xpmath.matmul(xpmath.transpose(X, backend=bk), X, backend=bk)), X.T @ X)
    A = np.array([[4, 7], [2, 6]])
    np.testing.assert_allclose(host(xpmath.linalg.inv(A, backend=bk)), np.linalg.inv(A), rtol=1e-12)
    w, v = xpmath.linalg.eig([[4, 2], [2, 3]], backend=bk)
    w, v = host(w), host(v)
    assert w.dtype == np.complex128
    np.testing.assert_allclose(w.real, sorted(np.linalg.eigvals([[4, 2], [2, 3]]), reverse=True), rtol=1e-12)
    np.testing.assert_allclose(np.array([[4, 2], [2, 3]]) @ v, v * w, atol=1e-12)


def test_seed_statistics(bk):
    hours = np.array([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])
    scores = np.array([50, 55, 70, 62, 75, 80, 90, 58, 72, 95])
    for fn, ref in [(xpmath.mean, np.mean), (xpmath.median, np.median), (xpmath.var, np.var), (xpmath.std, np.std)]:
        assert host(fn(hours, backend=bk)) == pytest.approx(ref(hours), rel=1e-12)
    np.testing.assert_allclose(host(xpmath.corrcoef(hours, scores, backend=bk)), np.corrcoef(hours, scores), rtol=1e-12)
    np.testing.assert_allclose(host(xpmath.cov(hours, scores, backend=bk)), np.cov(hours, scores), rtol=1e-12)
    salaries = np.array([30000, 35000, 32000, 28000, 1000000])
    assert host(xpmath.mean(salaries, backend=bk)) == pytest.approx(225000)
    assert host(xpmath.median(salaries, backend=bk)) == pytest.approx(32000)


def test_seed_gradient_descent_and_bayes(bk):
    r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 10.0, lr=0.1, backend=bk)
    assert r.converged and abs(float(host(r.x)) - 3) < 1e-6
    with pytest.warns(xpmath.DivergenceWarning):
        d = xpmath.gradient_descent(lambda x: 2 * (x - 3), 5.0, lr=2.0, backend=bk)
    assert d.diverged and d.n_iter < 100
    assert float(host(xpmath.bayes(0.8, 0.3, p_b_given_not_a=0.01, backend=bk))) == pytest.approx(
        0.8 * 0.3 / (0.8 * 0.3 + 0.01 * 0.7)
    )
    assert float(host(xpmath.bayes(0.8, 0.3, 0.25, backend=bk))) == pytest.approx(0.96)


def test_errors_are_the_same_everywhere(bk):
    with pytest.raises(xpmath.ShapeError, match=r"matmul: shapes \(3, 4\) and \(3, 2\) are not aligned \(4 != 3\)"):
        xpmath.matmul(np.ones((3, 4)), np.ones((3, 2)), backend=bk)
    with pytest.raises(xpmath.SingularMatrixError, match="alpha="):
        xpmath.linalg.inv([[1.0, 2.0], [2.0, 4.0]], backend=bk)
    with pytest.raises(np.linalg.LinAlgError):
        xpmath.linalg.solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0], backend=bk)
    with pytest.raises(xpmath.NonFiniteError):
        xpmath.linalg.det([[1.0, np.nan], [0.0, 1.0]], backend=bk)
    with pytest.raises(xpmath.EmptyInputError):
        xpmath.LinearRegression(backend=bk).fit(np.ones((0, 2)), np.ones(0))
    with pytest.raises(xpmath.XPMathTypeError):
        xpmath.mean(["a", "b"], backend=bk)
    with pytest.raises(ValueError):
        xpmath.normal_pdf(0.0, std=0.0, backend=bk)
    with pytest.raises(xpmath.ShapeError):
        xpmath.LinearRegression(backend=bk).fit(np.ones((3, 2)), np.ones(4))


def test_models_match_scikit_learn(bk):
    sk = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.7 + 0.05 * rng.normal(size=300)
    ref = sk.LinearRegression().fit(X, y)
    m = xpmath.LinearRegression(backend=bk).fit(X, y)
    np.testing.assert_allclose(host(m.coef_), ref.coef_, rtol=1e-10)
    assert float(host(m.intercept_)) == pytest.approx(ref.intercept_, rel=1e-10)
    ridge = sk.Ridge(alpha=5.0).fit(X, y)
    m = xpmath.LinearRegression(alpha=5.0, backend=bk).fit(X, y)
    np.testing.assert_allclose(host(m.coef_), ridge.coef_, rtol=1e-10)
    g = xpmath.LinearRegression(solver="gd", lr=0.1, max_iter=5000, tol=1e-10, backend=bk).fit(X, y)
    np.testing.assert_allclose(host(g.coef_), ref.coef_, rtol=1e-6)
    assert len(host(g.loss_history_)) == g.n_iter_ + 1


def test_import_isolation():
    code = "import sys, xpmath; print(sorted(m for m in ('numba', 'cupy', 'dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
