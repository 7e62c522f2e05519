"""The Python half of ``benchmarks/gpu_proof.sh``: versions, the benchmark plan, ``auto``'s GPU
crossover and the closing summary, each result written to its JSON file as soon as it is measured.

    python benchmarks/gpu_proof.py env --json F
    python benchmarks/gpu_proof.py gpu-ok                  # exit 0 with a usable cupy backend, else print why
    python benchmarks/gpu_proof.py bench --json F [--fast cupy] [--tiny]
    python benchmarks/gpu_proof.py crossover --json F [--fast cupy] [--tiny]
    python benchmarks/gpu_proof.py summary --out DIR --stages "name|status|secs;..."

``bench`` runs ``xpmath bench``'s workloads (``xpmath.bench.workloads``) through its runner, float64,
medians of 3 after a first call: numpy beside the fast backend where numpy's call takes seconds, the
fast backend alone at the sizes beyond (eigh and inv at 8192, the 10⁹-element statistics, 10⁷-row
fits), and one size of each decomposition (cholesky, qr, svd, a tall lstsq). Each cupy row of a
memory-bound operation also gets its share of the device's copy bandwidth (read + write of a large
``cupy.copyto``, measured in the same run) and of the HBM bandwidth the data sheet gives for the
device; a GEMM-bound row its share of cuBLAS's 8192² GEMM in the same dtype.

``crossover`` times numpy and the fast backend on host data of 64 … 16.7 million elements, as
``auto`` would run them (the host-to-device copy and the copy back included), with
``xpmath.bench.crossover``'s cases, and gives for each operation the smallest size from which the
fast backend wins at every larger size: what ``xpmath._auto.GPU_CROSSOVER`` stands for.

``--tiny`` shrinks every size so the whole path can be rehearsed on a CPU (``--fast numba``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import numpy as np

# data-sheet HBM bandwidth, GB/s, by a substring of the device's name (most specific first)
HBM_SPEC = [("H200", 4800.0), ("H100 NVL", 3900.0), ("H100 PCIe", 2000.0), ("H100", 3350.0),
            ("A100-SXM4-80GB", 2039.0), ("A100", 1555.0)]


def _write(path, payload):
    if path:
        tmp = f"{path}.part"
        with open(tmp, "w") as f:
            json.dump(payload, f, indent=2, default=str)
        os.replace(tmp, path)  # a run cut off mid-write still leaves the last whole file


def _try(f):
    try:
        return f()
    except Exception as exc:  # a library that is missing or cannot see a device is reported, not fatal
        return f"unavailable: {type(exc).__name__}: {exc}"


# ------------------------------------------------------------------------------------------ env


def _cupy_info():
    import cupy

    rt = cupy.cuda.runtime
    props = rt.getDeviceProperties(0)
    free, total = cupy.cuda.Device(0).mem_info
    return {"cupy": cupy.__version__, "cuda_runtime": rt.runtimeGetVersion(), "cuda_driver": rt.driverGetVersion(),
            "device": props["name"].decode() if isinstance(props["name"], bytes) else props["name"],
            "compute_capability": cupy.cuda.Device(0).compute_capability, "memory_GiB": total / 2**30,
            "free_GiB": free / 2**30, "multiprocessors": props.get("multiProcessorCount")}


def _torch_info():
    import torch

    d = {"torch": torch.__version__, "cuda": torch.version.cuda, "cuda_available": torch.cuda.is_available()}
    if d["cuda_available"]:
        d["device"] = torch.cuda.get_device_name(0)
    return d


def _jax_info():
    import jax

    return {"jax": jax.__version__, "devices": [str(d) for d in jax.devices()],
            "default_backend": jax.default_backend()}


def _smi():
    out = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem",
                          "--format=csv,noheader"], capture_output=True, text=True, timeout=30)
    return out.stdout.strip() or out.stderr.strip()


def env(args):
    import xpmath
    from xpmath import _registry

    versions = {}
    for mod in ("numpy", "scipy", "sklearn", "numba", "array_api_compat", "array_api_strict", "dask", "threadpoolctl"):
        versions[mod] = _try(lambda: getattr(__import__(mod), "__version__", "?"))
    be, why = _registry.status("cupy")
    info = {
        "schema": "xpmath-gpu-proof-env/1",
        "python": sys.version.split()[0], "executable": sys.executable, "platform": platform.platform(),
        "cpu_count": os.cpu_count(), "xpmath": xpmath.__version__, "xpmath_file": xpmath.__file__,
        "install": os.environ.get("GPU_PROOF_INSTALL", "?"),
        "nvidia_smi": _try(_smi), "cupy": _try(_cupy_info), "torch": _try(_torch_info), "jax": _try(_jax_info),
        "versions": versions, "cupy_backend": "usable" if be is not None else why,
        "cupy_backend_config": _try(be.config) if be is not None else None,
        "available_backends": xpmath.available_backends(),
    }
    _write(args.json, info)
    for k, v in info.items():
        print(f"{k:<20} {v}")
    return 0


def gpu_ok(args):
    from xpmath import _registry

    be, why = _registry.status("cupy")
    if be is None:
        print(f"the cupy backend cannot run here: {why}")
        return 1
    return 0


# ---------------------------------------------------------------------------------------- bench


def _plan(fast, tiny):
    both, alone = ["numpy", fast], [fast]
    if tiny:
        d, v, t = (128, 256), (10**5, 10**6), (10**4, 10**5)
        return ([("matmul", d[1], both), ("inv", d[0], both), ("inv", d[1], alone), ("solve", d[0], both),
                 ("det", d[0], both), ("eigh", d[0], both), ("eigh", d[1], alone), ("cholesky", d[1], both),
                 ("qr", d[0], both), ("svd", d[0], both), ("lstsq_tall", t[0], both)]
                + [(op, v[0], both) for op in ("mean", "var", "std", "median", "norm", "zscore")]
                + [("var", v[1], both)] + [(op, v[1], alone) for op in ("mean", "std", "median", "norm", "zscore")]
                + [("mode", v[0], both)]
                + [(op, t[0], both) for op in ("cov", "corrcoef", "pca", "linreg_normal", "linreg_gd", "logreg_gd")]
                + [(op, t[1], alone) for op in ("cov", "pca", "linreg_normal", "linreg_gd", "logreg_gd")])
    # numpy beside the device where its call takes seconds on a many-core host, the device alone beyond;
    # entries sharing a data maker and size are adjacent, so the host data is made once for them
    return ([("matmul", 4096, both), ("matmul", 8192, both), ("inv", 4096, both), ("inv", 8192, alone),
             ("solve", 4096, both), ("eigh", 2048, both), ("eigh", 8192, alone), ("cholesky", 8192, both),
             ("qr", 4096, both), ("svd", 2048, both), ("lstsq_tall", 10**6, both)]
            + [(op, 10**8, both) for op in ("mean", "var", "std", "median", "norm", "zscore")]
            + [("var", 10**9, both)] + [(op, 10**9, alone) for op in ("mean", "std", "median", "zscore")]
            + [("mode", 10**7, both), ("cov", 10**6, both), ("pca", 10**6, both), ("pca", 10**7, alone)]
            + [(op, 10**6, both) for op in ("linreg_normal", "linreg_gd")]
            + [(op, 10**7, alone) for op in ("linreg_normal", "linreg_gd")]
            + [("logreg_gd", 10**6, both), ("logreg_gd", 10**7, alone)])


def _cache_host_data():
    """Workloads that share a maker and size get the same host arrays (the runner seeds each alike):
    made once, since 10⁹ normal draws take seconds. One entry is kept."""
    import dataclasses

    from xpmath.bench.workloads import WORKLOADS

    last = {}

    def cached(make):
        def f(n, dt, rng):
            key = (make, n, np.dtype(dt).str)
            if key not in last:
                last.clear()
                last[key] = make(n, dt, rng)
            return last[key]
        return f

    makers = {}
    for name, w in list(WORKLOADS.items()):
        makers.setdefault(w.make, cached(w.make))
        WORKLOADS[name] = dataclasses.replace(w, make=makers[w.make])
    return last


def _spec_bandwidth(name):
    for key, bw in HBM_SPEC:
        if key in (name or ""):
            return bw, key
    return None, None


def gpu_shares(w, n, dtype, seconds, gpu):
    """A device result's share of the measured copy bandwidth and of the data sheet's HBM bandwidth
    (memory-bound), or of cuBLAS's GEMM rate in its dtype (GEMM-bound)."""
    if w.bound != "read":
        return {"gpu_share_of_gemm": w.flops(n) / seconds / 1e9 / gpu[f"gpu_gemm_{dtype.name}_GFLOPs"]}
    gbps = w.nbytes(n, dtype.itemsize) / seconds / 1e9
    out = {"gpu_share_of_copy": gbps / gpu["gpu_copy_GBps"]}
    if gpu.get("hbm_spec_GBps"):
        out["gpu_share_of_hbm_spec"] = gbps / gpu["hbm_spec_GBps"]
    return out


