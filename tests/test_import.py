"""``import xpmath`` is cheap: NumPy and xpmath alone, within a bound of ``import numpy``'s own time.

Each figure is the median of fresh interpreters, the two imports interleaved so that a busy machine
slows both alike. Bytecode is cached in a scratch directory (``PYTHONPYCACHEPREFIX``), as an
installed package has it, whatever ``PYTHONDONTWRITEBYTECODE`` says here.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

import pytest

#: libraries ``import xpmath`` must leave unimported: each is loaded by the first call that needs it
HEAVY = ("scipy", "sklearn", "numba", "dask", "distributed", "cupy", "jax", "torch", "array_api_compat")
RUNS = 11


def _env(tmp_path) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    env.pop("XPMATH_BACKEND", None)
    return env


def _run(code: str, env: dict) -> str:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def _import_seconds(module: str, env: dict) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return float(_run(code, env))


def test_import_loads_none_of_the_optional_libraries(tmp_path):
    code = (
        "import json, sys; import xpmath; "
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))"
    )
    assert json.loads(_run(code, _env(tmp_path))) == []


def test_each_library_loads_with_its_first_use(tmp_path):
    code = """if True:
        import json, sys
        import xpmath
        heavy = lambda: sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'sklearn'})
        seen = {}
        xpmath.mean([1.0, 2.0]); xpmath.linalg.inv([[2.0, 0.0], [0.0, 1.0]]); xpmath.random.default_rng(0).normal()
        seen["maths"] = heavy()
        xpmath.normal_cdf(0.5)
        seen["normal_cdf"] = heavy()
        xpmath.LinearRegression
        seen["LinearRegression"] = heavy()
        print(json.dumps(seen))
    """
    seen = json.loads(_run(code, _env(tmp_path)))
    assert seen["maths"] == []
    assert seen["normal_cdf"] == ["scipy"]
    assert "sklearn" in seen["LinearRegression"]


def test_lazy_names_are_listed_and_importable(tmp_path):
    import xpmath

    for name in ("models", "LinearRegression", "LogisticRegression", "PCA", "NotFittedError"):
        assert name in dir(xpmath) and name in xpmath.__all__
        assert getattr(xpmath, name) is not None
    assert xpmath.NotFittedError is xpmath.errors.NotFittedError
    assert "NotFittedError" in dir(xpmath.errors)
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        xpmath.nonexistent  # noqa: B018
    with pytest.raises(AttributeError):
        xpmath.errors.nonexistent  # noqa: B018


def test_import_time_is_within_its_bound_of_numpys(tmp_path):
    """median(import xpmath) <= 1.5 × median(import numpy) + 30 ms, measured in the same run."""
    env = _env(tmp_path)
    _import_seconds("xpmath", env)  # the first run of each writes its bytecode
    _import_seconds("numpy", env)
    numpy_s, xpmath_s = [], []
    for _ in range(RUNS):
        numpy_s.append(_import_seconds("numpy", env))
        xpmath_s.append(_import_seconds("xpmath", env))
    n, x = statistics.median(numpy_s), statistics.median(xpmath_s)
    assert x <= 1.5 * n + 0.030, (
        f"import xpmath takes {x * 1e3:.0f} ms against {n * 1e3:.0f} ms for import numpy "
        f"(bound {1.5 * n * 1e3 + 30:.0f} ms)"
    )
