"""One configuration object: get_config / set_config / config_context, read from the environment once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import xpmath
from xpmath import _backend, _config, _registry

KEYS = {"backend", "output", "numba_threads", "numba_threading_layer", "numba_cache_dir", "cupy_tf32",
        "dask_scheduler", "dask_memory_limit", "dask_connect_timeout", "dask_timeout"}
OTHER = next((b for b in xpmath.available_backends() if b != "numpy"), None)
needs_other = pytest.mark.skipif(OTHER is None, reason="needs a second usable backend")
needs_numba = pytest.mark.skipif(_registry.status("numba")[0] is None, reason="numba backend unusable here")
needs_dask = pytest.mark.skipif(_registry.status("dask")[0] is None, reason="dask backend unusable here")
# every variable a setting starts from, dropped so that a subprocess sees only what a test gives it
_VARS = {name for s in _config.SETTINGS.values() for name in s.env} | {"OMP_WAIT_POLICY"}


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k not in _VARS}
    e.update(env)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=e,
                          timeout=300)


def test_get_config_has_every_setting_and_is_a_copy():
    cfg = xpmath.get_config()
    assert set(cfg) == KEYS
    cfg["output"] = "backend"
    assert xpmath.get_config()["output"] == "input"
    xpmath.set_config(**xpmath.get_config())  # what get_config gives, set_config takes back
    assert set(xpmath.__all__) >= {"get_config", "set_config", "config_context", "ConfigError"}


def test_defaults_with_no_environment():
    out = _run("import json, xpmath; print(json.dumps(xpmath.get_config()))")
    assert out.returncode == 0, out.stderr
    cfg = json.loads(out.stdout)
    assert cfg == {**cfg, "backend": "numpy", "output": "input", "numba_threads": None, "numba_cache_dir": "",
                   "cupy_tf32": False, "dask_scheduler": "", "dask_memory_limit": "auto",
                   "dask_connect_timeout": 5.0, "dask_timeout": 30.0}
    assert cfg["numba_threading_layer"] in ("omp", "default")


def test_environment_is_read_once():
    code = """
        import json, os, xpmath
        first = xpmath.get_config()
        os.environ["XPMATH_OUTPUT"] = "input"
        os.environ["XPMATH_DASK_SCHEDULER"] = ""
        assert xpmath.get_config() == first
        print(json.dumps(first))
    """
    out = _run(code, XPMATH_OUTPUT="backend", XPMATH_NUMBA_THREADS="1", NUMBA_THREADING_LAYER="workqueue",
               NUMBA_CACHE_DIR="/tmp/somewhere", XPMATH_CUPY_TF32="yes", XPMATH_DASK_SCHEDULER="tcp://h:8786",
               XPMATH_DASK_MEMORY_LIMIT="2GB", XPMATH_DASK_CONNECT_TIMEOUT="0.5", XPMATH_DASK_TIMEOUT="7",
               XPMATH_BACKEND="NumPy")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "backend": "numpy", "output": "backend", "numba_threads": 1, "numba_threading_layer": "workqueue",
        "numba_cache_dir": "/tmp/somewhere", "cupy_tf32": True, "dask_scheduler": "tcp://h:8786",
        "dask_memory_limit": "2GB", "dask_connect_timeout": 0.5, "dask_timeout": 7.0,
    }


@pytest.mark.parametrize(("env", "want"), [({"CUPY_TF32": "1"}, True), ({"CUPY_TF32": "0"}, False),
                                           ({"XPMATH_CUPY_TF32": "0", "CUPY_TF32": "1"}, False)])
def test_cupy_tf32_from_either_variable(env, want):
    out = _run("import xpmath; print(xpmath.get_config()['cupy_tf32'])", **env)
    assert out.stdout.strip() == str(want), out.stderr


@pytest.mark.parametrize("name", ["XPMATH_OUTPUT", "XPMATH_CUPY_TF32", "XPMATH_NUMBA_THREADS",
                                  "XPMATH_DASK_MEMORY_LIMIT", "NUMBA_THREADING_LAYER"])
def test_a_bad_environment_value_names_its_variable(name):
    out = _run("import xpmath\ntry:\n    xpmath.mean([1.0])\nexcept ValueError as e:\n"
               "    print(type(e).__name__, e)", **{name: "maybe"})
    assert out.stdout.startswith("ConfigError") and f"{name}='maybe'" in out.stdout, out.stderr


def test_unknown_setting_is_an_xpmath_value_error_and_changes_nothing():
    with pytest.raises(xpmath.ConfigError, match="unknown setting 'nope'.*output") as ei:
        xpmath.set_config(output="backend", nope=1)
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, xpmath.XPMathError)
    assert xpmath.get_config()["output"] == "input"
    with pytest.raises(xpmath.ConfigError):
        with xpmath.config_context(nope=1):
            pass


@pytest.mark.parametrize(("key", "bad"), [
    ("output", "numpy"), ("numba_threads", 0), ("numba_threads", 1.5), ("numba_threads", True),
    ("numba_threads", 10**6), ("numba_threading_layer", "openmp"), ("numba_cache_dir", 3), ("cupy_tf32", 1),
    ("cupy_tf32", "yes"), ("dask_scheduler", "somewhere"), ("dask_scheduler", 8786),
    ("dask_memory_limit", "lots"), ("dask_memory_limit", -1), ("dask_memory_limit", 1.5),
    ("dask_connect_timeout", 0), ("dask_connect_timeout", -1.0), ("dask_connect_timeout", "5"),
    ("dask_connect_timeout", float("inf")), ("dask_connect_timeout", True), ("dask_timeout", 0),
    ("dask_timeout", "30"), ("dask_timeout", None),
])
def test_bad_values_are_refused_when_set(key, bad):
    before = xpmath.get_config()
    with pytest.raises(xpmath.ConfigError, match=key):
        xpmath.set_config(**{key: bad})
    with pytest.raises(ValueError):
        with xpmath.config_context(**{key: bad}):
            pass
    assert xpmath.get_config() == before


@pytest.mark.parametrize(("key", "good"), [
    ("numba_threads", 1), ("numba_threads", None), ("numba_threading_layer", _config.value("numba_threading_layer")),
    ("cupy_tf32", np.bool_(False)), ("dask_scheduler", "local"), ("dask_scheduler", "tcp://10.0.0.1:8786"),
    ("dask_scheduler", "inproc://x"), ("dask_memory_limit", "512 MiB"), ("dask_memory_limit", 2**30),
    ("dask_memory_limit", 0.5), ("dask_memory_limit", None), ("dask_connect_timeout", 0.25),
    ("dask_connect_timeout", 30), ("dask_timeout", 0.5),
])
def test_good_values_are_kept(key, good):
    xpmath.set_config(**{key: good})
    assert xpmath.get_config()[key] == good


def test_bad_backend_is_a_backend_error():
    with pytest.raises(xpmath.BackendError):
        xpmath.set_config(backend="nope")
    with pytest.raises(xpmath.BackendError):
        with xpmath.config_context(backend="nope"):
            pass


@needs_other
def test_set_config_backend_is_set_backend():
    xpmath.set_config(backend=OTHER)
    assert xpmath.get_backend().name == OTHER and xpmath.get_config()["backend"] == OTHER
    xpmath.set_backend("numpy")
    assert xpmath.get_config()["backend"] == "numpy"
    assert xpmath.get_backend().name == "numpy"
    xpmath.set_backend("auto")
    assert xpmath.get_config()["backend"] == "auto"
    with xpmath.config_context(backend=OTHER):
        assert xpmath.get_backend().name == OTHER and xpmath.get_config()["backend"] == OTHER
    with xpmath.use_backend(OTHER):
        assert xpmath.get_config()["backend"] == OTHER
    assert xpmath.get_config()["backend"] == "auto"


def test_config_context_restores_and_nests():
    with xpmath.config_context(output="backend", dask_memory_limit="1GB"):
        with xpmath.config_context(output="input"):
            assert xpmath.get_config()["output"] == "input"
            assert xpmath.get_config()["dask_memory_limit"] == "1GB"
        assert xpmath.get_config()["output"] == "backend"
    assert xpmath.get_config()["output"] == "input"
    with pytest.raises(RuntimeError):
        with xpmath.config_context(output="backend"):
            raise RuntimeError
    assert xpmath.get_config()["output"] == "input"


def test_set_config_inside_a_block_is_process_wide_and_the_block_still_wins():
    with xpmath.config_context(output="backend"):
        xpmath.set_config(output="input", dask_scheduler="local")
        assert xpmath.get_config()["output"] == "backend"
        assert xpmath.get_config()["dask_scheduler"] == "local"
    assert xpmath.get_config()["output"] == "input"


def test_config_context_is_context_local():
    seen = {}
    with xpmath.config_context(output="backend"):
        t = threading.Thread(target=lambda: seen.setdefault("thread", xpmath.get_config()["output"]))
        t.start()
        t.join()
        assert xpmath.get_config()["output"] == "backend"
    assert seen["thread"] == "input"

    async def task(value, results):
        with xpmath.config_context(output=value):
            await asyncio.sleep(0.01)
            results[value] = xpmath.get_config()["output"]

    async def main():
        results = {}
        await asyncio.gather(task("input", results), task("backend", results))
        return results

    assert asyncio.run(main()) == {"input": "input", "backend": "backend"}


def test_set_config_reaches_other_threads():
    xpmath.set_config(output="backend")
    seen = []
    t = threading.Thread(target=lambda: seen.append(xpmath.get_config()["output"]))
    t.start()
    t.join()
    assert seen == ["backend"]


def test_cupy_tf32_reaches_a_loaded_cupy_backend_only(monkeypatch):
    name = "xpmath_backends.cupy_backend"
    loaded = name in sys.modules
    xpmath.set_config(cupy_tf32=True)
    assert (name in sys.modules) == loaded  # setting it never imports CuPy
    xpmath.set_config(cupy_tf32=False)  # and back, where a real cupy backend is loaded

    calls = []

    class Loaded:
        @staticmethod
        def apply_tf32(enabled):
            calls.append(enabled)

    monkeypatch.setitem(sys.modules, name, Loaded)
    xpmath.set_config(cupy_tf32=False)
    with xpmath.config_context(cupy_tf32=True):
        assert calls == [False, True]
    assert calls == [False, True, False]


# ------------------------------------------------------------------ numba
@needs_numba
def test_numba_threads_apply_per_thread_and_per_block():
    import numba

    most = numba.config.NUMBA_NUM_THREADS
    if most < 2:
        pytest.skip("Numba has a single thread here")
    x = np.arange(100.0)
    with xpmath.config_context(numba_threads=1):
        xpmath.var(x, backend="numba")
        assert numba.get_num_threads() == 1
    xpmath.var(x, backend="numba")
    assert numba.get_num_threads() == most

    xpmath.set_config(numba_threads=1)
    seen = []

    def work():
        xpmath.var(x, backend="numba")
        seen.append(numba.get_num_threads())

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [1]


@needs_numba
def test_numba_layer_and_cache_dir_are_fixed_once_started():
    xpmath.var(np.arange(10.0), backend="numba")
    cfg = xpmath.get_config()
    xpmath.set_config(numba_threading_layer=cfg["numba_threading_layer"], numba_cache_dir=cfg["numba_cache_dir"])
    other = "workqueue" if cfg["numba_threading_layer"] != "workqueue" else "omp"
    with pytest.raises(xpmath.ConfigError, match="fixed once the numba backend has started"):
        xpmath.set_config(numba_threading_layer=other)
    with pytest.raises(xpmath.ConfigError, match="fixed"):
        with xpmath.config_context(numba_cache_dir="/elsewhere"):
            pass


@needs_numba
def test_numba_settings_reach_numba_config_not_the_environment(tmp_path):
    code = """
        import os, numpy as np, xpmath
        start = dict(os.environ)
        xpmath.set_config(numba_cache_dir=os.environ["WANT_DIR"], numba_threading_layer="workqueue", numba_threads=1)
        xpmath.get_config()
        assert "numba" in xpmath.available_backends()  # starts the backend: its first kernel compiles
        from xpmath_backends.numba_backend import _kernels
        _kernels()
        import numba
        print(numba.config.CACHE_DIR == os.environ["WANT_DIR"], numba.threading_layer(), numba.get_num_threads())
        print(sorted(k for k in os.environ if k.startswith("NUMBA_") and k not in start))
    """
    out = _run(code, WANT_DIR=str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["True workqueue 1", "[]"]
    assert any(f.endswith(".nbi") for _, _, fs in os.walk(tmp_path) for f in fs)


# ------------------------------------------------------------------ the environment stays the user's
def test_nothing_but_omp_wait_policy_is_added_to_the_environment():
    code = """
        import os, sys
        import threadpoolctl  # a dependency that sets KMP_DUPLICATE_LIB_OK itself when imported
        try:  # scikit-learn (imported by the models' first use) sets KMP_* variables itself too
            import sklearn
        except ImportError:
            pass
        start = dict(os.environ)
        import numpy as np
        import xpmath
        x = np.random.default_rng(0).standard_normal((8, 3))
        used = []
        for name in xpmath.available_backends():
            xpmath.to_numpy(xpmath.var(x, axis=0, backend=name))
            xpmath.LinearRegression(backend=name).fit(x[:, :2], x[:, 2])
            used.append(name)
        xpmath._info.config()  # what show_config prints
        changed = sorted(k for k in set(start) | set(os.environ) if start.get(k) != os.environ.get(k))
        print(",".join(used), changed)
    """
    out = _run(code)
    assert out.returncode == 0, out.stderr
    used, changed = out.stdout.strip().split(" ", 1)
    assert "numpy" in used.split(",")
    want = "['OMP_WAIT_POLICY']" if "numba" in used.split(",") else "[]"
    assert changed == want, out.stdout


@needs_numba
def test_existing_omp_wait_policy_is_kept():
    out = _run("import os, numpy as np, xpmath\n"
               "xpmath.var(np.ones(3), backend='numba')\n"
               "print(os.environ['OMP_WAIT_POLICY'])", OMP_WAIT_POLICY="ACTIVE")
    assert out.stdout.strip() == "ACTIVE", out.stderr


# ------------------------------------------------------------------ dask
@needs_dask
def test_a_local_cluster_xpmath_starts_is_closed_at_exit():
    code = """
        import atexit, sys
        import distributed  # its own exit handlers first, so that they run last

        def after_xpmath():  # registered before xpmath's handler, so it runs after it and before Dask's
            print("client:", made[0].status, "cluster:", made[0].cluster.status.name, file=sys.stderr)

        atexit.register(after_xpmath)
        import numpy as np, xpmath
        print(float(xpmath.to_numpy(xpmath.mean(np.arange(10.0), backend="dask"))))
        from xpmath_backends.dask_backend import client
        made = [client()]
        print(made[0].status)
    """
    out = _run(code, XPMATH_DASK_SCHEDULER="local", XPMATH_DASK_MEMORY_LIMIT="1GB")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["4.5", "running"]
    assert "client: closed cluster: closed" in out.stderr
    noise = [line for line in out.stderr.splitlines() if "leaked" in line.lower() or "error" in line.lower()
             or "traceback" in line.lower()]
    assert noise == [], out.stderr


@needs_dask
def test_dask_settings_are_read_per_call(monkeypatch):
    from xpmath_backends import dask_backend

    assert dask_backend.client() is None
    made = []

    class FakeClient:
        cluster = None

        def __init__(self, target, timeout=None):
            made.append(target)

    import distributed

    monkeypatch.setattr(distributed, "Client", FakeClient)
    monkeypatch.setattr(dask_backend, "_client", {})
    monkeypatch.setattr(dask_backend.atexit, "register", lambda fn: None)
    with xpmath.config_context(dask_scheduler="tcp://127.0.0.1:1"):
        c = dask_backend.client()
        assert isinstance(c, FakeClient) and dask_backend.client() is c
    assert dask_backend.client() is None and made == ["tcp://127.0.0.1:1"]


# ------------------------------------------------------------------ looking again at an unusable backend
def test_an_unusable_backend_can_be_checked_again(monkeypatch):
    state = {"ok": False}

    class Flaky(_backend.BackendBase):
        name = "flaky"

        def is_available(self):
            return state["ok"], "" if state["ok"] else "its device is busy"

    class EP:
        name, value = "flaky", "tests:Flaky"

        def load(self):
            return Flaky

    monkeypatch.setattr(_registry, "_specs", {**_registry._specs, "flaky": EP()})
    monkeypatch.setattr(_registry, "_instances", dict(_registry._instances))
    monkeypatch.setattr(_registry, "_unusable", dict(_registry._unusable))
    monkeypatch.setattr(_registry, "_plugins_read", True)
    assert _registry.status("flaky") == (None, "its device is busy")
    state["ok"] = True
    assert "flaky" not in xpmath.available_backends()  # the reason is remembered...
    with pytest.raises(xpmath.BackendError, match="device is busy"):
        xpmath.mean([1.0], backend="flaky")
    _registry.recheck("flaky")  # ...until it is forgotten
    assert float(xpmath.mean([1.0, 3.0], backend="flaky")) == 2.0

    state["ok"] = False
    _registry._instances.pop("flaky")
    assert "flaky" not in xpmath.available_backends(refresh=True)
    state["ok"] = True
    assert "flaky" in xpmath.available_backends(refresh=True)
    assert _registry.get("flaky") is _registry.get("flaky")


def test_refresh_reads_the_plugins_again_without_warning(monkeypatch, recwarn):
    monkeypatch.setattr(_registry, "_specs", dict(_registry._specs))
    monkeypatch.setattr(_registry, "_unusable", dict(_registry._unusable))
    before = xpmath.available_backends()
    assert xpmath.available_backends(refresh=True) == before
    assert not [w for w in recwarn if "already registered" in str(w.message)]


# ------------------------------------------------------------------ shown
def test_show_config_and_info_print_the_settings(capsys):
    with xpmath.config_context(output="backend"):
        xpmath.show_config()
    out = capsys.readouterr().out
    assert "config:" in out and "'backend'" in out
    for key in KEYS:
        assert key in out
    r = subprocess.run([sys.executable, "-m", "xpmath", "info"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "dask_memory_limit" in r.stdout, r.stderr
