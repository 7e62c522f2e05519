"""The CuPy backend's targets, timed with CUDA events after warm-up, in one run.

    python benchmarks/bench_gpu.py [--quick] [--json FILE]

1. matmul, inv, eigh at n = 8192 in float32 and float64: xpmath (backend="cupy") against the same
   call made on CuPy directly; the ratio direct/xpmath (target ≥ 0.97) and GFLOP/s against the
   device's own largest GEMM in the same dtype.
2. var, std, zscore of 10⁹ float32: GB/s (var/std read 4 bytes an element; zscore reads twice and
   writes once: the mean/var pass plus the normalising pass) against the device copy bandwidth
   (bytes read + written of a large ``cupy.copyto``), target ≥ 70%.
3. One ``LinearRegression(solver="gd")`` step on 10⁷×100 float32 (the fused RawKernel: one read of
   X): GB/s against the copy bandwidth (target ≥ 60%), and the speed-up over the numpy backend's
   step on the host CPU with the same data (target ≥ 20×).

Data is random (never zeros). Every GPU time is the median of CUDA-event timings after a warm-up call.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import numpy as np


def _events_median(fn, repeat):
    import cupy

    fn()
    cupy.cuda.get_current_stream().synchronize()
    ts = []
    for _ in range(repeat):
        start, stop = cupy.cuda.Event(), cupy.cuda.Event()
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        ts.append(cupy.cuda.get_elapsed_time(start, stop) / 1e3)
    return statistics.median(ts)


def _host_median(fn, repeat):
    fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def copy_bandwidth(nbytes, repeat):
    import cupy

    src = cupy.random.default_rng(0).random(nbytes // 4, dtype=cupy.float32)
    dst = cupy.empty_like(src)
    t = _events_median(lambda: cupy.copyto(dst, src), repeat)
    del src, dst
    return 2 * nbytes / t / 1e9


def gemm_peak(n, dtype, repeat):
    import cupy

    g = cupy.random.default_rng(1)
    a = g.standard_normal((n, n), dtype=dtype)
    b = g.standard_normal((n, n), dtype=dtype)
    t = _events_median(lambda: a @ b, repeat)
    return 2 * n**3 / t / 1e9


def dense(n, repeat):
    import cupy

    import xpmath

    rows = []
    g = cupy.random.default_rng(2)
    for dt in (cupy.float32, cupy.float64):
        peak = gemm_peak(n, dt, repeat)
        a = g.standard_normal((n, n), dtype=dt)
        b = g.standard_normal((n, n), dtype=dt)
        spd = (a @ a.T) / n + cupy.eye(n, dtype=dt)
        cases = [
            ("matmul", 2 * n**3, lambda: xpmath.matmul(a, b, backend="cupy"), lambda: cupy.matmul(a, b)),
            ("inv", 2 * n**3, lambda: xpmath.linalg.inv(spd, backend="cupy"), lambda: cupy.linalg.inv(spd)),
            ("eigh", 4 / 3 * n**3, lambda: xpmath.linalg.eigh(spd, backend="cupy"), lambda: cupy.linalg.eigh(spd)),
        ]
        for name, flops, ours, direct in cases:
            r = 3 if name == "eigh" else repeat
            to = _events_median(ours, r)
            td = _events_median(direct, r)
            rows.append({
                "op": name, "n": n, "dtype": np.dtype(dt).name, "xpmath_s": to, "cupy_s": td,
                "ratio_direct_over_xpmath": td / to, "GFLOPs": flops / to / 1e9, "gemm_peak_GFLOPs": peak,
                "share_of_peak": flops / to / 1e9 / peak,
            })
        del a, b, spd
        cupy.get_default_memory_pool().free_all_blocks()
    return rows


def statistics_rows(n, copy_bw, repeat):
    import cupy

    import xpmath

    x = cupy.random.default_rng(3).standard_normal(n, dtype=cupy.float32) * 3 + 1
    rows = []
    for name, nbytes, fn in (
        ("var", 4 * n, lambda: xpmath.var(x, backend="cupy")),
        ("std", 4 * n, lambda: xpmath.std(x, backend="cupy")),
        ("zscore", 12 * n, lambda: xpmath.zscore(x, axis=None, backend="cupy")),
    ):
        t = _events_median(fn, repeat)
        rows.append({"op": name, "n": n, "dtype": "float32", "seconds": t, "GBps": nbytes / t / 1e9,
                     "copy_GBps": copy_bw, "share_of_copy": nbytes / t / 1e9 / copy_bw})
    del x
    cupy.get_default_memory_pool().free_all_blocks()
    return rows


def gd_rows(n, d, copy_bw, repeat, cpu_repeat):
    import cupy

    import xpmath
    from xpmath import _registry

    rng = np.random.default_rng(4)
    Xh = rng.standard_normal((n, d), dtype=np.float32)
    yh = (Xh @ rng.standard_normal(d).astype(np.float32) + 0.1 * rng.standard_normal(n, dtype=np.float32))
    X, y = cupy.asarray(Xh), cupy.asarray(yh)
    w, b = cupy.zeros(d, cupy.float32), cupy.zeros((), cupy.float32)
    gpu = _registry.get("cupy")
    tg = _events_median(lambda: gpu.linear_gd_step(X, y, w, b, 0.0, True), repeat)
    nbytes = X.nbytes + y.nbytes
    cpu = _registry.get("numpy")
    wh, bh = np.zeros(d, np.float32), np.float32(0)
    tc = _host_median(lambda: cpu.linear_gd_step(Xh, yh, wh, bh, 0.0, True), cpu_repeat)
    # and the public path: 5 steps of a fit, n_iter exact, checking convergence every gd_check_every steps
    t0 = time.perf_counter()
    m = xpmath.LinearRegression(solver="gd", max_iter=5, lr=0.01, backend="cupy").fit(X, y)
    cupy.cuda.get_current_stream().synchronize()
    fit5 = time.perf_counter() - t0
    return [{
        "op": "linreg_gd_step", "n": n, "d": d, "dtype": "float32", "gpu_s": tg, "GBps": nbytes / tg / 1e9,
        "copy_GBps": copy_bw, "share_of_copy": nbytes / tg / 1e9 / copy_bw, "numpy_cpu_s": tc,
        "speedup_over_numpy_cpu": tc / tg, "fit_5_steps_s": fit5, "n_iter": int(m.n_iter_),
    }]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="n=4096, 10⁸ elements, 10⁶×100: a smoke run")
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args(argv)
    import cupy

    import xpmath

    n_dense, n_vec, n_rows = (4096, 10**8, 10**6) if a.quick else (8192, 10**9, 10**7)
    from xpmath import _registry

    cfg = _registry.get("cupy").config()
    copy_bw = copy_bandwidth(min(4 * 2**30, 4 * n_vec), a.repeat)
    out = {
        "schema": "xpmath-bench-gpu/1",
        "machine": {"host": platform.node(), "cpu": platform.processor()},
        "gpu": cfg,
        "versions": {"cupy": cupy.__version__, "numpy": np.__version__, "xpmath": xpmath.__version__},
        "copy_GBps": copy_bw,
        "dense": dense(n_dense, a.repeat),
        "statistics": statistics_rows(n_vec, copy_bw, a.repeat),
        "gd": gd_rows(n_rows, 100, copy_bw, a.repeat, 3),
    }
    print(f"GPU: {cfg.get('gpu', '?')}  CUDA {cfg.get('cuda_runtime', '?')}  CuPy {cupy.__version__}  "
          f"TF32 {cfg.get('tf32', '?')}")
    print(f"device copy bandwidth (read+write): {copy_bw:.0f} GB/s")
    print(f"\n{'op':<8}{'dtype':<9}{'n':>6} {'xpmath s':>10} {'cupy s':>10} {'direct/xp':>10} {'GFLOP/s':>9} {'of GEMM':>8}")
    for r in out["dense"]:
        print(f"{r['op']:<8}{r['dtype']:<9}{r['n']:>6} {r['xpmath_s']:10.4f} {r['cupy_s']:10.4f} "
              f"{r['ratio_direct_over_xpmath']:10.3f} {r['GFLOPs']:9.0f} {100 * r['share_of_peak']:7.0f}%")
    print(f"\n{'op':<8}{'n':>12} {'s':>10} {'GB/s':>8} {'of copy':>8}")
    for r in out["statistics"]:
        print(f"{r['op']:<8}{r['n']:>12} {r['seconds']:10.4f} {r['GBps']:8.0f} {100 * r['share_of_copy']:7.0f}%")
    for r in out["gd"]:
        print(f"\nLinearRegression gd step {r['n']}×{r['d']} float32: {r['gpu_s'] * 1e3:.2f} ms, {r['GBps']:.0f} GB/s "
              f"({100 * r['share_of_copy']:.0f}% of copy); numpy backend on the CPU {r['numpy_cpu_s'] * 1e3:.0f} ms "
              f"-> {r['speedup_over_numpy_cpu']:.0f}×; a 5-step fit {r['fit_5_steps_s'] * 1e3:.0f} ms, n_iter {r['n_iter']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=2, default=str)
        print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
