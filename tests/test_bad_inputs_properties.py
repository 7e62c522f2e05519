"""Property-based parity with NumPy (and SciPy where xpmath follows it) on bad and edge input.

Hypothesis draws a dtype (bool, every integer width, float16/32/64, complex64/128), a shape (0-d,
empty along any axis, 1 to 3 dimensions), values among NaN, +-inf, +-1e308, -0.0 and the integers'
extremes, and the arguments (``axis`` as None, int, negative, NumPy integer, tuple or out of range;
``ddof`` as 0, 1, n, above n, negative, float or NumPy integer; ``keepdims``). The oracle is the
counterpart's own call on the same input: where it raises, xpmath raises an :class:`xpmath.XPMathError`
that is also the counterpart's class; where it answers, xpmath gives the same dtype, shape, NaN and
inf positions and values (exact for integers and bools, within a dtype- and magnitude-aware tolerance
for floating reductions), and every warning the counterpart gives that is not a floating-point error
of its own arithmetic. The deliberate differences of API.md §10 (and the linear-algebra errors of
§3) are encoded where they apply.

Each test runs on every backend of the ``backend`` fixture; ``test_array_api_strict`` holds the
array-API path (array-api-strict arrays on ``device1``) to the same oracle. ``make test`` runs the
profile ``ci`` (derandomized, a few dozen examples); ``XPMATH_HYPOTHESIS_PROFILE=hunt`` (2000
examples, random) hunts for more.
"""

from __future__ import annotations

import math
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xpmath

settings.register_profile("ci", max_examples=40, derandomize=True, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("hunt", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck),
                          print_blob=True)
PROFILE = settings.get_profile(os.environ.get("XPMATH_HYPOTHESIS_PROFILE", "ci"))

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float16, np.float32, np.float64, np.complex64, np.complex128]
FLOATS = [np.nan, np.inf, -np.inf, 1e308, -1e308, -0.0, 0.0, 1.0, -2.5, 3.0, 0.1, 7.0, 1e-300, 65504.0]


def _value(draw, dt):
    if dt == np.bool_:
        return draw(st.booleans())
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return draw(st.one_of(st.integers(-3 if dt.kind == "i" else 0, 5), st.sampled_from([info.min, info.max])))
    x = draw(st.one_of(st.sampled_from(FLOATS), st.floats(-10, 10, width=16)))
    if dt.kind == "c":
        return complex(x, draw(st.one_of(st.sampled_from(FLOATS), st.just(0.0))))
    return x


@st.composite
def arrays(draw, dtypes=DTYPES, min_dims=0, max_dims=3, square=False):
    dt = np.dtype(draw(st.sampled_from(dtypes)))
    if square:
        n = draw(st.integers(0, 3))
        shape = (*draw(st.lists(st.integers(0, 2), max_size=1)), n, n)
    else:
        shape = tuple(draw(st.lists(st.integers(0, 4), min_size=min_dims, max_size=max_dims)))
    size = math.prod(shape)
    # most draws repeat a few values (ties, constant slices); the rest are the edge values alone
    values = [_value(draw, dt) for _ in range(min(size, 6))]
    flat = [values[draw(st.integers(0, len(values) - 1))] for _ in range(size)] if values else []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # +-1e308 cast to float16/32 is inf, as NumPy casts it
        a = np.array(flat, dtype=dt).reshape(shape)
    return a


