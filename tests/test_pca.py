"""PCA against scikit-learn's, fitted on the same data, on every backend (API.md §8): every solver,
n_components as None, an int, a share of variance and "mle", whitening, the svd_flip signs, the
probabilistic model's covariance, precision and scores; Dask arrays chunked by rows."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import xpmath
from xpmath.models._pca import _assess_dimension, _infer_dimension

sk_dec = pytest.importorskip("sklearn.decomposition")
sk_pca = pytest.importorskip("sklearn.decomposition._pca")

RTOL = 1e-4  # the contract's tolerance (float64)


def h(x):
    return x if isinstance(x, (float, int)) else xpmath.to_numpy(x)


def _data(rng, n, d, rank=None):
    rank = rank or d
    X = rng.normal(size=(n, rank)) @ rng.normal(size=(rank, d)) + np.linspace(-3, 10, d)
    return X * np.linspace(0.5, 4.0, d)


def _same(m, ref, X, tol=RTOL):
    assert m.n_components_ == ref.n_components_ and m.n_samples_ == ref.n_samples_
    assert m._fit_svd_solver == ref._fit_svd_solver
    ev = ref.explained_variance_
    # null-space directions are arbitrary, and a covariance's zero eigenvalues rounding (~1e-8 of the largest)
    floor = 1e-7 if ref._fit_svd_solver == "covariance_eigh" else 1e-9
    stable = ev > floor * ev[0] if ev.size else np.ones(0, bool)
    np.testing.assert_allclose(h(m.components_)[stable], ref.components_[stable], rtol=tol, atol=tol * 1e-2)
    for a in ("explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_"):
        np.testing.assert_allclose(h(getattr(m, a)), getattr(ref, a), rtol=tol,
                                   atol=floor * max(1.0, np.abs(getattr(ref, a)).max()))
    np.testing.assert_allclose(h(m.noise_variance_), ref.noise_variance_, rtol=tol, atol=floor * max(1.0, ev[0] if ev.size else 1))
    np.testing.assert_allclose(h(m.transform(X))[:, stable], ref.transform(X)[:, stable], rtol=tol, atol=tol * 1e-2)


@pytest.mark.parametrize("shape", [(200, 6), (40, 70), (50, 8)], ids=["tall", "wide", "rank3"])
@pytest.mark.parametrize("solver", ["auto", "full", "covariance_eigh", "randomized"])
@pytest.mark.parametrize("n_components", [None, 3, 0.8, "mle"], ids=["None", "3", "0.8", "mle"])
def test_matches_sklearn(backend, rng, shape, solver, n_components):
    X = _data(rng, *shape, rank=3 if shape == (50, 8) else None)
    if n_components == "mle" and shape == (50, 8) and solver == "covariance_eigh":
        pytest.skip("Minka's choice on exactly rank-deficient data weighs the covariance's rounding noise")
    for whiten in (False, True):
        kw = dict(n_components=n_components, svd_solver=solver, whiten=whiten, random_state=0)
        try:
            ref = sk_dec.PCA(**kw).fit(X)
        except ValueError as exc:  # the combination scikit-learn refuses: the same class, and words
            with pytest.raises(ValueError, match=str(exc).split(" with ")[0][:40].replace("(", r"\(").replace(")", r"\)")):
                xpmath.PCA(backend=backend, **kw).fit(X)
            continue
        m = xpmath.PCA(backend=backend, **kw).fit(X)
        # the randomized solver draws Dask's own random numbers there: the same subspace, not the same digits
        tol = 1e-2 if solver == "randomized" and backend == "dask" and ref.n_components_ < min(shape) else RTOL
        _same(m, ref, X, tol)
        Z, Zr = h(xpmath.PCA(backend=backend, **kw).fit_transform(X)), sk_dec.PCA(**kw).fit_transform(X)
        keep = ref.explained_variance_ > 1e-7 * ref.explained_variance_[0]
        np.testing.assert_allclose(Z[:, keep], Zr[:, keep], rtol=tol, atol=tol * 1e-2 * np.abs(Zr).max())
        np.testing.assert_allclose(h(m.inverse_transform(h(m.transform(X)))), ref.inverse_transform(ref.transform(X)),
                                   rtol=tol, atol=tol * np.abs(X).max() * 1e-2)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized", "arpack"])
@pytest.mark.parametrize("whiten", [False, True])
def test_probabilistic_model_matches_sklearn(backend, rng, solver, whiten):
    X = _data(rng, 300, 5) + 0.3 * rng.normal(size=(300, 5))
    for n_components in (2, 4):
        kw = dict(n_components=n_components, svd_solver=solver, whiten=whiten, random_state=0)
        ref = sk_dec.PCA(**kw).fit(X)
        if solver == "arpack" and backend not in ("numpy", "numba"):
            with pytest.raises(xpmath.DomainError, match="NumPy arrays only"):
                xpmath.PCA(backend=backend, **kw).fit(X)
            return
        m = xpmath.PCA(backend=backend, **kw).fit(X)
        tol = 1e-2 if solver == "randomized" and backend == "dask" else 1e-6
        for f in ("get_covariance", "get_precision"):
            np.testing.assert_allclose(h(getattr(m, f)()), getattr(ref, f)(), rtol=tol, atol=tol * 1e-3)
        np.testing.assert_allclose(h(m.score_samples(X)), ref.score_samples(X), rtol=tol)
        assert m.score(X) == pytest.approx(ref.score(X), rel=tol)


def test_full_rank_model_and_no_components(backend, rng):
    X = _data(rng, 100, 3)
    for n_components in (3, 0):
        ref = sk_dec.PCA(n_components=n_components, svd_solver="full").fit(X)
        m = xpmath.PCA(n_components=n_components, svd_solver="full", backend=backend).fit(X)
        assert m.noise_variance_ == pytest.approx(ref.noise_variance_) and h(m.components_).shape == (n_components, 3)
        np.testing.assert_allclose(h(m.get_precision()), ref.get_precision(), rtol=1e-8)
        assert m.score(X) == pytest.approx(ref.score(X), rel=1e-10)


def test_auto_chooses_as_sklearn(rng):
    cases = [((10, 50), 5, "full"), ((1000, 50), 50, "covariance_eigh"), ((501, 60), 50, "full"),
             ((501, 60), 10, "randomized"), ((501, 60), 0.5, "full"), ((30, 20), "mle", "full")]
    for shape, nc, want in cases:
        X = rng.uniform(size=shape)
        ours = xpmath.PCA(n_components=nc, random_state=0).fit(X)
        theirs = sk_dec.PCA(n_components=nc, random_state=0).fit(X)
        assert ours._fit_svd_solver == theirs._fit_svd_solver == want
        np.testing.assert_allclose(ours.components_[:5], theirs.components_[:5], rtol=1e-6, atol=1e-8)


def test_randomized_is_sklearns_numbers_on_numpy(rng):
    X = _data(rng, 300, 40)
    for kw in ({"power_iteration_normalizer": "auto"}, {"power_iteration_normalizer": "QR", "iterated_power": 2},
               {"power_iteration_normalizer": "none", "n_oversamples": 3}):
        for seed in (0, np.random.RandomState(3)):
            ours = xpmath.PCA(4, svd_solver="randomized", random_state=seed, **kw).fit(X)
            seed = np.random.RandomState(3) if not isinstance(seed, int) else seed
            theirs = sk_dec.PCA(4, svd_solver="randomized", random_state=seed, **kw).fit(X)
            np.testing.assert_allclose(ours.components_, theirs.components_, rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(ours.singular_values_, theirs.singular_values_, rtol=1e-12)


def test_signs_are_svd_flips(backend, rng):
    X = _data(rng, 80, 5)
    for solver in ("full", "covariance_eigh", "randomized"):
        c = h(xpmath.PCA(svd_solver=solver, n_components=3, random_state=0, backend=backend).fit(X).components_)
        assert (c[np.arange(3), np.abs(c).argmax(axis=1)] > 0).all()


def test_float32_kept_and_integers_widened(backend, rng):
    X = rng.uniform(size=(500, 4))
    for solver in ("full", "covariance_eigh", "randomized"):
        m = xpmath.PCA(3, svd_solver=solver, random_state=0, backend=backend).fit(X.astype(np.float32))
        assert h(m.components_).dtype == np.float32 and h(m.transform(X.astype(np.float32))).dtype == np.float32
        ref = sk_dec.PCA(3, svd_solver=solver, random_state=0).fit(X)
        np.testing.assert_allclose(np.abs(h(m.components_)), np.abs(ref.components_), rtol=1e-3, atol=1e-3)
        i = xpmath.PCA(3, svd_solver=solver, random_state=0, backend=backend).fit((X * 1000).astype(np.int32))
        assert h(i.components_).dtype == np.float64


def test_minkas_mle_is_sklearns(rng):
    for spectrum, n in (([5.0, 2.0, 1.0, 0.5, 0.1], 50), ([1.0, 1e-30, 1e-30, 1e-30], 10), ([3.0, 2.0, 1.0], 20)):
        for rank in range(1, len(spectrum)):
            ours, theirs = _assess_dimension(spectrum, rank, n), sk_pca._assess_dimension(np.array(spectrum), rank, n)
            assert ours == pytest.approx(theirs, rel=1e-12) or (np.isinf(ours) and ours == theirs)
        assert _infer_dimension(spectrum, n) == sk_pca._infer_dimension(np.array(spectrum), n)
    with pytest.raises(ValueError, match=r"should be in \[1, n_features - 1\]"):
        _assess_dimension([1.0, 0.5], 2, 10)
    with pytest.raises(ValueError):  # equal eigenvalues: scikit-learn's math.log fails too
        sk_pca._assess_dimension(np.array([3.0, 3.0, 1.0]), 2, 20)
    with pytest.raises(xpmath.DomainError, match="equal"):
        _assess_dimension([3.0, 3.0, 1.0], 2, 20)


def test_dask_tall_chunked_runs_where_the_data_is(rng):
    da = pytest.importorskip("dask.array")
    X = _data(rng, 4000, 6)
    dX = da.from_array(X, chunks=(900, 6))
    for kw in ({"svd_solver": "full"}, {"svd_solver": "full", "n_components": 3, "whiten": True},
               {"svd_solver": "covariance_eigh", "n_components": 0.95}, {"svd_solver": "randomized", "n_components": 6}):
        ref = sk_dec.PCA(random_state=0, **kw).fit(X)
        m = xpmath.PCA(random_state=0, backend="dask", **kw).fit(dX)
        assert isinstance(m.components_, da.Array)
        _same(m, ref, X)
        Z = xpmath.PCA(random_state=0, backend="dask", **kw).fit_transform(dX)
        assert isinstance(Z, da.Array)
        np.testing.assert_allclose(h(Z), sk_dec.PCA(random_state=0, **kw).fit_transform(X), rtol=1e-6, atol=1e-8)


def test_signature_is_sklearns_and_errors():
    ours = inspect.signature(xpmath.PCA).parameters
    theirs = inspect.signature(sk_dec.PCA).parameters
    assert list(ours)[: len(theirs)] == list(theirs)
    assert all(ours[k].default == theirs[k].default and ours[k].kind is theirs[k].kind for k in theirs)
    assert ours["backend"].kind is inspect.Parameter.KEYWORD_ONLY
    X = np.random.default_rng(0).normal(size=(20, 4))
    for kw, msg in (({"n_components": 5}, r"between 0 and min\(n_samples, n_features\)=4 with svd_solver='full'"),
                    ({"n_components": 0, "svd_solver": "randomized"}, "between 1 and"),
                    ({"n_components": 4, "svd_solver": "arpack"}, "strictly less than"),
                    ({"n_components": "mle", "svd_solver": "randomized"}, "cannot be a string"),
                    ({"n_components": 1.5}, "n_components"), ({"svd_solver": "lapack"}, "svd_solver"),
                    ({"iterated_power": -1}, "iterated_power"), ({"power_iteration_normalizer": "qr"}, "normalizer")):
        with pytest.raises(xpmath.DomainError, match=msg):
            xpmath.PCA(**kw).fit(X)
    with pytest.raises(xpmath.DomainError, match="n_samples >= n_features"):
        xpmath.PCA("mle").fit(X[:3])
