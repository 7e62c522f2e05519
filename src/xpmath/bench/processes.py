"""A benchmark run in the process that compiles Numba's kernels, then in one that loads them.

Numba compiles a kernel on its first call and caches the machine code on disk
(``NUMBA_CACHE_DIR``, which the numba backend takes as its ``numba_cache_dir`` setting). The
steady-state speed of a kernel is not guaranteed to be the same in the process that compiled it
(the first after an install) and in a later one that loaded it from the cache. ``first_and_later``
runs a benchmark command twice in child processes sharing a new, empty cache directory: the first
compiles every kernel it calls, the second loads them. Each child measures this machine's limits
itself, so each time is judged against limits measured in its own process. ``pair`` and ``table``
put the two runs side by side.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from . import report

FIRST, LATER = "first_process", "later_process"
LABELS = {FIRST: "first process", LATER: "later process"}
# what each side of a pair keeps from a child's row
SIDE = ("median_s", "min_s", "max_s", "first_call_s", "compile_s", "throughput", "unit", "in_cache",
        "share_of_limit", "share_uncapped", "above_limit", "limit_used", "limit_value", "error")


class ChildFailed(RuntimeError):
    """A child run exited with an error or wrote no results."""


def cache_files(path: str) -> int:
    """Compiled kernels in a Numba cache directory: its ``.nbc`` files (one per compiled signature)."""
    return sum(f.endswith(".nbc") for _, _, files in os.walk(path) for f in files)


def first_and_later(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd + ["--json", FILE]`` twice with ``NUMBA_CACHE_DIR`` a new empty directory, the
    same for both, and return both payloads (``first_process``, ``later_process``) and the number
    of compiled kernels in the cache after each (``cache_files``). The children's standard error
    (progress) passes through; their standard output is kept and shown only if one fails. The
    directory is removed afterwards, whatever happens."""
    base = dict(os.environ if env is None else env)
    out: dict = {"cache_files": {}}
    with tempfile.TemporaryDirectory(prefix="xpmath-first-process-") as tmp:
        cache = os.path.join(tmp, "numba-cache")
        os.mkdir(cache)
        for key in (FIRST, LATER):
            path = os.path.join(tmp, f"{key}.json")
            print(f"{LABELS[key]} (NUMBA_CACHE_DIR {'new and empty' if key == FIRST else 'the same'})...",
                  file=sys.stderr, flush=True)
            r = subprocess.run([*cmd, "--json", path], env={**base, "NUMBA_CACHE_DIR": cache},
                               stdout=subprocess.PIPE, text=True, check=False)
            if r.returncode != 0 or not os.path.exists(path):
                tail = "\n".join((r.stdout or "").strip().splitlines()[-5:])
                raise ChildFailed(f"the {LABELS[key]} exited with status {r.returncode}" + (f":\n{tail}" if tail else ""))
            with open(path) as f:
                out[key] = json.load(f)
            out["cache_files"][key] = cache_files(cache)
    return out


def _side(d: dict | None) -> dict | None:
    return None if d is None else {k: d[k] for k in SIDE if k in d}


def pair(first: list[dict], later: list[dict], key: tuple[str, ...]) -> list[dict]:
    """One row per ``key`` (e.g. op, size, backend) with the two runs' figures side by side and
    ``later_over_first``, the later process's median time over the first's."""

    def k(d):
        return tuple(d[c] for c in key)

    a_ix, b_ix = {k(d): d for d in first}, {k(d): d for d in later}
    out = []
    for kk in dict.fromkeys([*map(k, first), *map(k, later)]):
        a, b = a_ix.get(kk), b_ix.get(kk)
        ratio = None
        if a and b and "error" not in a and "error" not in b and a.get("median_s"):
            ratio = b["median_s"] / a["median_s"]
        out.append({**dict(zip(key, kk)), "first": _side(a), "later": _side(b), "later_over_first": ratio})
    return out


def _fmt_t(s: float) -> str:
    return f"{s * 1e3:.2f} ms" if s < 10 else f"{s:.2f} s"


