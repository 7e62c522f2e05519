"""The ``xpmath`` command: ``xpmath info`` and ``xpmath bench``."""

from __future__ import annotations

import argparse
import sys
import time


class _UsageError(Exception):
    """A bad option value: printed as one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="xpmath", description="xpmath: ML mathematics on NumPy, Numba, CuPy or Dask")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="print versions, BLAS, threads, devices and each backend's status")
    b = sub.add_parser(
        "bench",
        help="time the API on large inputs for each backend",
        description="Time the API on large inputs for each backend, interleaved in one run, against the "
        "machine's measured memory bandwidth and peak GEMM rate.",
    )
    b.add_argument("--backends", help="comma-separated backends (default: every usable one)")
    b.add_argument("--ops", help="comma-separated operations (default: all); see --list")
    b.add_argument("--sizes", help="comma-separated sizes, overriding each op's defaults (n for n×n, or rows)")
    b.add_argument("--dtype", default="float64", choices=["float32", "float64"])
    b.add_argument("--repeat", type=int, default=None, help="timed calls per result (default 5, quick 3)")
    b.add_argument("--quick", action="store_true", help="small sizes: the whole sweep in a few minutes")
    b.add_argument("--json", metavar="FILE", help="write the results, machine, versions and limits as JSON")
    b.add_argument("--plot", metavar="FILE.png", help="write throughput against size, one panel per operation")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.add_argument("--list", action="store_true", help="list the operations and exit")
    b.add_argument("--tune", action="store_true",
                   help="measure where numba starts to beat numpy for each operation and save it for 'auto'")
    b.add_argument("--out-of-core", metavar="GB", type=float, default=None,
                   help="also write a GB-sized .npy and reduce it on a memory-limited local Dask cluster, "
                        "against the disk's read rate (dask backend)")
    b.add_argument("--scratch", metavar="DIR", default=None, help="directory for the out-of-core file (default: temp)")
    b.add_argument("--first-process", action="store_true",
                   help="run the benchmark twice in child processes sharing a new, empty NUMBA_CACHE_DIR: first the "
                        "process that compiles numba's kernels (as right after an install), then a later one that "
                        "loads them from the cache; print both side by side with the later/first time ratio")
    return p


def _csv(value, valid, what):
    if value is None:
        return list(valid)
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in valid]
    if bad or not items:
        raise _UsageError(f"unknown {what} {', '.join(bad) or '(none given)'}; choose from {', '.join(valid)}")
    return items


def _sizes(value):
    out = []
    for v in value.split(","):
        try:
            n = int(float(v))
        except ValueError:
            raise _UsageError(f"--sizes: {v!r} is not a number") from None
        if n <= 0:
            raise _UsageError(f"--sizes: sizes must be positive; got {n}")
        out.append(n)
    return out


def _bench(args) -> int:
    import numpy as np

    import xpmath
    from xpmath import _registry

    from .bench import limits as lim
    from .bench import report, runner
    from .bench.workloads import WORKLOADS

    if args.list:
        for name, w in WORKLOADS.items():
            print(f"{name:<18} {w.describe}")
        return 0
    if args.first_process and (args.tune or args.out_of_core is not None):
        raise _UsageError("--first-process times the benchmark's operations; it does not combine with "
                          f"{'--tune' if args.tune else '--out-of-core'}")
    if args.tune:
        return _tune(args)
    usable = xpmath.available_backends()
    backends = _csv(args.backends, _registry.names(), "backend") if args.backends else usable
    for be in backends:
        if be not in usable:
            _, why = _registry.status(be)
            raise _UsageError(f"backend {be!r} cannot run here: {why}; usable: {', '.join(usable)}")
    if "numpy" not in backends:
        backends = ["numpy", *backends]  # the speed-up is over numpy, measured in the same run
    ops = _csv(args.ops, list(WORKLOADS), "operation")
    repeat = args.repeat if args.repeat is not None else (3 if args.quick else 5)
    if repeat < 1:
        raise _UsageError("--repeat must be at least 1")
    if args.out_of_core is not None:
        if args.out_of_core <= 0:
            raise _UsageError("--out-of-core needs a size in GB above 0")
        if "dask" not in usable:
            _, why = _registry.status("dask")
            raise _UsageError(f"--out-of-core needs the dask backend: {why}")
    gpu = "cupy" in backends
    plan = []
    for op in ops:
        w = WORKLOADS[op]
        sizes = _sizes(args.sizes) if args.sizes else list(w.quick if args.quick else (w.gpu_sizes if gpu else w.sizes))
        plan += [(op, n) for n in sizes]
    dtype = np.dtype(args.dtype)
    if args.first_process:
        if "numba" not in usable:
            _, why = _registry.status("numba")
            raise _UsageError(f"--first-process needs the numba backend: {why}")
        if "numba" not in backends:
            raise _UsageError("--first-process compares numba's kernels compiled in the process with kernels loaded "
                              "from its cache: add numba to --backends")
        return _first_process(args, backends, ops, repeat)
    print(f"measuring this machine's limits ({'quick' if args.quick else 'full'})...", file=sys.stderr)
    limits = lim.measure(args.quick, dtype)
    if gpu:
        limits.update(lim.gpu_limits())
    progress = None
    if not args.no_progress:
        try:
            from tqdm import tqdm

            progress = tqdm(total=len(plan) * len(backends) * repeat, unit="call", file=sys.stderr, desc="bench")
        except ImportError:
            progress = None
    results = []
    t0 = time.perf_counter()
    for op, n in plan:
        if progress is not None:
            progress.set_postfix_str(f"{op} n={n}")
        results += runner.run_one(op, n, backends, dtype, repeat, progress=progress)
    if progress is not None:
        progress.close()
    rs = report.rows(results, limits)
    print(report.table(rs))
    notes = report.footnotes(rs, limits)
    if notes:
        print(notes)
    print(f"\nlimits: {report.limits_text(limits)}; {time.perf_counter() - t0:.0f} s")
    ooc = None
    if args.out_of_core is not None:
        from .bench import outofcore

        print(f"out-of-core: writing {args.out_of_core:g} GB...", file=sys.stderr)
        ooc = outofcore.run(args.out_of_core, args.scratch)
        print()
        print(outofcore.table(ooc))
    machine = report.machine()
    if args.json:
        report.write_json(
            args.json,
            {
                # 2: in_cache, limit_used/limit_value, shares capped at 1; 3: cov, corrcoef, pca and
                # linreg_normal judged as GEMM work (GFLOP/s against gemm_GFLOPs)
                "schema": "xpmath-bench/3",
                "machine": machine,
                "versions": report.versions(backends),
                "threads": report.threads(backends),
                "dtype": dtype.name,
                "tf32": report.tf32_state(backends),
                "backends": backends,
                "quick": bool(args.quick),
                "repeat": repeat,
                "interleaving": "backends take turns in every round, 0.1 s apart, a call under 0.25 s preceded by 50 ms of untimed calls; medians of the rounds",
                "limits": limits,
                "results": rs,
                "out_of_core": ooc,
            },
        )
        print(f"wrote {args.json}")
    if args.plot:
        title = f"xpmath bench — {machine['cpu']} ({machine['cores']} cores), {dtype.name}"
        report.plot(args.plot, rs, title, limits)
        print(f"wrote {args.plot}")
    return 0


def _first_process(args, backends, ops, repeat) -> int:
    """The benchmark in the process that compiles numba's kernels and in a later one that loads them."""
    from .bench import processes, report

    cmd = [sys.executable, "-m", "xpmath", "bench", "--backends", ",".join(backends), "--ops", ",".join(ops),
           "--dtype", args.dtype, "--repeat", str(repeat)]
    if args.sizes:
        cmd += ["--sizes", args.sizes]
    if args.quick:
        cmd.append("--quick")
    if args.no_progress:
        cmd.append("--no-progress")
    # a failed child raises: reported as one line by main
    runs = processes.run_and_report(cmd, [("op", "<18"), ("size", ">10"), ("backend", "<8")], args.json,
                                    "xpmath-bench-first-process/1", "the same benchmark")
    if args.plot:
        machine = report.machine()
        rs = [{**d, "backend": f"{d['backend']} ({which})"}
              for which, run in (("first", runs[processes.FIRST]), ("later", runs[processes.LATER]))
              for d in run["results"]]
        title = f"xpmath bench, first and later process — {machine['cpu']} ({machine['cores']} cores), {args.dtype}"
        report.plot(args.plot, rs, title, runs[processes.FIRST]["limits"])
        print(f"wrote {args.plot}")
    return 0


def _tune(args) -> int:
    import os
    import platform

    import xpmath
    from xpmath import _auto

    from .bench import crossover

    if "numba" not in xpmath.available_backends():
        raise _UsageError("--tune compares numba with numpy: install it with pip install 'xpmath[numba]'")
    repeat = args.repeat if args.repeat is not None else 5
    found = crossover.tune("numba", repeat=repeat)
    path = _auto.write_tuned(found, {"platform": platform.platform(), "processor": platform.processor(),
                                      "cpu_count": os.cpu_count()})
    print(f"crossovers written to {path}; XPMATH_BACKEND=auto now uses them")
    return 0


def main(argv=None) -> int:
    """Entry point of the ``xpmath`` console script and of ``python -m xpmath``."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "info":
            import xpmath

            xpmath.show_config()
            return 0
        return _bench(args)
    except _UsageError as exc:
        print(f"xpmath {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the user; the message says what failed
        print(f"xpmath {args.command}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
