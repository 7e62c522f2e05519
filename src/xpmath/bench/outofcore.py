"""Out-of-core throughput of the dask backend against the disk's own read rate.

A ``.npy`` file of ``rows × (d + 1)`` float64 (features and a target) is written to a scratch
directory; the disk's sequential read rate is measured on it with the page cache dropped for that
file (``posix_fadvise(DONTNEED)``, which needs no privileges); then, on a ``distributed.LocalCluster``
whose total worker memory is below the file's size, the file is reduced through xpmath:
``mean(axis=0)`` (one pass) and ``LinearRegression().fit`` (finite check of X and y, their means, centred XᵀX and
Xᵀy: three passes). Throughput counts the bytes of every pass over the file.
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np

D = 16
BLOCK_ROWS = 1_000_000


def _drop_cache(path):
    if not hasattr(os, "posix_fadvise"):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return True


def regression_rows(rng, w, rows: int) -> np.ndarray:
    """``rows`` rows of regression data: D standard normal features, then the target X·w + 0.5 + noise."""
    out = np.empty((rows, D + 1))
    out[:, :D] = rng.standard_normal((rows, D))
    out[:, D] = out[:, :D] @ w + 0.5 + 0.1 * rng.standard_normal(rows)
    return out


def write_dataset(path, nbytes: int, seed: int = 0) -> tuple[int, np.ndarray]:
    """Write about ``nbytes`` of regression data; returns (rows, true weights)."""
    rows = max(BLOCK_ROWS, nbytes // ((D + 1) * 8))
    rng = np.random.default_rng(seed)
    w = np.linspace(-1.0, 1.0, D)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float64, shape=(rows, D + 1))
    for lo in range(0, rows, BLOCK_ROWS):
        hi = min(lo + BLOCK_ROWS, rows)
        out[lo:hi] = regression_rows(rng, w, hi - lo)
    out.flush()
    del out
    return rows, w


def disk_read_rate(path, chunk: int = 64 * 2**20) -> tuple[float, bool]:
    """(GB/s, cold): a sequential read of the whole file, after dropping it from the page cache."""
    cold = _drop_cache(path)
    buf = bytearray(chunk)
    view = memoryview(buf)
    total = 0
    t0 = time.perf_counter()
    with open(path, "rb", buffering=0) as f:
        while True:
            n = f.readinto(view)
            if not n:
                break
            total += n
    return total / (time.perf_counter() - t0) / 1e9, cold


def run(gb: float, directory: str | None = None, workers: int | None = None) -> dict:
    """Measure; returns a dict for the report and the JSON."""
    import dask
    from distributed import Client, LocalCluster

    import xpmath

    nbytes = int(gb * 1e9)
    workers = workers or max(1, min(os.cpu_count() or 1, 4))
    with tempfile.TemporaryDirectory(dir=directory, prefix="xpmath-ooc-") as tmp:
        path = os.path.join(tmp, "data.npy")
        t0 = time.perf_counter()
        rows, w_true = write_dataset(path, nbytes)
        write_s = time.perf_counter() - t0
        size = os.path.getsize(path)
        disk, cold = disk_read_rate(path)
        # the workers together may hold half the data at most (and each at least 800 MB, to run at all)
        limit = max(800 * 10**6, size // (2 * workers))
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit=limit,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            with dask.config.set(scheduler=client.get):
                A = xpmath.open_array(path)
                X, y = A[:, :D], A[:, D]
                res = {}
                for name, passes, fn in (
                    ("mean(axis=0)", 1, lambda: xpmath.to_numpy(xpmath.mean(X, axis=0, backend="dask"))),
                    ("LinearRegression.fit", 3, lambda: xpmath.LinearRegression(backend="dask").fit(X, y)),
                ):
                    _drop_cache(path)
                    t = time.perf_counter()
                    out = fn()
                    dt = time.perf_counter() - t
                    res[name] = {"seconds": dt, "passes": passes, "GBps": passes * size / dt / 1e9}
                    if name.startswith("Linear"):
                        err = float(np.max(np.abs(xpmath.to_numpy(out.coef_) - w_true)))
                        res[name]["max_abs_coef_error_vs_truth"] = err
    return {
        "file_GB": size / 1e9,
        "rows": rows,
        "columns": D + 1,
        "write_s": write_s,
        "disk_read_GBps": disk,
        "disk_read_cold": cold,
        "workers": workers,
        "worker_memory_limit_GB": limit / 1e9,
        "total_worker_memory_GB": workers * limit / 1e9,
        "ops": res,
    }


def table(r: dict) -> str:
    lines = [
        f"out-of-core (dask): {r['file_GB']:.2f} GB file ({r['rows']}×{r['columns']} float64), "
        f"{r['workers']} workers × {r['worker_memory_limit_GB']:.2f} GB memory limit "
        f"(total {r['total_worker_memory_GB']:.2f} GB < file)",
        f"  disk sequential read: {r['disk_read_GBps']:.2f} GB/s ({'page cache dropped' if r['disk_read_cold'] else 'cache state unknown'})",
    ]
    for name, v in r["ops"].items():
        lines.append(
            f"  {name:<22} {v['seconds']:8.2f} s  {v['passes']} pass(es)  {v['GBps']:6.2f} GB/s  "
            f"{100 * v['GBps'] / r['disk_read_GBps']:5.0f}% of the disk read rate"
        )
    return "\n".join(lines)
