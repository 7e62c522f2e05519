"""LogisticRegression against scikit-learn's, on every backend and on other libraries' arrays.

scikit-learn is the oracle: the same data, the same parameters, its fitted ``coef_`` and
``intercept_`` (to rtol 1e-4 in float64, relative to the largest coefficient), ``n_iter_``,
warnings and errors. Both sides run converged fits (a tight ``tol``) where the comparison is of the
optimum; the default settings where it is of the iterations themselves (SciPy's L-BFGS-B drives the
numpy backend, so its ``n_iter_`` is scikit-learn's to the iteration).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import xpmath
from xpmath.optimize import _lbfgs, _linesearch
from xpmath.optimize._passes import LinearLoss

sk_lm = pytest.importorskip("sklearn.linear_model")
from sklearn.datasets import load_breast_cancer, make_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

h = xpmath.to_numpy
RAW, LABELS = load_breast_cancer(return_X_y=True)
STD = StandardScaler().fit_transform(RAW)
MULTI, MLABELS = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=4, random_state=0)
WEIGHTS = np.random.default_rng(0).uniform(0.2, 3.0, size=569)


def _close(ours, ref, rtol=1e-4):
    """Coefficients equal to ``rtol`` relative to the largest of them (tiny entries are compared at that scale)."""
    ref = np.asarray(ref)
    np.testing.assert_allclose(h(ours), ref, rtol=rtol, atol=rtol * max(np.abs(ref).max(), 1e-3))


def _quiet(fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        return fit()


#: name -> (X, y, fit parameters, estimator parameters)
PROBLEMS = {
    "binary": (STD, LABELS, {}, {}),
    "binary-raw": (RAW, LABELS, {}, {}),
    "binary-weighted": (STD, LABELS, {"sample_weight": WEIGHTS}, {"class_weight": "balanced"}),
    "binary-no-intercept": (STD, LABELS, {}, {"fit_intercept": False, "C": 0.3}),
    "multinomial": (MULTI, MLABELS, {}, {}),
    "multinomial-weighted": (MULTI, MLABELS, {"sample_weight": WEIGHTS[:300]}, {"class_weight": {0: 2.0, 3: 0.5}}),
    "multinomial-no-intercept": (MULTI, MLABELS, {}, {"fit_intercept": False}),
    "multinomial-unpenalised": (MULTI, MLABELS, {}, {"C": np.inf}),
}


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky", "newton-cg"])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_optimum_is_sklearns(backend, problem, solver):
    X, y, fit, params = PROBLEMS[problem]
    if solver == "lbfgs" and problem == "binary-raw":
        pytest.skip("L-BFGS on the raw features stops on its loss test far from the optimum (see the next test)")
    kw = dict(params, solver=solver, tol=1e-10, max_iter=2000)
    ref = _quiet(lambda: sk_lm.LogisticRegression(**kw).fit(X, y, **fit))
    m = _quiet(lambda: xpmath.LogisticRegression(backend=backend, **kw).fit(X, y, **fit))
    assert m.coef_.shape == ref.coef_.shape and m.intercept_.shape == ref.intercept_.shape
    assert h(m.coef_).dtype == np.float64 and m.n_iter_.dtype == np.int32 and m.n_iter_.shape == (1,)
    _close(m.coef_, ref.coef_)
    _close(m.intercept_, ref.intercept_ if params.get("fit_intercept", True) else np.zeros_like(ref.intercept_))
    np.testing.assert_array_equal(h(m.predict(X)), ref.predict(X))
    np.testing.assert_allclose(h(m.predict_proba(X)), ref.predict_proba(X), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("problem", ["binary", "binary-raw", "binary-weighted", "multinomial", "multinomial-weighted"])
def test_default_fit_takes_sklearns_iterations(backend, problem):
    """With scikit-learn's defaults (100 iterations, tol=1e-4) the fits follow the same iterates: SciPy's
    L-BFGS-B on numpy, xpmath's L-BFGS with the same line search and rules elsewhere. On the raw
    features neither converges (both warn); there the numpy backend still takes scikit-learn's path."""
    X, y, fit, params = PROBLEMS[problem]
    ref = _quiet(lambda: sk_lm.LogisticRegression(**params).fit(X, y, **fit))
    if problem == "binary-raw":
        with pytest.warns(SklearnConvergenceWarning, match="lbfgs failed to converge after 100 iteration"):
            m = xpmath.LogisticRegression(backend=backend, **params).fit(X, y, **fit)
        # the fits follow each other to rounding, which this ill-conditioned problem amplifies over
        # 100 unconverged iterations: only the iterations and the warning are the same
        assert m.n_iter_[0] == ref.n_iter_[0] == 100
        return
    m = xpmath.LogisticRegression(backend=backend, **params).fit(X, y, **fit)
    np.testing.assert_array_equal(m.n_iter_, ref.n_iter_)
    _close(m.coef_, ref.coef_, rtol=1e-6)
    _close(m.intercept_, ref.intercept_, rtol=1e-6)


