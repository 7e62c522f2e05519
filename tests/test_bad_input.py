"""Bad and extreme input, on every backend: one table of cases, each checked against NumPy's (or SciPy's,
or scikit-learn's) own answer to the same call.

A case is a call of xpmath and, where the library has a counterpart, the counterpart's call. Where
the counterpart answers, xpmath gives the same value, dtype and shape (and NumPy's warning where the
case says so); where it raises, xpmath raises an :class:`xpmath.XPMathError` that is also the
counterpart's class. A case with no counterpart names the class it expects. Every case runs on every
backend of the ``backend`` fixture (those it applies to), so a new backend inherits the table.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import xpmath
from xpmath.testing import assert_close

M = 1e308  # near the largest float64


@dataclass(frozen=True)
class Case:
    """``call(backend, files)`` against ``ref(files)`` (or, with no counterpart, ``raises``)."""

    id: str
    call: Callable
    ref: Callable | None = None
    raises: tuple[type, ...] = ()
    compare: str = "value"  # "value": value, dtype and shape; "shape": shape and dtype (random draws)
    warns: bool = False  # the counterpart's warning categories must be xpmath's too
    backends: tuple[str, ...] = ()  # where the case applies; () for every backend
    gaps: tuple[tuple[str, str], ...] = ()  # (backend, why) where it still parts from the counterpart: xfail


def same(id, name, ref, *args, compare="value", warns=False, backends=(), **kwargs):
    """xpmath's function at dotted ``name`` (``"linalg.norm"``) against ``ref``, on the same arguments."""
    fn = xpmath
    for part in name.split("."):
        fn = getattr(fn, part)
    return Case(id, lambda be, files: fn(*args, backend=be, **kwargs), lambda files: ref(*args, **kwargs),
                compare=compare, warns=warns, backends=backends)


def _scipy():
    return pytest.importorskip("scipy.stats")


def _sk_linear():
    return pytest.importorskip("sklearn.linear_model").LinearRegression


X = np.arange(12.0).reshape(3, 4) ** 1.5
X3 = np.arange(24.0).reshape(2, 3, 4)
I64, I32, U8 = np.int64, np.int32, np.uint8

# ------------------------------------------------------------------ NumPy's integers as axis, ddof, size
INTEGERS = [
    *(same(f"{f}-axis-np.int64", f, getattr(np, f), X, axis=I64(0)) for f in ("mean", "var", "std", "median")),
    *(same(f"{f}-axis-np.uint8-keepdims", f, getattr(np, f), X, axis=U8(1), keepdims=True)
      for f in ("mean", "var", "std", "median")),
    *(same(f"{f}-axis-tuple-of-np-ints", f, getattr(np, f), X3, axis=(I64(0), I32(2)))
      for f in ("mean", "var", "std", "median")),
    same("var-ddof-np.int64", "var", np.var, X, axis=1, ddof=I64(1)),
    same("std-ddof-np.float64-integral", "std", np.std, X, ddof=np.float64(1.0)),
    same("var-ddof-float", "var", np.var, X, axis=0, ddof=0.5),
    same("var-correction-np.int8", "var", np.var, X, axis=0, correction=np.int8(1)),
    same("cov-ddof-np.int64", "cov", np.cov, X, ddof=I64(2)),
    same("norm-axis-np.int64", "norm", np.linalg.norm, X, axis=I64(1)),
    same("norm-ord-axis-np.int32", "norm", np.linalg.norm, X, ord=1, axis=I32(0)),
    same("transpose-axes-np.int64", "transpose", np.transpose, X3, axes=(I64(2), I64(0), I32(1))),
    Case("zscore-axis-ddof-np-ints", lambda be, files: xpmath.zscore(X, axis=I64(1), ddof=np.int8(1), backend=be),
         lambda files: _scipy().zscore(X, axis=I64(1), ddof=np.int8(1))),
    Case("mode-axis-np.int64", lambda be, files: xpmath.mode(np.round(X) % 3, axis=I64(1), backend=be),
         lambda files: tuple(_scipy().mode(np.round(X) % 3, axis=I64(1)))),
    Case("partial_derivative-index-np.int64",
         lambda be, files: xpmath.partial_derivative(lambda w: w[0] * w[1], np.array([2.0, 3.0]), I64(1), backend=be),
         lambda files: np.float64(2.0)),
    Case("default_rng-size-np-ints", lambda be, files: xpmath.random.default_rng(0, backend=be).normal(size=(I64(2), I32(3))),
         lambda files: np.random.default_rng(0).normal(size=(I64(2), I32(3))), compare="shape"),
    Case("random.uniform-size-np.int64", lambda be, files: xpmath.random.uniform(size=I64(4), backend=be),
         lambda files: np.random.uniform(size=I64(4)), compare="shape"),
]

