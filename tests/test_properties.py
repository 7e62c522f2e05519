"""Property-based parity with NumPy / SciPy: shapes, dtypes, axes, strides and edge values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import xpmath
from xpmath.testing import assert_close

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32)


@st.composite
def arrays(draw, min_dims=1, max_dims=3, nan=False):
    dt = draw(st.sampled_from([np.float32, np.float64]))
    elems = st.one_of(finite, st.just(np.nan)) if nan else finite
    a = draw(hnp.arrays(dt, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=6), elements=elems))
    view = draw(st.sampled_from(["c", "f", "strided", "transposed"]))
    if view == "f":
        a = np.asfortranarray(a)
    elif view == "strided":
        big = np.repeat(a, 2, axis=-1)
        a = big[..., ::2]
    elif view == "transposed":
        a = a.T.copy().T
    axis = draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    return a, axis


def _tol(a):
    return dict(rtol=1e-3, atol=1e-3 * (np.nanmax(np.abs(a)) + 1)) if a.dtype == np.float32 else dict(rtol=1e-8, atol=1e-8 * (np.nanmax(np.abs(a)) + 1))


@SETTINGS
@given(data=arrays(nan=True), keepdims=st.booleans())
def test_mean_median_property(backend, data, keepdims):
    a, axis = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for f, r in ((xpmath.mean, np.mean), (xpmath.median, np.median)):
            assert_close(f(a, axis=axis, keepdims=keepdims, backend=backend), r(a, axis=axis, keepdims=keepdims), **_tol(a))


@SETTINGS
@given(data=arrays(nan=True), ddof=st.integers(0, 1))
def test_var_std_property(backend, data, ddof):
    a, axis = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref_v = np.var(a, axis=axis, ddof=ddof)
        ref_s = np.std(a, axis=axis, ddof=ddof)
        t = _tol(a)
        t["atol"] = t["atol"] * (np.nanmax(np.abs(a)) + 1)
        assert_close(xpmath.var(a, axis=axis, ddof=ddof, backend=backend), ref_v, **t)
        assert_close(xpmath.std(a, axis=axis, ddof=ddof, backend=backend), ref_s, **_tol(a))


@SETTINGS
@given(data=arrays())
def test_zscore_property(backend, data):
    a, axis = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = scipy.stats.zscore(a, axis=axis)
    got = xpmath.to_numpy(xpmath.zscore(a, axis=axis, backend=backend))
    assert got.dtype == a.dtype and got.shape == a.shape
    # where scipy says NaN the std was 0 (or rounded to it): xpmath gives 0, never NaN
    assert not np.isnan(got).any()
    # where the spread is within rounding of the values (a constant slice), a z-score is rounding
    # noise: scipy's float32 mean is one ulp off and gives +-1, a float64 accumulator gives 0
    a64 = a.astype(np.float64)
    spread = np.std(a64, axis=axis, keepdims=True)
    scale = np.max(np.abs(a64), axis=axis, keepdims=True)
    ok = np.isfinite(ref) & (spread > 64 * np.finfo(a.dtype).eps * scale)
    # where the squared deviations leave the dtype's normal range, scipy's float32 std loses its digits
    # to underflow (a float64 accumulator keeps them): the two answers then differ by more than rounding
    ok &= spread * spread > np.finfo(a.dtype).tiny
    np.testing.assert_allclose(got[ok], ref[ok], rtol=1e-3 if a.dtype == np.float32 else 1e-7, atol=1e-3)


@SETTINGS
@given(data=arrays(max_dims=2))
def test_mode_property(backend, data):
    a, axis = data
    a = np.round(a / 1e5)  # repeated values
    ref = scipy.stats.mode(a, axis=axis)
    got = xpmath.mode(a, axis=axis, backend=backend)
    assert_close(got.mode, np.asarray(ref.mode, dtype=a.dtype))
    assert_close(got.count, ref.count, check_dtype=False)


@SETTINGS
@given(data=arrays(min_dims=2, max_dims=2), rowvar=st.booleans())
def test_cov_norm_property(backend, data, rowvar):
    a, axis = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = np.cov(a, rowvar=rowvar, dtype=a.dtype)
        scale = (np.abs(a).max() + 1) ** 2
        got = xpmath.cov(a, rowvar=rowvar, backend=backend)
        assert_close(got, ref, rtol=1e-3, atol=1e-4 * scale if a.dtype == np.float32 else 1e-9 * scale)
    assert_close(xpmath.norm(a, axis=axis, backend=backend), np.linalg.norm(a, axis=axis), **_tol(a))


@SETTINGS
@given(n=st.integers(1, 6), batch=st.integers(0, 3), dt=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**16))
def test_inv_solve_property(backend, n, batch, dt, seed):
    r = np.random.default_rng(seed)
    a = (r.normal(size=(batch, n, n)) + 2 * n * np.eye(n)).astype(dt)
    b = r.normal(size=(batch, n, 2)).astype(dt)
    t = dict(rtol=1e-3, atol=1e-4) if dt == np.float32 else dict(rtol=1e-9, atol=1e-11)
    assert_close(xpmath.linalg.inv(a, backend=backend), np.linalg.inv(a), **t)
    assert_close(xpmath.linalg.solve(a, b, backend=backend), np.linalg.solve(a, b), **t)


@pytest.mark.parametrize("fn", [xpmath.mean, xpmath.var, xpmath.median, xpmath.mode, xpmath.zscore])
def test_one_element(backend, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = fn(np.array([5.0]), backend=backend)
    got = xpmath.to_numpy(got.mode if fn is xpmath.mode else got)
    assert got.shape in ((), (1,))