def test_lbfgs_on_raw_features_reaches_the_optimum_loss(backend):
    """Unscaled features (breast cancer's span 1e-3 to 1e3): L-BFGS ends by its relative-reduction
    test a few 1e-4 from the optimum, as scikit-learn's own L-BFGS does; its loss is the optimum's."""
    opt = sk_lm.LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=100).fit(RAW, LABELS)
    m = _quiet(lambda: xpmath.LogisticRegression(tol=1e-10, max_iter=10000, backend=backend).fit(RAW, LABELS))
    _close(m.coef_, opt.coef_, rtol=3e-3)
    be = xpmath._registry.get("numpy")

    def loss(coef, b):
        obj = LinearLoss(be, "logistic", RAW, LABELS.astype(float), 1.0, True)
        return float(obj.loss(np.concatenate([coef[0], b])))

    assert loss(h(m.coef_), h(m.intercept_)) == pytest.approx(loss(opt.coef_, opt.intercept_), rel=1e-7)


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky", "newton-cg"])
def test_sample_and_class_weights(backend, solver):
    """Integer sample weights are repeated rows; class weights multiply the sample weights."""
    X, y = MULTI[:120], MLABELS[:120]
    w = np.random.default_rng(1).integers(0, 4, size=120)
    w[:4] = 1
    kw = {"solver": solver, "tol": 1e-10, "max_iter": 500, "backend": backend}
    weighted = xpmath.LogisticRegression(**kw).fit(X, y, sample_weight=w)
    repeated = xpmath.LogisticRegression(**kw).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    _close(weighted.coef_, h(repeated.coef_), rtol=1e-6)
    per_class = np.array([1.0, 3.0, 0.5, 2.0])
    a = xpmath.LogisticRegression(class_weight=dict(enumerate(per_class)), **kw).fit(X, y)
    b = xpmath.LogisticRegression(**kw).fit(X, y, sample_weight=per_class[y])
    _close(a.coef_, h(b.coef_), rtol=1e-8)


def test_multinomial_is_symmetric(backend):
    """scikit-learn's parametrisation: the classes' intercepts sum to zero; unpenalised, so do the coefficients."""
    for C in (1.0, np.inf):
        for solver in ("lbfgs", "newton-cholesky"):
            m = _quiet(lambda: xpmath.LogisticRegression(C=C, solver=solver, max_iter=500, backend=backend)
                       .fit(MULTI, MLABELS))
            assert abs(h(m.intercept_).sum()) < 1e-8
            if C == np.inf:
                np.testing.assert_allclose(h(m.coef_).sum(axis=0), 0.0, atol=1e-7)


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky", "newton-cg"])
def test_warm_start(backend, solver):
    """A warm start begins at the last fit: converged there, it stops at once; its shape is checked."""
    kw = {"solver": solver, "warm_start": True, "backend": backend}
    m = xpmath.LogisticRegression(**kw).fit(STD, LABELS)
    m.fit(STD, LABELS)
    ref = sk_lm.LogisticRegression(solver=solver, warm_start=True).fit(STD, LABELS)
    ref.fit(STD, LABELS)
    np.testing.assert_array_equal(m.n_iter_, ref.n_iter_)
    _close(m.coef_, ref.coef_, rtol=1e-6)
    with pytest.raises(ValueError, match="Initialization coef is of shape"):
        m.fit(MULTI[:, :3], MLABELS)


def test_max_iter_warns_as_sklearn(backend):
    for solver, match in (("lbfgs", "lbfgs failed to converge"), ("newton-cholesky", "Newton solver did not converge"),
                          ("newton-cg", "newton-cg failed to converge")):
        with pytest.warns(SklearnConvergenceWarning, match=match):
            m = xpmath.LogisticRegression(solver=solver, max_iter=2, backend=backend).fit(RAW, LABELS)
        assert m.n_iter_[0] == 2
        assert issubclass(xpmath.ConvergenceWarning, SklearnConvergenceWarning)
    with pytest.warns(SklearnConvergenceWarning):
        m = xpmath.LogisticRegression(solver="newton-cholesky", max_iter=0, backend=backend).fit(STD, LABELS)
    assert m.n_iter_[0] == 0 and not h(m.coef_).any()
    # L-BFGS-B (so scikit-learn's fit) takes its first step even with max_iter=0, and counts none
    with pytest.warns(SklearnConvergenceWarning):
        m = xpmath.LogisticRegression(max_iter=0, backend=backend).fit(STD, LABELS)
    ref = _quiet(lambda: sk_lm.LogisticRegression(max_iter=0).fit(STD, LABELS))
    assert m.n_iter_[0] == ref.n_iter_[0] == 0
    _close(m.coef_, ref.coef_, rtol=1e-8)