# ------------------------------------------------------------------ data at the edge of the float range
EXTREME_DATA = {
    "3x+max": np.array([M, M, M]),
    "4x+max": np.array([M, M, M, M]),
    "++--max": np.array([M, M, -M, -M]),
    "--++max": np.array([-M, -M, M, M]),
    "+-max": np.array([M, -M]),
    "odd-with-max": np.array([M, M, 0.0]),
    "2-D-mixed": np.array([[M, M], [M, -M], [M, M]]),
    "float32-max": np.full((2, 4), 3e38, np.float32),
    "inf-and-1": np.array([np.inf, 1.0]),
    "inf-and-minus-inf": np.array([np.inf, -np.inf, 2.0]),
}
# the cupy backend's moments are one fused read on the device, shifted and summed in double: finite
# where NumPy's sums overflow; giving NumPy's answer there needs a look at the result on the host
# (a synchronisation per call) or a second pass, a choice left to that backend's own work
CUPY_MOMENTS = (("cupy", "the cupy backend's fused moment kernels sum in double: finite where NumPy overflows"),)
EXTREME = [
    dataclasses.replace(same(f"{f}-{name}-axis-{axis}", f, getattr(np, f), data, axis=axis),
                        gaps=CUPY_MOMENTS if f != "median" and np.isfinite(data).all() else ())
    for name, data in EXTREME_DATA.items() for f in ("mean", "var", "std", "median") for axis in (None, 0)
]

# ------------------------------------------------------------------ where a backend used to part from NumPy
NUMPY_SEMANTICS = [
    same("mean-float16-accumulates-in-float32", "mean", np.mean, np.full(10, 60000, np.float16)),
    same("var-float16", "var", np.var, np.array([1.0, 2.5, 7.0], np.float16)),
    same("std-complex", "std", np.std, np.array([1, 1j, -1, -1j])),
    same("var-complex-axis", "var", np.var, np.array([[1, 1j], [-1, -1j]]), axis=0, keepdims=True),
    same("var-ddof-above-n", "var", np.var, np.array([1.0, 2.0]), ddof=5, warns=True),
    same("std-ddof-equal-n", "std", np.std, X, axis=0, ddof=3, warns=True),
    same("var-ddof-above-n-constant", "var", np.var, np.array([3.0, 3.0]), ddof=4, warns=True),
    same("median-complex", "median", np.median, np.array([1 + 1j, 2, 3j, 4 - 1j])),
    same("median-complex-odd-keepdims", "median", np.median, np.array([[1 + 1j, 2, 3j]]), keepdims=True),
    same("median-0-d-axis-0", "median", np.median, np.array(3.0), axis=0),
    *(same(f"{f}-0-d-axis-minus-1", f, getattr(np, f), np.array(3.0), axis=-1) for f in ("mean", "var", "std")),
    same("norm-0-d-axis-0", "norm", np.linalg.norm, np.array(3.0), axis=0),
    same("mean-axis-bool", "mean", np.mean, X, axis=True),
    same("mean-axis-float", "mean", np.mean, X, axis=1.0),
    same("mean-string-dtype", "mean", np.mean, X, dtype="U"),
    same("var-bytes-dtype", "var", np.var, X, dtype="S"),
    Case("mode-bool", lambda be, files: xpmath.mode(np.array([True, False, True]), backend=be),
         lambda files: _scipy().mode(np.array([True, False, True]))),
    Case("zscore-axis-float", lambda be, files: xpmath.zscore(X, axis=1.0, backend=be),
         lambda files: _scipy().zscore(X, axis=1.0)),
    Case("mode-0-d-axis-0", lambda be, files: xpmath.mode(np.array(3.0), axis=0, backend=be),
         lambda files: tuple(_scipy().mode(np.array(3.0), axis=0))),
    Case("mode-0-d-keepdims", lambda be, files: xpmath.mode(np.array(3.0), axis=-1, keepdims=True, backend=be),
         lambda files: tuple(_scipy().mode(np.array(3.0), axis=-1, keepdims=True))),
]

