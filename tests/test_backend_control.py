"""Choosing a backend (docs/API.md §1): the five ways and their precedence, isolation, introspection, plugins."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import xpmath
from xpmath import _backend, _dispatch, _registry

OTHER = next((b for b in xpmath.available_backends() if b != "numpy"), None)
needs_other = pytest.mark.skipif(OTHER is None, reason="needs a second usable backend")


def _run(code, **env):
    e = {k: v for k, v in os.environ.items() if k != "XPMATH_BACKEND"}
    e.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=e, timeout=120)


def test_default_is_numpy():
    assert xpmath.get_backend().name == "numpy" or os.environ.get("XPMATH_BACKEND")
    assert xpmath.available_backends()[0] == "numpy"
    assert xpmath.namespace("numpy") is np


@needs_other
def test_precedence_keyword_context_set():
    xpmath.set_backend(OTHER)
    assert xpmath.get_backend().name == OTHER
    with xpmath.use_backend("numpy"):
        assert xpmath.get_backend().name == "numpy"
        with xpmath.use_backend(OTHER):
            assert xpmath.get_backend().name == OTHER
        assert xpmath.get_backend().name == "numpy"
    assert xpmath.get_backend().name == OTHER
    assert _dispatch.select("numpy", "t").name == "numpy"  # backend= beats everything


def test_env_variable_and_its_precedence():
    code = "import xpmath; print(xpmath.get_backend().name)"
    assert _run(code, XPMATH_BACKEND="numpy").stdout.strip() == "numpy"
    out = _run("import xpmath; xpmath.set_backend('numpy'); print(xpmath.get_backend().name)", XPMATH_BACKEND="auto")
    assert out.stdout.strip() == "numpy"
    bad = _run("import xpmath; xpmath.mean([1.0])", XPMATH_BACKEND="nope")
    assert bad.returncode != 0 and "BackendError" in bad.stderr and "numpy" in bad.stderr
    auto = _run(code, XPMATH_BACKEND="auto").stdout.strip()
    assert auto in ("cupy", "numba", "numpy")
    if "numba" in xpmath.available_backends() and "cupy" not in xpmath.available_backends():
        assert auto == "numba"


@needs_other
def test_use_backend_is_not_inherited_by_threads():
    seen = {}
    with xpmath.use_backend(OTHER):
        t = threading.Thread(target=lambda: seen.setdefault("t", xpmath.get_backend().name))
        t.start()
        t.join()
        assert xpmath.get_backend().name == OTHER
    assert seen["t"] == "numpy"


@needs_other
def test_use_backend_isolated_across_asyncio_tasks():
    async def worker(name, results):
        with xpmath.use_backend(name):
            await asyncio.sleep(0.01)
            results[name] = xpmath.get_backend().name

    async def main():
        results = {}
        await asyncio.gather(worker("numpy", results), worker(OTHER, results))
        return results

    assert asyncio.run(main()) == {"numpy": "numpy", OTHER: OTHER}


def test_use_backend_restores_after_error():
    with pytest.raises(RuntimeError):
        with xpmath.use_backend("numpy"):
            raise RuntimeError
    assert _dispatch._override.get() is None


def test_unknown_backend_lists_valid_names():
    with pytest.raises(xpmath.BackendError) as ei:
        xpmath.mean([1.0], backend="tensorflow")
    msg = str(ei.value)
    assert isinstance(ei.value, ValueError)
    for name in xpmath.available_backends():
        assert name in msg
    with pytest.raises(xpmath.BackendError):
        xpmath.set_backend("nope")
    with pytest.raises(xpmath.BackendError):
        with xpmath.use_backend("nope"):
            pass


def test_every_backend_error_names_the_usable_backends():
    """Whatever raises it (an operation a backend cannot do, a backend's own failure), a
    BackendError's message ends with the backends usable here, once; it survives pickling (Dask
    ships errors between processes)."""
    import pickle

    tail = "Usable backends: " + ", ".join(xpmath.available_backends())
    for err in (_backend.not_supported("dask", "qr", "mode='complete' of a tall matrix"),
                xpmath.BackendError("dask: lost the scheduler at 'tcp://10.0.0.1:8786'."),
                xpmath.BackendError("backend 'x' cannot run here. " + tail)):
        msg = str(err)
        assert msg.endswith(tail) and msg.count("Usable backends") == 1, msg
        assert str(pickle.loads(pickle.dumps(err))) == msg
    assert str(xpmath.BackendError("dask: lost the scheduler.")).count("..") == 0


def test_unusable_backend_says_why():
    for name in _registry.names():
        be, why = _registry.status(name)
        if be is None:
            with pytest.raises(xpmath.BackendError, match="cannot run here") as ei:
                xpmath.mean([1.0], backend=name)
            assert why.split(" (")[0] in str(ei.value)
            return
    pytest.skip("every backend is usable here")


def test_debug_log_names_backend(caplog):
    with caplog.at_level(logging.DEBUG, logger="xpmath"):
        xpmath.mean([1.0, 2.0], backend="numpy")
    assert any("mean" in r.getMessage() and "numpy" in r.getMessage() for r in caplog.records)


def test_show_config_and_info(capsys):
    xpmath.show_config()
    out = capsys.readouterr().out
    for name in _registry.names():
        assert name in out
    for cmd in ([sys.executable, "-m", "xpmath", "info"], [os.path.join(os.path.dirname(sys.executable), "xpmath"), "info"]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "numpy" in r.stdout and "backends:" in r.stdout


def test_import_imports_no_accelerator():
    r = _run("import sys, xpmath; xpmath.mean([1.0]); print([m for m in ('numba', 'cupy', 'dask', 'distributed') if m in sys.modules])")
    assert r.stdout.strip() == "[]", r.stderr


def test_entry_point_plugin_and_duplicates(monkeypatch):
    class EP:
        def __init__(self, name, obj):
            self.name, self.value, self._obj = name, f"tests:{name}", obj

        def load(self):
            return self._obj

    class Plugin(_backend.BackendBase):
        name = "myplugin"

    import importlib.metadata as md

    monkeypatch.setattr(md, "entry_points", lambda group=None: [EP("myplugin", Plugin), EP("numpy", Plugin)])
    monkeypatch.setattr(_registry, "_plugins_read", False)
    monkeypatch.setattr(_registry, "_specs", dict(_registry.BUILTIN))
    monkeypatch.setattr(_registry, "_instances", dict(_registry._instances))
    with pytest.warns(UserWarning, match="already registered"):
        names = _registry.names()
    assert "myplugin" in names and names.count("numpy") == 1
    assert float(xpmath.mean([1.0, 3.0], backend="myplugin")) == 2.0
    assert _registry.get("numpy").name == "numpy"


def _backend_classes():
    for name, spec in _registry.BUILTIN.items():
        module, _, attr = spec.partition(":")
        try:
            yield name, getattr(__import__(module, fromlist=[attr]), attr)
        except ImportError:
            continue


def test_every_backend_keeps_the_protocol():
    """Each backend has every required member, and each primitive it defines has the reference's
    signature without the leading ``xp``; no backend defines a name the protocol does not know."""
    from xpmath._protocol import PRIMITIVES, Backend, Primitives
    from xpmath._reference import REFERENCE

    required = [n for n in dir(Backend) if not n.startswith("_")] + list(Backend.__annotations__)
    checked = 0
    for name, cls in _backend_classes():
        checked += 1
        be = _registry.status(name)[0]
        if be is not None:
            assert isinstance(be, Backend), name
        for member in required:
            assert hasattr(cls, member), f"{name} lacks {member}"
        for op in PRIMITIVES:
            own = getattr(cls, op, None)
            if own is None:
                continue
            want = list(inspect.signature(REFERENCE[op]).parameters)[1:]
            got = list(inspect.signature(own).parameters)[1:]  # without self
            assert got == want, f"{name}.{op}{got} != reference {want}"
            assert list(inspect.signature(getattr(Primitives, op)).parameters)[1:] == want, op
        public = {n for n in vars(cls) if not n.startswith("_")}
        unknown = public - PRIMITIVES - set(required) - {"can_run"}
        assert not unknown, f"{name} defines members outside the protocol: {sorted(unknown)}"
    assert checked >= 1


def test_every_primitive_has_a_reference():
    from xpmath._protocol import PRIMITIVES
    from xpmath._reference import REFERENCE

    assert PRIMITIVES == set(REFERENCE)


def test_backends_are_immutable_singletons():
    be = _registry.get("numpy")
    assert be is _registry.get("numpy")
    with pytest.raises(AttributeError):
        be.name = "x"


def test_asarray_and_to_numpy(backend):
    a = xpmath.asarray([1, 2, 3], dtype="float32", backend=backend)
    h = xpmath.to_numpy(a)
    assert isinstance(h, np.ndarray) and h.dtype == np.float32 and h.tolist() == [1, 2, 3]
    assert isinstance(a, _registry.get(backend).array_type)
    with pytest.raises(xpmath.XPMathTypeError):
        xpmath.asarray(["a"], backend=backend)
