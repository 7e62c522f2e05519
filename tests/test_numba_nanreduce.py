"""The numba backend's NaN-ignoring kernels (nansum ... nanmax, nanmedian, quantile, nanquantile) against NumPy.

Every case checks first that the kernels take the call (not the reference), then compares value,
dtype, shape and NumPy's RuntimeWarnings, each as often as NumPy gives it. The order statistics
must be NumPy's to the bit; sums and moments to 1e-12 relative in float64 (the kernels add in
float64: float32 results are closer to the exact value than NumPy's float32 sums, compared to
float32's tolerance).
"""

from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest

import xpmath
from xpmath import _dispatch, _registry
from xpmath.testing import tolerance

pytestmark = pytest.mark.skipif(_registry.status("numba")[0] is None, reason="numba is not installed")

MOMENTS = ["nansum", "nanmean", "nanvar", "nanstd"]
EXACT = ["nanmin", "nanmax", "nanmedian"]
# (shape, axis): every layout the kernels take (flat, rows, columns, a 3-D array's first or last axis)
LAYOUTS = [((1000,), None), ((1000,), 0), ((7, 1300), None), ((7, 1300), 1), ((7, 1300), -1), ((1300, 7), 0),
           ((650, 640), 0), ((650, 640), 1), ((3, 4, 700), 2), ((700, 3, 4), 0)]


def _data(shape, dtype, seed=0):
    """Normal data around 5 with 5% NaN, an infinity-free slice of NaNs only along each axis."""
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) + 5).astype(dtype)
    x[rng.random(shape) < 0.05] = np.nan
    if x.ndim >= 2:
        x[(1,) + (slice(None),) * (x.ndim - 1)] = np.nan
        x[(slice(None),) * (x.ndim - 1) + (2,)] = np.nan
    return x


def _call(fn, *args, **kw):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = fn(*args, **kw)
    return r, collections.Counter(str(m.message) for m in w if issubclass(m.category, RuntimeWarning))


