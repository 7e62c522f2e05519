"""CuPy-specific checks, marked ``gpu``: device arrays out, exact errors, fused kernels, no host trips.

The whole suite already runs on cupy through the ``backend`` fixture; this file adds what only the
GPU backend has. Every test skips, with the reason, where no CUDA device is usable.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import sys

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath._reference import REFERENCE
from xpmath.testing import assert_close, assert_same, backend_marks

_be = _registry.status("cupy")[0]
pytestmark = backend_marks("cupy")
same = functools.partial(assert_same, backend="cupy", on_backend=True)  # device arrays in and out, NumPy's values

if _be is not None:
    import cupy

# tests/fake_cupy (NumPy buffers under CuPy's rules, see its README) runs this file without a GPU; what
# only a device can show (copies to it, its memory running out) needs the real one
_FAKE = _be is not None and getattr(cupy, "_xpmath_fake", False)
needs_device = pytest.mark.skipif(_FAKE, reason="needs a real CUDA device, not the CuPy stand-in")


def test_device_arrays_keep_cupys_rules():
    """CuPy's arrays are not NumPy's: no implicit conversion to the host, no host array inside a
    device expression, 0-d arrays from reductions. The backend is written to these rules, and
    tests/fake_cupy must keep them, or its run could not catch a silent host round trip."""
    h = np.arange(6.0).reshape(2, 3)
    d = cupy.asarray(h)
    assert not isinstance(d, np.ndarray)
    for implicit in (lambda: np.asarray(d), lambda: np.array([d[0, 0], d[0, 1]]), lambda: np.asarray(d.sum())):
        with pytest.raises(TypeError):
            implicit()
    for mixed in (lambda: d + h, lambda: h + d, lambda: d * np.array(2.0), lambda: cupy.add(d, h[0]),
                  lambda: cupy.where(d > 1, d, h), lambda: cupy.concatenate([d, h])):
        with pytest.raises(TypeError):
            mixed()
    from xpmath_backends.cupy_backend import _centre

    with pytest.raises(TypeError):  # a kernel takes device arrays and scalars only
        _centre(h, cupy.zeros(3))
    # scalars mix freely; reductions and indexing give 0-d device arrays, read on the host explicitly
    for r in (d + 1, np.float64(2.0) * d, d.sum(), d[1, 2], np.mean(d), d.max(axis=None)):
        assert isinstance(r, cupy.ndarray)
    assert d.sum().ndim == 0 and d[1, 2].ndim == 0
    assert float(d.sum()) == 15.0 and int(d[1, 2]) == 5 and bool(d[0, 0] == 0) and d[0, 1].item() == 1.0
    np.testing.assert_array_equal(cupy.asnumpy(d), h)
    np.testing.assert_array_equal(d.get(), h)
    assert type(d.get()) is np.ndarray and d.tolist() == h.tolist()


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_results_are_device_arrays_with_numpys_values(dtype):
    r = np.random.default_rng(0)
    x = (r.standard_normal((300, 7)) * 5 + 3).astype(dtype)
    for fn in (xpmath.var, xpmath.std):
        for axis in (None, 0, 1):
            for ddof in (0, 1):
                same(fn, x, axis=axis, ddof=ddof)
    for axis in (None, 0, 1):
        same(xpmath.zscore, x, axis=axis)
    same(xpmath.cov, x, rowvar=False)
    same(xpmath.corrcoef, x.T)
    same(xpmath.probability.normal_pdf, x, mean=1.0, std=2.0)
    same(xpmath.probability.normal_cdf, x)
    same(xpmath.mode, np.round(x), axis=0)
    same(xpmath.median, x, axis=1)
    a = (r.standard_normal((64, 64)) + 8 * np.eye(64)).astype(dtype)
    same(xpmath.linalg.inv, a)
    same(xpmath.linalg.solve, a, x[:64, 0])
    same(xpmath.linalg.det, a)
    s = a @ a.T
    w, v = xpmath.linalg.eigh(cupy.asarray(s), backend="cupy")  # columns up to sign: cuSOLVER and LAPACK differ
    assert isinstance(w, cupy.ndarray) and isinstance(v, cupy.ndarray)
    assert_close(w, np.linalg.eigvalsh(s), rtol=1e-4 if dtype == np.float32 else 1e-10)
    vh = xpmath.to_numpy(v).astype(np.float64)
    np.testing.assert_allclose(vh.T @ vh, np.eye(64), atol=1e-4 if dtype == np.float32 else 1e-10)
    assert isinstance(xpmath.matmul(cupy.asarray(a), cupy.asarray(a), backend="cupy"), cupy.ndarray)
    assert isinstance(xpmath.matmul(a, a, backend="cupy"), np.ndarray)  # NumPy in, NumPy out


def test_draws_follow_their_parameters_onto_the_device():
    """Draws from host parameters (or none) are NumPy, as every output of host input; a device
    parameter gives device draws."""
    g = xpmath.random.default_rng(0, backend="cupy")
    assert isinstance(g.normal(size=3), np.ndarray)
    assert isinstance(g.normal(np.zeros(3)), np.ndarray)
    for r in (g.normal(cupy.zeros(3)), g.normal(0.0, cupy.ones(3)), g.uniform(cupy.zeros(3), 1.0),
              g.bernoulli(cupy.asarray([0.2, 0.7]))):
        assert isinstance(r, cupy.ndarray) and r.shape[0] in (2, 3)
    ref = xpmath.random.default_rng(0, backend="cupy").normal(np.arange(3.0), 2.0)
    assert_close(xpmath.random.default_rng(0, backend="cupy").normal(cupy.arange(3.0), 2.0), ref)


def test_singular_and_non_finite_errors_match_the_cpu():
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    for fn in (xpmath.linalg.inv, xpmath.linalg.solve):
        args = (s,) if fn is xpmath.linalg.inv else (s, np.ones(2))
        with pytest.raises(xpmath.SingularMatrixError):
            fn(*args, backend="numpy")
        with pytest.raises(xpmath.SingularMatrixError):
            fn(*args, backend="cupy")
    bad = np.array([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(xpmath.NonFiniteError):
        xpmath.linalg.inv(bad, backend="cupy")
    with pytest.raises(xpmath.ShapeError):
        xpmath.linalg.inv(np.ones((2, 3)), backend="cupy")


def test_eig_works_or_names_what_is_missing():
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    from xpmath_backends.cupy_backend import _geev_available

    if _geev_available()[0]:
        # eigenvectors are unit columns up to a phase, which cuSOLVER and LAPACK choose differently
        w, v = xpmath.linalg.eig(a, backend="cupy")
        ref = xpmath.linalg.eig(a, backend="numpy")
        assert_close(w, ref.eigenvalues)
        vh, wh = xpmath.to_numpy(v), xpmath.to_numpy(w)
        np.testing.assert_allclose(a @ vh, vh * wh, atol=1e-12)
        np.testing.assert_allclose(np.linalg.norm(vh, axis=0), 1.0, rtol=1e-12)
    else:
        with pytest.raises(xpmath.BackendError, match="eig"):
            xpmath.linalg.eig(a, backend="cupy")


@pytest.mark.parametrize("solver", ["gd"])
def test_gradient_descent_on_device_has_numpys_n_iter(solver):
    r = np.random.default_rng(1)
    X = r.standard_normal((2000, 5))
    y = X @ np.arange(1.0, 6.0) + 0.3
    Xd, yd = cupy.asarray(X), cupy.asarray(y)
    for kw in ({"max_iter": 2000, "tol": 1e-6, "lr": 0.1}, {"max_iter": 37, "lr": 0.1}):
        ref = xpmath.LinearRegression(solver=solver, backend="numpy", **kw).fit(X, y)
        got = xpmath.LinearRegression(solver=solver, backend="cupy", **kw).fit(Xd, yd)
        assert got.n_iter_ == ref.n_iter_
        assert isinstance(got.coef_, cupy.ndarray)  # fitted on device arrays: fitted attributes stay there
        assert_close(got.coef_, ref.coef_, rtol=1e-9, atol=1e-9)
        host = xpmath.LinearRegression(solver=solver, backend="cupy", **kw).fit(X, y)
        assert isinstance(host.coef_, np.ndarray) and host.n_iter_ == ref.n_iter_
    yl = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(float)
    ref = xpmath.LogisticRegression(backend="numpy", max_iter=300).fit(X, yl)
    got = xpmath.LogisticRegression(backend="cupy", max_iter=300).fit(X, yl)
    assert got.n_iter_ == ref.n_iter_
    assert_close(got.coef_, ref.coef_, rtol=1e-8, atol=1e-8)


def test_fused_gd_step_matches_the_reference_step():
    r = np.random.default_rng(2)
    for dt in (np.float32, np.float64):
        X = r.standard_normal((5000, 100)).astype(dt)
        y = r.standard_normal(5000).astype(dt)
        w = r.standard_normal(100).astype(dt)
        ref = REFERENCE["linear_gd_step"](np, X, y, w, dt(0.25), 0.1, True)
        got = _be.linear_gd_step(cupy.asarray(X), cupy.asarray(y), cupy.asarray(w), cupy.asarray(dt(0.25)), 0.1, True)
        tol = 1e-4 if dt == np.float32 else 1e-10
        for g, e in zip(got, ref):
            assert_close(g, e, rtol=tol, atol=tol, check_dtype=False)


@needs_device
def test_host_input_is_copied_once_and_logged(caplog):
    x = np.arange(12.0)
    with caplog.at_level(logging.DEBUG, logger="xpmath"):
        d = xpmath.asarray(x, backend="cupy")
        xpmath.mean(d, backend="cupy")
    copies = [r for r in caplog.records if "host -> device" in r.getMessage()]
    assert len(copies) == 1


@needs_device
def test_out_of_memory_is_a_clear_error():
    """With CuPy's memory pool capped, a copy and a factorisation that do not fit name the size asked."""
    pool = cupy.get_default_memory_pool()
    pool.free_all_blocks()
    pool.set_limit(size=64 * 2**20)
    try:
        big = np.ones((100, 2**17))  # 100 MiB
        with pytest.raises(xpmath.DeviceMemoryError, match=str(big.nbytes)):
            xpmath.asarray(big, backend="cupy")
        a = cupy.eye(2000)  # 32 MiB: fits, but its factorisation's copies do not
        a *= 2
        with pytest.raises(xpmath.DeviceMemoryError, match="ran out of memory"):
            xpmath.linalg.inv(a, backend="cupy")
    finally:
        pool.set_limit(size=0)
        pool.free_all_blocks()


