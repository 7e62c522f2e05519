"""Statistics on every backend against NumPy and SciPy (docs/API.md §5)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats

import xpmath
from xpmath.testing import assert_close, check_parity

AXES = [None, 0, 1, -1, (0, 1)]


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_mean_median(backend, dtype, rng, axis, keepdims):
    x = rng.normal(size=(6, 7)).astype(dtype)
    for f, r in ((xpmath.mean, np.mean), (xpmath.median, np.median)):
        assert_close(f(x, axis=axis, keepdims=keepdims, backend=backend), r(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_var_std(backend, dtype, rng, axis, ddof, keepdims):
    x = (rng.normal(size=(6, 7)) * 3 + 100).astype(dtype)
    for f, r in ((xpmath.var, np.var), (xpmath.std, np.std)):
        assert_close(f(x, axis=axis, ddof=ddof, keepdims=keepdims, backend=backend), r(x, axis=axis, ddof=ddof, keepdims=keepdims))


@pytest.mark.parametrize("cdtype", [np.complex64, np.complex128], ids=["complex64", "complex128"])
@pytest.mark.parametrize("axis", [None, 0, (1, 2), (0, 2)])
def test_complex_moments(backend, rng, cdtype, axis):
    # NumPy: the mean of complex data is complex, its variance and std are real
    x = (rng.normal(size=(3, 4, 5)) + 1j * rng.normal(size=(3, 4, 5)) + 7).astype(cdtype)
    for f, r in ((xpmath.mean, np.mean), (xpmath.var, np.var), (xpmath.std, np.std)):
        assert_close(f(x, axis=axis, backend=backend), r(x, axis=axis))


def test_integers_compute_in_float64(backend):
    x = np.arange(12).reshape(3, 4)
    for f, r in ((xpmath.mean, np.mean), (xpmath.var, np.var), (xpmath.std, np.std), (xpmath.median, np.median)):
        got = f(x, axis=0, backend=backend)
        assert_close(got, r(x, axis=0).astype(np.float64))
    assert_close(xpmath.cov(x, backend=backend), np.cov(x))
    b = np.array([True, False, True])
    assert_close(xpmath.mean(b, backend=backend), np.mean(b))


def test_nan_propagates(backend):
    x = np.array([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for f, r in ((xpmath.mean, np.mean), (xpmath.var, np.var), (xpmath.median, np.median)):
            assert_close(f(x, axis=1, backend=backend), r(x, axis=1))
            assert np.isnan(xpmath.to_numpy(f(x, backend=backend)))


def test_large_offset_accuracy(backend):
    # a naive sum of squares loses every digit here; the reference's two-pass does not
    x = 1e9 + np.random.default_rng(3).random(200_001)
    assert_close(xpmath.var(x, backend=backend), np.var(x), rtol=1e-9)


@pytest.mark.parametrize("rowvar", [True, False])
@pytest.mark.parametrize("ddof", [None, 0, 2])
def test_cov_corrcoef(backend, dtype, rng, rowvar, ddof):
    m = rng.normal(size=(5, 40)).astype(dtype)
    m = m if rowvar else m.T
    assert_close(xpmath.cov(m, rowvar=rowvar, ddof=ddof, backend=backend), np.cov(m, rowvar=rowvar, ddof=ddof, dtype=dtype))
    assert_close(xpmath.corrcoef(m, rowvar=rowvar, backend=backend), np.corrcoef(m, rowvar=rowvar, dtype=dtype))


def test_cov_with_y_and_float32_stays(backend, rng):
    x = rng.normal(size=30).astype(np.float32)
    y = rng.normal(size=30).astype(np.float32)
    got = xpmath.cov(x, y, backend=backend)
    assert xpmath.to_numpy(got).dtype == np.float32
    assert_close(got, np.cov(x, y, dtype=np.float32))
    assert_close(xpmath.corrcoef(x, y, backend=backend), np.corrcoef(x, y, dtype=np.float32))
    assert_close(xpmath.cov(x.astype(np.float64), backend=backend), np.cov(x.astype(np.float64)))
    with pytest.raises(xpmath.ShapeError):
        xpmath.cov(x, y[:10], backend=backend)


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_mode_matches_scipy(backend, rng, axis, keepdims):
    x = rng.integers(0, 5, size=(20, 6))
    for data in (x, x.astype(np.float32), x.astype(np.uint64) + np.uint64(2**63)):
        got = xpmath.mode(data, axis=axis, keepdims=keepdims, backend=backend)
        ref = scipy.stats.mode(data, axis=axis, keepdims=keepdims)
        assert isinstance(got, xpmath.ModeResult)
        assert_close(got.mode, ref.mode)
        assert_close(got.count, ref.count, check_dtype=False)


@pytest.mark.parametrize("policy", ["propagate", "omit"])
@pytest.mark.parametrize("axis", [None, 0])
def test_mode_counts_nan_as_scipy(backend, policy, axis):
    x = np.array([[1.0, np.nan], [2.0, np.nan], [2.0, np.nan], [np.nan, 1.0]])
    got = xpmath.mode(x, axis=axis, nan_policy=policy, backend=backend)
    ref = scipy.stats.mode(x, axis=axis, nan_policy=policy)
    assert_close(got.mode, ref.mode)
    assert_close(got.count, ref.count, check_dtype=False)
    with pytest.raises(ValueError):
        xpmath.mode(x, nan_policy="raise", backend=backend)


def test_mode_tie_takes_smallest(backend):
    assert float(xpmath.to_numpy(xpmath.mode([3, 1, 3, 1, 2], backend=backend).mode)) == 1.0


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("ddof", [0, 1])
def test_zscore_matches_scipy(backend, dtype, rng, axis, ddof):
    x = rng.normal(size=(8, 5)).astype(dtype)
    assert_close(xpmath.zscore(x, axis=axis, ddof=ddof, backend=backend), scipy.stats.zscore(x, axis=axis, ddof=ddof))


def test_zscore_constant_is_zero(backend):
    x = np.array([[1.0, 2.0], [1.0, 4.0], [1.0, 6.0]])
    z = xpmath.to_numpy(xpmath.zscore(x, backend=backend))
    assert np.all(z[:, 0] == 0) and not np.isnan(z).any()


def test_statistics_errors(backend):
    for f in (xpmath.mean, xpmath.median, xpmath.var, xpmath.std, xpmath.mode, xpmath.zscore, xpmath.cov, xpmath.corrcoef):
        with pytest.raises(xpmath.XPMathTypeError):
            f(["x", "y"], backend=backend)
        with pytest.raises(ValueError) as e:
            f([[1.0, 2.0], [3.0]], backend=backend)  # ragged: NumPy's ValueError
        assert isinstance(e.value, xpmath.XPMathError)
    with pytest.raises(xpmath.AxisError):
        xpmath.mean(np.ones((2, 2)), axis=2, backend=backend)
    with pytest.raises(IndexError):
        xpmath.var(np.ones(3), axis=1, backend=backend)


@pytest.mark.parametrize("f, ref", [(xpmath.mean, np.mean), (xpmath.var, np.var), (xpmath.std, np.std),
                                    (xpmath.median, np.median)])
def test_empty_gives_nan_with_numpys_warning(backend, f, ref):
    with pytest.warns(RuntimeWarning):
        got = f(np.array([]), backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert_close(got, ref(np.array([])))


def test_inputs_not_modified(backend, rng):
    x = rng.normal(size=(10, 4))
    x0 = x.copy()
    for f in (xpmath.mean, xpmath.median, xpmath.var, xpmath.std, xpmath.zscore, xpmath.cov, xpmath.corrcoef):
        xpmath.to_numpy(f(x, backend=backend))
    xpmath.to_numpy(xpmath.mode(x, backend=backend).mode)
    np.testing.assert_array_equal(x, x0)


def test_strided_and_fortran(backend, rng):
    base = rng.normal(size=(12, 10))
    for x in (base[::3, ::2], np.asfortranarray(base), base.T):
        for axis in (None, 0, 1):
            check_parity(backend, xpmath.var, np.var, x, axis=axis)
            check_parity(backend, xpmath.median, np.median, x, axis=axis)
            assert_close(xpmath.zscore(x, axis=axis, backend=backend), scipy.stats.zscore(x, axis=axis))
