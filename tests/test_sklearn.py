"""The models as scikit-learn estimators (API.md §8): scikit-learn's own estimator checks, its
meta-estimators, sample and class weights, and the models without scikit-learn installed."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import xpmath
from xpmath.models import PCA, LinearRegression, LogisticRegression

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.exceptions import NotFittedError as SklearnNotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils import get_tags  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

from sklearn import linear_model as sk_lm  # noqa: E402


def h(x):
    return xpmath.to_numpy(x)


# ---------------------------------------------------------------- scikit-learn's estimator checks

# scikit-learn's own estimator checks run in tests/peer/test_sklearn_checks.py, on every CPU backend.


# ---------------------------------------------------------------- scikit-learn's meta-estimators

def _blobs(rng, n=150, k=3, d=4, spread=1.0):
    centres = rng.normal(scale=4.0, size=(k, d))
    lab = rng.integers(0, k, size=n)
    return centres[lab] + spread * rng.normal(size=(n, d)), lab


def test_pipeline_grid_search_cross_val(rng):
    X, lab = _blobs(rng)
    y = np.array(["ant", "bee", "cat"])[lab]
    pipe = Pipeline([("scale", StandardScaler()), ("pca", PCA()), ("clf", LogisticRegression(max_iter=300))])
    grid = GridSearchCV(pipe, {"pca__n_components": [1, 3], "clf__C": [1.0, np.inf]}, cv=3).fit(X, y)
    assert grid.best_params_["pca__n_components"] in (1, 3)
    assert grid.best_score_ > 0.9
    assert set(grid.predict(X)) <= {"ant", "bee", "cat"}
    assert grid.best_estimator_.named_steps["pca"].components_.shape[1] == 4
    scores = cross_val_score(LogisticRegression(max_iter=300), X, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.9
    r2 = cross_val_score(LinearRegression(), X, X @ [1.0, 2.0, 0.0, -1.0] + 3, cv=3)
    np.testing.assert_allclose(r2, 1.0)
    assert is_regressor(LinearRegression()) and not is_classifier(LinearRegression())
    assert is_classifier(LogisticRegression()) and not is_regressor(LogisticRegression())
    assert is_classifier(grid) and get_tags(PCA()).transformer_tags is not None


def test_params_clone_repr_pickle(rng):
    m = LinearRegression(solver="gd", alpha=2.0)
    assert m.get_params() == {"alpha": 2.0, "backend": None, "copy_X": True, "fit_intercept": True, "lr": 0.01,
                              "max_iter": 1000, "n_jobs": None, "positive": False, "solver": "gd", "tol": 1e-6}
    assert m.set_params(alpha=3.0) is m and repr(m) == "LinearRegression(alpha=3.0, solver='gd')"
    with pytest.raises(ValueError, match="Invalid parameter"):
        m.set_params(nope=1)
    c = clone(LogisticRegression(class_weight={0: 2.0}, backend="numpy"))
    assert c.get_params()["class_weight"] == {0: 2.0} and c.backend == "numpy"
    X, lab = _blobs(rng, k=2)
    fitted = LogisticRegression().fit(X, lab)
    back = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(back.predict_proba(X), fitted.predict_proba(X))
    assert get_tags(LinearRegression()).target_tags.multi_output
    assert get_tags(PCA()).transformer_tags.preserves_dtype == ["float64", "float32"]


def test_not_fitted_error_is_sklearns_and_xpmaths():
    assert issubclass(xpmath.NotFittedError, SklearnNotFittedError)
    assert issubclass(xpmath.NotFittedError, xpmath.XPMathError)
    for est, call in ((LinearRegression(), "predict"), (LogisticRegression(), "predict_proba"), (PCA(), "transform")):
        with pytest.raises(SklearnNotFittedError, match="not fitted") as info:
            getattr(est, call)(np.ones((2, 2)))
        assert isinstance(info.value, xpmath.XPMathError) and isinstance(info.value, AttributeError)
        with pytest.raises(SklearnNotFittedError):
            check_is_fitted(est)
    with pytest.raises(xpmath.NotFittedError):
        PCA().inverse_transform(np.ones((2, 2)))


def test_input_errors_are_sklearns_messages_and_xpmath_classes():
    m = LinearRegression().fit(np.ones((4, 2)) + np.eye(4, 2), np.arange(4.0))
    with pytest.raises(xpmath.ShapeError, match="X has 3 features, but LinearRegression is expecting 2"):
        m.predict(np.ones((2, 3)))
    with pytest.raises(xpmath.NonFiniteError, match="Input X contains NaN"):
        LinearRegression().fit([[1.0], [np.nan]], [1.0, 2.0])
    with pytest.raises(xpmath.EmptyInputError, match="0 sample"):
        PCA().fit(np.ones((0, 3)))
    with pytest.raises(xpmath.ShapeError, match="inconsistent numbers of samples"):
        LogisticRegression().fit(np.ones((3, 2)), [0, 1])
    with pytest.raises(xpmath.DomainError, match="Unknown label type"):
        LogisticRegression().fit(np.ones((3, 2)), [0.5, 1.5, 2.5])
    with pytest.raises(xpmath.DomainError, match="requires y to be passed"):
        LinearRegression().fit(np.ones((3, 2)), None)
    with pytest.raises(xpmath.DomainError, match="at least one non-zero"):
        LinearRegression().fit(np.eye(3), np.ones(3), sample_weight=np.zeros(3))
    with pytest.raises(xpmath.DomainError, match="Negative values"):
        LinearRegression().fit(np.eye(3), np.ones(3), sample_weight=[1.0, -1.0, 1.0])
    with pytest.raises(xpmath.ShapeError, match="sample_weight.shape"):
        LinearRegression().fit(np.eye(3), np.ones(3), sample_weight=np.ones(4))


# ---------------------------------------------------------------- multinomial, labels, weights

def test_three_string_classes_agree_with_sklearn(rng):
    X, lab = _blobs(rng, n=300, spread=1.5)
    y = np.array(["setosa", "versicolor", "virginica"])[lab]
    m = LogisticRegression(C=1e6, max_iter=5000).fit(X, y)
    ref = sk_lm.LogisticRegression(C=1e6, max_iter=5000).fit(X, y)
    assert m.classes_.tolist() == ["setosa", "versicolor", "virginica"]
    assert m.coef_.shape == (3, 4) and m.intercept_.shape == (3,)
    assert m.n_iter_.shape == (1,) and m.n_iter_[0] >= 1
    g = LogisticRegression(solver="gd", lr=0.1, max_iter=2000, C=1e6).fit(X, y)
    assert g.loss_history_.shape == (g.n_iter_[0] + 1,)
    assert (g.predict(X) == ref.predict(X)).mean() >= 0.98
    pred = m.predict(X)
    assert isinstance(pred, np.ndarray) and pred.dtype.kind == "U"
    assert (pred == ref.predict(X)).mean() >= 0.98
    proba = m.predict_proba(X)
    assert proba.shape == (300, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(m.predict_log_proba(X)), proba, rtol=1e-10)
    d = m.decision_function(X)
    assert d.shape == (300, 3)
    np.testing.assert_array_equal(m.classes_[d.argmax(axis=1)], pred)
    assert m.score(X, y) == pytest.approx(ref.score(X, y), abs=0.02)
    # binary: a 1-D decision function whose sign picks classes_[1]
    two = LogisticRegression().fit(X[lab < 2], y[lab < 2])
    d2 = two.decision_function(X[lab < 2])
    assert d2.shape == ((lab < 2).sum(),) and two.coef_.shape == (1, 4)
    np.testing.assert_array_equal(two.predict(X[lab < 2]), two.classes_[(d2 > 0).astype(int)])


def _repeated(rng, X, y):
    w = rng.integers(0, 4, size=X.shape[0])
    w[:2] = (1, 2)  # at least one non-zero weight
    return w, np.repeat(X, w, axis=0), np.repeat(y, w, axis=0)


_WEIGHTED = {
    "normal": lambda: LinearRegression(),
    "ridge-no-intercept": lambda: LinearRegression(alpha=2.0, fit_intercept=False),
    "gd": lambda: LinearRegression(solver="gd", lr=0.005, max_iter=200),
    "logistic": lambda: LogisticRegression(max_iter=200),
    "logistic-newton": lambda: LogisticRegression(solver="newton-cholesky", max_iter=200),
    "logistic-gd": lambda: LogisticRegression(solver="gd", max_iter=200),
}


@pytest.mark.parametrize("make", _WEIGHTED.values(), ids=_WEIGHTED.keys())
@pytest.mark.parametrize("k", [2, 3])
def test_integer_sample_weights_are_repeated_rows(rng, make, k):
    X, lab = _blobs(rng, n=60, k=k)
    est = make()
    y = lab if isinstance(est, LogisticRegression) else (X @ rng.normal(size=(4, k - 1)) + lab[:, None]).squeeze()
    w, Xr, yr = _repeated(rng, X, y)
    weighted = clone(est).fit(X, y, sample_weight=w)
    repeated = clone(est).fit(Xr, yr)
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-9, atol=1e-10)
    assert weighted.score(X, y, sample_weight=w) == pytest.approx(repeated.score(Xr, yr), rel=1e-9)
    if hasattr(est, "n_iter_"):
        assert weighted.n_iter_ == repeated.n_iter_


def test_weighted_fits_match_sklearn(rng):
    X = rng.normal(size=(80, 4))
    t = X @ [1.0, -2.0, 0.5, 0.0]
    y, lab = t + rng.normal(size=80), (t + 0.5 * rng.normal(size=80) > 0).astype(int)
    w = rng.uniform(0.1, 3.0, size=80)
    ref = sk_lm.Ridge(alpha=1.5).fit(X, y, sample_weight=w)
    m = LinearRegression(alpha=1.5).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(m.coef_, ref.coef_, rtol=1e-9)
    assert m.intercept_ == pytest.approx(ref.intercept_, rel=1e-9)
    assert m.score(X, y, sample_weight=w) == pytest.approx(ref.score(X, y, sample_weight=w), rel=1e-12)
    clf = LogisticRegression(solver="gd", lr=0.5, max_iter=3000, tol=1e-9, C=0.5).fit(X, lab, sample_weight=w)
    ref = sk_lm.LogisticRegression(C=0.5, tol=1e-10, max_iter=1000).fit(X, lab, sample_weight=w)
    assert clf.converged_
    np.testing.assert_allclose(clf.coef_, ref.coef_, rtol=1e-4, atol=1e-5)
    clf = LogisticRegression(C=0.5).fit(X, lab, sample_weight=w)
    ref = sk_lm.LogisticRegression(C=0.5).fit(X, lab, sample_weight=w)
    np.testing.assert_allclose(clf.coef_, ref.coef_, rtol=1e-10)
    np.testing.assert_array_equal(clf.n_iter_, ref.n_iter_)
    assert clf.score(X, lab, sample_weight=w) == pytest.approx(ref.score(X, lab, sample_weight=w))


@pytest.mark.parametrize("class_weight", ["balanced", {0: 3.0, 2: 0.5}])
def test_class_weight_is_sklearns(rng, class_weight):
    from sklearn.utils.class_weight import compute_class_weight

    X, lab = _blobs(rng, n=90, k=3)
    keep = (lab != 1) | (np.arange(90) % 3 == 0)  # unbalanced classes
    X, lab = X[keep], lab[keep]
    w = rng.uniform(0.5, 2.0, size=lab.shape[0])
    per_class = compute_class_weight(class_weight, classes=np.arange(3), y=lab, sample_weight=w)
    a = LogisticRegression(max_iter=200, class_weight=class_weight).fit(X, lab, sample_weight=w)
    b = LogisticRegression(max_iter=200).fit(X, lab, sample_weight=w * per_class[lab])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-12)
    with pytest.raises(ValueError, match="not in class_weight"):
        LogisticRegression(class_weight={7: 1.0}).fit(X, lab)
    with pytest.raises(ValueError, match="class_weight"):
        LogisticRegression(class_weight="equal").fit(X, lab)


# ---------------------------------------------------------------- every backend agrees with NumPy

_SHORT = {  # a few descent steps: on Dask each step is a round trip to the scheduler
    "normal": (lambda b: LinearRegression(alpha=0.5, backend=b), "y"),
    "normal-2d": (lambda b: LinearRegression(backend=b), "Y"),
    "gd": (lambda b: LinearRegression(solver="gd", lr=0.005, max_iter=12, backend=b), "y"),
    "gd-2d": (lambda b: LinearRegression(solver="gd", lr=0.005, max_iter=12, backend=b), "Y"),
    "binary": (lambda b: LogisticRegression(backend=b), "two"),
    "softmax": (lambda b: LogisticRegression(class_weight="balanced", backend=b), "three"),
    "binary-newton": (lambda b: LogisticRegression(solver="newton-cholesky", backend=b), "two"),
    "binary-gd": (lambda b: LogisticRegression(solver="gd", max_iter=12, backend=b), "two"),
    "softmax-gd": (lambda b: LogisticRegression(solver="gd", max_iter=12, C=np.inf, backend=b), "three"),
    "pca": (lambda b: PCA(0.8, backend=b), None),
}


@pytest.mark.parametrize(("case", "weighted"), [(c, w) for c in _SHORT for w in (False, True) if c != "pca" or not w])
def test_backends_agree_with_numpy(backend, rng, case, weighted):
    make, kind = _SHORT[case]
    X, lab = _blobs(rng, n=50, k=3)
    targets = {"y": X @ [1.0, 2.0, -1.0, 0.5] + lab, "Y": np.stack([X[:, 0] + lab, X[:, 1] - lab], axis=1),
               "two": np.array(["no", "yes"])[lab % 2], "three": lab, None: None}
    fit = {"sample_weight": rng.uniform(0.0, 2.0, size=50)} if weighted else {}
    ref = make("numpy").fit(X, targets[kind], **fit)
    got = make(backend).fit(X, targets[kind], **fit)
    for attr, want in vars(ref).items():
        if attr.endswith("_") and not attr.startswith("_"):
            have = getattr(got, attr)
            if isinstance(want, np.ndarray) and want.dtype.kind in "fc":
                assert isinstance(have, np.ndarray), attr
                np.testing.assert_allclose(have, want, rtol=1e-9, atol=1e-12, err_msg=attr)
            elif isinstance(want, (float, np.floating)):  # a kernel's sums round differently from NumPy's
                assert type(have) is type(want), attr
                np.testing.assert_allclose(have, want, rtol=1e-9, atol=1e-12, err_msg=attr)
            else:
                assert np.all(have == want), attr
    methods = ["transform", "inverse_transform"] if kind is None else ["predict", "decision_function", "predict_proba"]
    for name in methods:
        if hasattr(ref, name):
            arg = ref.transform(X) if name == "inverse_transform" else X
            have, want = getattr(got, name)(arg), getattr(ref, name)(arg)
            assert isinstance(have, np.ndarray), name
            if want.dtype.kind in "fc":
                np.testing.assert_allclose(have, want, rtol=1e-9, atol=1e-12, err_msg=name)
            else:
                np.testing.assert_array_equal(have, want, err_msg=name)
    if kind is not None:
        assert got.score(X, targets[kind], **fit) == pytest.approx(ref.score(X, targets[kind], **fit), rel=1e-9)


# ---------------------------------------------------------------- outputs follow the input

def test_outputs_follow_the_input(backend, rng):
    X, lab = _blobs(rng, n=40, k=2)
    y = X @ [1.0, 2.0, 3.0, 4.0]
    for est, target in ((LinearRegression(backend=backend), y),
                        (LinearRegression(solver="gd", max_iter=5, backend=backend), y),
                        (LogisticRegression(backend=backend), lab), (PCA(2, backend=backend), None)):
        est.fit(X, target)
        fitted = [v for k, v in vars(est).items() if k.endswith("_") and hasattr(v, "shape") and v.ndim > 0]
        assert fitted and all(isinstance(v, np.ndarray) for v in fitted), est
        out = est.transform(X) if isinstance(est, PCA) else est.predict(X)
        assert isinstance(out, np.ndarray)
        on_backend = xpmath.asarray(X, backend=backend)
        native = est.transform(on_backend) if isinstance(est, PCA) else est.predict(on_backend)
        assert isinstance(native, xpmath._registry.get(backend).array_type)
        np.testing.assert_allclose(h(native), out, rtol=1e-12)


def test_fit_on_backend_arrays_keeps_them(backend, rng):
    X, _ = _blobs(rng, n=40, k=2)
    be = xpmath._registry.get(backend)
    Xb = xpmath.asarray(X, backend=backend)
    m = LinearRegression(backend=backend).fit(Xb, xpmath.asarray(X @ [1.0, 2.0, 3.0, 4.0] + 1, backend=backend))
    assert isinstance(m.coef_, be.array_type) and m.n_features_in_ == 4
    np.testing.assert_allclose(h(m.coef_), [1.0, 2.0, 3.0, 4.0], rtol=1e-9)
    p = PCA(2, backend=backend).fit(Xb)
    assert isinstance(p.components_, be.array_type) and isinstance(p.transform(Xb), be.array_type)


def test_feature_names_from_data_frames(rng):
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(rng.normal(size=(30, 3)), columns=["a", "b", "c"])
    m = LinearRegression().fit(X, X["a"] * 2 + 1)
    assert m.feature_names_in_.tolist() == ["a", "b", "c"]
    with pytest.warns(UserWarning, match="feature names"):
        m.predict(X.to_numpy())
    assert PCA(2).fit(X).get_feature_names_out().tolist() == ["pca0", "pca1"]


# ---------------------------------------------------------------- without scikit-learn

def test_models_work_without_sklearn():
    code = textwrap.dedent("""
        import pickle, sys
        sys.modules["sklearn"] = None  # the import fails as where scikit-learn is not installed
        import numpy as np
        import xpmath
        from xpmath.models import LinearRegression, LogisticRegression, PCA
        assert not xpmath.models.SKLEARN and "sklearn" not in {m.split(".")[0] for m in sys.modules if sys.modules[m]}
        rng = np.random.default_rng(0)
        X = rng.normal(size=(60, 3))
        y = X @ [1.0, 2.0, 3.0] + 0.5
        m = LinearRegression().fit(X, y, sample_weight=np.arange(60) % 3)
        assert np.allclose(m.coef_, [1, 2, 3]) and abs(m.intercept_ - 0.5) < 1e-9 and m.n_features_in_ == 3
        assert m.score(X, y) == 1.0
        assert repr(LinearRegression(solver="gd", alpha=2.0)) == "LinearRegression(alpha=2.0, solver='gd')"
        assert m.get_params()["solver"] == "lstsq" and m.set_params(solver="gd") is m
        lab = np.array(["a", "b", "c"])[np.argmax(X, axis=1)]
        c = LogisticRegression(max_iter=300, class_weight="balanced").fit(X, lab)
        assert c.coef_.shape == (3, 3) and (c.predict(X) == lab).mean() > 0.9
        c = pickle.loads(pickle.dumps(c))
        assert c.predict_proba(X).shape == (60, 3)
        p = PCA(0.9).fit(X)
        assert p.transform(X).shape == (60, p.n_components_)
        assert p.get_feature_names_out().tolist() == [f"pca{i}" for i in range(p.n_components_)]
        for exc, call in ((xpmath.NotFittedError, lambda: PCA().transform(X)),
                          (xpmath.ShapeError, lambda: m.predict(X[:, :2])),
                          (xpmath.NonFiniteError, lambda: PCA().fit(X * np.nan)),
                          (xpmath.DomainError, lambda: LogisticRegression().fit(X, X[:, 0])),
                          (ValueError, lambda: m.set_params(nope=1))):
            try:
                call()
            except exc as e:
                assert isinstance(e, xpmath.XPMathError), e
            else:
                raise AssertionError(f"no {exc.__name__}")
        assert issubclass(xpmath.NotFittedError, (ValueError, AttributeError))
        print("ok")
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
