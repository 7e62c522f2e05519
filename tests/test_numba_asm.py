"""The numba backend's kernels read memory contiguously: no gather instruction in their machine code.

A loop ``for i in range(lo, hi): x[i]`` with ``lo`` a block offset keeps NumPy's negative-index
wrap-around on every load, and LLVM may then vectorise the loads as gathers, several times slower
than contiguous loads on AMD cores. Whether it does depends on the target's cost model (with
Numba 0.68's LLVM such loops gather for skylake-avx512, not for Zen 3 or Zen 4; other versions
weigh gathers differently), so the kernels are compiled for this machine, for Zen 4 and for
Skylake-AVX512. Numba reads ``NUMBA_CPU_NAME`` when it is imported, hence a process per target;
code loaded from Numba's cache cannot be inspected, hence an empty ``NUMBA_CACHE_DIR`` each.

Compiling a parallel kernel takes seconds, so one kernel of each loop shape is checked (see
:func:`signatures`), with the argument types the backend passes.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys

import pytest

from xpmath.testing import backend_marks

pytestmark = [
    pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"),
                       reason="gathers are x86-64 instructions; this machine is " + platform.machine()),
    *backend_marks("numba"),
]

CPUS = ["host", "znver4", "skylake-avx512"]  # host: what Numba targets on this machine
GATHER = ("vgather", "vpgather")
PACKAGE = "xpmath_backends.numba_kernels"


def signatures():
    """(module.kernel in the kernels' package, argument types) for each kernel checked, as the
    backend (or, for a serial helper, the parallel kernel around it) calls it on C-ordered data:
    a block of a 1-D array in a ``prange`` body (float64 and float32 data; two arrays at once), a
    block passed to a serial helper, a column chunk of each row of a block of rows, and the dot
    products of centred columns that a Dask chunk's Gram is made of."""
    from numba import types as T

    f8, i8 = T.float64, T.int64
    v8, m8 = T.Array(f8, 1, "C"), T.Array(f8, 2, "C")
    return [("stats.sum_flat", (v8,)), ("stats.moments_flat", (v8,)),
            ("stats.moments_flat", (T.Array(T.float32, 1, "C"),)), ("models.cosine_1d", (v8, v8)),
            ("norms._vpart", (v8, i8, f8)), ("norms._cpart", (m8, i8, i8, i8, f8, v8)),
            ("models.gram_shifted", (m8, v8, m8, v8, m8))]


def gathers() -> list[str]:
    """'kernel(types): count' for each checked kernel whose machine code has gathers, compiled in
    this process (where NUMBA_CACHE_DIR must be empty)."""
    found = []
    for qual, sig in signatures():
        mod, name = qual.rsplit(".", 1)
        disp = getattr(importlib.import_module(f"{PACKAGE}.{mod}"), name)
        disp.compile(sig)
        n = sum(any(g in line for g in GATHER) for line in disp.inspect_asm(sig).splitlines())
        if n:
            found.append(f"{qual}{sig}: {n}")
    return found


def start_gathers(cpu: str, cache_dir: str) -> subprocess.Popen:
    """:func:`gathers` in a new process targeting ``cpu`` ("host": this machine)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES")}
    env["NUMBA_CACHE_DIR"] = cache_dir
    if cpu != "host":
        env["NUMBA_CPU_NAME"] = cpu
    code = (f"import json, sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); import test_numba_asm as t; "
            "print(json.dumps(t.gathers()))")
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_kernels_compile_without_gathers(tmp_path):
    # the targets compile side by side: each process compiles on one thread
    procs = {cpu: start_gathers(cpu, str(tmp_path / cpu)) for cpu in CPUS}
    report = []
    try:
        for cpu, proc in procs.items():
            out, err = proc.communicate(timeout=900)
            assert proc.returncode == 0, f"{cpu}: {err[-3000:]}"
            report += [f"{cpu}: {g}" for g in json.loads(out.strip().splitlines()[-1])]
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert not report, "gather instructions in the kernels' code:\n" + "\n".join(report)
