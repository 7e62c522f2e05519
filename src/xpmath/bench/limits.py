"""This machine's limits, measured in the same run as the results they judge."""

from __future__ import annotations

import time

import numpy as np


def _median_time(fn, repeat):
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def copy_bandwidth(nbytes: int = 512 * 2**20, repeat: int = 5) -> float:
    """GB/s of a large copy, counting bytes read plus bytes written."""
    src = np.random.default_rng(0).random(nbytes // 8)
    dst = np.empty_like(src)
    np.copyto(dst, src)
    t = _median_time(lambda: np.copyto(dst, src), repeat)
    return 2 * src.nbytes / t / 1e9


def _parallel_sum():
    """A Numba parallel sum that vectorises (reassociation allowed): the read-bandwidth probe."""
    import numba

    @numba.njit(parallel=True, fastmath={"reassoc"}, cache=True)
    def total(x):
        s = 0.0
        for i in numba.prange(x.size):
            s += x[i]
        return s

    return total


def read_bandwidth(nbytes: int = 512 * 2**20, repeat: int = 5) -> tuple[float, str]:
    """GB/s of a parallel read (a Numba parallel sum over all cores when Numba is here, else ``np.sum``)."""
    x = np.random.default_rng(1).random(nbytes // 8)
    try:
        total = _parallel_sum()
        total(x)
        how = "numba parallel sum"
        fn = lambda: total(x)  # noqa: E731
    except ImportError:
        how = "numpy sum (single thread)"
        fn = lambda: x.sum()  # noqa: E731
    t = _median_time(fn, repeat)
    return x.nbytes / t / 1e9, how


def gemm_peak(n: int = 2048, dtype=np.float64, repeat: int = 3) -> float:
    """GFLOP/s of the BLAS's own n×n matrix product (NumPy's BLAS)."""
    rng = np.random.default_rng(2)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    a @ b
    t = _median_time(lambda: a @ b, repeat)
    return 2.0 * n**3 / t / 1e9


def gpu_limits() -> dict:
    """The device's copy bandwidth and cuBLAS GEMM rate, timed with CUDA events (cupy only)."""
    import cupy as cp

    out = {}
    x = cp.random.random(2**27)  # 1 GiB of float64
    y = cp.empty_like(x)
    start, stop = cp.cuda.Event(), cp.cuda.Event()
    cp.copyto(y, x)
    start.record()
    for _ in range(10):
        cp.copyto(y, x)
    stop.record()
    stop.synchronize()
    out["gpu_copy_GBps"] = 10 * 2 * x.nbytes / (cp.cuda.get_elapsed_time(start, stop) / 1e3) / 1e9
    for dt in ("float32", "float64"):
        a = cp.random.random((8192, 8192)).astype(dt)
        a @ a
        start.record()
        for _ in range(3):
            a @ a
        stop.record()
        stop.synchronize()
        out[f"gpu_gemm_{dt}_GFLOPs"] = 3 * 2 * 8192**3 / (cp.cuda.get_elapsed_time(start, stop) / 1e3) / 1e9
    return out


def measure(quick: bool, dtype) -> dict:
    n = 1024 if quick else 2048
    size = (256 if quick else 1024) * 2**20
    rb, how = read_bandwidth(size)
    lim = {
        "copy_GBps": copy_bandwidth(size),
        "read_GBps": rb,
        "read_how": how,
        "gemm_GFLOPs": gemm_peak(n, dtype),
        "gemm_how": f"numpy matmul n={n} {np.dtype(dtype).name}",
    }
    return lim