def axes(draw, ndim, tuples=True, none=True):
    """None, an int in or out of range, negative, a NumPy integer, or a tuple of them."""

    def one():
        i = draw(st.integers(-ndim - 1, ndim))
        return draw(st.sampled_from([int, np.int64, np.int32, np.uint8] if i >= 0 else [int, np.int64]))(i)

    kind = draw(st.sampled_from(["int", "none", "tuple"][: 3 if tuples else 2] if none else ["int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return one()
    return tuple(one() for _ in range(draw(st.integers(0 if ndim else 1, max(ndim, 1)))))


def ddofs(draw, n):
    return draw(st.sampled_from([0, 1, n, n + 1, -1, 0.5, np.int64(1), np.int8(n), np.float64(1.0)]))


# ------------------------------------------------------------------ the oracle
ARITHMETIC = ("encountered in", "overflow", "invalid value", "divide by zero")


def _call(f):
    """``(result or None, exception or None, warning categories that are not arithmetic's)``."""
    with warnings.catch_warnings(record=True) as seen, np.errstate(all="warn"):
        warnings.simplefilter("always")
        try:
            r, exc = f(), None
        except Exception as e:  # noqa: BLE001 - the class is what is checked
            r, exc = None, e
    told = {w.category for w in seen if not any(s in str(w.message) for s in ARITHMETIC)}
    return r, exc, told


def _scale(a, power):
    """The tolerance's absolute term: the largest finite magnitude of ``a``, to ``power``, times n."""
    x = np.abs(np.asarray(a, dtype=np.complex128 if np.asarray(a).dtype.kind == "c" else np.float64))
    x = x[np.isfinite(x)]
    with np.errstate(over="ignore"):
        return float((x.max() + 1) ** power * max(x.size, 1)) if x.size else 1.0


def _same(got, want, a, power=1, dtype=None):
    got, want = xpmath.to_numpy(got), np.asarray(want)
    assert got.shape == want.shape, f"shape {got.shape} != NumPy's {want.shape}"
    assert got.dtype == (dtype or want.dtype), f"dtype {got.dtype} != NumPy's {dtype or want.dtype}"
    if want.dtype.kind in "fc":
        w = want.astype(got.dtype) if dtype else want
        eps = float(np.finfo(got.dtype).eps)
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(got, w, rtol=64 * eps, atol=64 * eps * _scale(a, power), equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def check(backend, fn, ref, a, *args, power=1, dtype=None, compare=None, warns=True, **kwargs):
    """xpmath's ``fn`` on ``backend`` against ``ref`` on the same arguments."""
    want, ref_exc, ref_told = _call(lambda: ref(a, *args, **kwargs))
    got, exc, told = _call(lambda: fn(a, *args, backend=backend, **kwargs))
    if ref_exc is not None:
        assert exc is not None, f"no error; NumPy raised {ref_exc!r}"
        assert isinstance(exc, xpmath.XPMathError), f"{type(exc).__name__} escaped: {exc}"
        assert isinstance(exc, type(ref_exc)), f"{type(exc).__name__} is not NumPy's {type(ref_exc).__name__}: {exc}"
        return
    assert exc is None, f"{type(exc).__name__}: {exc} (NumPy answered {want!r})"
    if compare is not None:
        compare(got, want)
    elif isinstance(want, tuple):
        for g, w in zip(got, want, strict=True):
            _same(g, w, a, power, dtype)
    else:
        _same(got, want, a, power, dtype)
    if warns:
        assert ref_told <= told, f"NumPy warned {ref_told}, xpmath {told}"


# where a backend still parts from the oracle: (backend, test) -> why; a failure there is an xfail
GAPS = {
    ("cupy", "mode"): "the cupy backend's mode of an empty array: no SmallSampleWarning, keepdims's shape",
    ("cupy", "test_cov_corrcoef"): "the cupy backend's moment kernels divide by zero on no observations",
}


def _known(backend, name, check_call):
    """``check_call()``; on a backend with a stated gap for test ``name``, its failure is an xfail."""
    why = GAPS.get((backend, name))
    try:
        check_call()
    except AssertionError:
        if why is None:
            raise
        pytest.xfail(why)


# ------------------------------------------------------------------ the reductions
REDUCTIONS = {
    "mean": np.mean, "median": np.median, "nanmean": np.nanmean, "nanmedian": np.nanmedian,
    "nansum": np.nansum, "nanmin": np.nanmin, "nanmax": np.nanmax, "ptp": np.ptp, "average": np.average,
}


@PROFILE
@given(data=st.data())
def test_reductions(backend, data):
    name = data.draw(st.sampled_from(sorted(REDUCTIONS)), label="function")
    a = data.draw(arrays(), label="a")
    kw = {"axis": data.draw(st.composite(lambda d: axes(d, a.ndim))(), label="axis")}
    if data.draw(st.booleans(), label="pass keepdims"):
        kw["keepdims"] = data.draw(st.sampled_from([False, True, 0, 1]), label="keepdims")
    check(backend, getattr(xpmath, name), REDUCTIONS[name], a, **kw)


MOMENTS = {"var": np.var, "std": np.std, "nanvar": np.nanvar, "nanstd": np.nanstd}


@PROFILE
@given(data=st.data())
def test_moments(backend, data):
    name = data.draw(st.sampled_from(sorted(MOMENTS)), label="function")
    a = data.draw(arrays(), label="a")
    axis = data.draw(st.composite(lambda d: axes(d, a.ndim))(), label="axis")
    ddof = data.draw(st.composite(lambda d: ddofs(d, a.shape[0] if a.ndim else 1))(), label="ddof")
    keepdims = data.draw(st.booleans(), label="keepdims")
    check(backend, getattr(xpmath, name), MOMENTS[name], a, axis=axis, ddof=ddof, keepdims=keepdims,
          power=2 if name.endswith("var") else 1)


QUANTILES = {"quantile": np.quantile, "nanquantile": np.nanquantile,
             "percentile": np.percentile, "nanpercentile": np.nanpercentile}
METHODS = ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf", "hazen", "weibull",
           "median_unbiased", "closest_observation"]


@PROFILE
@given(data=st.data())
def test_quantiles(backend, data):
    name = data.draw(st.sampled_from(sorted(QUANTILES)), label="function")
    a = data.draw(arrays(), label="a")
    top = 100.0 if "percentile" in name else 1.0
    q = data.draw(st.one_of(st.sampled_from([0.0, 0.5 * top, top, 0.3 * top, -0.1, 1.5 * top, np.nan]),
                            st.lists(st.sampled_from([0.0, 0.25 * top, top]), max_size=3)), label="q")
    axis = data.draw(st.composite(lambda d: axes(d, a.ndim))(), label="axis")
    method = data.draw(st.sampled_from(METHODS), label="method")
    keepdims = data.draw(st.booleans(), label="keepdims")
    check(backend, getattr(xpmath, name), QUANTILES[name], a, q, axis=axis, method=method, keepdims=keepdims)


# ------------------------------------------------------------------ SciPy's mode and zscore
def _zscore_compare(a, axis):
    """SciPy's z-scores, except that a slice whose spread is 0 scores 0 (API.md §10), never NaN."""

    def compare(got, want):
        got, want = xpmath.to_numpy(got), np.asarray(want)
        assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, got.dtype, want.shape, want.dtype)
        if want.size == 0:
            return
        with np.errstate(all="ignore"):
            b = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
            finite = np.isfinite(b).all(axis=axis, keepdims=True) if axis is not None else np.isfinite(b).all()
            flat = b if axis is not None else b.ravel()
            spread = np.ptp(flat.real, axis=axis or 0, keepdims=True) + np.ptp(flat.imag, axis=axis or 0, keepdims=True)
            spread = spread if axis is not None else spread.reshape((1,) * a.ndim)
            constant = np.broadcast_to(finite & (spread == 0), want.shape)
        assert (got[constant] == 0).all(), f"a constant slice scores {got[constant]}, not 0"
        keep = ~constant
        # where the spread is within rounding of the values, a score is rounding noise
        eps = float(np.finfo(got.dtype).eps)
        with np.errstate(all="ignore"):
            scale = np.max(np.abs(flat), axis=axis or 0, keepdims=True)
            scale = scale if axis is not None else scale.reshape((1,) * a.ndim)
            noisy = np.broadcast_to(spread <= 1e4 * eps * scale, want.shape) & np.isfinite(want)
        keep &= ~noisy
        if a.dtype.kind == "c":
            # complex slices whose squares overflow: SciPy's order of operations meets inf - inf (NaN)
            # where NumPy's std, which xpmath's follows, gives inf and scores 0; not followed
            huge = np.broadcast_to(scale > np.sqrt(np.finfo(got.dtype).max), want.shape)
            keep &= ~huge
        np.testing.assert_allclose(got[keep], want[keep], rtol=1e3 * eps, atol=1e3 * eps, equal_nan=True)

    return compare


def _mode_compare(got, want):
    for g, w in zip(got, want, strict=True):
        g, w = xpmath.to_numpy(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, (g.shape, g.dtype, w.shape, w.dtype)
        np.testing.assert_array_equal(g, w)


@PROFILE
@given(data=st.data())
def test_mode_zscore(backend, data):
    sps = pytest.importorskip("scipy.stats")
    is_mode = data.draw(st.booleans(), label="mode")
    # complex data: SciPy's mode orders it lexicographically; xpmath's refuses it (a TypeError)
    a = data.draw(arrays(dtypes=[d for d in DTYPES if not is_mode or np.dtype(d).kind != "c"]), label="a")
    axis = data.draw(st.composite(lambda d: axes(d, a.ndim, tuples=False))(), label="axis")
    if is_mode:
        keepdims = data.draw(st.booleans(), label="keepdims")
        if (backend, "mode") in GAPS:
            pytest.xfail(GAPS[backend, "mode"])
        check(backend, xpmath.mode, lambda *x, **k: tuple(sps.mode(*x, **k)), a, axis=axis, keepdims=keepdims,
              compare=_mode_compare)
    else:
        # SciPy divides float16 by a NumPy-integer ddof in float64 (NumPy's promotion), xpmath keeps float16
        ddof = data.draw(st.sampled_from([0, 1] if a.dtype == np.float16 else [0, 1, np.int64(1)]), label="ddof")
        # SciPy's "precision loss" warning comes with the NaN of a constant slice, which scores 0 here
        check(backend, xpmath.zscore, sps.zscore, a, axis=axis, ddof=ddof, compare=_zscore_compare(a, axis),
              warns=False)


# ------------------------------------------------------------------ covariance, norms, products, solvers
@PROFILE
@given(data=st.data())
def test_cov_corrcoef(backend, data):
    a = data.draw(arrays(max_dims=2), label="a")
    rowvar = data.draw(st.booleans(), label="rowvar")
    # float32 (and complex64) stay in their precision (API.md §10)
    keep = {np.dtype(np.float32): np.dtype(np.float32), np.dtype(np.complex64): np.dtype(np.complex64)}.get(a.dtype)
    if keep is not None and a.ndim == 2 and a.shape[0 if rowvar else 1] == 0:
        keep = np.dtype(np.float32)  # no variables: NumPy's real empty matrix
    if data.draw(st.booleans(), label="cov"):
        ddof = data.draw(st.sampled_from([None, 0, 1, 3, np.int64(2)]), label="ddof")
        bias = data.draw(st.booleans(), label="bias")
        _known(backend, "test_cov_corrcoef", lambda: check(
            backend, xpmath.cov, np.cov, a, rowvar=rowvar, bias=bias, ddof=ddof, power=2, dtype=keep))
    else:
        _known(backend, "test_cov_corrcoef", lambda: check(
            backend, xpmath.corrcoef, np.corrcoef, a, rowvar=rowvar, power=0, dtype=keep))


@PROFILE
@given(data=st.data())
def test_norm(backend, data):
    a = data.draw(arrays(), label="a")
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim - 1, a.ndim).map(np.int64),
                               st.integers(-a.ndim, a.ndim).map(int),
                               st.tuples(st.integers(-2, 2), st.integers(-2, 2))), label="axis")
    ord_ = data.draw(st.sampled_from([None, 1, 2, np.inf, -np.inf, 0, "fro", "nuc", -1, 3]), label="ord")
    keepdims = data.draw(st.booleans(), label="keepdims")
    check(backend, xpmath.norm, np.linalg.norm, a, ord=ord_, axis=axis, keepdims=keepdims)


