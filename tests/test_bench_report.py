"""The benchmark's judging, plot and first-process pairing on made-up timings (numbers are not
measured here: nothing in this file times anything)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from xpmath.bench import processes, report
from xpmath.bench.runner import Result
from xpmath.bench.workloads import WORKLOADS

LIMITS = {"read_GBps": 20.0, "read_1t_GBps": 10.0, "copy_GBps": 20.0, "gemm_GFLOPs": 100.0, "llc_bytes": 32 * 2**20,
          "read_how": "r", "read_1t_how": "r1", "copy_how": "c", "gemm_how": "g", "llc_how": "sysfs",
          "probe_bytes": 256 * 2**20}
GRAM = {"cov": 64, "corrcoef": 64, "pca": 64, "linreg_normal": 101}


def _result(op, n, backend="numpy", seconds=0.01):
    w = WORKLOADS[op]
    import numpy as np

    host = w.make(min(n, 8), np.dtype("float64"), np.random.default_rng(0))
    per_row = sum(a.nbytes // a.shape[0] for a in host)  # the inputs' bytes at n, without making them
    return Result(op, n, backend, "float64", times=[seconds], first_call_s=seconds, input_bytes=per_row * n)


@pytest.mark.parametrize("op", sorted(GRAM))
def test_gram_bound_ops_are_judged_in_gflops_against_gemm(op):
    w = WORKLOADS[op]
    assert w.bound == "gemm" and w.flops(1000) == pytest.approx(2.0 * 1000 * GRAM[op] ** 2)
    assert f"{GRAM[op]}²" in w.describe  # the count is stated where --list shows it
    for n in (1000, 10**7):  # in cache or not: compute-bound, never "in cache"
        (d,) = report.rows([_result(op, n)], LIMITS)
        assert d["unit"] == "GFLOP/s" and d["limit_used"] == "gemm_GFLOPs" and d["limit"] == "gemm"
        assert not d["in_cache"] and d["share_of_limit"] is not None and d["count"].endswith("FLOP")
        assert d["throughput"] == pytest.approx(w.flops(n) / 0.01 / 1e9)


def test_memory_bound_rows_in_cache_only_when_the_inputs_fit():
    small, large = report.rows([_result("var", 1000), _result("var", 10**8, seconds=0.1)], LIMITS)
    assert small["unit"] == "GB/s" and small["in_cache"] and small["share_of_limit"] is None
    assert report.share_text(small) == "in cache"
    assert not large["in_cache"] and large["share_of_limit"] == pytest.approx(8e8 / 0.1 / 1e9 / 20.0)


def test_plot_says_what_open_markers_mean(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    seen = {}
    save = Figure.savefig

    def spy(self, *a, **kw):
        seen["title"] = self._suptitle.get_text()
        seen["legends"] = {ax.get_title(): [t.get_text() for t in ax.get_legend().get_texts()]
                           for ax in self.axes if ax.get_legend()}
        return save(self, *a, **kw)

    monkeypatch.setattr(Figure, "savefig", spy)
    rs = report.rows([_result("var", 1000), _result("var", 1000, "numba"), _result("cov", 1000)], LIMITS)
    report.plot(tmp_path / "p.png", rs, "t", LIMITS)
    assert "open marker: inputs fit in the last-level cache (32 MiB), can exceed the memory line" in seen["title"]
    assert "open: inputs in cache" in seen["legends"]["var"]
    assert "open: inputs in cache" not in seen["legends"]["cov"]  # GEMM-bound: never marked
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    report.plot(tmp_path / "q.png", [d for d in rs if d["op"] == "cov"], "t", LIMITS)
    assert "open marker" not in seen["title"]


def _payload(rows, limits=LIMITS):
    return {"limits": limits, "results": rows}


def test_pair_and_table():
    first = report.rows([_result("var", 1000, "numba", 0.002), _result("cov", 10**6, "numba", 0.1)], LIMITS)
    later = report.rows([_result("var", 1000, "numba", 0.001), _result("cov", 10**6, "numba", 0.2)], LIMITS)
    first[0]["compile_s"], later[0]["compile_s"] = 1.5, 0.0
    pairs = processes.pair(first, later, ("op", "size", "backend"))
    assert [p["later_over_first"] for p in pairs] == [pytest.approx(0.5), pytest.approx(2.0)]
    assert pairs[0]["first"]["compile_s"] == 1.5 and pairs[0]["later"]["in_cache"]
    text = processes.table(pairs, [("op", "<18"), ("size", ">10"), ("backend", "<8")])
    head, cols = text.splitlines()[:2]
    assert "first process" in head and "later process" in head and "later/first" in cols
    assert cols.count("median") == 2 and cols.count("of limit") == 2
    var_line, cov_line = text.splitlines()[3:5]
    assert "in cache" in var_line and "1500ms" in var_line and var_line.rstrip().endswith("0.50")
    assert cov_line.rstrip().endswith("2.00")
    runs = {processes.FIRST: _payload(first), processes.LATER: _payload(later),
            "cache_files": {processes.FIRST: 3, processes.LATER: 3}}
    notes = processes.notes(pairs, runs)
    assert "limits, first process" in notes and "limits, later process" in notes and "added none" in notes
    runs["cache_files"][processes.LATER] = 5
    assert "compiled 2 more" in processes.notes(pairs, runs)


CHILD = """
import json, os, sys
cache = os.environ["NUMBA_CACHE_DIR"]
seen = sorted(os.listdir(cache))
if not seen:  # as a compiling process: a kernel written to the cache
    open(os.path.join(cache, "k.nbc"), "w").close()
    open(os.path.join(cache, "k.nbi"), "w").close()