def bench(args):
    import xpmath
    from xpmath.bench import limits as lim
    from xpmath.bench import report, runner
    from xpmath.bench.workloads import WORKLOADS

    fast = args.fast
    if fast not in xpmath.available_backends():
        from xpmath import _registry

        print(f"bench: {fast} cannot run here: {_registry.status(fast)[1]}")
        return 1
    cache = _cache_host_data()
    dtype = np.dtype("float64")
    limits, gpu = {}, {}
    if fast == "cupy":
        import cupy

        gpu = lim.gpu_limits()
        gpu["device"] = _cupy_info()["device"]
        gpu["hbm_spec_GBps"], gpu["hbm_spec_for"] = _spec_bandwidth(gpu["device"])
        print(f"device copy {gpu['gpu_copy_GBps']:.0f} GB/s (read+write), GEMM float64 "
              f"{gpu['gpu_gemm_float64_GFLOPs']:.0f} GFLOP/s, float32 {gpu['gpu_gemm_float32_GFLOPs']:.0f}; "
              f"data sheet HBM {gpu['hbm_spec_GBps']} GB/s ({gpu['hbm_spec_for']})", flush=True)
    out = {"schema": "xpmath-gpu-proof-bench/1", "machine": report.machine(), "fast": fast, "dtype": dtype.name,
           "repeat": args.repeat, "tiny": bool(args.tiny), "gpu_limits": gpu,
           "timing": "xpmath.bench.runner: a first call, then medians of the repeats, backends interleaved, "
                     "the device synchronised before each clock stops; inputs already on the backend",
           "cpu_limits": "not measured here (xpmath bench measures them); numpy rows carry no share",
           "versions": None, "results": []}
    t0 = time.perf_counter()
    for op, n, backends in _plan(fast, args.tiny):
        w = WORKLOADS[op]
        rs = report.rows(runner.run_one(op, n, backends, dtype, args.repeat), limits)
        for d in rs:
            if d["backend"] == "cupy" and "median_s" in d:
                d.update(gpu_shares(w, n, dtype, d["median_s"], gpu))
            out["results"].append(d)
            print(_bench_line(d), flush=True)
        out["versions"] = report.versions(["numpy", fast])
        out["seconds"] = time.perf_counter() - t0
        _write(args.json, out)
        if fast == "cupy":
            cupy.get_default_memory_pool().free_all_blocks()
    cache.clear()
    print(f"bench: {len(out['results'])} rows in {out['seconds']:.0f} s; wrote {args.json}")
    return 0


