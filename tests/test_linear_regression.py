"""LinearRegression against scikit-learn's, fitted on the same data, on every backend (API.md §8):
standardised and unscaled data, with and without intercept and weights, collinear and wide X,
1-D and 2-D y, positive=True; Dask arrays chunked by rows (TSQR) and numba's normal equations."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import xpmath
from xpmath.models._linear import _GRAM_ERROR, nnls

sk_lm = pytest.importorskip("sklearn.linear_model")

RTOL = 1e-4  # the contract's tolerance (float64)


def h(x):
    return x if isinstance(x, (float, int)) else xpmath.to_numpy(x)


def _data(rng, kind, n=120, d=5):
    X = rng.normal(size=(n, d))
    if kind == "unscaled":
        X = X * np.logspace(-2, 3, d) + np.linspace(-50, 400, d)
    elif kind == "collinear":
        X = np.column_stack([X, 2 * X[:, 0], X[:, 1] - X[:, 2]])
    elif kind == "wide":
        X = rng.normal(size=(8, 15))
    return X


def _same(m, ref, rank=True):
    s = np.abs(ref.coef_).max() if np.size(ref.coef_) else 1.0
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=RTOL, atol=RTOL * s)
    np.testing.assert_allclose(h(m.intercept_), ref.intercept_, rtol=RTOL, atol=RTOL * (1 + np.abs(ref.intercept_).max()))
    assert np.shape(h(m.coef_)) == ref.coef_.shape and np.shape(h(m.intercept_)) == np.shape(ref.intercept_)
    if rank:
        assert m.rank_ == ref.rank_
        np.testing.assert_allclose(h(m.singular_), ref.singular_, rtol=RTOL, atol=1e-9 * ref.singular_[0])


@pytest.mark.parametrize("kind", ["standardised", "unscaled", "collinear", "wide"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(backend, rng, kind, fit_intercept, weighted):
    X = _data(rng, kind)
    n = X.shape[0]
    y = X[:, :3] @ [1.5, -2.0, 0.5] + 3.0 + 0.1 * rng.normal(size=n)
    Y = np.column_stack([y, rng.normal(size=n)])
    sw = rng.uniform(0.2, 3.0, size=n) if weighted else None
    for target in (y, Y):
        ref = sk_lm.LinearRegression(fit_intercept=fit_intercept).fit(X, target, sample_weight=sw)
        m = xpmath.LinearRegression(fit_intercept=fit_intercept, backend=backend).fit(X, target, sample_weight=sw)
        _same(m, ref)
        np.testing.assert_allclose(h(m.predict(X)), ref.predict(X), rtol=RTOL, atol=RTOL * np.abs(target).max())
        assert type(m.intercept_) is type(ref.intercept_) and type(m.rank_) is int


@pytest.mark.parametrize("kind", ["standardised", "unscaled"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_positive_matches_sklearn(backend, rng, kind, fit_intercept):
    X = _data(rng, kind)
    y = X[:, :4] @ [1.5, -2.0, 0.5, 1.0] + 3.0 + 0.1 * rng.normal(size=X.shape[0])  # one coefficient held at 0
    Y = np.column_stack([y, -y + X[:, 4]])
    sw = rng.uniform(0.2, 3.0, size=X.shape[0])
    for target in (y, Y):
        ref = sk_lm.LinearRegression(positive=True, fit_intercept=fit_intercept).fit(X, target, sample_weight=sw)
        m = xpmath.LinearRegression(positive=True, fit_intercept=fit_intercept, backend=backend)
        m.fit(X, target, sample_weight=sw)
        _same(m, ref, rank=False)
        assert (h(m.coef_) >= 0).all() and not hasattr(m, "rank_")


def test_ridge_is_sklearns_ridge(backend, rng):
    X = _data(rng, "unscaled")
    y = X @ rng.normal(size=X.shape[1]) + 1.0
    sw = rng.uniform(0.5, 2.0, size=X.shape[0])
    for fi in (True, False):
        ref = sk_lm.Ridge(alpha=2.5, fit_intercept=fi, solver="svd").fit(X, y, sample_weight=sw)
        m = xpmath.LinearRegression(alpha=2.5, fit_intercept=fi, backend=backend).fit(X, y, sample_weight=sw)
        np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=1e-6, atol=1e-9)
        assert float(h(m.intercept_)) == pytest.approx(float(ref.intercept_), rel=1e-6, abs=1e-9)


def test_tol_is_lstsqs_cutoff(backend, rng):
    X = rng.normal(size=(50, 3))
    X = np.column_stack([X, X[:, 0] + 1e-5 * rng.normal(size=50)])  # a singular value near 1e-5 · the largest
    y = rng.normal(size=50)
    for tol in (1e-6, 1e-3, 0.0):
        ref = sk_lm.LinearRegression(tol=tol).fit(X, y)
        m = xpmath.LinearRegression(tol=tol, backend=backend).fit(X, y)
        assert m.rank_ == ref.rank_ == (3 if tol == 1e-3 else 4)
        np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=1e-6, atol=1e-8)


def test_float32_and_one_sample(backend, rng):
    X = rng.normal(size=(40, 3)).astype(np.float32)
    y = (X @ [1.0, 2.0, 3.0] + 1).astype(np.float32)
    ref = sk_lm.LinearRegression().fit(X, y)
    m = xpmath.LinearRegression(backend=backend).fit(X, y)
    assert h(m.coef_).dtype == ref.coef_.dtype == np.float32 and h(m.singular_).dtype == np.float32
    np.testing.assert_allclose(h(m.coef_), ref.coef_, rtol=1e-4)
    assert h(m.predict(X)).dtype == np.float32
    m = xpmath.LinearRegression(fit_intercept=False, positive=True, backend=backend).fit(X, y)
    assert h(m.predict(X)).dtype == sk_lm.LinearRegression(fit_intercept=False, positive=True).fit(X, y).predict(X).dtype
    one = xpmath.LinearRegression(backend=backend).fit([[1.0]], [5.0])  # scikit-learn's degenerate case
    assert h(one.coef_).tolist() == [0.0] and float(h(one.intercept_)) == 5.0 and one.rank_ == 0


def test_never_writes_into_its_input(backend, rng):
    X = rng.normal(size=(30, 4))
    y = rng.normal(size=(30, 2))
    sw = rng.uniform(size=30)
    keep = X.copy(), y.copy(), sw.copy()
    for kw in ({}, {"copy_X": False}, {"positive": True, "copy_X": False}):
        xpmath.LinearRegression(backend=backend, **kw).fit(X, y, sample_weight=sw)
        for a, b in zip((X, y, sw), keep):
            np.testing.assert_array_equal(a, b)


def test_signature_is_sklearns_and_errors():
    ours = inspect.signature(xpmath.LinearRegression).parameters
    theirs = inspect.signature(sk_lm.LinearRegression).parameters
    assert list(ours)[: len(theirs)] == list(theirs)
    assert all(ours[k].default == theirs[k].default and ours[k].kind is inspect.Parameter.KEYWORD_ONLY for k in theirs)
    assert all(ours[k].kind is inspect.Parameter.KEYWORD_ONLY for k in ours)
    X, y = np.eye(4, 2) + 1, np.arange(4.0)
    for kw, cls, msg in (({"solver": "normal"}, xpmath.DomainError, "'lstsq' solves"),
                         ({"fit_intercept": 1}, xpmath.DomainError, "fit_intercept"),
                         ({"tol": -1.0}, xpmath.DomainError, "tol"),
                         ({"n_jobs": 1.5}, xpmath.DomainError, "n_jobs"),
                         ({"positive": True, "solver": "gd"}, xpmath.DomainError, "positive")):
        with pytest.raises(cls, match=msg):
            xpmath.LinearRegression(**kw).fit(X, y)
    assert isinstance(xpmath.DomainError("x"), ValueError)  # scikit-learn's InvalidParameterError is one


def test_dask_tall_by_tsqr_matches_sklearn(rng):
    da = pytest.importorskip("dask.array")
    X = _data(rng, "collinear", n=3000)
    y = np.column_stack([X[:, :3] @ [1.0, -1.0, 2.0] + 0.5, rng.normal(size=3000)])
    sw = rng.uniform(0.5, 2.0, size=3000)
    dX, dy, dw = da.from_array(X, chunks=(700, 4)), da.from_array(y, chunks=(500, 2)), da.from_array(sw, chunks=900)
    for kw in ({}, {"fit_intercept": False}, {"positive": True}):
        ref = sk_lm.LinearRegression(**kw).fit(X, y, sample_weight=sw)
        m = xpmath.LinearRegression(backend="dask", **kw).fit(dX, dy, sample_weight=dw)
        assert isinstance(m.coef_, da.Array)  # the backend's own arrays, as they came
        _same(m, ref, rank=not kw.get("positive"))


def test_numba_normal_equations_only_where_as_exact(rng):
    """numba solves the normal equations of its one-pass Gram matrix where κ(X)²ε <= _GRAM_ERROR, and
    least squares on the centred data elsewhere: the answers are scikit-learn's either way."""
    pytest.importorskip("numba")
    from xpmath.models import _linear

    calls = []
    real = _linear._by_factorisation

    def spy(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    n = 400
    base = rng.normal(size=(n, 4))
    for cond, expect_gram in ((10.0, True), (1e3, True), (1e6, False)):
        u, _, vt = np.linalg.svd(base - base.mean(axis=0), full_matrices=False)
        X = u @ np.diag(np.geomspace(1.0, 1.0 / cond, 4)) @ vt + 5.0
        y = X @ [1.0, 2.0, -1.0, 0.5] + 0.01 * rng.normal(size=n)
        assert (cond**2 * np.finfo(float).eps <= _GRAM_ERROR) == expect_gram
        calls.clear()
        _linear._by_factorisation = spy
        try:
            m = xpmath.LinearRegression(backend="numba").fit(X, y)
        finally:
            _linear._by_factorisation = real
        assert (not calls) == expect_gram
        _same(m, sk_lm.LinearRegression().fit(X, y))


def test_nnls_on_the_namespace_is_scipys(rng):
    """The active-set NNLS the non-NumPy backends run (here on NumPy's namespace) gives SciPy's answers."""
    from scipy.optimize import nnls as scipy_nnls

    for m, n in ((30, 6), (6, 6), (50, 12)):
        for _ in range(5):
            A = rng.normal(size=(m, n))
            b = rng.normal(size=m)
            got = nnls(np, lambda a, bb, rc: np.linalg.lstsq(a, bb, rcond=rc), A, b)
            np.testing.assert_allclose(got, scipy_nnls(A, b)[0], rtol=1e-8, atol=1e-10)