# ------------------------------------------------------------------ errors that used to escape raw
RAW = [
    same("transpose-axis-out-of-range", "transpose", np.transpose, X, axes=(0, 3)),
    same("transpose-float-axis", "transpose", np.transpose, X, axes=(0.5, 1)),
    same("transpose-repeated-axis", "transpose", np.transpose, X, axes=(0, 0)),
    same("transpose-too-few-axes", "transpose", np.transpose, X3, axes=(0, 1)),
    same("transpose-too-many-axes", "transpose", np.transpose, X, axes=(0, 1, 2)),
    Case("LinearRegression-string-y",
         lambda be, files: xpmath.LinearRegression(backend=be).fit([[1.0], [2.0], [3.0]], ["a", "b", "c"]),
         lambda files: _sk_linear()().fit([[1.0], [2.0], [3.0]], ["a", "b", "c"])),
    Case("LinearRegression-numeric-string-y",
         lambda be, files: xpmath.LinearRegression(backend=be).fit([[1.0], [2.0], [3.0]], np.array(["1", "3", "5"])).coef_,
         lambda files: _sk_linear()().fit([[1.0], [2.0], [3.0]], np.array(["1", "3", "5"])).coef_),
]

# ------------------------------------------------------------------ what NumPy takes and xpmath refused
NUMPY_TAKES = [
    Case("default_rng-list-seed", lambda be, files: xpmath.random.default_rng([1, 2], backend=be).uniform(size=5),
         lambda files: np.random.default_rng([1, 2]).uniform(size=5), compare="shape"),
    Case("default_rng-float-seed", lambda be, files: xpmath.random.default_rng(1.5, backend=be),
         lambda files: np.random.default_rng(1.5)),
    Case("default_rng-integral-float-seed", lambda be, files: xpmath.random.default_rng(2.0, backend=be),
         lambda files: np.random.default_rng(2.0)),
    Case("default_rng-negative-seed", lambda be, files: xpmath.random.default_rng(-1, backend=be),
         lambda files: np.random.default_rng(-1)),
    Case("seed-list", lambda be, files: (xpmath.random.seed([1, 2]), xpmath.random.normal(size=3, backend=be))[1],
         lambda files: (np.random.seed([1, 2]), np.random.normal(size=3))[1], compare="shape"),
    Case("seed-float", lambda be, files: xpmath.random.seed(1.5), lambda files: np.random.seed(1.5)),
    Case("seed-too-large", lambda be, files: xpmath.random.seed(2**32), lambda files: np.random.seed(2**32)),
    Case("default_rng-uniform-high-below-low",
         lambda be, files: xpmath.random.default_rng(0, backend=be).uniform(1.0, 0.0, size=3),
         lambda files: np.random.default_rng(0).uniform(1.0, 0.0, size=3)),
    Case("random.uniform-high-below-low", lambda be, files: xpmath.random.uniform(1.0, 0.0, size=3, backend=be),
         lambda files: np.random.uniform(1.0, 0.0, size=3), compare="shape"),
    same("norm-axis-float", "norm", np.linalg.norm, X, axis=1.0),
    same("norm-axis-float-in-tuple", "norm", np.linalg.norm, X, axis=(1.0,)),
    same("norm-axis-list", "norm", np.linalg.norm, X, axis=[1]),
]