def _bench_line(d):
    if "error" in d:
        return f"{d['op']:<18}{d['size']:>11} {d['backend']:<6} ERROR {d['error'][:100]}"
    share = ""
    for key, label in (("gpu_share_of_copy", "of copy"), ("gpu_share_of_hbm_spec", "of HBM spec"),
                       ("gpu_share_of_gemm", "of GEMM")):
        if key in d:
            share += f" {100 * d[key]:5.1f}% {label}"
    sp = f" {d['speedup_vs_numpy']:8.2f}x numpy" if d.get("speedup_vs_numpy") and d["backend"] != "numpy" else ""
    return (f"{d['op']:<18}{d['size']:>11} {d['backend']:<6} {d['median_s'] * 1e3:10.3f} ms "
            f"{d['throughput']:10.1f} {d['unit']:<7}{sp}{share}")


# ------------------------------------------------------------------------------------ crossover


def crossover(args):
    import xpmath
    from xpmath import _auto
    from xpmath.bench import crossover as cx

    fast = args.fast
    if fast not in xpmath.available_backends():
        from xpmath import _registry

        print(f"crossover: {fast} cannot run here: {_registry.status(fast)[1]}")
        return 1
    sizes = tuple(4**k for k in range(3, 9)) if args.tiny else cx.SIZES
    out = {"schema": "xpmath-gpu-proof-crossover/1", "fast": fast, "sizes": list(sizes), "repeat": args.repeat,
           "current_GPU_CROSSOVER": _auto.GPU_CROSSOVER,
           "how": "xpmath.bench.crossover.measure: host (NumPy) inputs, as auto gets them, so the fast backend's "
                  "times include the copy to the device and the result's copy back; medians, interleaved",
           "ops": {}}
    for op in cx.CASES:
        t = cx.measure(op, sizes, ("numpy", fast), args.repeat)
        c = cx.crossover(sizes, t["numpy"], t[fast])
        out["ops"][op] = {"crossover": c, "numpy_s": t["numpy"], f"{fast}_s": t[fast]}
        ratios = "  ".join(f"{n}:{a / b:.2f}x" for n, a, b in zip(sizes, t["numpy"], t[fast])
                           if a and b != float("inf"))
        print(f"{op:<24} crossover {'never' if c is None else c:>10}   numpy/{fast} {ratios}", flush=True)
        found = [v["crossover"] for v in out["ops"].values() if v["crossover"] is not None]
        out["median_crossover"] = statistics.median(found) if found else None
        out["never"] = [k for k, v in out["ops"].items() if v["crossover"] is None]
        _write(args.json, out)
    print(f"crossover: median over operations {out['median_crossover']} elements (now {_auto.GPU_CROSSOVER}); "
          f"never faster: {', '.join(out['never']) or 'none'}; wrote {args.json}")
    return 0