def test_show_config_names_the_gpu_and_versions():
    cfg = _be.config()
    for key in ("gpu", "cuda_runtime", "library", "memory_pool", "tf32"):
        assert key in cfg
    assert cfg["tf32"].startswith("off")


_TF32_PROBE = """
import os, cupy
before = dict(os.environ)
import xpmath, xpmath_backends.cupy_backend as c
assert dict(os.environ) == before, "importing the backend changed the environment"
print(c.tf32_default())
be, why = xpmath._registry.status("cupy")
print(why or be.config()["tf32"].split()[0], "CUPY_TF32" in os.environ)
"""


def test_tf32_opt_in_is_read_from_the_environment_and_set_through_cupy():
    env = {k: v for k, v in os.environ.items() if k != "CUPY_TF32"}
    env["XPMATH_CUPY_TF32"] = "1"
    out = subprocess.run([sys.executable, "-c", _TF32_PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert out.stdout.split() == ["True", "on", "False"], out.stderr
    env["XPMATH_CUPY_TF32"] = "maybe"
    out = subprocess.run([sys.executable, "-c", _TF32_PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode != 0 and "XPMATH_CUPY_TF32='maybe'" in out.stderr


def test_apply_tf32_switches_cupys_compute_type():
    from xpmath_backends.cupy_backend import apply_tf32, tf32_default

    if int(cupy.cuda.Device().compute_capability) < 80:
        pytest.skip("TF32 needs compute capability 8.0 or newer")
    try:
        apply_tf32(True)
        assert _be.config()["tf32"] == "on"
        apply_tf32(False)
        assert _be.config()["tf32"].startswith("off")
    finally:
        apply_tf32(tf32_default())


def test_dask_array_of_cupy_chunks():
    """Dask with CuPy in its chunks (issue 7): statistics stay on the device chunk by chunk and come
    back to the host through ``to_numpy``."""
    pytest.importorskip("dask.array")
    if _registry.status("dask")[0] is None:
        pytest.skip("dask backend unusable here")
    r = np.random.default_rng(5)
    h = r.standard_normal((4000, 6)) * 2 + 1
    d = xpmath.asarray(cupy.asarray(h), backend="dask")
    assert isinstance(d._meta, cupy.ndarray)  # CuPy chunks, not a host copy
    for fn in (xpmath.mean, xpmath.var, xpmath.std):
        got = xpmath.to_numpy(fn(d, axis=0, backend="dask"))
        assert isinstance(got, np.ndarray)
        assert_close(got, fn(h, axis=0, backend="numpy"))
    assert_close(xpmath.to_numpy(xpmath.norm(d, backend="dask")), np.linalg.norm(h))



def test_device_arrays_run_on_cupy_whatever_the_default_backend():
    """A CuPy array given with no backend= goes to the cupy backend (computation follows the data)."""
    x = np.arange(12.0).reshape(3, 4)
    with xpmath.use_backend("numpy"):
        blocked = xpmath.mean(cupy.asarray(x))  # a block names the backend: the device array is copied to the host
    assert isinstance(blocked, np.floating)
    xpmath.set_backend("numpy")
    r = xpmath.mean(cupy.asarray(x), axis=0)
    c = xpmath.cov(cupy.asarray(x), x)  # a NumPy array beside a device array joins it
    assert isinstance(r, cupy.ndarray) and isinstance(c, cupy.ndarray)
    np.testing.assert_allclose(cupy.asnumpy(r), x.mean(axis=0))
    np.testing.assert_allclose(cupy.asnumpy(c), np.cov(x, x))