def test_newton_falls_back_to_lbfgs_as_sklearn(backend):
    """A rank-deficient Hessian (more features than samples, almost no penalty): Newton-Cholesky warns
    and continues by L-BFGS, in as many iterations as L-BFGS alone (scikit-learn's own test)."""
    X, y = make_classification(n_samples=10, n_features=20, random_state=42)
    lb = xpmath.LogisticRegression(C=1e30, backend=backend).fit(X, y)
    with pytest.warns(SklearnConvergenceWarning, match="singular or very ill-conditioned Hessian"):
        nc = xpmath.LogisticRegression(solver="newton-cholesky", C=1e30, backend=backend).fit(X, y)
    assert nc.n_iter_[0] == lb.n_iter_[0] >= 1
    _close(nc.coef_, h(lb.coef_), rtol=1e-8)


def test_float32(backend):
    X = STD.astype(np.float32)
    ref = sk_lm.LogisticRegression().fit(X, LABELS)
    m = xpmath.LogisticRegression(backend=backend).fit(X, LABELS)
    assert h(m.coef_).dtype == np.float32 and h(m.intercept_).dtype == np.float32
    _close(m.coef_, ref.coef_, rtol=1e-3)


def test_gd_keeps_its_teaching_attributes(backend):
    m = xpmath.LogisticRegression(solver="gd", lr=0.5, max_iter=50, tol=0.0, backend=backend).fit(STD, LABELS)
    assert m.n_iter_[0] == 50 and h(m.loss_history_).shape == (51,) and not m.converged_
    assert (np.diff(h(m.loss_history_)) <= 1e-12).all()
    lb = xpmath.LogisticRegression(backend=backend).fit(STD, LABELS)
    assert not hasattr(lb, "loss_history_")


# ---------------------------------------------------------------- parameters, as scikit-learn checks them

def test_signature_is_sklearns():
    import inspect

    ours = inspect.signature(xpmath.LogisticRegression).parameters
    theirs = inspect.signature(sk_lm.LogisticRegression).parameters
    assert list(ours)[: len(theirs)] == list(theirs)
    assert all(ours[k].default == theirs[k].default and ours[k].kind == theirs[k].kind for k in theirs)
    assert [(k, ours[k].kind) for k in list(ours)[len(theirs):]] == [
        ("lr", inspect.Parameter.KEYWORD_ONLY), ("backend", inspect.Parameter.KEYWORD_ONLY)]


