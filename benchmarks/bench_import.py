"""What importing costs: ``import xpmath`` against ``import numpy``, and each optional library's first use.

    .venv/bin/python benchmarks/bench_import.py [--runs 15]

Each figure is the median over fresh interpreters (the runs of the imports compared interleaved), the
time measured inside the interpreter around the import statement. Bytecode is cached in a scratch
directory (``PYTHONPYCACHEPREFIX``), as an installed package has it, and one untimed run of each
writes it first. The bound ``tests/test_import.py`` holds: ``import xpmath`` within 1.5 × ``import numpy`` + 30 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile

STEPS = {
    "import numpy": ("", "import numpy"),
    "import xpmath": ("", "import xpmath"),
    "first xpmath.LinearRegression (scikit-learn)": ("import xpmath", "xpmath.LinearRegression"),
    "first xpmath.normal_cdf (scipy.special)": ("import xpmath", "xpmath.normal_cdf(0.5)"),
    "first xpmath.mode (scipy.stats)": ("import xpmath", "xpmath.mode([1, 2, 2])"),
}


def _seconds(setup: str, stmt: str, env: dict) -> float:
    code = f"{setup}\nimport time\nt = time.perf_counter()\n{stmt}\nprint(time.perf_counter() - t)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(r.stdout)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=15)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "XPMATH_BACKEND")}
        env["PYTHONPYCACHEPREFIX"] = cache
        for setup, stmt in STEPS.values():
            _seconds(setup, stmt, env)
        times: dict[str, list[float]] = {k: [] for k in STEPS}
        for _ in range(args.runs):
            for name, (setup, stmt) in STEPS.items():
                times[name].append(_seconds(setup, stmt, env))
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}; medians of {args.runs} fresh interpreters")
    for name, ts in times.items():
        print(f"{name:<46} {statistics.median(ts) * 1e3:7.1f} ms  (min {min(ts) * 1e3:.1f}, max {max(ts) * 1e3:.1f})")
    n, x = statistics.median(times["import numpy"]), statistics.median(times["import xpmath"])
    print(f"import xpmath - import numpy: {(x - n) * 1e3:.1f} ms; bound 1.5 x numpy + 30 ms = {(1.5 * n + 0.03) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
