"""The harness itself: the stand-ins dispatch as declared, and every left-out entry names a test."""

from __future__ import annotations

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


def test_load_refuses_a_covered_function_captured_at_import(monkeypatch):
    # a parametrize list built from numpy.median at import would bypass the stand-in
    module = types.ModuleType("peer_harness_fake_tests")

    class TestCaptured:
        @pytest.mark.parametrize("f", [numpy.mean, numpy.median])
        def test_f(self, f):
            pass

    TestCaptured.__module__ = module.__name__
    module.TestCaptured, module.np = TestCaptured, numpy
    monkeypatch.setitem(sys.modules, module.__name__, module)
    with pytest.raises(RuntimeError, match="holds numpy.mean itself"):
        _peer.load(module.__name__, np=_peer.stand_ins("numpy"))


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
