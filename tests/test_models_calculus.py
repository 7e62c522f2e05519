"""Calculus, gradient descent and the models on every backend (docs/API.md §7, §8), with scikit-learn as oracle."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import xpmath

sk_lm = pytest.importorskip("sklearn.linear_model")
sk_dec = pytest.importorskip("sklearn.decomposition")


def h(x):
    return xpmath.to_numpy(x)


def test_derivative_accuracy(backend):
    xs = np.linspace(-2, 3, 11)
    got = h(xpmath.derivative(np.exp, xs, backend=backend))
    np.testing.assert_allclose(got, np.exp(xs), rtol=1e-7)
    assert float(h(xpmath.derivative(lambda x: x**2, 3.0, backend=backend))) == pytest.approx(6.0, rel=1e-7)
    assert float(h(xpmath.derivative(np.sin, 1.0, h=1e-4, backend=backend))) == pytest.approx(np.cos(1.0), rel=1e-7)


def test_partial_derivative_and_gradient(backend):
    f = lambda w: w[0] ** 2 + 3 * w[0] * w[1]  # noqa: E731
    w = np.array([1.0, 2.0])
    assert float(h(xpmath.partial_derivative(f, w, 0, backend=backend))) == pytest.approx(2 * 1 + 3 * 2, rel=1e-7)
    assert float(h(xpmath.partial_derivative(f, w, 1, backend=backend))) == pytest.approx(3 * 1, rel=1e-7)
    np.testing.assert_allclose(h(xpmath.gradient(f, w, backend=backend)), [8.0, 3.0], rtol=1e-7)
    with pytest.raises(xpmath.AxisError):
        xpmath.partial_derivative(f, w, 2, backend=backend)
    with pytest.raises(xpmath.XPMathTypeError):
        xpmath.derivative("not callable", 1.0, backend=backend)


def test_gradient_descent_converges(backend):
    r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 5.0, lr=0.1, f=lambda x: (x - 3) ** 2, backend=backend)
    assert r.converged and not r.diverged
    assert float(h(r.x)) == pytest.approx(3.0, abs=1e-7)
    hist = h(r.history)
    assert hist.shape[0] == r.n_iter + 1 and hist[0] == 5.0
    assert h(r.loss_history).shape[0] == r.n_iter + 1
    # the seed chapter's loop, step for step
    x = 5.0
    for i in range(10):
        x = x - 0.1 * 2 * (x - 3)
        assert hist[i + 1] == pytest.approx(x, rel=1e-12)


def test_gradient_descent_diverges_with_warning(backend):
    with pytest.warns(xpmath.DivergenceWarning):
        r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 5.0, lr=2.0, backend=backend)
    assert r.diverged and not r.converged and r.n_iter < 100


def test_gradient_descent_callback_and_vector(backend):
    seen = []
    r = xpmath.gradient_descent(lambda x: 2 * x, [1.0, -2.0], lr=0.1, callback=lambda x: seen.append(1) or len(seen) >= 3,
                                backend=backend)
    assert r.n_iter == 3 and len(seen) == 3 and h(r.history).shape == (4, 2)
    r = xpmath.gradient_descent(lambda x: 2 * x, [1.0, -2.0], lr=0.1, max_iter=5, backend=backend)
    assert r.n_iter == 5 and not r.converged


def _data(rng, n=400, d=5, noise=0.1):
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = X @ w + 0.5 + noise * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("alpha", [0.0, 3.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_regression_normal_matches_sklearn(backend, rng, alpha, fit_intercept):
    X, y = _data(rng)
    ref = (sk_lm.Ridge(alpha=alpha, fit_intercept=fit_intercept) if alpha else sk_lm.LinearRegression(fit_intercept=fit_intercept)).fit(X, y)
    m = xpmath.LinearRegression(alpha=alpha, fit_intercept=fit_intercept, backend=backend).fit(X, y)
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=1e-9, atol=1e-11)
    assert float(h(m.intercept_)) == pytest.approx(float(ref.intercept_), abs=1e-9)
    np.testing.assert_allclose(h(m.predict(X)), ref.predict(X), rtol=1e-9, atol=1e-9)
    assert m.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-9)


def test_linear_regression_multi_target(backend, rng):
    X, y = _data(rng)
    Y = np.stack([y, 2 * y], axis=1)
    ref = sk_lm.LinearRegression().fit(X, Y)
    m = xpmath.LinearRegression(backend=backend).fit(X, Y)
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=1e-9)


def test_linear_regression_gd_reaches_normal(backend, rng):
    X, y = _data(rng)
    normal = xpmath.LinearRegression(backend=backend).fit(X, y)
    gd = xpmath.LinearRegression(solver="gd", lr=0.1, max_iter=5000, tol=1e-10, backend=backend).fit(X, y)
    np.testing.assert_allclose(h(gd.coef_), h(normal.coef_), rtol=1e-6, atol=1e-8)
    assert gd.converged_ and gd.n_iter_ < 5000
    loss = h(gd.loss_history_)
    assert loss.shape == (gd.n_iter_ + 1,) and loss[-1] <= loss[0]


def test_gd_n_iter_is_exact(backend, rng):
    X, y = _data(rng, n=200, d=3)
    ref = xpmath.LinearRegression(solver="gd", lr=0.05, max_iter=3000, tol=1e-6, backend="numpy").fit(X, y)
    got = xpmath.LinearRegression(solver="gd", lr=0.05, max_iter=3000, tol=1e-6, backend=backend).fit(X, y)
    assert got.n_iter_ == ref.n_iter_
    capped = xpmath.LinearRegression(solver="gd", lr=0.05, max_iter=7, backend=backend).fit(X, y)
    assert capped.n_iter_ == 7 and h(capped.loss_history_).shape == (8,)


def test_gd_divergence_reported(backend, rng):
    X, y = _data(rng, n=100, d=3)
    with pytest.warns(xpmath.DivergenceWarning):
        m = xpmath.LinearRegression(solver="gd", lr=50.0, max_iter=500, backend=backend).fit(X * 10, y)
    assert m.diverged_ and m.n_iter_ < 500


def test_collinear_fit_is_the_minimum_norm_solution(backend, rng):
    X = rng.normal(size=(20, 2))
    X = np.hstack([X, X[:, :1]])
    y = rng.normal(size=20)
    ref = sk_lm.LinearRegression(fit_intercept=False).fit(X, y)
    m = xpmath.LinearRegression(fit_intercept=False, backend=backend).fit(X, y)
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=1e-9)
    assert m.rank_ == ref.rank_ == 2
    m = xpmath.LinearRegression(fit_intercept=False, alpha=1.0, backend=backend).fit(X, y)
    np.testing.assert_allclose(h(m.coef_), sk_lm.Ridge(alpha=1.0, fit_intercept=False).fit(X, y).coef_, rtol=1e-9)


def test_model_errors(backend):
    for est in (xpmath.LinearRegression(backend=backend), xpmath.LogisticRegression(backend=backend)):
        with pytest.raises(xpmath.ShapeError):
            est.fit(np.ones((3, 2)), np.ones(4))
        with pytest.raises(xpmath.NonFiniteError):
            est.fit(np.array([[1.0], [np.nan]]), np.array([0.0, 1.0]))
        with pytest.raises(xpmath.EmptyInputError):
            est.fit(np.ones((0, 2)), np.ones(0))
        with pytest.raises(xpmath.NotFittedError):
            est.predict(np.ones((2, 2)))
    with pytest.raises(xpmath.NotFittedError):
        xpmath.PCA(backend=backend).transform(np.ones((2, 2)))


def test_logistic_regression_close_to_sklearn(backend, rng):
    X = rng.normal(size=(400, 3))
    y = (X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.5 * rng.normal(size=400) > 0).astype(int)
    m = xpmath.LogisticRegression(solver="gd", C=np.inf, lr=0.5, max_iter=3000, tol=1e-8, backend=backend).fit(X, y)
    ref = sk_lm.LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=2e-2, atol=2e-2)
    np.testing.assert_allclose(h(m.predict_proba(X)), ref.predict_proba(X), atol=1e-2)
    assert h(m.predict_proba(X)).shape == (400, 2)
    assert m.score(X, y) == pytest.approx(ref.score(X, y), abs=0.01)
    assert h(m.loss_history_).shape == (m.n_iter_[0] + 1,)
    # the teaching solver minimises scikit-learn's objective: C = 0.1
    m = xpmath.LogisticRegression(solver="gd", C=0.1, lr=0.5, max_iter=3000, tol=1e-8, backend=backend).fit(X, y)
    ref = sk_lm.LogisticRegression(C=0.1, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=2e-2, atol=2e-2)
    # any labels: strings give the same model, predicting strings
    labels = np.where(y == 1, "yes", "no")
    m = xpmath.LogisticRegression(backend=backend).fit(X, y)
    s = xpmath.LogisticRegression(backend=backend).fit(X, labels)
    assert s.classes_.tolist() == ["no", "yes"]
    np.testing.assert_allclose(h(s.coef_), h(m.coef_), rtol=1e-12)
    assert (h(s.predict(X)) == np.where(h(m.predict(X)) == 1, "yes", "no")).all()
    with pytest.raises(ValueError, match="class"):
        xpmath.LogisticRegression(backend=backend).fit(X, np.zeros(400))


@pytest.mark.parametrize("n_components", [None, 2, 0.9])
def test_pca_matches_sklearn(backend, rng, n_components):
    X = rng.normal(size=(200, 5)) @ rng.normal(size=(5, 5))
    ref = sk_dec.PCA(n_components=n_components, svd_solver="full").fit(X)
    m = xpmath.PCA(n_components=n_components, backend=backend).fit(X)
    comps = h(m.components_)
    assert comps.shape == ref.components_.shape
    # the documented sign rule: each component's largest-magnitude entry is positive
    big = comps[np.arange(comps.shape[0]), np.abs(comps).argmax(axis=1)]
    assert (big > 0).all()
    np.testing.assert_allclose(np.abs(comps), np.abs(ref.components_), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(h(m.explained_variance_), ref.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(h(m.explained_variance_ratio_), ref.explained_variance_ratio_, rtol=1e-9)
    np.testing.assert_allclose(h(m.mean_), ref.mean_, rtol=1e-12)
    Z = h(m.transform(X))
    np.testing.assert_allclose(np.abs(Z), np.abs(ref.transform(X)), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(h(m.inverse_transform(Z)), ref.inverse_transform(ref.transform(X)), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(h(xpmath.PCA(n_components, backend=backend).fit_transform(X)), Z, rtol=1e-9, atol=1e-9)


def test_estimator_conventions():
    m = xpmath.LinearRegression(solver="gd", alpha=2.0)
    assert m.get_params()["alpha"] == 2.0
    assert m.set_params(alpha=3.0) is m and m.alpha == 3.0
    assert "alpha=3.0" in repr(m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xpmath.LinearRegression().fit([[1.0], [2.0], [3.0]], [3.0, 5.0, 7.0]).coef_[0] == pytest.approx(2.0)


class _LooksEvery7(type(xpmath._registry.get("numpy"))):
    """The numpy backend with the host looking at the descent only every 7 steps, as the cupy
    backend does every 50: the masked-step logic that keeps the GPU free of per-step syncs."""

    name = "numpy-every-7"
    gd_check_every = 7


@pytest.mark.parametrize("case", ["converges", "diverges", "max_iter", "callback", "grad_nan"])
def test_descent_is_exact_however_rarely_the_host_looks(case):
    every7 = _LooksEvery7()
    kw = {"lr": 0.1, "f": lambda x: ((x - 3) ** 2).sum()}
    grad = lambda x: 2 * (x - 3)  # noqa: E731
    x0 = np.array([10.0, -4.0])
    if case == "diverges":
        kw["lr"] = 2.0
    elif case == "max_iter":
        kw["max_iter"] = 23
    elif case == "callback":
        kw["callback"] = lambda x: bool(abs(x[0] - 3) < 0.5)
    elif case == "grad_nan":
        grad = lambda x: np.where(abs(x - 3) < 0.2, np.nan, 2 * (x - 3))  # noqa: E731
    results = []
    for be in ("numpy", every7):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", xpmath.DivergenceWarning)
            results.append(xpmath.gradient_descent(grad, x0, backend=be, **kw))
    a, b = results
    assert (a.n_iter, a.converged, a.diverged) == (b.n_iter, b.converged, b.diverged)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.history, b.history)
    np.testing.assert_array_equal(a.loss_history, b.loss_history)
    assert a.history.shape == (a.n_iter + 1, 2) and a.loss_history.shape == (a.n_iter + 1,)


@pytest.mark.parametrize("model", ["linear", "logistic", "linear-diverges"])
def test_model_descent_is_exact_however_rarely_the_host_looks(model, rng):
    X = rng.normal(size=(200, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3
    fits = []
    for be in ("numpy", _LooksEvery7()):
        if model == "logistic":
            m = xpmath.LogisticRegression(solver="gd", lr=0.5, max_iter=300, backend=be).fit(X, (y > 0).astype(int))
        else:
            m = xpmath.LinearRegression(solver="gd", lr=2.5 if model == "linear-diverges" else 0.1,
                                        max_iter=400, backend=be)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", xpmath.DivergenceWarning)
                m.fit(X, y)
        fits.append(m)
    a, b = fits
    assert (a.n_iter_, a.converged_, a.diverged_) == (b.n_iter_, b.converged_, b.diverged_)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    np.testing.assert_array_equal(a.loss_history_, b.loss_history_)


def _step_inputs(rng, kind, n=30, d=4, k=3):
    X = rng.normal(size=(n, d))
    if kind == "linear":
        y, w, b = rng.normal(size=(n, 2)), rng.normal(size=(d, 2)), rng.normal(size=2)
    elif kind == "logistic":
        y, w, b = (rng.random(n) > 0.5).astype(float), rng.normal(size=d), np.array(0.3)
    else:
        y = np.eye(k)[rng.integers(0, k, size=n)]
        w, b = rng.normal(size=(d, k)), rng.normal(size=k)
    return X, y, w, b


@pytest.mark.parametrize("kind", ["linear", "logistic", "softmax"])
def test_weighted_gd_step_is_the_step_of_repeated_rows(backend, rng, kind):
    """Integer sample weights give the step of the data with rows repeated, on every backend (the
    primitives' contract for backends that implement them)."""
    from xpmath import _fitting
    from xpmath._dispatch import select

    be = select(backend, "test")
    X, y, w, b = _step_inputs(rng, kind)
    s = rng.integers(0, 4, size=X.shape[0]).astype(float)
    s[0] = 1.0
    Xr, yr = np.repeat(X, s.astype(int), axis=0), np.repeat(y, s.astype(int), axis=0)
    gx = xpmath._dispatch.impl(be, "gd_xp")()
    weighted = _fitting._op(be, f"{kind}_gd_step", sample_weight=be.asarray(s))
    plain = _fitting._op(be, f"{kind}_gd_step")
    w, b = gx.asarray(w), gx.asarray(b)  # the fit's state lives in gd_xp (a device's own arrays)
    for fi in (True, False):
        got = _fitting._gathered(be, gx, *weighted(be.asarray(X), be.asarray(y), w, b, 0.7, fi))
        want = _fitting._gathered(be, gx, *plain(be.asarray(Xr), be.asarray(yr), w, b, 0.7, fi))
        for g, e in zip(got, want):
            if e is None:
                assert g is None
            else:
                np.testing.assert_allclose(h(g), h(e), rtol=1e-12, atol=1e-14)


def test_softmax_step_gradient_is_the_loss_derivative(rng):
    from xpmath._reference.models import softmax_gd_step

    X, Y, W, b = _step_inputs(rng, "softmax")
    s = rng.uniform(0.2, 2.0, size=X.shape[0])
    loss, gw, gb = softmax_gd_step(np, X, Y, W, b, 0.5, True, s)
    eps = 1e-6
    for i, j in [(0, 0), (2, 1), (3, 2)]:
        Wp, Wm = W.copy(), W.copy()
        Wp[i, j] += eps
        Wm[i, j] -= eps
        num = (softmax_gd_step(np, X, Y, Wp, b, 0.5, True, s)[0] - softmax_gd_step(np, X, Y, Wm, b, 0.5, True, s)[0])
        assert num / (2 * eps) == pytest.approx(gw[i, j], rel=1e-6)
    bp = b.copy()
    bp[1] += eps
    assert (softmax_gd_step(np, X, Y, W, bp, 0.5, True, s)[0] - loss) / eps == pytest.approx(gb[1], rel=1e-4)
    # two classes: the softmax loss of scores (0, t) is the logistic loss of t
    from xpmath._reference.models import logistic_gd_step

    t_w = rng.normal(size=X.shape[1])
    y01 = Y[:, 0]
    two = softmax_gd_step(np, X, np.stack([1 - y01, y01], axis=1), np.stack([0 * t_w, t_w], axis=1), np.zeros(2), 0.0,
                          True, s)[0]
    assert two == pytest.approx(logistic_gd_step(np, X, y01, t_w, 0.0, 0.0, True, s)[0], rel=1e-12)


@pytest.mark.parametrize("centre", [True, False])
def test_weighted_centred_gram_is_the_gram_of_repeated_rows(backend, rng, centre):
    from xpmath import _fitting
    from xpmath._dispatch import select

    be = select(backend, "test")
    X, y = rng.normal(size=(25, 3)) + 5.0, rng.normal(size=(25, 2))
    s = rng.integers(0, 4, size=25)
    s[0] = 2
    gx = xpmath._dispatch.impl(be, "gd_xp")()
    got = _fitting._gathered(be, gx, *_fitting._op(be, "centred_gram", sample_weight=be.asarray(s.astype(float)))(
        be.asarray(X), be.asarray(y), centre))
    want = _fitting._gathered(be, gx, *_fitting._op(be, "centred_gram")(
        be.asarray(np.repeat(X, s, axis=0)), be.asarray(np.repeat(y, s, axis=0)), centre))
    for g, e in zip(got, want):
        np.testing.assert_allclose(h(g), h(e), rtol=1e-11, atol=1e-11)
