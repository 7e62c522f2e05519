"""The ``xpmath`` command: options, JSON schema and plot on tiny sizes (numbers are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xpmath import cli

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
    assert {"copy_GBps", "read_GBps", "gemm_GFLOPs"} <= set(doc["limits"])
    r = doc["results"][0]
    for key in ("op", "size", "backend", "median_s", "min_s", "max_s", "first_call_s", "compile_s", "throughput", "unit",
                "share_of_limit", "speedup_vs_numpy"):
        assert key in r
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