def _cells(s: dict | None) -> str:
    """median, share of the limit, compilation: one side's cells."""
    if s is None:
        return f"{'(not run)':>11} {'':>9} {'':>9}"
    if "error" in s:
        return f"{s['error'][:31]:<31}"
    comp = "-" if s.get("compile_s") is None else f"{s['compile_s'] * 1e3:.0f}ms"
    return f"{_fmt_t(s['median_s']):>11} {report.share_text(s):>9} {comp:>9}"


def table(pairs: list[dict], cols: list[tuple[str, str]]) -> str:
    """The paired table; ``cols`` are the key columns as (name, format spec), e.g. ("op", "<18")."""
    keys = " ".join(f"{name:{spec}}" for name, spec in cols)
    width = len(keys)
    side = f"{'median':>11} {'of limit':>9} {'compile':>9}"
    top = f"{'':<{width}} | {LABELS[FIRST]:<{len(side)}} | {LABELS[LATER]:<{len(side)}} |"
    head = f"{keys} | {side} | {side} | {'later/first':>11}"
    lines = [top, head, "-" * len(head)]
    for p in pairs:
        k = " ".join(f"{p[name]!s:{spec}}" for name, spec in cols)
        r = "-" if p["later_over_first"] is None else f"{p['later_over_first']:.2f}"
        lines.append(f"{k} | {_cells(p['first'])} | {_cells(p['later'])} | {r:>11}")
    return "\n".join(lines)


def notes(pairs: list[dict], runs: dict) -> str:
    """The footnotes of the sides' labels, each process's limits and what the cache held."""
    sides = [s for p in pairs for s in (p["first"], p["later"]) if s]
    first_lim, later_lim = runs[FIRST]["limits"], runs[LATER]["limits"]
    out = [report.footnotes(sides, first_lim)] if report.footnotes(sides, first_lim) else []
    out.append("")
    out.append(f"limits, {LABELS[FIRST]}: {report.limits_text(first_lim)}")
    out.append(f"limits, {LABELS[LATER]}: {report.limits_text(later_lim)}")
    n1, n2 = runs["cache_files"].get(FIRST, 0), runs["cache_files"].get(LATER, 0)
    if n1 == 0:
        out.append("numba cache: the first process cached no kernel (no numba kernel ran, or caching is off): "
                   "both processes compiled whatever they ran")
    elif n2 > n1:
        out.append(f"numba cache: the first process compiled and cached {n1} kernel signatures; the later process "
                   f"compiled {n2 - n1} more (those were not in the cache), and loaded the rest")
    else:
        out.append(f"numba cache: the first process compiled and cached {n1} kernel signatures in a new, empty "
                   "directory; the later process loaded them from it and added none")
    out.append("later/first: the later process's median time over the first's (below 1: faster once loaded "
               "from the cache); each share is of the limits measured in its own process")
    return "\n".join(out)


def run_and_report(cmd: list[str], key_cols: list[tuple[str, str]], json_path: str | None, schema: str,
                   what: str) -> dict:
    """``cmd`` in the first and a later process (:func:`first_and_later`), their results paired on
    the ``key_cols`` names and printed side by side with the notes, and written to ``json_path``
    (``schema``; ``what`` says what ran); returns the runs. A failed child raises :class:`ChildFailed`."""
    runs = first_and_later(cmd)
    pairs = pair(runs[FIRST]["results"], runs[LATER]["results"], tuple(name for name, _ in key_cols))
    print(table(pairs, key_cols))
    print(notes(pairs, runs))
    if json_path:
        report.write_json(
            json_path,
            {
                "schema": schema,
                "machine": report.machine(),
                "how": f"{what} in two child processes sharing a new, empty NUMBA_CACHE_DIR (removed afterwards): "
                       "the first compiles numba's kernels, the later one loads them from that cache; each "
                       "measures its own limits",
                "numba_cache_files": runs["cache_files"],
                FIRST: runs[FIRST],
                LATER: runs[LATER],
                "results": pairs,
            },
        )
        print(f"wrote {json_path}")
    return runs
