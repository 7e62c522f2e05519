"""The benchmark's table, JSON and plot."""

from __future__ import annotations

import json
import os
import platform
import sys

import numpy as np

from .runner import throughput
from .workloads import WORKLOADS


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        mem = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "platform": platform.platform()}


def versions(backends) -> dict:
    import xpmath

    v = {"xpmath": xpmath.__version__, "python": sys.version.split()[0], "numpy": np.__version__}
    for mod in ("numba", "cupy", "dask", "scipy"):
        m = sys.modules.get(mod)
        if m is not None:
            v[mod] = getattr(m, "__version__", "?")
    return v


def threads(backends) -> dict:
    out = {"OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "(unset)")}
    try:
        from threadpoolctl import threadpool_info

        out["pools"] = [
            {k: p.get(k) for k in ("user_api", "internal_api", "num_threads", "version")} for p in threadpool_info()
        ]
    except ImportError:
        pass
    if "numba" in backends:
        import numba

        out["numba_threads"] = numba.get_num_threads()
        try:
            out["numba_threading_layer"] = numba.threading_layer()
        except ValueError:
            pass
    return out


def tf32_state(backends) -> str:
    if "cupy" not in backends:
        return "n/a (no cupy backend in this run)"
    import xpmath

    return "on" if xpmath.get_config()["cupy_tf32"] else "off"


def rows(results, limits):
    """One dict per result with time, throughput, share of the limit and speed-up over numpy."""
    base = {(r.op, r.size): r.median for r in results if r.backend == "numpy" and r.times}
    out = []
    for r in results:
        d = {"op": r.op, "size": r.size, "backend": r.backend, "dtype": r.dtype}
        if r.error:
            d["error"] = r.error
            out.append(d)
            continue
        med = r.median
        val, unit = throughput(r.op, r.size, np.dtype(r.dtype).itemsize, med)
        w = WORKLOADS[r.op]
        limit = limits.get("gemm_GFLOPs") if unit == "GFLOP/s" else limits.get("read_GBps")
        d.update(
            median_s=med,
            min_s=float(min(r.times)),
            max_s=float(max(r.times)),
            first_call_s=r.first_call_s,
            compile_s=r.compile_s,
            transfer_s=r.transfer_s,
            throughput=val,
            unit=unit,
            share_of_limit=(val / limit) if limit else None,
            limit=w.bound,
            speedup_vs_numpy=(base[(r.op, r.size)] / med) if (r.op, r.size) in base else None,
            count=(f"{w.flops(r.size):.3g} FLOP" if w.flops else f"{w.nbytes(r.size, np.dtype(r.dtype).itemsize):.3g} B"),
        )
        out.append(d)
    return out


def _fmt_t(s):
    return f"{s * 1e3:9.2f} ms" if s < 10 else f"{s:9.2f} s "


def table(rs) -> str:
    head = f"{'op':<18}{'size':>10} {'backend':<8}{'median':>13} {'min-max (ms)':>20} {'rate':>16} {'of limit':>9} {'vs numpy':>9} {'1st call':>10} {'compile':>9}"
    lines = [head, "-" * len(head)]
    for d in rs:
        if "error" in d:
            lines.append(f"{d['op']:<18}{d['size']:>10} {d['backend']:<8}  {d['error'][:80]}")
            continue
        mm = f"{d['min_s'] * 1e3:.1f}-{d['max_s'] * 1e3:.1f}"
        share = f"{100 * d['share_of_limit']:.0f}%" if d["share_of_limit"] is not None else "-"
        sp = f"{d['speedup_vs_numpy']:.2f}x" if d["speedup_vs_numpy"] is not None else "-"
        comp = "-" if d.get("compile_s") is None else f"{d['compile_s'] * 1e3:.0f}ms"
        lines.append(
            f"{d['op']:<18}{d['size']:>10} {d['backend']:<8}{_fmt_t(d['median_s']):>13} {mm:>20} "
            f"{d['throughput']:>9.2f} {d['unit']:<6} {share:>9} {sp:>9} {d['first_call_s'] * 1e3:>8.1f}ms {comp:>9}"
        )
    return "\n".join(lines)


def write_json(path, payload):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(payload, f, indent=2, default=str)


def _size_label(n):
    """2048 -> '2048', 10**7 -> '1e7', 3*10**6 -> '3e6'."""
    if n < 10**5:
        return str(n)
    e = len(str(n)) - 1
    m = n / 10**e
    return f"1e{e}" if m == 1 else f"{m:g}e{e}"


def plot(path, rs, title, limits=None):
    """Throughput against size, one panel per operation, one line per backend; the y axis starts
    at 0 and a dashed line marks the machine's limit for that kind of work (peak GEMM rate or
    read bandwidth, measured in the same run)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    limits = limits or {}
    ops = [o for o in dict.fromkeys(d["op"] for d in rs) if any("throughput" in d for d in rs if d["op"] == o)]
    ncol = min(4, max(1, len(ops)))
    nrow = (len(ops) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.2 * nrow + 0.4), squeeze=False)
    colors = {"numpy": "#1f77b4", "numba": "#ff7f0e", "cupy": "#2ca02c", "dask": "#9467bd"}
    for ax, op in zip(axes.flat, ops):
        unit = next(d["unit"] for d in rs if d["op"] == op and "unit" in d)
        sizes = sorted({d["size"] for d in rs if d["op"] == op and "throughput" in d})
        for be in dict.fromkeys(d["backend"] for d in rs):
            pts = sorted((d["size"], d["throughput"]) for d in rs if d["op"] == op and d["backend"] == be and "throughput" in d)
            if pts:
                xs, ys = zip(*pts)
                ax.plot(xs, ys, marker="o", label=be, color=colors.get(be))
        lim = limits.get("gemm_GFLOPs") if unit == "GFLOP/s" else limits.get("read_GBps")
        if lim:
            ax.axhline(lim, color="0.45", linestyle="--", linewidth=1, label="machine limit")
        ax.set_title(op)
        ax.set_xscale("log")
        if len(sizes) == 1:  # one point: give the log axis some room either side
            ax.set_xlim(sizes[0] / 2, sizes[0] * 2)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(sizes, [_size_label(n) for n in sizes])
        ax.set_ylim(bottom=0)
        ax.set_xlabel("size (n for n×n, else elements or rows)" if op == ops[0] else "size")
        ax.set_ylabel(unit)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(ops):]:
        ax.axis("off")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=110)
    plt.close(fig)
