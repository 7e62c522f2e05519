"""Dask-specific checks: laziness, on-disk input, the scheduler, and an out-of-core regression.

The whole suite already runs on dask through the ``backend`` fixture (results are computed before
they are compared); this file adds what only the dask backend has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath.testing import assert_close, backend_marks

_be = _registry.status("dask")[0]
pytestmark = backend_marks("dask")

if _be is not None:
    import dask.array as da


def _data(rng, n=5000, d=6):
    X = rng.standard_normal((n, d)) * np.arange(1, d + 1) + np.arange(d)
    y = X @ np.linspace(-1, 1, d) + 0.5 + 0.01 * rng.standard_normal(n)
    return X, y


def test_results_stay_lazy_until_asked(rng):
    X, _ = _data(rng)
    dX = da.from_array(X, chunks=(1000, 6))
    for fn in (xpmath.mean, xpmath.var, xpmath.std, xpmath.zscore, xpmath.cov, xpmath.corrcoef, xpmath.norm):
        kw = {"rowvar": False} if fn in (xpmath.cov, xpmath.corrcoef) else {}
        r = fn(dX, backend="dask", **kw)
        assert isinstance(r, da.Array), fn.__name__
        ref = fn(X, backend="numpy", **kw)
        assert_close(xpmath.to_numpy(r), ref)
    for r in (xpmath.matmul(dX.T, dX, backend="dask"), xpmath.dot(dX, np.ones(6), backend="dask"),
              xpmath.cosine_similarity(dX[:50], dX[:20], backend="dask")):
        assert isinstance(r, da.Array)
    assert_close(xpmath.to_numpy(xpmath.matmul(dX.T, dX, backend="dask")), X.T @ X)


def test_numpy_input_is_chunked_by_rows_and_dask_input_passes_through(rng):
    X, _ = _data(rng, n=20_000)
    a = xpmath.asarray(X, backend="dask")
    assert isinstance(a, da.Array) and a.chunks[1] == (6,)
    d = da.from_array(X, chunks=(777, 3))
    assert xpmath.asarray(d, backend="dask") is d


def test_open_array_npy_and_zarr(tmp_path, rng):
    X, _ = _data(rng, n=3001)
    p = tmp_path / "x.npy"
    np.save(p, X)
    a = xpmath.open_array(p, chunk_rows=500)
    assert isinstance(a, da.Array) and a.numblocks == (7, 1)
    assert_close(xpmath.to_numpy(xpmath.mean(a, axis=0, backend="dask")), X.mean(axis=0))
    assert_close(xpmath.to_numpy(xpmath.median(a, backend="dask")), np.median(X))
    zarr = pytest.importorskip("zarr")
    z = zarr.open(str(tmp_path / "x.zarr"), mode="w", shape=X.shape, chunks=(1000, 6), dtype=X.dtype)
    z[:] = X
    b = xpmath.open_array(tmp_path / "x.zarr")
    assert isinstance(b, da.Array)
    assert_close(xpmath.to_numpy(xpmath.cov(b, rowvar=False, backend="dask")), np.cov(X, rowvar=False))



@pytest.mark.parametrize("case", ["raw", "raw-int32-unwritten-chunk", "compressed", "big-endian"])
def test_open_array_zarr_reads_the_same_values_as_zarr(tmp_path, rng, case):
    """Raw chunks read straight from their files equal Zarr's own read, edge chunks on both axes and a
    chunk never written (Zarr's fill value) included; any other codec goes through Zarr."""
    zarr = pytest.importorskip("zarr")
    from zarr.codecs import BytesCodec
    from xpmath_backends import dask_backend as dbe

    X = rng.standard_normal((1003, 7))
    kw = {"compressors": None}
    if case == "raw-int32-unwritten-chunk":
        X = rng.integers(-1000, 1000, size=X.shape).astype(np.int32)
        kw["fill_value"] = 7
    elif case == "compressed":
        kw = {}
    elif case == "big-endian":
        kw["serializer"] = BytesCodec(endian="big" if sys.byteorder == "little" else "little")
    z = zarr.create_array(str(tmp_path / "x.zarr"), shape=X.shape, chunks=(250, 3), dtype=X.dtype, **kw)
    z[:] = X
    if case == "raw-int32-unwritten-chunk":
        z[250:500, 3:6] = 7  # equal to the fill value: Zarr writes no file for this chunk
        X[250:500, 3:6] = 7
        assert not (tmp_path / "x.zarr" / "c" / "1" / "1").exists()
    raw = case.startswith("raw")
    assert (dbe._raw_chunk_dir(zarr.open_array(str(tmp_path / "x.zarr"), mode="r")) is not None) == raw
    a = xpmath.open_array(tmp_path / "x.zarr")
    assert a.chunks == ((250, 250, 250, 250, 3), (3, 3, 1))  # one task per store chunk
    got = a.compute()
    zs = zarr.open_array(str(tmp_path / "x.zarr"), mode="r")
    assert got.dtype == zs.dtype and got.flags.c_contiguous
    np.testing.assert_array_equal(got, zs[:])
    np.testing.assert_array_equal(got, X)
    # every block, and selections across chunks, equal Zarr's read of the same region
    np.testing.assert_array_equal(a[240:760, 2:5].compute(), zs[240:760, 2:5])
    reader = dbe._ZarrChunks(zs, dbe._raw_chunk_dir(zs))
    for key in [(slice(1000, 1003), slice(6, 7)), (slice(0, 250), slice(3, 6)), (slice(3, 9), slice(None))]:
        np.testing.assert_array_equal(reader[key], zs[key])
    assert_close(xpmath.to_numpy(xpmath.var(a, axis=0, backend="dask")), np.var(X, axis=0))


def test_models_on_dask_match_the_in_memory_fit(rng):
    X, y = _data(rng)
    dX, dy = da.from_array(X, chunks=(700, 6)), da.from_array(y, chunks=700)
    for solver in ("lstsq", "gd"):
        kw = {"solver": solver} if solver == "lstsq" else {"solver": "gd", "lr": 0.01, "max_iter": 60}
        got = xpmath.LinearRegression(backend="dask", **kw).fit(dX, dy)
        ref = xpmath.LinearRegression(backend="numpy", **kw).fit(X, y)
        assert_close(xpmath.to_numpy(got.coef_), xpmath.to_numpy(ref.coef_), rtol=1e-9, atol=1e-9)
        assert_close(xpmath.to_numpy(got.intercept_), xpmath.to_numpy(ref.intercept_), rtol=1e-9, atol=1e-9)
    p = xpmath.PCA(n_components=2, backend="dask").fit(dX)
    q = xpmath.PCA(n_components=2, backend="numpy").fit(X)
    assert_close(xpmath.to_numpy(p.explained_variance_), q.explained_variance_)


def test_big_dense_decomposition_raises_backend_error():
    from xpmath_backends import dask_backend

    n = dask_backend.MAX_DENSE + 1
    a = da.eye(n, chunks=2048)
    with pytest.raises(xpmath.BackendError, match="eigh"):
        xpmath.linalg.eigh(a, backend="dask")


def test_show_config_names_the_scheduler():
    cfg = _be.config()
    assert "scheduler" in cfg and "workers" in cfg
    assert "threaded" in cfg["scheduler"]


OUT_OF_CORE = textwrap.dedent(
    """
    import json, os, sys
    import numpy as np
    from distributed import LocalCluster

    path, limit = sys.argv[1], sys.argv[2]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, memory_limit=limit,
                      dashboard_address=None) as cluster:
        os.environ["XPMATH_DASK_SCHEDULER"] = cluster.scheduler_address
        import xpmath
        X = xpmath.open_array(path)
        y = X[:, -1]
        X = X[:, :-1]
        m = xpmath.LinearRegression(backend="dask").fit(X, y)
        from xpmath_backends.dask_backend import client
        workers = client().scheduler_info()["workers"]
        print(json.dumps({
            "coef": xpmath.to_numpy(m.coef_).tolist(),
            "intercept": float(xpmath.to_numpy(m.intercept_)),
            "mean": xpmath.to_numpy(xpmath.mean(X, axis=0, backend="dask")).tolist(),
            "memory_limits": [w["memory_limit"] for w in workers.values()],
            "scheduler": client().scheduler.address,
        }))
    """
)


@pytest.mark.slow
def test_out_of_core_regression_on_a_memory_limited_cluster(tmp_path):
    """A dataset on disk larger than the only worker's memory limit: the fit equals the in-memory one."""
    rng = np.random.default_rng(7)
    # 6e6 × 13 float64 = 624 MB on disk; the worker may hold 500 MB, of which the interpreter with
    # NumPy, Dask, distributed and xpmath (scikit-learn included) takes ~150 MB before any data
    n, d = 6_000_000, 12
    limit = 500 * 10**6
    path = tmp_path / "big.npy"
    data = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(n, d + 1))
    w_true = np.linspace(-2, 2, d)
    for lo in range(0, n, 1_000_000):
        hi = min(lo + 1_000_000, n)
        Xb = rng.standard_normal((hi - lo, d)) * 3 + 1
        data[lo:hi, :d] = Xb
        data[lo:hi, d] = Xb @ w_true + 0.25 + 0.1 * rng.standard_normal(hi - lo)
    data.flush()
    del data
    assert os.path.getsize(path) > limit
    out = subprocess.run([sys.executable, "-c", OUT_OF_CORE, str(path), str(limit)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["memory_limits"] == [limit]
    full = np.load(path)
    ref = xpmath.LinearRegression(backend="numpy").fit(full[:, :d], full[:, d])
    assert_close(np.array(got["coef"]), ref.coef_, rtol=1e-9, atol=1e-9)
    assert abs(got["intercept"] - float(ref.intercept_)) < 1e-9
    assert_close(np.array(got["mean"]), full[:, :d].mean(axis=0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel_rows", [64, 1 << 40], ids=["kernels", "numpy-chunks"])
def test_one_pass_moments_and_gram_on_offset_data(rng, monkeypatch, kernel_rows):
    """var/std (axis 0 and None) and cov/corrcoef of chunked data with a large common offset, each
    one pass over the chunks, hold NumPy's digits: a chunk mean rounded to the offset's ulp would
    cost ~1e-11 here."""
    from xpmath_backends import dask_backend as dbk

    monkeypatch.setattr(dbk, "_KERNEL_MIN_ROWS", kernel_rows)
    x = rng.normal(1e6, 1.0, (6000, 4))
    dx = da.from_array(x, chunks=(1500, 4))
    for axis in (0, None):
        for ddof in (0, 1):
            assert_close(xpmath.to_numpy(xpmath.var(dx, axis=axis, ddof=ddof, backend="dask")),
                         x.var(axis=axis, ddof=ddof), rtol=1e-13, atol=0)
        assert_close(xpmath.to_numpy(xpmath.std(dx, axis=axis, backend="dask")), x.std(axis=axis), rtol=1e-13,
                     atol=0)
    scale = np.sqrt(np.outer(x.var(axis=0), x.var(axis=0)))
    c = xpmath.to_numpy(xpmath.cov(dx, rowvar=False, backend="dask"))
    assert np.max(np.abs(c - np.cov(x, rowvar=False)) / scale) < 1e-13
    r = xpmath.to_numpy(xpmath.corrcoef(dx, rowvar=False, backend="dask"))
    assert np.max(np.abs(r - np.corrcoef(x, rowvar=False))) < 1e-13


@pytest.mark.parametrize("gram_cols", [0, 1 << 20], ids=["blas", "kernel"])
@pytest.mark.parametrize("p", [1, 3, 17, 45])
def test_chunk_gram_kernel_and_blas_agree_with_numpy(rng, monkeypatch, gram_cols, p):
    """Each row chunk's centred Gram, by the numba kernel (centred columns' dot products) or by BLAS,
    gives NumPy's cov on offset data, rows (rowvar=False) or columns (rowvar=True: chunks that are
    transposed views) as variables, a last chunk shorter than the kernel's block of rows included."""
    from xpmath_backends import dask_backend as dbk

    monkeypatch.setattr(dbk, "_GRAM_KERNEL_COLS", gram_cols)
    x = rng.normal(50.0, 2.0, (2999, p)) * np.linspace(1, 3, p)
    scale = np.sqrt(np.outer(x.var(axis=0), x.var(axis=0)))
    for data, rowvar in ((x, False), (np.ascontiguousarray(x.T), True)):
        dx = da.from_array(data, chunks=(1000, p) if not rowvar else (p, 1000))
        c = np.atleast_2d(xpmath.to_numpy(xpmath.cov(dx, rowvar=rowvar, backend="dask")))
        assert c.shape == (p, p)
        assert np.max(np.abs(c - np.atleast_2d(np.cov(x, rowvar=False))) / scale) < 1e-13
        assert np.array_equal(c, c.T)


@pytest.mark.parametrize("kind", ["linear", "logistic"])
def test_fused_gradient_step_matches_numpy(rng, kind):
    """The per-chunk fused gradient step equals the reference step on the NumPy backend."""
    X, y = _data(rng, n=3000, d=5)
    if kind == "logistic":
        y = (y > np.median(y)).astype(np.float64)
    w, b = np.linspace(-0.5, 0.5, 5), 0.25
    name = f"{kind}_gd_step"
    from xpmath._reference import REFERENCE

    want = REFERENCE[name](np, X, y, w, b, 0.1, True)
    got = getattr(_be, name)(da.from_array(X, chunks=(700, 5)), da.from_array(y, chunks=700), w, b, 0.1, True)
    for g, e in zip(got, want):
        assert_close(np.asarray(g), np.asarray(e), rtol=1e-12, atol=1e-14)
