"""average, quantile, percentile, ptp and the NaN-ignoring reductions on every backend, against NumPy.

Each call is compared with NumPy's on the same arguments: the value (to the per-dtype tolerance),
dtype, shape and result type, NumPy's error class, and NumPy's RuntimeWarnings ("Mean of empty
slice", "All-NaN slice encountered", "Degrees of freedom <= 0 for slice."), each as often as NumPy
gives it (its order statistics warn once per slice of NaNs only).
"""

from __future__ import annotations

import collections
import inspect
import warnings

import numpy as np
import pytest

import xpmath
from xpmath.testing import assert_close

METHODS = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
           "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher", "midpoint", "nearest"]
NAN_REDUCTIONS = ["nanmean", "nanvar", "nanstd", "nansum", "nanmin", "nanmax", "nanmedian"]
AXES = [(None, False), (0, True), (-1, False), ((0, 2), False), ((2, 0), True)]

rng = np.random.default_rng(20)


def _data(dtype, shape=(4, 5, 3)):
    """Data of ``dtype`` with, for inexact types, a NaN, a row of NaNs only and an infinity."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.random(shape) > 0.5
    if dt.kind in "iu":
        return rng.integers(0, 90, size=shape).astype(dt)
    x = rng.normal(size=shape) * 10
    if dt.kind == "c":
        x = x + 1j * rng.normal(size=shape)
    x = x.astype(dt)
    x[0, 1, 2] = np.nan
    x[1, :, 0] = np.nan
    x[2, 3, 1] = np.inf
    return x


def _run(f, *args, strict=False, **kwargs):
    """``(result, error, RuntimeWarning messages and how often each came)``; floating-point errstate
    warnings are left out unless ``strict`` (another order of the arithmetic may meet another inf or
    NaN; where the data hold no infinity, an "invalid value encountered" NumPy does not give is a fault)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            r, exc = f(*args, **kwargs), None
        except Exception as e:  # noqa: BLE001 - the class is what is checked
            r, exc = None, e
    said = collections.Counter(str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)
                               and (strict or "encountered in" not in str(w.message)))
    return r, exc, said