# -------------------------------------------------------------------------------------- summary


def _junit(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        return None, f"{os.path.basename(path)}: {type(exc).__name__}"
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    failed, skips = [], {}
    for case in root.iter("testcase"):
        kids = {c.tag: c for c in case}
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        if "failure" in kids or "error" in kids:
            tag = "failure" if "failure" in kids else "error"
            counts["failed" if tag == "failure" else "error"] += 1
            msg = (kids[tag].get("message") or "").strip().splitlines()
            failed.append(f"{name}: {msg[0][:120] if msg else ''}")
        elif "skipped" in kids:
            counts["skipped"] += 1
            why = (kids["skipped"].get("message") or "").strip()[:100]
            skips[why] = skips.get(why, 0) + 1
        else:
            counts["passed"] += 1
    return (counts, failed, skips), None


def _load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def summary(args):
    d = args.out
    lines = ["", "=" * 30 + " gpu_proof summary " + "=" * 30]
    e = _load(os.path.join(d, "env.json"))
    if e:
        cu = e.get("cupy")
        gpu = cu.get("device") if isinstance(cu, dict) else cu
        lines.append(f"device: {gpu}; nvidia-smi: {e.get('nvidia_smi')}")
        lines.append(f"install: {e.get('install')}; xpmath from {e.get('xpmath_file')}")
        lines.append(f"cupy backend: {e.get('cupy_backend')}")
    lines.append("")
    lines.append(f"{'stage':<12} {'seconds':>8}  status")
    for item in filter(None, args.stages.split(";")):
        name, status, secs = (item.split("|") + ["", ""])[:3]
        lines.append(f"{name:<12} {secs:>8}  {status}")
    for xml in ("tests-cupy.xml", "tests-foreign-gpu.xml"):
        got, err = _junit(os.path.join(d, xml))
        if got is None:
            lines.append(f"\n{xml}: none ({err})")
            continue
        counts, failed, skips = got
        lines.append(f"\n{xml}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        for f in failed[:25]:
            lines.append(f"  FAILED {f}")
        if len(failed) > 25:
            lines.append(f"  ... and {len(failed) - 25} more (see the XML)")
        for why, n in sorted(skips.items(), key=lambda kv: -kv[1])[:4]:
            lines.append(f"  skipped {n:>4}: {why}")
    b = _load(os.path.join(d, "bench.json"))
    if b:
        g = b.get("gpu_limits") or {}
        lines.append(f"\nbench ({b['fast']}, {b['dtype']})" + (
            f": device copy {g['gpu_copy_GBps']:.0f} GB/s, HBM spec {g.get('hbm_spec_GBps')} GB/s, "
            f"GEMM f64 {g['gpu_gemm_float64_GFLOPs']:.0f} GFLOP/s" if g else ""))
        lines += [_bench_line(r) for r in b["results"] if r["backend"] != "numpy"]
    c = _load(os.path.join(d, "crossover.json"))
    if c:
        lines.append(f"\ncrossover ({c['fast']} over numpy on host data; "
                     f"GPU_CROSSOVER now {c['current_GPU_CROSSOVER']}):")
        lines.append("  " + ", ".join(f"{k} {'never' if v['crossover'] is None else v['crossover']}"
                                      for k, v in c["ops"].items()))
        lines.append(f"  median {c.get('median_crossover')}")
    g = _load(os.path.join(d, "bench_gpu.json"))
    if g:
        lines.append(f"\nbench_gpu.py (copy {g.get('copy_GBps', 0):.0f} GB/s):")
        for r in g.get("dense", []):
            lines.append(f"  {r['op']:<7}{r['dtype']:<8}{r['n']:>6} direct/xpmath {r['ratio_direct_over_xpmath']:.3f} "
                         f"{r['GFLOPs']:8.0f} GFLOP/s {100 * r['share_of_peak']:4.0f}% of GEMM")
        for r in g.get("statistics", []):
            lines.append(f"  {r['op']:<7}{r['dtype']:<8}{r['n']:>11} {r['GBps']:6.0f} GB/s "
                         f"{100 * r['share_of_copy']:4.0f}% of copy")
        for r in g.get("gd", []):
            lines.append(f"  gd step {r['n']}x{r['d']} {r['GBps']:.0f} GB/s {100 * r['share_of_copy']:.0f}% of copy, "
                         f"{r['speedup_over_numpy_cpu']:.0f}x the numpy backend on the CPU")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(d, "summary.txt"), "w") as f:
        f.write(text + "\n")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("env")
    s.add_argument("--json")
    sub.add_parser("gpu-ok")
    for name in ("bench", "crossover"):
        s = sub.add_parser(name)
        s.add_argument("--json")
        s.add_argument("--fast", default="cupy")
        s.add_argument("--repeat", type=int, default=3)
        s.add_argument("--tiny", action="store_true")
    s = sub.add_parser("summary")
    s.add_argument("--out", required=True)
    s.add_argument("--stages", default="")
    a = p.parse_args(argv)
    return {"env": env, "gpu-ok": gpu_ok, "bench": bench, "crossover": crossover, "summary": summary}[a.cmd](a)


if __name__ == "__main__":
    raise SystemExit(main())