@pytest.mark.parametrize(("params", "match"), [
    ({"C": -1}, r"The 'C' parameter of LogisticRegression must be a float in the range \(0.0, inf\]. Got -1"),
    ({"tol": -1.0}, r"'tol' parameter"),
    ({"max_iter": 1.5}, r"'max_iter' parameter .* must be an int in the range \[0, inf\)"),
    ({"solver": "foo"}, r"'solver' parameter"),
    ({"penalty": "x"}, r"'penalty' parameter"),
    ({"l1_ratio": 2}, r"'l1_ratio' parameter"),
    ({"class_weight": "x"}, r"'class_weight' parameter"),
    ({"dual": "x"}, r"'dual' parameter"),
    ({"intercept_scaling": 0}, r"'intercept_scaling' parameter"),
    ({"solver": "saga"}, r"solver='saga' is scikit-learn's and not offered by xpmath"),
    ({"solver": "liblinear"}, r"not offered by xpmath"),
    ({"l1_ratio": 1.0}, r"Solver lbfgs supports only 'l2' or None penalties, got l1 penalty"),
    ({"l1_ratio": 0.5, "solver": "newton-cholesky"}, r"supports only 'l2' or None penalties, got elasticnet"),
    ({"dual": True}, r"Solver lbfgs supports only dual=False, got dual=True"),
    ({"solver": "gd", "lr": 0.0}, r"lr"),
])
def test_parameter_errors_are_sklearns(params, match):
    sk_params = {k: v for k, v in params.items() if k != "lr"}
    ours_only = params.get("solver") in ("saga", "liblinear") or "lr" in params
    if not ours_only:  # scikit-learn raises its ValueError with the same words
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(ValueError, match=match):
                sk_lm.LogisticRegression(**sk_params).fit(STD, LABELS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        with pytest.raises(xpmath.DomainError, match=match) as info:
            xpmath.LogisticRegression(**params).fit(STD, LABELS)
    assert isinstance(info.value, ValueError)


def test_deprecations_warn_as_sklearns():
    for params in ({"penalty": "l2"}, {"n_jobs": 1}, {"l1_ratio": None}):
        with pytest.warns(FutureWarning) as ours:
            xpmath.LogisticRegression(**params).fit(STD, LABELS)
        with pytest.warns(FutureWarning) as theirs:
            sk_lm.LogisticRegression(**params).fit(STD, LABELS)
        assert [str(w.message) for w in ours if w.category is FutureWarning] == \
            [str(w.message) for w in theirs if w.category is FutureWarning]
    with pytest.warns(FutureWarning), pytest.warns(UserWarning, match="Setting penalty=None will ignore the C"):
        m = xpmath.LogisticRegression(penalty=None, C=0.01).fit(MULTI, MLABELS)
    with pytest.warns(FutureWarning):
        ref = sk_lm.LogisticRegression(penalty=None, C=0.01, max_iter=1000).fit(MULTI, MLABELS)
    _close(m.coef_, ref.coef_, rtol=1e-3)


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky", "newton-cg", "gd"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_x_is_an_error(backend, solver, bad):
    """NaN or infinity anywhere in X: NonFiniteError naming X, with no warning on the way (on numba the
    first pass over X stands for the check where its fused kernel runs)."""
    X = MULTI.copy()
    X[151, 3] = bad
    for y in (MLABELS % 2, MLABELS):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(xpmath.NonFiniteError, match="X"):
                xpmath.LogisticRegression(solver=solver, backend=backend).fit(X, y)


def test_one_class_is_sklearns_error():
    with pytest.raises(xpmath.DomainError, match="needs samples of at least 2 classes"):
        xpmath.LogisticRegression().fit(STD, np.zeros(569))


# ---------------------------------------------------------------- other libraries' arrays, on their device

@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky", "newton-cg"])
@pytest.mark.parametrize("problem", ["binary-weighted", "multinomial", "multinomial-unpenalised"])
def test_foreign_arrays_fit_where_they_live(lib, problem, solver):
    X, y, fit, params = PROBLEMS[problem]
    kw = dict(params, solver=solver, tol=1e-10, max_iter=2000)
    ref = _quiet(lambda: sk_lm.LogisticRegression(**kw).fit(X, y, **fit))
    on = {k: lib.make(v) for k, v in fit.items()}
    with lib.no_host_copy():
        m = _quiet(lambda: xpmath.LogisticRegression(**kw).fit(lib.make(X), lib.make(y), **on))
        proba = m.predict_proba(lib.make(X))
    assert isinstance(m.coef_, lib.types) and isinstance(proba, lib.types)
    assert lib.device_of(m.coef_) == lib.device
    _close(_host(m.coef_), ref.coef_)
    _close(_host(m.intercept_), ref.intercept_)


def _host(a):
    import array_api_compat

    xp = array_api_compat.array_namespace(a)
    if "strict" in xp.__name__:
        import array_api_strict

        a = array_api_strict.asarray(a, device=array_api_strict.Device("CPU_DEVICE"), copy=True)
    return np.asarray(a)


@pytest.fixture(params=["strict", "jax", "torch"])
def lib(request):
    from test_foreign_arrays import Lib

    return Lib(request.param)


# ---------------------------------------------------------------- the solvers themselves

def test_xp_lbfgs_follows_scipys_iterates():
    """On the same objective from the same start, xpmath's L-BFGS and SciPy's L-BFGS-B agree to rounding:
    the same approximation, line search and stopping rules."""
    be = xpmath._registry.get("numpy")
    for X, y, kind in ((STD, LABELS * 1.0, "logistic"), (MULTI, np.eye(4)[MLABELS], "softmax")):
        obj = LinearLoss(be, kind, X, y, 1.0, True)
        a = _lbfgs.lbfgs_scipy(obj.loss_grad, obj.zeros(), max_iter=500, gtol=1e-8)
        b = _lbfgs.lbfgs(obj.loss_grad, obj.zeros(), xp=np, read=obj.read, max_iter=500, gtol=1e-8)
        assert (a.n_iter, a.status) == (b.n_iter, b.status) and a.message == b.message
        np.testing.assert_allclose(b.x, a.x, rtol=1e-9, atol=1e-12)


def test_line_search_meets_the_strong_wolfe_conditions():
    """Moré-Thuente on 1-D functions of known shape: the step it returns satisfies both conditions."""
    cases = [(lambda a: (a - 3.0) ** 2, lambda a: 2 * (a - 3.0), 1.0),
             (lambda a: -a / (a * a + 2), lambda a: (a * a - 2) / (a * a + 2) ** 2, 0.1),
             (lambda a: (a - 2) ** 4 + 0.1 * a * a, lambda a: 4 * (a - 2) ** 3 + 0.2 * a, 0.01)]
    for f, df, start in cases:
        s = _linesearch.more_thuente(lambda a: (f(a), df(a), a), f(0.0), df(0.0), start)
        assert s.alpha is not None and s.alpha > 0
        assert f(s.alpha) <= f(0.0) + 1e-3 * s.alpha * df(0.0)
        assert abs(df(s.alpha)) <= 0.9 * abs(df(0.0))
