"""The benchmark's table, JSON and plot, and the rule that judges a result against a limit.

A memory-bound result is judged against the bandwidth measured on arrays well beyond the
last-level cache. When the operation's inputs fit in that cache (their bytes at most the LLC's
size), repeated calls read them from cache, not memory: such a result is reported as "in cache"
with no share, since dividing by the DRAM rate could exceed 100% and would say nothing. A larger
working set can still be partly cached, and a limit probe is as noisy as the results: any share
above 100% is capped at 100% and flagged (``above_limit``), with the raw figure kept in the JSON.
"""

from __future__ import annotations

import json
import os
import platform
import sys

import numpy as np


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


def judge(bound: str, amount: float, seconds: float, limits: dict, input_bytes: float | None = None,
          copy_bytes: float = 0.0) -> dict:
    """A result's throughput and its share of this machine's limit.

    ``bound`` is ``"gemm"`` (``amount`` in FLOP, against the GEMM peak) or ``"read"`` (``amount``
    in bytes moved, of which ``copy_bytes`` are a read of one array and a write of another: the
    limit is then the rate at which the read part at the read bandwidth and the copy part at the
    copy bandwidth would take, i.e. the time floor ``read/R + copy/C``). ``input_bytes`` at most
    ``limits["llc_bytes"]`` makes a memory-bound result ``in_cache``, with no share.
    """
    val = amount / seconds / 1e9
    in_cache = False
    if bound == "gemm":
        unit, name, limit = "GFLOP/s", "gemm_GFLOPs", limits.get("gemm_GFLOPs")
    else:
        unit = "GB/s"
        read, copy = limits.get("read_GBps"), limits.get("copy_GBps")
        if copy_bytes and read and copy:
            floor = (amount - copy_bytes) / read + copy_bytes / copy
            name = "copy_GBps" if copy_bytes >= amount else "read_GBps+copy_GBps"
            limit = amount / floor
        else:
            name, limit = "read_GBps", read
        llc = limits.get("llc_bytes")
        in_cache = bool(llc and input_bytes is not None and input_bytes <= llc)
    raw = val / limit if (limit and not in_cache) else None
    return {
        "throughput": val,
        "unit": unit,
        "limit_used": name,
        "limit_value": limit,
        "in_cache": in_cache,
        "share_of_limit": None if raw is None else min(raw, 1.0),
        "share_uncapped": raw,
        "above_limit": bool(raw is not None and raw > 1.0),
    }


def share_text(d: dict) -> str:
    """The share column: a percentage, ``in cache``, ``100%*`` when capped, or ``-``."""
    if d.get("in_cache"):
        return "in cache"
    if d.get("share_of_limit") is None:
        return "-"
    return "100%*" if d.get("above_limit") else f"{100 * d['share_of_limit']:.0f}%"


FOOTNOTE_ABOVE = ("* above the limit measured in this run, shown as 100%: the machine was busier while the limit "
                  "was measured, or (memory-bound) part of the data stayed in cache")


def footnotes(rs, limits: dict) -> str:
    """Lines explaining the share column's labels, for those that occur in ``rs``."""
    out = []
    if any(d.get("in_cache") for d in rs):
        out.append(f"in cache: the inputs fit in the last-level cache ({limits.get('llc_bytes', 0) / 2**20:.0f} MiB), so "
                   "repeated calls read them from cache; no share of the memory bandwidth is given")
    if any(d.get("above_limit") for d in rs):
        out.append(FOOTNOTE_ABOVE)
    return "\n".join(out)