@PROFILE
@given(data=st.data())
def test_dot_matmul(backend, data):
    dt = data.draw(st.sampled_from(DTYPES), label="dtype")
    a = data.draw(arrays(dtypes=[dt], max_dims=2), label="a")
    k = a.shape[-1] if a.ndim else 1
    b_shape = data.draw(st.sampled_from([(k,), (k, 2), (k + 1,), (), (2, k, 1)]), label="b shape")
    b = data.draw(arrays(dtypes=[data.draw(st.sampled_from([dt, np.float64, np.int64]))], max_dims=0), label="b")
    b = np.broadcast_to(b, b_shape).copy() if b.size else np.zeros(b_shape, b.dtype)
    fn, ref = data.draw(st.sampled_from([(xpmath.dot, np.dot), (xpmath.matmul, np.matmul)]), label="function")
    check(backend, fn, ref, a, b, power=2)


def _linalg_ref(ref):
    """NumPy's solver, with the contract's error for NaN or inf (API.md §3)."""

    def call(a, *args):
        if all(np.isfinite(x).all() for x in (a, *args)):
            return ref(a, *args)
        # the shapes are checked first: NumPy's answer to finite data of the same shapes decides
        # whether a shape error comes before the non-finite one
        ref(np.broadcast_to(np.eye(a.shape[-1]), a.shape), *(np.ones_like(x) for x in args))
        raise xpmath.NonFiniteError("non-finite input")

    return call


