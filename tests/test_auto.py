"""``auto`` chooses per call: NumPy below each operation's crossover size, the fast backend above."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import _auto, _dispatch, _registry

fast = _registry.auto().name


def test_small_calls_run_on_numpy_and_large_ones_on_the_fast_backend():
    limit = _auto.GPU_CROSSOVER if fast == "cupy" else _auto.CPU_CROSSOVERS["var"]
    small, large = np.ones(8), np.ones(limit)
    assert _dispatch.select("auto", "var", small).name == "numpy"
    assert _dispatch.select("auto", "var", large).name == fast
    # operations the fast backend runs as NumPy's own call stay on NumPy on the CPU
    if fast == "numba":
        assert _dispatch.select("auto", "inv", np.eye(2000)).name == "numpy"


def test_auto_gives_numpys_answers_and_draws_numpys_numbers():
    x = np.random.default_rng(0).normal(size=70000)
    with xpmath.use_backend("auto"):
        assert xpmath.var(x) == pytest.approx(np.var(x), rel=1e-12)
        assert xpmath.mean(x[:5]) == np.mean(x[:5])
        xpmath.random.seed(3)
        draws = xpmath.random.normal(0, 1, 5)
    np.random.seed(3)
    np.testing.assert_array_equal(draws, np.random.normal(0, 1, 5))
    assert xpmath.get_config()["backend"] == "numpy"


def test_a_foreign_array_keeps_its_library_under_auto():
    strict = pytest.importorskip("array_api_strict")
    a = strict.asarray([1.0, 2.0, 4.0], device=strict.Device("device1"))
    xpmath.set_backend("auto")
    assert type(xpmath.mean(a)) is type(a)


def test_tuned_crossovers_override_the_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = _auto.write_tuned({"var": 4}, {"platform": "test"})
    try:
        assert path == tmp_path / "xpmath" / "crossovers.json"
        assert _auto.crossovers()["var"] == 4 and _auto.crossovers()["mean"] == _auto.CPU_CROSSOVERS["mean"]
        if fast == "numba":  # with a device, host data goes by the copy's own crossover
            assert _dispatch.select("auto", "var", np.ones(8)).name == fast
    finally:
        monkeypatch.delenv("XDG_CACHE_HOME")
        _auto._table = None


def test_crossover_is_where_the_fast_backend_wins_from_then_on():
    from xpmath.bench.crossover import crossover

    sizes = [10, 100, 1000, 10000]
    assert crossover(sizes, [1, 1, 1, 1], [2, 0.5, 2, 0.5]) == 10000
    assert crossover(sizes, [1, 1, 1, 1], [2, 0.5, 0.5, 0.5]) == 100
    assert crossover(sizes, [1, 1, 1, 1], [2, 2, 2, 2]) is None
