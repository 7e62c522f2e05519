"""Every ``xpmath bench`` operation on large inputs, parametrised by backend, under pytest-benchmark.

The workloads (data, call, FLOP and byte counts) are the CLI's own, from ``xpmath.bench.workloads``.
Sizes: each op's first default size (large); ``XPMATH_BENCH_SIZE=small`` takes its quick size.
GPU results are synchronised inside the timed call. Run::

    .venv/bin/python -m pytest benchmarks/ --benchmark-only
    XPMATH_BENCH_BACKENDS=numpy,numba .venv/bin/python -m pytest benchmarks/ --benchmark-only -k "var or matmul"
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath.bench.runner import _sync
from xpmath.bench.workloads import WORKLOADS

_only = [b for b in os.environ.get("XPMATH_BENCH_BACKENDS", "").split(",") if b]
_small = os.environ.get("XPMATH_BENCH_SIZE", "default") == "small"


def _backends():
    out = []
    for name in _registry.names():
        if _only and name not in _only:
            continue
        be, why = _registry.status(name)
        marks = [pytest.mark.skip(reason=f"backend {name!r} unusable here: {why}")] if be is None else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.parametrize("backend", _backends())
@pytest.mark.parametrize("op", list(WORKLOADS))
def test_op(benchmark, op, backend):
    w = WORKLOADS[op]
    gpu = backend == "cupy"
    n = (w.quick if _small else (w.gpu_sizes if gpu else w.sizes))[0]
    host = w.make(n, np.dtype(np.float64), np.random.default_rng(0))
    args = tuple(xpmath.asarray(a, backend=backend) for a in host)

    def call():
        r = w.call(*args, backend=backend)
        _sync(backend, r)
        return r

    call()  # compile / warm up outside the measurement
    benchmark.extra_info.update(op=op, n=n, backend=backend, bound=w.bound)
    benchmark.pedantic(call, rounds=3, iterations=1)