def check(backend, name, *args, rtol=None, strict=False, **kwargs):
    """xpmath's ``name`` on ``backend`` against NumPy's: value, dtype, shape, type, error, warnings."""
    ref, ref_exc, ref_said = _run(getattr(np, name), *args, strict=strict, **kwargs)
    got, exc, said = _run(getattr(xpmath, name), *args, strict=strict, backend=backend, **kwargs)
    if ref_exc is not None:
        assert exc is not None, f"no error; NumPy raised {ref_exc!r}"
        assert isinstance(exc, xpmath.XPMathError), f"{type(exc).__name__} escaped: {exc}"
        assert isinstance(exc, type(ref_exc)), f"{type(exc).__name__} is not NumPy's {type(ref_exc).__name__}"
        return None
    assert exc is None, f"{type(exc).__name__}: {exc}"
    pairs = zip(got, ref, strict=True) if isinstance(ref, tuple) else [(got, ref)]
    for g, r in pairs:
        assert type(g) is type(r) or (isinstance(g, np.ndarray) and isinstance(r, np.ndarray)), (type(g), type(r))
        half = np.asarray(r).dtype in (np.float16, np.complex64) or np.asarray(r).dtype == np.float32
        assert_close(g, r, rtol=rtol if rtol is not None else (2e-3 if np.asarray(r).dtype == np.float16 else
                                                                  None if not half else 1e-4))
    assert said == ref_said, f"warnings {said} != NumPy's {ref_said}"
    return got


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int32", "bool", "complex128"])
@pytest.mark.parametrize("name", NAN_REDUCTIONS + ["ptp", "average"])
def test_reductions(backend, name, dtype):
    x = _data(dtype)
    for axis, keepdims in AXES:
        check(backend, name, x, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("name", ["nanmean", "nanvar", "nanstd", "nansum"])
def test_dtype_out_where(backend, name):
    x = _data("float64")
    check(backend, name, x, axis=1, dtype=np.float32)
    check(backend, name, x.astype(np.float32), axis=(0, 1), dtype=np.float64)
    check(backend, name, x, axis=0, where=rng.random(x.shape) > 0.3)
    check(backend, name, x, where=np.array([True, False, True]))
    out = np.zeros((4, 3))
    assert check(backend, name, x, axis=1, out=out) is out
    check(backend, name, x, axis=1, dtype=np.int64)  # nanmean/nanvar: NumPy's TypeError
    check(backend, name, x, axis=1, out=np.zeros((4, 3), np.int64))


@pytest.mark.parametrize("name", ["nanvar", "nanstd"])
def test_ddof_correction_mean(backend, name):
    x = _data("float64")
    for ddof in (0, 1, 2.5, 5):  # 5: some slices have too few numbers
        check(backend, name, x, axis=2, ddof=ddof)
    check(backend, name, x, axis=0, correction=1)
    check(backend, name, x, axis=0, ddof=1, correction=1)  # both: NumPy's ValueError
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        m = np.nanmean(x, axis=1, keepdims=True)
    check(backend, name, x, axis=1, mean=m)
    check(backend, name, _data("complex128"), axis=(0, 1), ddof=1)


@pytest.mark.parametrize("name", ["nanmin", "nanmax", "nansum"])
def test_initial_and_where(backend, name):
    x = _data("float64")
    w = rng.random(x.shape) > 0.5
    check(backend, name, x, axis=1, initial=-3.0)
    check(backend, name, x, axis=(0, 2), where=w, initial=7.0)
    check(backend, name, x, axis=1, where=w)  # nanmin/nanmax: NumPy's ValueError without initial
    check(backend, name, np.zeros((0, 3)), axis=0, initial=2.0)
    check(backend, name, _data("int32"), axis=0, where=w, initial=50)
    out = np.zeros(3)
    assert check(backend, name, x, axis=(0, 1), out=out) is out


def test_empty_and_all_nan(backend):
    """NumPy's warnings; for the NaN-ignoring functions exactly, the floating-point ones included
    (NumPy's divide by the counts under ``errstate(invalid="ignore")``: no division may warn)."""
    empty = np.zeros((0, 3))
    for name in NAN_REDUCTIONS + ["ptp", "average"]:
        strict = name.startswith("nan")
        check(backend, name, empty, strict=strict)
        check(backend, name, empty, axis=0, strict=strict)
        check(backend, name, empty, axis=1, strict=strict)
    for name in ("quantile", "nanquantile", "percentile", "nanpercentile"):
        q = 50 if "percentile" in name else 0.5
        strict = name.startswith("nan")
        check(backend, name, empty, q, strict=strict)
        check(backend, name, empty, [q, q], axis=0, strict=strict)
        check(backend, name, empty, q, axis=1, strict=strict)
    nan = np.full((3, 4), np.nan)
    nan[0, 0] = 1.0
    for name in NAN_REDUCTIONS:
        for a in (nan, nan.astype(np.complex64), np.array(np.nan), nan.astype(np.float32)[None]):
            check(backend, name, a, axis=-1, strict=True)  # a 0-d array: the ufunc reductions take it
            check(backend, name, a, strict=True)
    check(backend, "nanquantile", nan, [0.25, 0.5], axis=1, method="weibull", strict=True)
    check(backend, "nanpercentile", nan, 30, axis=0, method="lower", strict=True)
    check(backend, "nanpercentile", np.array(np.nan), 30, strict=True)


@pytest.mark.parametrize("name", ["nanmin", "nanmax"])
def test_out_of_another_ndim(backend, name):
    out = np.zeros(2)
    check(backend, name, _data("float64"), out=out)  # NumPy's ValueError, before any reading
    check(backend, name, _data("float64"), axis=(0, 1), keepdims=True, out=np.zeros((1, 1)))


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
@pytest.mark.parametrize("method", METHODS)
def test_quantile_methods(backend, name, method):
    for dtype in ("float64", "float32", "int64"):
        x = _data(dtype)
        for q in (0.4, [0.0, 0.25, 1.0], np.array([0.1, 0.9], np.float32), np.array([[0.2], [0.75]])):
            check(backend, name, x, q, method=method)
            check(backend, name, x, q, axis=1, method=method, keepdims=True)
        check(backend, name, x, 1, axis=(0, 2), method=method)  # a Python int: NumPy's integer indexes


@pytest.mark.parametrize("name", ["percentile", "nanpercentile"])
def test_percentiles(backend, name):
    x = _data("float32")
    for method in ("linear", "nearest", "median_unbiased"):
        check(backend, name, x, 40, method=method)
        check(backend, name, x, [5, 50.0, 100], axis=-1, method=method)
        check(backend, name, x, np.float32(12.5), axis=(1, 2), method=method)
    check(backend, name, _data("int16"), 50)
    out = np.zeros((2, 4, 3))
    assert check(backend, name, x, [10, 90], axis=1, out=out) is out


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
def test_weights(backend, name):
    scale = 100 if "percentile" in name else 1
    x = _data("float64")
    w = rng.random(x.shape)
    for axis in (None, 1, (0, 2)):
        check(backend, name, x, [0.2 * scale, 0.7 * scale], axis=axis, method="inverted_cdf", weights=w)
    along = {"weights": w[0, :, 0], "axis": 1, "method": "inverted_cdf"}
    if name.startswith("nan"):  # NumPy's own indexes such weights as a's shape (an IndexError): broadcast here
        full = np.broadcast_to(w[0, :, 0][:, None], x.shape)
        with pytest.warns(RuntimeWarning, match="All-NaN slice encountered"):
            ref = getattr(np, name)(x, 0.5 * scale, axis=1, method="inverted_cdf", weights=full)
        with pytest.warns(RuntimeWarning, match="All-NaN slice encountered"):
            assert_close(getattr(xpmath, name)(x, 0.5 * scale, backend=backend, **along), ref)
    else:
        check(backend, name, x, 0.5 * scale, **along)
        check(backend, name, x, 0.3 * scale, axis=(2, 0), method="inverted_cdf", weights=w[:, 0, :].T)
    w0 = w.copy()
    w0[:, :2] = 0  # leading zero weights are skipped
    check(backend, name, _data("int32"), [0, 0.5 * scale, scale], axis=1, method="inverted_cdf", weights=w0)
    # NumPy's errors: another method, negative weights, shapes that fit neither, weights summing to 0
    check(backend, name, x, 0.5 * scale, method="linear", weights=w)
    check(backend, name, x, 0.5 * scale, method="inverted_cdf", weights=-w)
    check(backend, name, x, 0.5 * scale, method="inverted_cdf", weights=w[0])
    check(backend, name, x, 0.5 * scale, axis=1, method="inverted_cdf", weights=w[0, :4, 0])
    check(backend, name, np.ones(4), 0.5 * scale, method="inverted_cdf", weights=np.zeros(4))


def test_quantile_errors(backend):
    x = _data("float64")
    for q in (1.5, -0.1, np.nan, [0.5, 2.0], np.zeros((1, 1, 1))):
        check(backend, "quantile", x, q)
        check(backend, "nanquantile", x, q)
    check(backend, "percentile", x, 101)
    check(backend, "nanpercentile", x, [-1, 50])
    check(backend, "quantile", x, 0.5, method="foo")
    check(backend, "quantile", x.astype(complex), 0.5)
    check(backend, "nanpercentile", x.astype(complex), 50)
    check(backend, "quantile", x > 0, 0.5)  # bool: NumPy cannot interpolate booleans
    check(backend, "quantile", x > 0, 0.5, method="lower")
    check(backend, "quantile", x > 0, [0, 1])
    check(backend, "ptp", x > 0)
    with pytest.raises(xpmath.XPMathTypeError):
        xpmath.quantile(["a", "b"], 0.5, backend=backend)
    with pytest.raises(xpmath.AxisError):
        xpmath.nanquantile(x, 0.5, axis=3, backend=backend)


def test_average(backend):
    x = _data("float32")
    w = rng.random(x.shape)
    check(backend, "average", x, weights=w)
    check(backend, "average", x, axis=1, weights=w[0, :, 0].astype(np.float16), returned=True)
    check(backend, "average", x, axis=(2, 0), weights=w[:, 0, :].T, keepdims=True)
    check(backend, "average", _data("int8"), axis=0, weights=np.arange(4, dtype=np.int8), returned=True)
    check(backend, "average", _data("complex128"), axis=-1, returned=True)
    check(backend, "average", x, weights=w[0])  # TypeError: no axis for weights of another shape
    check(backend, "average", x, axis=1, weights=w[0, :3, 0])  # ValueError: weights fit no axis
    with pytest.raises(ZeroDivisionError) as info:
        xpmath.average([1.0, 2.0], weights=[1.0, -1.0], backend=backend)
    assert isinstance(info.value, xpmath.ZeroWeightsError)


def test_ptp_keeps_the_dtype(backend):
    check(backend, "ptp", np.array([-100, 100], np.int8))  # wraps, as NumPy's
    check(backend, "ptp", _data("complex128"), axis=1)
    out = np.zeros(5)
    assert check(backend, "ptp", _data("float64"), axis=(0, 2), out=out) is out


def test_results_of_backend_arrays_stay_there(backend):
    x = xpmath.asarray(_data("float64"), backend=backend)
    be = xpmath._registry.get(backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for r in (xpmath.nanmean(x, axis=1), xpmath.quantile(xpmath.nansum(x, axis=0), [0.1, 0.5]),
                  xpmath.nanquantile(x, 0.5, axis=0), xpmath.average(x, axis=2), xpmath.ptp(x, axis=0)):
            assert isinstance(r, be.array_type)
        np.testing.assert_allclose(xpmath.to_numpy(xpmath.nanpercentile(x, 30, axis=2)),
                                   np.nanpercentile(xpmath.to_numpy(x), 30, axis=2))


def _signature(f):
    return [(p.name, p.kind, repr(p.default)) for p in inspect.signature(f).parameters.values() if p.name != "backend"]


@pytest.mark.parametrize("name", NAN_REDUCTIONS + ["nanquantile", "nanpercentile", "quantile", "percentile", "ptp",
                                                   "average"])
def test_signatures_are_numpys(name):
    assert _signature(getattr(xpmath, name)) == _signature(getattr(np, name))
    assert getattr(xpmath, name) is getattr(xpmath.stats, name)


@pytest.fixture
def dask_module(monkeypatch):
    """The dask backend's module, every reduced slice counted large (so quantiles take the histogram
    selection), and its passes over the data recorded."""
    if xpmath._registry.status("dask")[0] is None or "dask" not in {p.id for p in xpmath.testing.backend_params()}:
        pytest.skip("dask backend not under test here")
    import xpmath_backends.dask_backend as D

    monkeypatch.setattr(D, "SLICE_BYTES", 64)
    monkeypatch.setattr(D, "GATHER_LIMIT", 50)
    passes = []  # the layers read by each compute: a pass over the data reads its layer
    compute = D._compute

    def layers(v):
        if isinstance(v, (tuple, list)):
            return set().union(*map(layers, v)) if v else set()
        return set(v.__dask_graph__().layers) if hasattr(v, "__dask_graph__") else set()

    monkeypatch.setattr(D, "_compute", lambda *xs: passes.append(layers(xs)) or compute(*xs))
    return D, passes


def _passes_over(passes, data):
    return sum(data.name in p for p in passes)


def test_dask_selects_the_quantiles_of_large_slices_exactly(dask_module):
    D, passes = dask_module
    import dask.array as da

    x = rng.normal(size=(400, 3))
    x[::9, 0] = x[0, 0]  # ties
    x[5, 1], x[6, 1], x[7, 2] = np.inf, -np.inf, np.nan
    chunked = da.from_array(x, chunks=(60, 3))
    for method in METHODS:
        for name in ("quantile", "nanquantile"):
            for axis in (None, 0):
                passes.clear()
                q = [0.0, 0.1, 0.5, 0.99, 1.0]
                got, exc, said = _run(getattr(xpmath, name), chunked, q, axis=axis, method=method)
                ref, _, ref_said = _run(getattr(np, name), x, q, axis=axis, method=method)
                assert exc is None and said == ref_said
                np.testing.assert_array_equal(xpmath.to_numpy(got), ref)  # to the bit
                # a census, a histogram and one read of the bins: every slice and every q together
                # a census, a histogram and one read of the bins: every slice and every q together (the
                # census alone where a NaN makes every quantile NaN)
                expected = 1 if name == "quantile" and axis is None else 3
                assert _passes_over(passes, chunked) == expected, (name, method, axis)
    for name in ("median", "nanmedian"):
        got = getattr(xpmath, name)(chunked, axis=0)
        np.testing.assert_array_equal(xpmath.to_numpy(got), getattr(np, name)(x, axis=0))


def test_dask_selection_splits_clusters_of_ties(dask_module):
    import dask.array as da

    x = np.concatenate([np.zeros(300), np.linspace(1, 1 + 1e-12, 300), [-5.0, 7.0]])
    rng.shuffle(x)
    chunked = da.from_array(x, chunks=50)
    for method in ("linear", "midpoint", "inverted_cdf"):
        q = np.linspace(0, 1, 11)
        np.testing.assert_array_equal(xpmath.to_numpy(xpmath.quantile(chunked, q, method=method)),
                                      np.quantile(x, q, method=method))
    np.testing.assert_array_equal(xpmath.to_numpy(xpmath.median(chunked)), np.median(x))
    np.testing.assert_array_equal(xpmath.to_numpy(xpmath.nanmedian(da.from_array(x[:-1], chunks=50))),
                                  np.nanmedian(x[:-1]))
