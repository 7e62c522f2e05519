"""The harness itself: the stand-ins dispatch as declared, and every left-out entry names a test."""

from __future__ import annotations

import functools
import importlib
import sys
import types

import _peer
import deselect
import numpy
import pytest

pytestmark = pytest.mark.peer


def test_swapped_runs_ours_only_when_active_and_named():
    seen = []

    def ours(*args, backend, **kwargs):
        seen.append((args, backend, kwargs))
        return "ours"

    f = _peer.Swapped("numpy.median", numpy.median, ours)
    assert f([1.0, 3.0]) == 2.0 and f.__name__ == "median"
    with _peer.activate("numba", frozenset({"numpy.cov"})) as state:
        assert f([1.0, 3.0]) == 2.0
    assert state.calls == {}
    with _peer.activate("numba", frozenset({"numpy.median"})) as state:
        assert f([1.0, 3.0], axis=0) == "ours"
    assert seen == [(([1.0, 3.0],), "numba", {"axis": 0})] and state.calls == {"numpy.median": 1}
    with _peer.activate(_peer.REFERENCE, frozenset({"numpy.median"})) as state:
        assert f([1.0, 3.0]) == 2.0
    assert state.calls == {"numpy.median": 1} and len(seen) == 1


def test_namespace_swaps_only_covered_names():
    np = _peer.stand_ins("numpy")
    assert isinstance(np.median, _peer.Swapped) and isinstance(np.linalg.inv, _peer.Swapped)
    assert np.array is numpy.array and np.linalg.LinAlgError is numpy.linalg.LinAlgError


def test_load_refuses_unknown_globals():
    with pytest.raises(RuntimeError, match="has no globals"):
        _peer.load("numpy.lib.tests.test_function_base", no_such_global=_peer.stand_ins("numpy"))


def _fake_module(monkeypatch, cls):
    module = types.ModuleType("peer_harness_fake_tests")
    cls.__module__ = module.__name__
    module.TestCaptured, module.np = cls, numpy
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def test_load_swaps_covered_functions_captured_in_lists_and_parametrize(monkeypatch):
    # lists and parametrize values built from numpy.nanmin at import would bypass the module's np
    class TestCaptured:
        nanfuncs = [numpy.nanmin, numpy.nanmax]
        pairs = {numpy.nanmean: numpy.mean}

        @pytest.mark.parametrize("f", [numpy.nanmin, functools.partial(numpy.median, axis=0)])
        def test_f(self, f):
            pass

        @pytest.mark.parametrize("f,g", pairs.items(), ids=["mean"])
        def test_pairs(self, f, g):
            pass

    module = _peer.load(_fake_module(monkeypatch, TestCaptured).__name__, np=_peer.stand_ins("numpy"))
    np = module.np
    assert TestCaptured.nanfuncs[0] is np.nanmin and TestCaptured.nanfuncs[1] is np.nanmax
    assert list(TestCaptured.pairs.items()) == [(np.nanmean, np.mean)]
    [mark] = TestCaptured.test_f.pytestmark
    assert mark.args[1][0] is np.nanmin
    assert mark.args[1][1].func is np.median and mark.args[1][1].keywords == {"axis": 0}
    [mark] = TestCaptured.test_pairs.pytestmark
    assert list(mark.args[1]) == [(np.nanmean, np.mean)] and mark.kwargs["ids"] == ["mean"]


def test_load_refuses_a_covered_function_held_as_a_class_attribute(monkeypatch):
    # a class attribute holding numpy.median itself binds as a method: it cannot be swapped in place
    class TestCaptured:
        f = numpy.median

        def test_f(self):
            pass

    with pytest.raises(RuntimeError, match="holds numpy.median itself"):
        _peer.load(_fake_module(monkeypatch, TestCaptured).__name__, np=_peer.stand_ins("numpy"))


@pytest.mark.parametrize("suite", sorted(deselect.DESELECT.keys() | deselect.BUDGET.keys()))
def test_left_out_entries_name_tests(suite):
    module = importlib.import_module(suite.removesuffix(".py"))
    entries = [e for e, _ in deselect.DESELECT.get(suite, [])] + [e for e, _, _ in deselect.BUDGET.get(suite, [])]
    for entry in entries:
        test = entry.partition("[")[0]
        owner, _, name = test.rpartition("::") if "::" in test else (test, "", "")
        target = getattr(module, owner or name, None)
        assert target is not None, f"{suite}: {entry!r} names no test class or function"
        if owner and name:
            assert callable(getattr(target, name, None)), f"{suite}: {entry!r} names no test"
