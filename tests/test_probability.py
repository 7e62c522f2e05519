"""Probability and sampling on every backend (docs/API.md §6)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

import xpmath
from xpmath.testing import assert_close


def test_bayes_and_total_probability(backend):
    p = xpmath.to_numpy(xpmath.total_probability(0.8, 0.3, 0.01, backend=backend))
    assert float(p) == pytest.approx(0.8 * 0.3 + 0.01 * 0.7)
    assert float(xpmath.to_numpy(xpmath.bayes(0.8, 0.3, 0.25, backend=backend))) == pytest.approx(0.96)
    got = xpmath.bayes(0.8, 0.3, p_b_given_not_a=0.01, backend=backend)
    assert float(xpmath.to_numpy(got)) == pytest.approx(0.24 / 0.247)


def test_bayes_vectorised(backend):
    a = np.array([0.8, 0.5, 0.9])
    pa = np.array([0.3, 0.5, 0.01])
    c = np.array([0.01, 0.5, 0.05])
    pb = a * pa + c * (1 - pa)
    assert_close(xpmath.bayes(a, pa, p_b_given_not_a=c, backend=backend), a * pa / pb)
    assert_close(xpmath.total_probability(a, pa, c, backend=backend), pb)


def test_probability_domain_errors(backend):
    for bad in (-0.1, 1.5, np.nan):
        with pytest.raises(ValueError) as ei:
            xpmath.bayes(bad, 0.3, 0.25, backend=backend)
        assert isinstance(ei.value, xpmath.XPMathError)
    with pytest.raises(ValueError):
        xpmath.bayes(0.8, 0.3, backend=backend)
    with pytest.raises(ValueError):
        xpmath.bayes(0.8, 0.3, 0.0, backend=backend)


def test_normal_pdf_cdf_match_scipy(backend, dtype, rng):
    x = (rng.normal(size=50) * 3).astype(dtype)
    for m, s in ((0.0, 1.0), (1.5, 2.0)):
        assert_close(xpmath.normal_pdf(x, m, s, backend=backend), scipy.stats.norm.pdf(x, m, s).astype(dtype))
        assert_close(xpmath.normal_cdf(x, m, s, backend=backend), scipy.stats.norm.cdf(x, m, s).astype(dtype))
    assert float(xpmath.to_numpy(xpmath.normal_cdf(95, mean=70, std=10, backend=backend))) == pytest.approx(
        scipy.stats.norm.cdf(2.5)
    )
    tail = xpmath.to_numpy(xpmath.normal_cdf(np.array([-30.0, -10.0]), backend=backend))
    np.testing.assert_allclose(tail, scipy.stats.norm.cdf([-30.0, -10.0]), rtol=1e-12)
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError):
            xpmath.normal_pdf(0.0, std=bad, backend=backend)
        with pytest.raises(ValueError):
            xpmath.normal_cdf(0.0, std=bad, backend=backend)


def test_empirical_rule(backend, rng):
    x = rng.normal(70, 10, 20000)
    got = xpmath.empirical_rule(x, backend=backend)
    m, s = x.mean(), x.std()
    ref = tuple(float(np.mean(np.abs(x - m) <= k * s)) for k in (1, 2, 3))
    assert isinstance(got, tuple) and len(got) == 3 and all(isinstance(v, float) for v in got)
    assert got == pytest.approx(ref)
    with pytest.raises(xpmath.EmptyInputError):
        xpmath.empirical_rule([], backend=backend)


def test_default_rng_reproducible(backend):
    a = xpmath.to_numpy(xpmath.random.default_rng(7, backend=backend).normal(2.0, 3.0, size=(100, 3)))
    b = xpmath.to_numpy(xpmath.random.default_rng(7, backend=backend).normal(2.0, 3.0, size=(100, 3)))
    c = xpmath.to_numpy(xpmath.random.default_rng(8, backend=backend).normal(2.0, 3.0, size=(100, 3)))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (100, 3) and not np.array_equal(a, c)


def test_sampling_moments(backend):
    g = xpmath.random.default_rng(1, backend=backend)
    n = 200_000
    z = xpmath.to_numpy(g.normal(70, 10, size=n))
    assert abs(z.mean() - 70) < 0.2 and abs(z.std() - 10) < 0.2
    u = xpmath.to_numpy(g.uniform(-1, 3, size=n))
    assert u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1) < 0.02
    b = xpmath.to_numpy(g.bernoulli(0.3, size=n))
    assert b.dtype.kind == "i" and set(np.unique(b)) <= {0, 1} and abs(b.mean() - 0.3) < 0.01
    f = xpmath.to_numpy(g.normal(size=10, dtype=np.float32))
    assert f.dtype == np.float32
    with pytest.raises(ValueError):
        g.normal(0, -1, size=3)
    with pytest.raises(ValueError):
        g.bernoulli(1.5, size=3)


def test_numpy_backend_draws_numpys_numbers():
    xpmath.random.seed(42)
    got = xpmath.random.normal(70, 10, 10000, backend="numpy")
    np.random.seed(42)
    np.testing.assert_array_equal(got, np.random.normal(70, 10, 10000))
    got = xpmath.random.default_rng(5, backend="numpy").uniform(size=10)
    np.testing.assert_array_equal(got, np.random.default_rng(5).uniform(size=10))


def test_module_level_seed_reproducible(backend):
    xpmath.random.seed(123)
    a = xpmath.to_numpy(xpmath.random.normal(0, 1, 50, backend=backend))
    xpmath.random.seed(123)
    b = xpmath.to_numpy(xpmath.random.normal(0, 1, 50, backend=backend))
    np.testing.assert_array_equal(a, b)
    u = xpmath.to_numpy(xpmath.random.uniform(0, 1, 50, backend=backend))
    assert ((0 <= u) & (u < 1)).all()
    assert set(np.unique(xpmath.to_numpy(xpmath.random.bernoulli(0.5, 50, backend=backend)))) <= {0, 1}