# ------------------------------------------------------------------ averages, quantiles and the NaN-ignoring reductions
XN = np.where(X > 10, np.nan, X)
STATS = [
    *(same(f"{f}-axis-np.int64", f, getattr(np, f), XN, axis=I64(1))
      for f in ("nanmean", "nanvar", "nanstd", "nansum", "nanmin", "nanmax", "nanmedian", "ptp", "average")),
    *(same(f"{f}-axis-bool", f, getattr(np, f), XN, axis=True) for f in ("nanmean", "nansum", "ptp", "average")),
    *(same(f"{f}-axis-float", f, getattr(np, f), XN, axis=1.0) for f in ("nanmedian", "nanmax", "average")),
    *(same(f"{f}-keepdims-np.bool", f, getattr(np, f), XN, axis=0, keepdims=np.True_)
      for f in ("nanmean", "nanvar", "nanmin", "ptp", "average")),
    same("nanvar-ddof-np.int64", "nanvar", np.nanvar, XN, axis=1, ddof=I64(1), warns=True),
    same("nanstd-correction-np.float64", "nanstd", np.nanstd, XN, axis=0, correction=np.float64(0.5), warns=True),
    same("nanmean-string-dtype", "nanmean", np.nanmean, XN, dtype="U"),
    same("nansum-bytes-dtype", "nansum", np.nansum, XN, dtype="S"),
    same("nanmean-where-wrong-shape", "nanmean", np.nanmean, XN, where=np.ones(3, bool)),
    same("nanmin-empty-no-initial", "nanmin", np.nanmin, np.zeros((0, 2)), axis=0),
    same("nanmax-where-no-initial", "nanmax", np.nanmax, XN, where=XN > 2),
    same("ptp-empty", "ptp", np.ptp, np.zeros((0, 2)), axis=0),
    same("ptp-bool", "ptp", np.ptp, X > 2),
    same("ptp-uint8-wraps", "ptp", np.ptp, np.array([250, 3], U8)),
    *(same(f"{f}-{name}", f, getattr(np, f), data)
      for name, data in (("+-max", EXTREME_DATA["+-max"]), ("inf-and-minus-inf", EXTREME_DATA["inf-and-minus-inf"]),
                         ("float32-max", EXTREME_DATA["float32-max"]))
      for f in ("nanmean", "nansum", "nanmin", "ptp", "nanmedian", "average")),
    same("quantile-q-np.float64", "quantile", np.quantile, X, np.float64(0.3), axis=I64(0)),
    same("quantile-q-np.float32-keeps-float32", "quantile", np.quantile, X.astype(np.float32), np.float32(0.3)),
    same("percentile-q-np.int64", "percentile", np.percentile, X, I64(50), method="nearest"),
    same("quantile-q-bool", "quantile", np.quantile, X, True),
    same("quantile-q-nan", "quantile", np.quantile, X, np.nan),
    same("quantile-q-list-with-nan", "nanquantile", np.nanquantile, X, [0.5, np.nan]),
    same("quantile-q-3-d", "quantile", np.quantile, X, np.zeros((1, 1, 1))),
    same("percentile-q-101", "percentile", np.percentile, X, 101),
    same("quantile-method-None", "quantile", np.quantile, X, 0.5, method=None),
    same("quantile-method-unknown", "quantile", np.quantile, X, 0.5, method="cubic"),
    same("quantile-empty", "quantile", np.quantile, np.zeros(0), 0.5),
    same("quantile-string-data", "quantile", np.quantile, np.array(["a", "b"]), 0.5),
    *(same(f"quantile-weights-{v}", "quantile", np.quantile, X, 0.5, method="inverted_cdf", weights=np.full(X.shape, v))
      for v in (np.nan, np.inf)),
    same("quantile-weights-all-zero", "nanquantile", np.nanquantile, X, 0.5, method="inverted_cdf", weights=0 * X),
    same("nanquantile-overwrite_input", "nanquantile", np.nanquantile, XN.copy(), 0.5, overwrite_input=True),
    same("nanmedian-overwrite_input", "nanmedian", np.nanmedian, XN.copy(), axis=0, overwrite_input=True),
    same("average-weights-nan", "average", np.average, X, weights=np.full(X.shape, np.nan)),
    same("average-weights-zero", "average", np.average, X, axis=0, weights=np.zeros(3)),
    same("average-weights-string", "average", np.average, X, weights=np.full(X.shape, "1")),
    same("average-weights-2-d-for-an-axis", "average", np.average, X, axis=1, weights=np.ones((4, 1))),
    same("average-returned-np.bool", "average", np.average, X, axis=0, returned=np.True_),
    # strings where numbers go: NumPy's ufuncs raise their UFuncTypeError, a TypeError as xpmath's class is
    Case("nanvar-ddof-string", lambda be, files: xpmath.nanvar(XN, ddof="1", backend=be),
         raises=(xpmath.XPMathTypeError,)),
    Case("quantile-q-string", lambda be, files: xpmath.quantile(X, "0.5", backend=be),
         raises=(xpmath.XPMathTypeError,)),
    Case("quantile-weights-string", lambda be, files: xpmath.quantile(X, 0.5, method="inverted_cdf",
                                                                     weights=np.full(X.shape, "1"), backend=be),
         raises=(xpmath.XPMathTypeError,)),
]

