"""The ``xpmath`` command: options, JSON schema and plot on tiny sizes (numbers are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xpmath import cli
from xpmath.bench import limits as lim
from xpmath.bench import report

TINY = ["bench", "--no-progress", "--repeat", "1", "--backends", "numpy"]


def test_bench_json_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out_json, out_png = tmp_path / "r.json", tmp_path / "r.png"
    rc = cli.main(TINY + ["--ops", "matmul,var,linreg_gd", "--sizes", "64", "--quick", "--json", str(out_json), "--plot", str(out_png)])
    assert rc == 0
    table = capsys.readouterr().out
    assert "matmul" in table and "GFLOP/s" in table and "GB/s" in table and "vs numpy" in table
    doc = json.loads(out_json.read_text())
    for key in ("schema", "machine", "versions", "threads", "dtype", "tf32", "limits", "results", "backends"):
        assert key in doc
    limits = doc["limits"]
    assert {"copy_GBps", "read_GBps", "read_1t_GBps", "gemm_GFLOPs", "llc_bytes", "probe_bytes"} <= set(limits)
    assert limits["probe_bytes"] == lim.probe_bytes(True, limits["llc_bytes"])
    r = doc["results"][0]
    for key in ("op", "size", "backend", "median_s", "min_s", "max_s", "first_call_s", "compile_s", "throughput", "unit",
                "share_of_limit", "speedup_vs_numpy", "in_cache", "limit_used", "limit_value", "above_limit"):
        assert key in r
    for r in doc["results"]:
        # 64 values or 64 rows fit in any cache: labelled, never divided by the memory bandwidth
        assert r["in_cache"] == (r["unit"] == "GB/s")
        assert r["share_of_limit"] is None or 0 <= r["share_of_limit"] <= 1
        assert r["above_limit"] == (r["share_uncapped"] is not None and r["share_uncapped"] > 1)
    assert "in cache" in table and "last-level cache" in table
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_first_process(tmp_path, capsys):
    """Two child runs sharing a new cache: the first compiles numba's var kernels, the later loads them."""
    from xpmath import _registry

    if _registry.status("numba")[0] is None:
        pytest.skip("the numba backend is not usable here")
    out_json = tmp_path / "fp.json"
    rc = cli.main(TINY[:-1] + ["numba", "--first-process", "--quick", "--ops", "var", "--sizes", "1000",
                               "--json", str(out_json)])
    assert rc == 0
    lines = capsys.readouterr().out.splitlines()
    assert "first process" in lines[0] and "later process" in lines[0] and "later/first" in lines[1]
    rows = [ln for ln in lines if ln.startswith("var ")]
    assert [ln.split()[2] for ln in rows] == ["numpy", "numba"] and all(ln.count("in cache") == 2 for ln in rows)
    doc = json.loads(out_json.read_text())
    assert doc["schema"] == "xpmath-bench-first-process/1"
    first, later = doc["first_process"], doc["later_process"]
    for run in (first, later):  # each child's whole payload, its own limits included
        assert run["schema"] == "xpmath-bench/3" and "read_GBps" in run["limits"] and len(run["results"]) == 2
    (nb,) = [p for p in doc["results"] if p["backend"] == "numba"]
    assert nb["first"]["compile_s"] > 0 and nb["later"]["compile_s"] == 0  # compiled, then loaded from the cache
    assert nb["later_over_first"] == pytest.approx(nb["later"]["median_s"] / nb["first"]["median_s"])
    n1, n2 = doc["numba_cache_files"]["first_process"], doc["numba_cache_files"]["later_process"]
    assert n1 > 0 and n2 == n1


def test_bench_list(capsys):
    assert cli.main(["bench", "--list"]) == 0
    assert "median" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["bench", "--ops", "nosuchop"],
        ["bench", "--backends", "nosuchbackend"],
        ["bench", "--sizes", "abc"],
        ["bench", "--sizes", "-5"],
        ["bench", "--repeat", "0", "--ops", "var", "--sizes", "10"],
        ["bench", "--out-of-core", "0", "--ops", "var", "--sizes", "10"],
        ["bench", "--first-process", "--out-of-core", "1", "--ops", "var", "--sizes", "10"],
        ["bench", "--first-process", "--backends", "numpy", "--ops", "var", "--sizes", "10"],
    ],
)
def test_bad_options_are_clear_errors(argv, capsys):
    rc = cli.main(argv + ["--no-progress"])
    err = capsys.readouterr().err
    assert rc != 0 and "error" in err and "Traceback" not in err


def test_argparse_errors_exit_nonzero_without_traceback():
    r = subprocess.run([sys.executable, "-m", "xpmath", "bench", "--dtype", "int8"], capture_output=True, text=True)
    assert r.returncode == 2 and "invalid choice" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "xpmath"], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_judge_caps_and_labels():
    limits = {"read_GBps": 10.0, "copy_GBps": 20.0, "gemm_GFLOPs": 50.0, "llc_bytes": 2**20}
    j = report.judge("read", 3e9, 0.1, limits, input_bytes=3e9)  # 30 GB/s against 10
    assert j["share_of_limit"] == 1.0 and j["above_limit"] and j["share_uncapped"] == pytest.approx(3.0)
    assert report.share_text(j) == "100%*"
    j = report.judge("read", 3e9, 0.1, limits, input_bytes=2**20)
    assert j["in_cache"] and j["share_of_limit"] is None and report.share_text(j) == "in cache"
    # a read of 1 GB at 10 GB/s and a copy of 2 GB at 20 GB/s take 0.2 s at best: 15 GB/s
    j = report.judge("read", 3e9, 0.4, limits, input_bytes=1e9, copy_bytes=2e9)
    assert j["limit_value"] == pytest.approx(15.0) and j["share_of_limit"] == pytest.approx(0.5)
    assert j["limit_used"] == "read_GBps+copy_GBps" and report.share_text(j) == "50%"
    j = report.judge("gemm", 1e10, 0.1, limits)
    assert j["unit"] == "GFLOP/s" and not j["in_cache"] and j["above_limit"] and j["share_of_limit"] == 1.0


def test_probe_sizes_exceed_the_cache():
    llc, how = lim.llc_bytes()
    assert llc > 0 and how
    for quick in (True, False):
        size = lim.probe_bytes(quick, 64 * 2**20)
        assert size >= min(8 * 64 * 2**20, lim._phys_bytes() // 8) and size >= min(lim.MIN_PROBE_BYTES, lim._phys_bytes() // 8)
    assert lim._parse_size("32768K") == lim._parse_size("32 MiB") == 32 * 2**20
