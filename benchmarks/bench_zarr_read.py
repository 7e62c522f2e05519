"""Where the time goes reading an uncompressed Zarr 3 store chunk by chunk, page cache dropped.

    .venv/bin/python benchmarks/bench_zarr_read.py [--gb 1] [--chunk-mb 64] [--dir DIR]

A ``rows × 17`` float64 store (``compressors=None``, one chunk of about ``--chunk-mb`` MiB per block
of rows) is written once. Before every pass its chunk files are dropped from the page cache
(``posix_fadvise(DONTNEED)``); each pass reads the whole store once, and its rate is the store's
bytes over its time:

- ``readinto``: each chunk file read with ``readinto`` into one reused buffer (the rate to reach);
- ``zarr z[lo:hi]`` and ``zarr blocks[i]``: Zarr's own read of each chunk, one after another;
- ``dask from_zarr`` and ``dask open_array``: ``sum(axis=0)`` on the threads scheduler with 2 workers
  over ``dask.array.from_zarr`` and over ``xpmath.open_array`` (one ``readinto`` per raw chunk).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gb", type=float, default=1.0)
    p.add_argument("--chunk-mb", type=float, default=64)
    p.add_argument("--dir", default=None, help="scratch directory (on the disk to measure)")
    a = p.parse_args(argv)
    import dask
    import dask.array as da
    import zarr

    import xpmath
    from xpmath.bench.outofcore import _drop_cache

    cols = 17
    chunk_rows = max(1, int(a.chunk_mb * 2**20) // (cols * 8))
    nch = max(1, round(a.gb * 1e9 / (chunk_rows * cols * 8)))
    rows = chunk_rows * nch
    size = rows * cols * 8
    with tempfile.TemporaryDirectory(dir=a.dir, prefix="xpmath-zarr-") as tmp:
        path = os.path.join(tmp, "s.zarr")
        z = zarr.create_array(path, shape=(rows, cols), chunks=(chunk_rows, cols), dtype="f8", compressors=None)
        for i in range(nch):
            z[i * chunk_rows:(i + 1) * chunk_rows] = np.random.default_rng(i).standard_normal((chunk_rows, cols))
        z = zarr.open_array(path, mode="r")
        files = [os.path.join(path, z.metadata.encode_chunk_key((i, 0))) for i in range(nch)]
        buf = memoryview(bytearray(chunk_rows * cols * 8))

        def readinto():
            for name in files:
                with open(name, "rb", buffering=0) as f:
                    while f.readinto(buf):
                        pass

        def zslice():
            for i in range(nch):
                z[i * chunk_rows:(i + 1) * chunk_rows]

        def zblocks():
            for i in range(nch):
                z.blocks[i]

        via_dask, via_xpmath = da.from_zarr(path), xpmath.open_array(path)
        passes = [("readinto", readinto), ("zarr z[lo:hi]", zslice), ("zarr blocks[i]", zblocks),
                  ("dask from_zarr", lambda: via_dask.sum(axis=0).compute()),
                  ("dask open_array", lambda: via_xpmath.sum(axis=0).compute()), ("readinto", readinto)]
        print(f"{size / 1e9:.2f} GB uncompressed Zarr 3 store, {nch} chunks of {chunk_rows}×{cols} float64; "
              "page cache dropped before each pass")
        with dask.config.set(scheduler="threads", num_workers=2):
            for name, fn in passes:
                for f in files:
                    _drop_cache(f)
                t = time.perf_counter()
                fn()
                dt = time.perf_counter() - t
                print(f"  {name:<18} {dt:6.2f} s  {size / dt / 1e9:5.2f} GB/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