if "--fail" in sys.argv:
    print("it went wrong")
    sys.exit(3)
json.dump({"cache": cache, "seen": seen, "limits": {}, "results": []}, open(sys.argv[sys.argv.index("--json") + 1], "w"))
"""


def test_first_and_later_share_one_new_cache_and_remove_it(tmp_path):
    child = tmp_path / "child.py"
    child.write_text(CHILD)
    runs = processes.first_and_later([sys.executable, str(child)])
    first, later = runs[processes.FIRST], runs[processes.LATER]
    assert first["seen"] == [] and later["seen"] == ["k.nbc", "k.nbi"]  # new and empty, then the same one
    assert first["cache"] == later["cache"] and not os.path.exists(first["cache"])
    assert runs["cache_files"] == {processes.FIRST: 1, processes.LATER: 1}
    with pytest.raises(processes.ChildFailed, match=r"first process exited with status 3:\nit went wrong"):
        processes.first_and_later([sys.executable, str(child), "--fail"])


def _bench_bandwidth():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_bandwidth.py"
    spec = importlib.util.spec_from_file_location("_bench_bandwidth", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclass looks its module up there
    spec.loader.exec_module(mod)
    return mod


def test_bench_bandwidth_judges_cov_against_gemm():
    bw = _bench_bandwidth()
    cases = {c.name: c for c in bw.cases(10**6, 3)}
    assert cases["cov"].bound == cases["corrcoef"].bound == "gemm" and cases["var"].bound == "read"
    assert cases["cov"].flops == pytest.approx(2.0 * 10**4 * 64**2)
    base = {"shape": "1e4x64", "backend": "numba", "mode": "back to back", "copy_bytes": 0.0, "input_bytes": 5e6,
            "min_s": 0.01, "max_s": 0.01, "first_call_s": 0.01, "compile_s": 0.0, "numba_speedup": 1.0}
    cov = bw.judged({**base, "op": "cov", "bound": "gemm", "bytes": 5e6, "flops": cases["cov"].flops,
                     "median_s": 0.01}, LIMITS)
    var = bw.judged({**base, "op": "var", "bound": "read", "bytes": 8e8, "flops": None, "input_bytes": 8e8,
                     "median_s": 0.1}, LIMITS)
    assert cov["unit"] == "GFLOP/s" and cov["limit_used"] == "gemm_GFLOPs" and not cov["in_cache"]
    assert var["unit"] == "GB/s" and var["limit_used"] == "read_GBps"
    text = bw.table([cov, var])
    assert "GFLOP/s" in text and "GB/s" in text and "82 MFLOP" in text and "800 MB" in text


def test_bench_bandwidth_first_process(tmp_path, monkeypatch, capsys):
    bw = _bench_bandwidth()
    calls = []
    row = {"op": "var", "shape": "1e3", "backend": "numba", "mode": "back to back", "median_s": 0.001,
           "compile_s": 0.9, "unit": "GB/s", "in_cache": True, "share_of_limit": None}

    def fake(cmd):
        calls.append(cmd)
        later = {**row, "median_s": 0.002, "compile_s": 0.0}
        return {processes.FIRST: _payload([row]), processes.LATER: _payload([later]),
                "cache_files": {processes.FIRST: 2, processes.LATER: 2}}

    monkeypatch.setattr(bw.processes, "first_and_later", fake)
    out = tmp_path / "fp.json"
    assert bw.main(["--n", "1000", "--repeat", "1", "--only", "var", "--first-process", "--json", str(out)]) == 0
    (cmd,) = calls
    assert cmd[:2] == [sys.executable, os.path.abspath(bw.__file__)] and "--first-process" not in cmd
    assert cmd[cmd.index("--n") + 1] == "1000" and cmd[cmd.index("--only") + 1] == "var"
    text = capsys.readouterr().out
    assert "first process" in text and "later process" in text and "2.00" in text
    doc = json.loads(out.read_text())
    assert doc[processes.FIRST]["results"] == [row] and doc["results"][0]["later_over_first"] == pytest.approx(2.0)
