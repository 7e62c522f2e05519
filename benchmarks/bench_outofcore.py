"""Out-of-core reductions over a file read through ``xpmath.open_array``, against the disk's read rate.

    .venv/bin/python benchmarks/bench_outofcore.py [--gb 4] [--format npy,zarr] [--chunk-mb 64]
        [--scheduler threads|processes] [--rounds 3] [--dir DIR] [--out benchmarks/results/outofcore-4gb]

A ``rows × 17`` float64 file (16 features and a target) is written once per format. In the same run,
before each measurement, the file is dropped from the page cache (``posix_fadvise(DONTNEED)``: no
privileges needed, so the data must come from the disk and the file need not exceed memory), and
each measurement is a cold pass over the whole file:

- ``read``: a plain sequential read in 64 MiB blocks (``readinto``, as ``dd bs=64M``), the rate to reach;
  and, before and after the rounds, two threads reading the 64 MiB blocks as two tasks do (a disk
  may serve two streams faster than one);
- ``mean``, ``var``, ``cov`` (axis 0 / columns), and one gradient step of least squares
  (``Xᵀ(Xw − y)/n``: the dask backend's ``linear_gd_step``, as the estimators call it), each through
  xpmath on the dask backend over ``open_array``'s lazy array (kernels compiled beforehand).

The disk's rate drifts within a run (on a shared virtual disk by several times within a minute), so
the passes alternate: a read, then each op followed by a read, for ``--rounds`` rounds. An op's
figure is its rate over the mean of the two reads on either side of it; the report gives each op's
median over the rounds and the range. The report and the JSON are written whole or not at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np

import xpmath
from xpmath import _registry
from xpmath.bench import outofcore as ooc
from xpmath.bench.report import write_json
from xpmath._files import write_text

D = ooc.D


def write_zarr(npy: str | None, path: str, chunk_rows: int, rows: int) -> None:
    """An uncompressed Zarr 3 store of ``rows × 17``, one chunk per ``chunk_rows``: a copy of ``npy``,
    or, without one (a store alone, as large as the disk allows), the same kind of data generated
    here, four chunks at a time."""
    import zarr

    src = np.load(npy, mmap_mode="r") if npy else None
    z = zarr.create_array(path, shape=(rows, D + 1), chunks=(chunk_rows, D + 1), dtype=np.float64,
                          compressors=None, overwrite=True)
    rng, w = np.random.default_rng(0), np.linspace(-1.0, 1.0, D)
    for lo in range(0, rows, chunk_rows * 4):
        hi = min(lo + chunk_rows * 4, rows)
        z[lo:hi] = src[lo:hi] if src is not None else ooc.regression_rows(rng, w, hi - lo)


def drop(path: str) -> None:
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for f in files:
                ooc._drop_cache(os.path.join(root, f))
    else:
        ooc._drop_cache(path)


def read_rate(path: str) -> float:
    drop(path)
    if not os.path.isdir(path):
        return ooc.disk_read_rate(path)[0]
    buf = memoryview(bytearray(64 * 2**20))
    total, t0 = 0, time.perf_counter()
    for root, _, files in os.walk(path):
        for name in sorted(files):
            with open(os.path.join(root, name), "rb", buffering=0) as f:
                while n := f.readinto(buf):
                    total += n
    return total / (time.perf_counter() - t0) / 1e9


def parallel_read_rate(path: str, threads: int = 2, block: int = 64 * 2**20) -> float:
    """GB/s of ``threads`` threads reading the file's (or the store's files') 64 MiB blocks, the next
    free block each, as the ops' tasks do: the disk's rate with that many streams in flight."""
    import threading

    drop(path)
    if os.path.isdir(path):
        jobs = [(os.path.join(root, f), 0, os.path.getsize(os.path.join(root, f)))
                for root, _, files in os.walk(path) for f in sorted(files)]
    else:
        size = os.path.getsize(path)
        jobs = [(path, lo, min(block, size - lo)) for lo in range(0, size, block)]
    it, lock, total = iter(jobs), threading.Lock(), [0]

    def work():
        buf = memoryview(bytearray(block))
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            name, lo, n = job
            with open(name, "rb", buffering=0) as f:
                f.seek(lo)
                got = 0
                while got < n and (k := f.readinto(buf[:min(block, n - got)])):
                    got += k
            with lock:
                total[0] += got

    t0 = time.perf_counter()
    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return total[0] / (time.perf_counter() - t0) / 1e9


def ops(A):
    X, y = A[:, :D], A[:, D]
    n = A.shape[0]
    w = np.linspace(-1.0, 1.0, D)

    step = _registry.get("dask").linear_gd_step  # what the least-squares estimators call per step

    def gd_step():
        return step(X, y, w, 0.0, 0.0, False)[1]

    return {
        "mean": lambda: xpmath.to_numpy(xpmath.mean(A, axis=0, backend="dask")),
        "var": lambda: xpmath.to_numpy(xpmath.var(A, axis=0, backend="dask")),
        "cov": lambda: xpmath.to_numpy(xpmath.cov(A, rowvar=False, backend="dask")),
        "gd_step": gd_step,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gb", type=float, default=4.0)
    p.add_argument("--format", default="npy,zarr")
    p.add_argument("--chunk-mb", type=float, default=64)
    p.add_argument("--scheduler", choices=["threads", "processes"], default="threads")
    p.add_argument("--rounds", type=int, default=3, help="passes of every op, each beside its own reads")
    p.add_argument("--dir", default=None, help="scratch directory (on the disk to measure)")
    p.add_argument("--out", default=None, help="results path without extension (.txt and .json)")
    a = p.parse_args(argv)
    import dask
    import dask.array as da

    row_bytes = (D + 1) * 8
    chunk_rows = max(1, int(a.chunk_mb * 2**20) // row_bytes)
    res = {"file_GB": None, "chunk_MiB": a.chunk_mb, "scheduler": a.scheduler, "cpus": os.cpu_count(), "formats": {}}
    lines = []
    with tempfile.TemporaryDirectory(dir=a.dir, prefix="xpmath-ooc-") as tmp:
        formats = a.format.split(",")
        npy = os.path.join(tmp, "data.npy") if "npy" in formats else None
        if npy:
            rows, _ = ooc.write_dataset(npy, int(a.gb * 1e9))
            size = os.path.getsize(npy)
        else:  # a store alone: no .npy beside it, so it may take most of the disk
            rows = max(ooc.BLOCK_ROWS, int(a.gb * 1e9) // row_bytes)
            size = rows * row_bytes
        res["file_GB"], res["rows"] = size / 1e9, rows
        client = None
        if a.scheduler == "processes":
            from distributed import Client, LocalCluster

            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   memory_limit=max(800 * 10**6, size // (2 * (os.cpu_count() or 1))),
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            with dask.config.set(scheduler=client.get if client else "threads"):
                for fmt in formats:
                    path = npy
                    if fmt == "zarr":
                        path = os.path.join(tmp, "data.zarr")
                        write_zarr(npy, path, chunk_rows, rows)
                    A = xpmath.open_array(path, chunk_rows=chunk_rows if fmt == "npy" else None)
                    warm = da.from_array(np.ones((2 * chunk_rows, D + 1)), chunks=(chunk_rows, D + 1))
                    for fn in ops(warm).values():  # compile the kernels outside the timed passes
                        fn()
                    reads = [read_rate(path)]
                    rec = {"reads_GBps": reads, "parallel_reads_GBps": [parallel_read_rate(path)], "ops": {}}
                    for _ in range(a.rounds):
                        for name, fn in ops(A).items():
                            drop(path)
                            t = time.perf_counter()
                            fn()
                            dt = time.perf_counter() - t
                            reads.append(read_rate(path))  # the disk's rate again, right after the op
                            ref = (reads[-2] + reads[-1]) / 2
                            rec["ops"].setdefault(name, []).append(
                                {"seconds": dt, "GBps": size / dt / 1e9, "read_GBps": ref,
                                 "of_read": size / dt / 1e9 / ref})
                    rec["parallel_reads_GBps"].append(parallel_read_rate(path))
                    for name, runs in rec["ops"].items():
                        rec["ops"][name] = {"runs": runs, "median_of_read": float(np.median([r["of_read"] for r in runs])),
                                            "median_GBps": float(np.median([r["GBps"] for r in runs]))}
                    res["formats"][fmt] = rec
                    if fmt == "zarr":
                        import shutil

                        shutil.rmtree(path)
        finally:
            if client is not None:
                client.close()
                cluster.close()
    lines.append(f"out-of-core via xpmath.open_array on dask ({a.scheduler}), {res['file_GB']:.2f} GB file "
                 f"({rows}×{D + 1} float64), chunks of {a.chunk_mb:g} MiB, {res['cpus']} CPUs; page cache "
                 f"dropped (posix_fadvise DONTNEED) before every pass")
    lines.append(f"{a.rounds} rounds of: each op, then a plain sequential read; an op's share is its rate over the mean "
                 f"of the reads just before and just after it")
    for fmt, rec in res["formats"].items():
        r = rec["reads_GBps"]
        r2 = rec["parallel_reads_GBps"]
        lines.append(f"  {fmt}: plain sequential read {np.median(r):.2f} GB/s median of {len(r)} "
                     f"({min(r):.2f}-{max(r):.2f}); two threads reading blocks, before and after the rounds: "
                     f"{r2[0]:.2f}, {r2[1]:.2f} GB/s")
        for name, v in rec["ops"].items():
            shares = [100 * x["of_read"] for x in v["runs"]]
            lines.append(f"    {name:<8} {v['median_GBps']:6.2f} GB/s  {100 * v['median_of_read']:5.0f}% of the read rate "
                         f"(median; {min(shares):.0f}-{max(shares):.0f}%), {100 * v['median_GBps'] / np.mean(r2):4.0f}% "
                         f"of the two-thread read")
    text = "\n".join(lines)
    print(text)
    if a.out:
        write_json(a.out + ".json", res)
        write_text(a.out + ".txt", text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