# ------------------------------------------------------------------ what the property-based test found
Z0 = np.array(False)  # 0-d bool: NumPy's nan* functions hand it to mean/var/std, which refuse axis=0
PROPERTY = [
    *(same(f"{f}-0-d-bool-axis-0", f, getattr(np, f), Z0, axis=0) for f in ("nanmean", "nanvar", "nanstd")),
    *(same(f"{f}-0-d-float-axis-0", f, getattr(np, f), np.array(2.0), axis=0) for f in ("nanmean", "nanvar")),
    same("nanpercentile-complex-0-d-axis-0", "nanpercentile", np.nanpercentile, np.array(1j, np.complex64), 0.0, axis=0),
    same("quantile-complex-axis-out-of-range", "quantile", np.quantile, np.ones(3, complex), 0.5, axis=4),
    same("ptp-empty-bool", "ptp", np.ptp, np.zeros(0, bool), axis=0),
    same("percentile-empty-bool", "percentile", np.percentile, np.zeros(0, bool), 0.0),
    same("quantile-bool-empty-axis", "quantile", np.quantile, np.zeros((3, 0), bool), 0.5, axis=1),
    same("quantile-bool-empty-kept-axis", "quantile", np.quantile, np.zeros((0, 3), bool), 0.5, axis=1),
    same("nanpercentile-empty-bool", "nanpercentile", np.nanpercentile, np.zeros(0, bool), 0.0, warns=True),
    same("nanmean-empty-bool", "nanmean", np.nanmean, np.zeros(0, bool), warns=True),
    same("nanstd-0-d-bool-ddof-1", "nanstd", np.nanstd, Z0, ddof=1, warns=True),
    same("nanvar-int-ddof-n", "nanvar", np.nanvar, np.array([1, 2]), ddof=2, warns=True),
    same("cov-one-observation", "cov", np.cov, np.array([1.0]), warns=True),
    same("cov-0-d", "cov", np.cov, np.array(1.0), warns=True),
    same("cov-0-d-bool-bias", "cov", np.cov, Z0, rowvar=False, bias=True),
    same("cov-ddof-above-n", "cov", np.cov, X, ddof=4, warns=True),
    same("corrcoef-0-d-bool", "corrcoef", np.corrcoef, Z0, rowvar=False, warns=True),
    same("cov-float16-is-float64", "cov", np.cov, np.array([1.0, 2.0, 4.0], np.float16)),
    same("corrcoef-float16-is-float64", "corrcoef", np.corrcoef, np.array([[1, 2, 4], [3, 1, 0]], np.float16)),
    same("norm-empty-stack-axis-0-inf", "norm", np.linalg.norm, np.zeros((0, 0, 0), bool), ord=np.inf, axis=I64(0)),
    same("norm-empty-axis-1-ord-1", "norm", np.linalg.norm, np.zeros((2, 0)), ord=1, axis=1),
    *(same(f"norm-float16-ord-{o}", "norm", np.linalg.norm, np.ones((2, 2), np.float16), ord=o) for o in (2, "nuc")),
    same("cov-no-variables-complex", "cov", np.cov, np.zeros((0, 0), complex), rowvar=False),
    same("corrcoef-no-variables-complex", "corrcoef", np.corrcoef, np.zeros((0, 3), complex)),
    same("percentile-empty-int-no-q", "percentile", np.percentile, np.zeros(0, np.int8), []),
    same("percentile-empty-bool-no-q-lower", "percentile", np.percentile, np.zeros(0, bool), [], method="lower"),
    same("percentile-empty-float-no-q", "percentile", np.percentile, np.zeros(0), []),
    same("percentile-empty-bool-axis-empty-tuple", "percentile", np.percentile, np.zeros(0, bool), 0.0, axis=()),
    *(Case(f"zscore-inf-slice-{name}", lambda be, files, d=d: xpmath.zscore(d, backend=be),
           lambda files, d=d: _scipy().zscore(d))
      for name, d in (("one", np.array([np.inf])), ("two", np.array([np.inf, np.inf])),
                      ("columns", np.array([[np.inf, 1.0], [np.inf, 3.0]])))),
    *(same(f"{f}-float16-overflow-ddof-{d}", f, getattr(np, f), np.full(2, 65504, np.float16), ddof=d)
      for f in ("nanvar", "nanstd") for d in (0, 2)),
    # one value and ddof=1: a constant slice, whose score is 0 (API.md §10), on every backend
    Case("zscore-one-value-ddof-1", lambda be, files: xpmath.zscore(np.array([False]), axis=None, ddof=1, backend=be),
         lambda files: np.nan_to_num(_scipy().zscore(np.array([False]), axis=None, ddof=1), nan=0.0)),
    Case("mode-empty-bool", lambda be, files: xpmath.mode(np.zeros(0, bool), axis=None, backend=be),
         lambda files: tuple(_scipy().mode(np.zeros(0, bool), axis=None))),
    Case("mode-bool-axis-out-of-range", lambda be, files: xpmath.mode(np.zeros((0, 0), bool), axis=2, backend=be),
         lambda files: tuple(_scipy().mode(np.zeros((0, 0), bool), axis=2))),
]