@PROFILE
@given(data=st.data())
def test_inv_solve_det(backend, data):
    a = data.draw(arrays(dtypes=[np.int64, np.float32, np.float64, np.complex128, np.bool_], square=True), label="a")
    name = data.draw(st.sampled_from(["inv", "solve", "det"]), label="function")
    args = ()
    if name == "solve":
        n = a.shape[-1]
        args = (data.draw(st.sampled_from([np.ones(n), np.ones((*a.shape[:-1], 2)), np.ones(n + 1)])),)
    check(backend, getattr(xpmath.linalg, name), _linalg_ref(getattr(np.linalg, name)), a, *args, power=a.shape[-1])


# ------------------------------------------------------------------ the array-API path
STRICT_DTYPES = [d for d in DTYPES if d is not np.float16]  # array-api-strict has no float16
# the standard's max and mean of complex: no order for nanmax, and NumPy's median of one complex
# inf divides it by 1 into inf+nanj; real data only for those two
REAL_ONLY = {"nanmax", "median"}
STRICT_OPS = {
    "mean": np.mean, "var": np.var, "std": np.std, "median": np.median, "nanmean": np.nanmean,
    "nansum": np.nansum, "nanmax": np.nanmax, "ptp": np.ptp, "average": np.average,
}


@PROFILE
@given(data=st.data())
def test_array_api_strict(data):
    xp = pytest.importorskip("array_api_strict")
    pytest.importorskip("array_api_compat")
    name = data.draw(st.sampled_from(sorted(STRICT_OPS)), label="function")
    a = data.draw(arrays(dtypes=[d for d in STRICT_DTYPES if name not in REAL_ONLY or np.dtype(d).kind != "c"]),
                  label="a")
    axis = data.draw(st.composite(lambda d: axes(d, a.ndim))(), label="axis")
    kw = {"axis": axis, "keepdims": data.draw(st.booleans(), label="keepdims")}
    if name in ("var", "std"):
        kw["ddof"] = data.draw(st.composite(lambda d: ddofs(d, a.shape[0] if a.ndim else 1))(), label="ddof")
    fn = getattr(xpmath, name)
    device = xp.Device("device1")

    def on_strict(x, *, backend, **k):
        return fn(xp.asarray(x, device=device), **k)

    check(None, on_strict, STRICT_OPS[name], a, power=2 if "ddof" in kw else 1, **kw)
