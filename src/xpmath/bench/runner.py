"""Timing: backends interleaved round by round, first call apart from the steady state.

On 2 cores one library's idle threads slow the next (docs/PERFORMANCE.md): the backends take turns
in every round, so each sees the same machine state, and medians are reported. Numba's OpenMP
threads sleep between calls (``OMP_WAIT_POLICY=PASSIVE``, set by the numba backend unless the
user set it); OpenBLAS's threads spin for a while after NumPy's call and slowed the next
backend's call by up to 1.4x, so a call that follows another backend's waits ``SETTLE`` seconds
first (untimed), and a short one then runs untimed for ``WARM`` seconds (after the pause the
cores need ~50 ms of work to reach full speed): each backend is timed as a user calling it back to
back, alone, would see it.
GPU work is synchronised before the clock stops; the host->device copy is timed apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

import xpmath

from .workloads import WORKLOADS

SETTLE = 0.1  # seconds between calls of different backends (OpenBLAS spins ~0.1 s after a call)
WAKE_BELOW = 0.25  # a call shorter than this is preceded by untimed calls for WARM seconds
WARM = 0.05


@dataclass
class Result:
    op: str
    size: int
    backend: str
    dtype: str
    times: list = field(default_factory=list)
    first_call_s: float = 0.0
    compile_s: float | None = None  # numba: JIT compilation within the first call (0 from a warm cache)
    transfer_s: float = 0.0
    input_bytes: int = 0  # the inputs' size: whether they stay in cache between calls
    error: str = ""

    @property
    def median(self) -> float:
        return float(np.median(self.times)) if self.times else float("nan")


def _sync(backend: str, result):
    if backend == "cupy":
        import cupy

        cupy.cuda.get_current_stream().synchronize()
    elif backend == "dask":
        if isinstance(result, tuple):  # eigh, eig: compute the parts together, as a user would
            import dask

            dask.compute(*result)
        else:
            xpmath.to_numpy(result)


def _timed(backend, fn):
    t0 = time.perf_counter()
    r = fn()
    _sync(backend, r)
    return time.perf_counter() - t0


def _timed_compiling(backend, fn):
    """(wall time, seconds of it spent in Numba's compiler), from Numba's compile events: nested
    compilations (a kernel's callees) count once; loading from the on-disk cache is not compiling."""
    from numba.core import event

    with event.install_recorder("numba:compile") as rec:
        t = _timed(backend, fn)
    depth, start, total = 0, 0.0, 0.0
    for ts, ev in rec.buffer:
        if ev.is_start:
            if depth == 0:
                start = ts
            depth += 1
        elif ev.is_end and depth:
            depth -= 1
            if depth == 0:
                total += ts - start
    return t, total


def run_one(op: str, size: int, backends: list[str], dtype, repeat: int, seed: int = 0, progress=None):
    w = WORKLOADS[op]
    host = w.make(size, np.dtype(dtype), np.random.default_rng(seed))
    results = []
    staged = {}
    for be in backends:
        res = Result(op, size, be, np.dtype(dtype).name, input_bytes=sum(a.nbytes for a in host))
        try:
            t0 = time.perf_counter()
            args = tuple(xpmath.asarray(a, backend=be) for a in host)
            _sync(be, args[0])
            res.transfer_s = time.perf_counter() - t0 if be in ("cupy", "dask") else 0.0
            if be == "numba":
                res.first_call_s, res.compile_s = _timed_compiling(be, lambda: w.call(*args, backend=be))
            else:
                res.first_call_s = _timed(be, lambda: w.call(*args, backend=be))
            staged[be] = args
        except Exception as exc:  # a backend that cannot do an op is reported, not fatal
            res.error = f"{type(exc).__name__}: {exc}"
        results.append(res)
    for _ in range(repeat):
        for res in results:
            if res.error:
                continue
            args = staged[res.backend]
            if len(staged) > 1:
                time.sleep(SETTLE)
                if (res.times[-1] if res.times else res.first_call_s) < WAKE_BELOW:
                    # after the pause the cores idle, and measured here they need ~50 ms of work to
                    # come back to full speed (one 4 ms call ran 1.7x slower than back to back):
                    # untimed calls for WARM seconds first, as a user's loop would have run
                    t0 = time.perf_counter()
                    while True:
                        _timed(res.backend, lambda: w.call(*args, backend=res.backend))
                        if time.perf_counter() - t0 >= WARM:
                            break
            res.times.append(_timed(res.backend, lambda: w.call(*args, backend=res.backend)))
            if progress is not None:
                progress.update(1)
    return results