def _check(name, x, *args, exact=False, **kw):
    be = _registry.get("numba")
    ax = kw.get("axis")
    axis = ax if ax is None or isinstance(ax, tuple) else (ax % x.ndim,)
    assert _dispatch.runs_own(be, name, x, *args, **{**kw, "axis": axis}), f"{name}: the kernels declined"
    want, ww = _call(getattr(np, name), x, *args, **kw)
    got, gw = _call(getattr(xpmath, name), x, *args, backend="numba", **kw)
    want, got = np.asarray(want), np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
    assert gw == ww, (gw, ww)
    if exact:
        np.testing.assert_array_equal(got, want)
    else:
        rtol = 1e-12 if x.dtype == np.float64 else tolerance(x.dtype)[0]
        np.testing.assert_allclose(got, want, rtol=rtol, atol=0, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("shape,axis", LAYOUTS)
@pytest.mark.parametrize("name", MOMENTS + EXACT)
def test_reductions(name, shape, axis, dtype):
    _check(name, _data(shape, dtype), axis=axis, exact=name in EXACT)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("shape,axis", LAYOUTS[::2])
@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
def test_quantiles(name, shape, axis, dtype):
    x = _data(shape, dtype, 1)
    if name == "quantile":
        x = np.where(np.isnan(x), dtype(1.5), x)  # and one slice with a NaN: NaN there
        x.reshape(-1)[3] = np.nan
    for q in (0.9, 0.0, 1.0, 1 / 3, np.array([0.1, 0.5, 0.75, 1.0], dtype=dtype)):
        _check(name, x, q, axis=axis, exact=True)


@pytest.mark.parametrize("ddof", [0, 1, 2.5])
@pytest.mark.parametrize("name", ["nanvar", "nanstd"])
def test_ddof_and_keepdims(name, ddof):
    x = _data((650, 640), np.float64, 2)
    x[:, 5] = np.nan
    x[3, 5] = 1.0  # a column with one number: NaN and NumPy's warning for ddof ≥ 1
    for axis in (None, 0, 1):
        _check(name, x, axis=axis, ddof=ddof, keepdims=True)


def test_large_flat_order_statistics():
    """One 1-D array past the histogram kernels' threshold: selected without a copy."""
    x = _data((1_300_001,), np.float64, 3)
    _check("nanmedian", x, exact=True)
    _check("nanquantile", x, np.array([0.0, 0.01, 0.9, 1.0]), exact=True)
    y = x[np.isfinite(x)]
    _check("quantile", y, 0.25, exact=True)
    _check("quantile", x, 0.25, exact=True)  # a NaN: NaN


def test_order_statistics_of_ties():
    """Few distinct values: ranks of several q in the same histogram bin, slices past the sampled
    pivot's threshold full of values equal to the pivot."""
    rng = np.random.default_rng(11)
    x = rng.integers(0, 5, 1_300_001).astype(np.float64)
    x[rng.integers(0, x.size, 1000)] = np.nan
    _check("nanquantile", x, np.array([0.1, 0.3, 0.5, 0.51, 0.9]), exact=True)
    _check("nanmedian", x[:-1], exact=True)
    y = rng.integers(0, 3, (1500, 7)).astype(np.float64)
    for axis in (0, 1):
        _check("nanmedian", y if axis == 0 else y.T.copy(), axis=axis, exact=True)
        _check("nanquantile", y, np.array([0.2, 0.7]), axis=0, exact=True)


def test_infinities_and_offsets():
    x = _data((650, 640), np.float64, 4)
    x[0, 0] = np.inf
    x[7, 3] = -np.inf
    for name in ("nansum", "nanmean", "nanvar", "nanmin", "nanmax", "nanmedian"):
        for axis in (None, 0, 1):
            _check(name, x, axis=axis, exact=name in EXACT)
    _check("nanquantile", x, 0.5, axis=0, exact=True)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_variance_far_from_zero(axis):
    """Data 1e9 from 0: the variance to 1e-13 of the exact one (two passes in long double; NumPy's
    own float64 along axis 0 is off by ~1e-11 here, its mean a plain sum of rows)."""
    rng = np.random.default_rng(5)
    y = 1e9 + rng.standard_normal((2000, 600))
    y[rng.random(y.shape) < 0.01] = np.nan
    d = y.astype(np.longdouble)
    exact = (np.nansum((d - np.nanmean(d, axis=axis, keepdims=True)) ** 2, axis=axis)
             / np.sum(~np.isnan(y), axis=axis)).astype(np.float64)
    np.testing.assert_allclose(xpmath.nanvar(y, axis=axis, backend="numba"), exact, rtol=1e-13)


def test_declined_calls_run_numpys():
    """What the kernels do not take (float16, a tuple of some axes, where=, a method) is NumPy's own call."""
    be = _registry.get("numba")
    x = _data((4, 5, 700), np.float64)
    assert not _dispatch.runs_own(be, "nanvar", x, axis=(0, 2))
    assert not _dispatch.runs_own(be, "nansum", x.astype(np.float16), axis=None)
    assert not _dispatch.runs_own(be, "nanquantile", x, 0.5, axis=None, method="lower")
    assert not _dispatch.runs_own(be, "nanmean", x[:, :, ::2], axis=(2,))
    for name, kw in (("nanvar", {"axis": (0, 2)}), ("nanmean", {"axis": 1, "where": x > 5}),
                     ("nanquantile", {"axis": 2, "method": "lower"}), ("nansum", {"axis": 0})):
        args = (0.5,) if name == "nanquantile" else ()
        want, ww = _call(getattr(np, name), x, *args, **kw)
        got, gw = _call(getattr(xpmath, name), x, *args, backend="numba", **kw)
        np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)
        assert gw == ww
    e = np.empty((0, 3))
    np.testing.assert_array_equal(xpmath.nansum(e, axis=0, backend="numba"), np.nansum(e, axis=0))