# ------------------------------------------------------------------ open_array's files (the dask backend)
def _load(name):
    return lambda files: np.load(files[name], mmap_mode="r")


def _opened(name, **kw):
    return lambda be, files: xpmath.open_array(files[name], **kw)


FILES = [
    Case("open_array-missing-npy", _opened("missing.npy"), _load("missing.npy"), raises=(xpmath.MissingFileError,)),
    Case("open_array-truncated-npy", _opened("truncated.npy"), _load("truncated.npy"), raises=(xpmath.FileFormatError,)),
    Case("open_array-truncated-header", _opened("header.npy"), _load("header.npy"), raises=(xpmath.FileFormatError,)),
    Case("open_array-not-npy", _opened("text.npy"), _load("text.npy"), raises=(xpmath.FileFormatError,)),
    Case("open_array-empty-file", _opened("empty.npy"), raises=(xpmath.FileFormatError,)),
    Case("open_array-objects", _opened("objects.npy"), _load("objects.npy"), raises=(xpmath.FileFormatError,)),
    Case("open_array-strings", _opened("strings.npy"), raises=(xpmath.XPMathTypeError,)),
    Case("open_array-0-d", _opened("scalar.npy"), _load("scalar.npy")),
    Case("open_array-no-rows", _opened("norows.npy"), _load("norows.npy")),
    Case("open_array-missing-zarr", _opened("missing.zarr"), raises=(xpmath.MissingFileError,)),
    Case("open_array-not-zarr", _opened("plain"), raises=(xpmath.FileFormatError,)),
    Case("open_array-chunk_rows-0", _opened("good.npy", chunk_rows=0), raises=(xpmath.DomainError,)),
    Case("open_array-chunk_rows-negative", _opened("good.npy", chunk_rows=-2), raises=(xpmath.DomainError,)),
    Case("open_array-chunk_rows-float", _opened("good.npy", chunk_rows=2.5), raises=(xpmath.XPMathTypeError,)),
    Case("open_array-chunk_rows-np.int64", _opened("good.npy", chunk_rows=I64(4)), _load("good.npy")),
    Case("open_array-path-not-a-path", lambda be, files: xpmath.open_array(3), raises=(xpmath.XPMathTypeError,)),
]
FILES = [dataclasses.replace(c, backends=("dask",)) for c in FILES]

