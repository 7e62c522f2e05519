"""Edges of the contract an acceptance test would try, on every backend, against NumPy / SciPy."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import xpmath
from xpmath.testing import assert_close

h = xpmath.to_numpy


def _offset_data(rng, n=20000):
    x = (1e5 + rng.standard_normal(n)).astype(np.float32)
    z = (x - 1e5 + 0.5 * rng.standard_normal(n)).astype(np.float32)
    return np.c_[x, z]


def test_float32_statistics_keep_a_large_offsets_digits(backend, rng):
    # float32 out, as docs/API.md says, but computed as accurately as NumPy's (double) cov is
    X = _offset_data(rng)
    ref = np.cov(X, rowvar=False)
    for got in (xpmath.cov(X, rowvar=False, backend=backend), xpmath.cov(np.ascontiguousarray(X.T), backend=backend),
                xpmath.cov(X.T, backend=backend)):
        assert h(got).dtype == np.float32
        np.testing.assert_allclose(h(got), ref, rtol=1e-4)
    r = h(xpmath.corrcoef(X, rowvar=False, backend=backend))
    assert r.dtype == np.float32
    np.testing.assert_allclose(r, np.corrcoef(X, rowvar=False), rtol=1e-4)
    X3 = (rng.standard_normal((20000, 3)) + [1e5, 0, 0]).astype(np.float32)
    y3 = X3.astype(np.float64) @ np.array([1.0, 2.0, 3.0])
    coef = h(xpmath.LinearRegression(backend=backend).fit(X3, y3.astype(np.float32)).coef_)
    np.testing.assert_allclose(coef, [1.0, 2.0, 3.0], atol=5e-3)
    ev = h(xpmath.PCA(backend=backend).fit(X).explained_variance_)
    np.testing.assert_allclose(np.sort(ev), np.sort(np.linalg.eigvalsh(ref)), rtol=1e-3)


@pytest.mark.parametrize("value", [0.1, 123.456, 1e-300])
@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_zscore_of_a_constant_is_zero(backend, value, dt):
    # the computed mean of a constant can miss it by a rounding; the z-scores are still 0, not ±1
    for x, axis in ((np.full(7, value, dt), 0), (np.full((3, 1000), value, dt), 1), (np.full((1000, 3), value, dt), 0)):
        z = h(xpmath.zscore(x, axis=axis, backend=backend))
        assert z.dtype == dt and not z.any()


def test_dlpack_only_input(backend):
    class OnlyDLPack:
        def __init__(self):
            self.a = np.arange(4.0)

        def __dlpack__(self, **kw):
            return self.a.__dlpack__(**kw)

        def __dlpack_device__(self):
            return self.a.__dlpack_device__()

    assert float(h(xpmath.mean(OnlyDLPack(), backend=backend))) == 1.5


def test_dot_keeps_integer_and_bool_dtypes_and_takes_scalars(backend):
    for a, b in ((np.ones((3, 3), np.int32), np.ones((3, 3), np.int32)), (np.arange(4, dtype=np.int16),) * 2,
                 (np.array([True, False, True]),) * 2, (np.arange(3, dtype=np.uint8), np.arange(3, dtype=np.uint8))):
        got, ref = h(xpmath.dot(a, b, backend=backend)), np.dot(a, b)
        assert got.dtype == ref.dtype
        np.testing.assert_array_equal(got, ref)
    v = np.arange(3.0)
    assert_close(xpmath.dot(3.0, v, backend=backend), np.dot(3.0, v))
    assert_close(xpmath.dot(2.0, 3.0, backend=backend), np.dot(2.0, 3.0))


@pytest.mark.parametrize("x", [[np.inf, 1.0, 2.0], [-1e308, 1e308, 0.0, 5.0], [5e-324, 1e-323, 2e-323],
                               [-np.inf, np.inf, 3.0], [-np.inf, -np.inf, 3.0, 4.0], [np.inf, np.inf, 1.0]])
def test_median_at_the_ends_of_the_float_range(backend, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = np.median(np.array(x))
        assert_close(xpmath.median(np.array(x), backend=backend), ref)


def test_generator_parameters_broadcast_to_size(backend):
    g = xpmath.random.default_rng(0, backend=backend)
    u = h(g.uniform([0.0, 10.0], [1.0, 11.0], size=(500, 2)))
    assert u.shape == (500, 2) and (u[:, 0] < 1).all() and (u[:, 1] >= 10).all()
    z = h(g.normal([0.0, 100.0], 1.0, size=(500, 2)))
    assert z.shape == (500, 2) and abs(z[:, 1].mean() - 100) < 0.5
    b = h(g.bernoulli([0.0, 1.0], size=(50, 2)))
    assert b.shape == (50, 2) and not b[:, 0].any() and b[:, 1].all()
    one = h(g.normal([0.0, 100.0]))
    assert one.shape == (2,) and abs(one[1] - 100) < 10
    with pytest.raises(xpmath.DomainError):
        g.uniform(1.0, 0.0, 3)
    with pytest.raises(xpmath.DomainError):
        g.uniform(0.0, np.inf, 3)
    xpmath.random.uniform(1.0, 0.0, 3, backend=backend)  # NumPy's legacy stream allows high < low


def test_default_rng_takes_a_seed_sequence():
    got = xpmath.random.default_rng(np.random.SeedSequence(7), backend="numpy").normal(size=5)
    np.testing.assert_array_equal(got, np.random.default_rng(np.random.SeedSequence(7)).normal(size=5))


def test_corrcoef_of_one_variable_is_a_scalar(backend):
    for x, kw in (([1.0, 2.0, 4.0, 3.0], {}), ([[1.0, 2.0, 4.0, 3.0]], {}), ([[1.0], [2.0], [4.0]], {"rowvar": False})):
        got, ref = xpmath.corrcoef(x, backend=backend, **kw), np.corrcoef(x, **kw)
        assert h(got).shape == np.shape(ref) == ()
        assert float(h(got)) == float(ref)


def test_errors_name_the_backend_that_ran(backend):
    for call in (lambda: xpmath.linalg.inv(np.ones((3, 3)), backend=backend),
                 lambda: xpmath.linalg.solve(np.ones((3, 3)), np.ones(3), backend=backend)):
        with pytest.raises(xpmath.SingularMatrixError, match=f"'{backend}' backend"):
            call()


def test_linalg_types_as_numpys(backend):
    half = np.eye(3, dtype=np.float16)
    for fn in (xpmath.linalg.inv, xpmath.linalg.det, xpmath.linalg.eig, xpmath.linalg.eigh, xpmath.linalg.eigvalsh):
        with pytest.raises(TypeError):
            np.linalg.inv(half) if fn is xpmath.linalg.inv else fn(half, backend="numpy")
        with pytest.raises(xpmath.XPMathTypeError, match="unsupported in linalg"):
            fn(half, backend=backend)
    with pytest.raises(xpmath.XPMathTypeError):
        xpmath.linalg.solve(half, np.ones(3, np.float16), backend=backend)
    x = np.random.default_rng(0).normal(size=(6, 5)).astype(np.float16)
    for f, r in ((xpmath.mean, np.mean), (xpmath.var, np.var), (xpmath.median, np.median)):
        got = h(f(x, axis=0, backend=backend))
        assert got.dtype == np.float16
        np.testing.assert_allclose(got, r(x, axis=0), rtol=5e-3, atol=5e-3)
    assert h(xpmath.cov(x, backend=backend)).dtype == np.cov(x).dtype  # float64: only float32 stays (API.md §10)
    w, v = xpmath.linalg.eigh(np.eye(3), UPLO="u", backend=backend)
    assert_close(w, np.linalg.eigh(np.eye(3), UPLO="U").eigenvalues)


def test_axis_error_is_numpys(backend):
    with pytest.raises(np.exceptions.AxisError, match="out of bounds"):
        xpmath.mean(np.ones(3), axis=3, backend=backend)
    with pytest.raises(IndexError):
        xpmath.var(np.ones((2, 2)), axis=-3, backend=backend)


def test_empirical_rule_propagates_nan(backend):
    r = xpmath.empirical_rule([1.0, np.nan, 2.0], backend=backend)
    assert len(r) == 3 and all(np.isnan(v) for v in r)


def test_namespace_holds_only_the_api():
    assert not hasattr(xpmath, "annotations")
    assert set(xpmath.__all__) <= set(dir(xpmath))