def limits_text(limits: dict) -> str:
    """One line of the measured limits and how they were measured."""
    parts = [
        f"read {limits['read_GBps']:.1f} GB/s ({limits['read_how']})",
        f"{limits['read_1t_GBps']:.1f} GB/s ({limits['read_1t_how']})",
        f"copy {limits['copy_GBps']:.1f} GB/s (read+write, {limits['copy_how']})",
    ]
    if "gemm_GFLOPs" in limits:
        parts.append(f"GEMM {limits['gemm_GFLOPs']:.1f} GFLOP/s ({limits['gemm_how']})")
    parts.append(f"on {limits['probe_bytes'] / 2**20:.0f} MiB arrays; last-level cache "
                 f"{limits['llc_bytes'] / 2**20:.0f} MiB ({limits['llc_how']})")
    return ", ".join(parts)


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
        w = WORKLOADS[r.op]
        s = np.dtype(r.dtype).itemsize
        if w.bound == "gemm":
            j = judge("gemm", w.flops(r.size), med, limits)
        else:
            j = judge("read", w.nbytes(r.size, s), med, limits, input_bytes=r.input_bytes,
                      copy_bytes=w.copy_nbytes(r.size, s) if w.copy_nbytes else 0.0)
        d.update(
            median_s=med,
            min_s=float(min(r.times)),
            max_s=float(max(r.times)),
            first_call_s=r.first_call_s,
            compile_s=r.compile_s,
            transfer_s=r.transfer_s,
            input_bytes=r.input_bytes,
            **j,
            limit=w.bound,
            speedup_vs_numpy=(base[(r.op, r.size)] / med) if (r.op, r.size) in base else None,
            count=(f"{w.flops(r.size):.3g} FLOP" if w.flops else f"{w.nbytes(r.size, s):.3g} B"),
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
        share = share_text(d)
        sp = f"{d['speedup_vs_numpy']:.2f}x" if d["speedup_vs_numpy"] is not None else "-"
        comp = "-" if d.get("compile_s") is None else f"{d['compile_s'] * 1e3:.0f}ms"
        lines.append(
            f"{d['op']:<18}{d['size']:>10} {d['backend']:<8}{_fmt_t(d['median_s']):>13} {mm:>20} "
            f"{d['throughput']:>9.2f} {d['unit']:<6} {share:>9} {sp:>9} {d['first_call_s'] * 1e3:>8.1f}ms {comp:>9}"
        )
    return "\n".join(lines)


def write_json(path, payload):
    """``payload`` as JSON at ``path``, whole or not at all (a temporary file renamed over it)."""
    from .._files import replacing

    with replacing(path) as f:
        json.dump(payload, f, indent=2, default=str)


def size_label(n):
    """2048 -> '2048', 10**7 -> '1e7', 3*10**6 -> '3e6'."""
    if n < 10**5:
        return str(n)
    e = len(str(n)) - 1
    m = n / 10**e
    return f"1e{e}" if m == 1 else f"{m:g}e{e}"


def in_cache_note(limits: dict) -> str:
    """The plot's words for its open markers."""
    llc = limits.get("llc_bytes")
    size = f" ({llc / 2**20:.0f} MiB)" if llc else ""
    return f"open marker: inputs fit in the last-level cache{size}, can exceed the memory line"


def plot(path, rs, title, limits=None):
    """Throughput against size, one panel per operation, one line per backend; the y axis starts
    at 0 and a dashed line marks the limit each row was judged against (peak GEMM rate, read
    bandwidth, or read and copy bandwidth combined, measured in the same run). Memory-bound results
    whose inputs fit in the last-level cache are drawn as open markers: they are not judged against
    the memory line and can exceed it (GEMM-bound results are never marked: compute bounds them).
    A backend labelled with a suffix, e.g. ``"numba (later)"``, takes its backend's colour, dotted
    with square markers when the suffix says "later"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    limits = limits or {}
    ops = [o for o in dict.fromkeys(d["op"] for d in rs) if any("throughput" in d for d in rs if d["op"] == o)]
    ncol = min(4, max(1, len(ops)))
    nrow = (len(ops) + ncol - 1) // ncol
    any_cached = any(d.get("in_cache") for d in rs if d["op"] in ops)
    height = 3.2 * nrow + (0.6 if any_cached else 0.4)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, height), squeeze=False)
    colors = {"numpy": "#1f77b4", "numba": "#ff7f0e", "cupy": "#2ca02c", "dask": "#9467bd"}
    for ax, op in zip(axes.flat, ops):
        unit = next(d["unit"] for d in rs if d["op"] == op and "unit" in d)
        sizes = sorted({d["size"] for d in rs if d["op"] == op and "throughput" in d})
        for be in dict.fromkeys(d["backend"] for d in rs):
            pts = sorted((d["size"], d["throughput"], bool(d.get("in_cache")))
                         for d in rs if d["op"] == op and d["backend"] == be and "throughput" in d)
            if pts:
                xs, ys, _ = zip(*pts)
                base, _, tag = be.partition(" ")
                later = "later" in tag
                mk = "s" if later else "o"
                line = ax.plot(xs, ys, label=be, color=colors.get(base), linestyle=":" if later else "-", marker=mk)[0]
                for x, y, c in pts:
                    if c:
                        ax.plot([x], [y], marker=mk, color=line.get_color(), markerfacecolor="white")
        judged = next((d for d in rs if d["op"] == op and d.get("limit_value")), None)
        if judged is not None:
            lim, lim_name = judged["limit_value"], judged["limit_used"].replace("_GBps", "").replace("_GFLOPs", "")
        else:
            lim, lim_name = (limits.get("gemm_GFLOPs"), "gemm") if unit == "GFLOP/s" else (limits.get("read_GBps"), "read")
        if any(d.get("in_cache") for d in rs if d["op"] == op):
            ax.plot([], [], marker="o", linestyle="none", color="0.45", markerfacecolor="white",
                    label="open: inputs in cache")
        if lim:
            ax.axhline(lim, color="0.45", linestyle="--", linewidth=1, label=f"limit ({lim_name})")
        ax.set_title(op)
        ax.set_xscale("log")
        if len(sizes) == 1:  # one point: give the log axis some room either side
            ax.set_xlim(sizes[0] / 2, sizes[0] * 2)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(sizes, [size_label(n) for n in sizes])
        ax.set_ylim(bottom=0)
        ax.set_xlabel("size (n for n×n, else elements or rows)" if op == ops[0] else "size")
        ax.set_ylabel(unit)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(ops):]:
        ax.axis("off")
    # the title, and under it what the open markers mean, above the panels
    fig.suptitle(title + (f"\n{in_cache_note(limits)}" if any_cached else ""), fontsize=11 if any_cached else 12)
    fig.tight_layout()
    from .._files import replacing

    try:
        with replacing(path, "wb") as f:  # whole or not at all; the format from the real name
            fig.savefig(f, dpi=110, format=os.path.splitext(os.fspath(path))[1].lstrip(".").lower() or "png")
    finally:
        plt.close(fig)