CASES = INTEGERS + EXTREME + NUMPY_SEMANTICS + RAW + NUMPY_TAKES + STATS + PROPERTY + FILES
# every class a case expects is xpmath's and the builtin's a NumPy user catches
BUILTIN = {xpmath.MissingFileError: FileNotFoundError, xpmath.FileFormatError: ValueError,
           xpmath.DomainError: ValueError, xpmath.XPMathTypeError: TypeError}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("files")
    good = np.arange(24.0).reshape(12, 2)
    np.save(d / "good.npy", good)
    whole = (d / "good.npy").read_bytes()
    (d / "truncated.npy").write_bytes(whole[:-40])
    (d / "header.npy").write_bytes(whole[:20])
    (d / "text.npy").write_text("not an array\n")
    (d / "empty.npy").write_bytes(b"")
    (d / "plain").write_text("neither .npy nor Zarr\n")
    np.save(d / "objects.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
    np.save(d / "strings.npy", np.array(["a", "b"]))
    np.save(d / "scalar.npy", np.array(2.5))
    np.save(d / "norows.npy", np.zeros((0, 3)))
    return {name: str(d / name) for name in (
        "good.npy", "truncated.npy", "header.npy", "text.npy", "empty.npy", "plain", "objects.npy", "strings.npy",
        "scalar.npy", "norows.npy", "missing.npy", "missing.zarr")}


def _run(f, *args):
    """``(result or None, exception or None, warning categories, those not of floating-point errors)``."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            r, exc = f(*args), None
            r = tuple(xpmath.to_numpy(v) for v in r) if isinstance(r, tuple) else r
        except Exception as e:  # noqa: BLE001 - the class is what is checked
            r, exc = None, e
    return r, exc, {w.category for w in seen}, {w.category for w in seen if "encountered in" not in str(w.message)}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(backend, case, files, request):
    if case.backends and backend not in case.backends:
        pytest.skip(f"{case.id} applies to {', '.join(case.backends)}")
    for name, why in case.gaps:
        if name == backend:
            request.applymarker(pytest.mark.xfail(reason=why, strict=False))
    want, ref_exc, ref_warns, _ = _run(case.ref, files) if case.ref is not None else (None, None, set(), set())
    got, exc, warns, told = _run(case.call, backend, files)
    if ref_exc is not None or case.raises:
        assert exc is not None, f"no error; {'the counterpart raised ' + repr(ref_exc) if ref_exc else case.raises}"
        assert isinstance(exc, xpmath.XPMathError), f"{type(exc).__name__} escaped: {exc}"
        if ref_exc is not None:
            assert isinstance(exc, type(ref_exc)), f"{type(exc).__name__} is not the counterpart's {type(ref_exc).__name__}"
        for cls in case.raises:
            assert isinstance(exc, cls) and isinstance(exc, BUILTIN.get(cls, Exception)), type(exc).__mro__
        assert str(exc), "an error with no message"
        return
    assert exc is None, f"{type(exc).__name__}: {exc}"
    pairs = zip(got, want, strict=True) if isinstance(want, tuple) else [(got, want)]
    for g, w in pairs:
        if case.compare == "shape":
            g, w = xpmath.to_numpy(g), np.asarray(w)
            assert (g.shape, g.dtype) == (w.shape, w.dtype)
        else:
            assert_close(g, w, rtol=1e-3 if np.asarray(w).dtype == np.float16 else None)
    # no warning the counterpart does not give (a floating-point one of NumPy's errstate aside: where
    # a backend's arithmetic runs in another order, NumPy's own loops may meet another inf or NaN)
    assert told <= ref_warns, f"warnings the counterpart does not give: {told - ref_warns}"
    if case.warns:
        assert ref_warns <= warns, f"the counterpart warned {ref_warns}, xpmath {warns}"


@pytest.fixture
def unreachable():
    if xpmath._registry.status("dask")[0] is None:
        pytest.skip("dask backend unusable here")
    with xpmath.config_context(dask_scheduler="tcp://127.0.0.1:9", dask_connect_timeout=0.5):
        yield "tcp://127.0.0.1:9"


def test_an_unreachable_scheduler_is_a_backend_error_within_the_timeout(unreachable):
    import time

    t = time.perf_counter()
    with pytest.raises(xpmath.BackendError, match="127.0.0.1:9.*unreachable") as info:
        xpmath.mean(np.ones(3), backend="dask")
    assert time.perf_counter() - t < 10
    assert "dask_connect_timeout" in str(info.value)
    assert "unreachable" in xpmath._info.config()["backends"]["dask"]["scheduler"].lower()


def test_info_names_an_unreachable_scheduler():
    import os
    import subprocess
    import sys

    if xpmath._registry.status("dask")[0] is None:
        pytest.skip("dask backend unusable here")
    env = {**os.environ, "XPMATH_DASK_SCHEDULER": "tcp://127.0.0.1:9", "XPMATH_DASK_CONNECT_TIMEOUT": "0.5"}
    r = subprocess.run([sys.executable, "-m", "xpmath", "info"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "UNREACHABLE" in r.stdout and "tcp://127.0.0.1:9" in r.stdout


# NumPy's own warnings (not those of its arithmetic), by message: a category alone is also given
# by a division's "invalid value encountered"
MESSAGES = [
    ("cov-one-observation", "cov", (np.array([1.0]),), {}, "Degrees of freedom <= 0"),
    ("cov-ddof-above-n", "cov", (X,), {"ddof": 4}, "Degrees of freedom <= 0"),
    ("corrcoef-0-d", "corrcoef", (np.array(2.0),), {}, "Degrees of freedom <= 0"),
    ("nanmean-empty-bool", "nanmean", (np.zeros(0, bool),), {}, "Mean of empty slice"),
    ("nanstd-0-d-bool-ddof-1", "nanstd", (np.array(False),), {"ddof": 1}, "Degrees of freedom <= 0"),
    ("nanvar-int-ddof-n", "nanvar", (np.array([1, 2]),), {"ddof": 2}, "Degrees of freedom <= 0"),
    ("nanpercentile-empty-bool", "nanpercentile", (np.zeros(0, bool), 50), {}, "Mean of empty slice"),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "message"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES])
def test_numpys_own_warning(backend, name, args, kwargs, message):
    with warnings.catch_warnings(record=True) as ref:
        warnings.simplefilter("always")
        want = getattr(np, name)(*args, **kwargs)
    assert any(message in str(w.message) for w in ref), "NumPy no longer warns so"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        got = xpmath.to_numpy(getattr(xpmath, name)(*args, backend=backend, **kwargs))
    assert any(message in str(w.message) and w.category is RuntimeWarning for w in seen), [str(w.message) for w in seen]
    assert_close(got, want)
