"""Reference random generators: NumPy's ``Generator`` and legacy ``RandomState``, results put on ``xp``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

__all__ = ["default_rng", "legacy_rng"]


def default_rng(xp: Any, seed: int | numpy.random.SeedSequence | None = None) -> NumpyGeneratorAdapter:
    """A raw generator for ``xpmath.random.Generator``: ``normal``, ``uniform``, ``bernoulli``."""
    return NumpyGeneratorAdapter(numpy.random.default_rng(seed), xp.asarray)


def legacy_rng(xp: Any, seed: int | None = None) -> NumpyGeneratorAdapter:
    """The module-level generator of ``xpmath.random.seed`` (NumPy's legacy stream)."""
    return NumpyGeneratorAdapter(numpy.random.RandomState(seed), xp.asarray)


class NumpyGeneratorAdapter:
    """A NumPy ``Generator`` or ``RandomState`` behind the raw-generator interface."""

    __slots__ = ("_g", "_out")

    def __init__(
        self, gen: numpy.random.Generator | numpy.random.RandomState, out: Callable[[Any], Any] = numpy.asarray
    ) -> None:
        self._g = gen
        self._out = out

    def _wrap(self, v: Any, size: Any) -> Any:
        return v if size is None else self._out(v)

    def normal(self, loc: Any, scale: Any, size: Any, dtype: Any) -> Any:
        g = self._g
        if numpy.dtype(dtype) == numpy.float64:
            return self._wrap(g.normal(loc, scale, size), size)
        z = g.standard_normal(size, dtype=dtype) if hasattr(g, "integers") else g.standard_normal(size).astype(dtype)
        return self._wrap(numpy.asarray(z * numpy.asarray(scale, dtype) + numpy.asarray(loc, dtype), dtype)[()], size)

    def uniform(self, low: Any, high: Any, size: Any, dtype: Any) -> Any:
        v = self._g.uniform(low, high, size)
        if numpy.dtype(dtype) != numpy.float64:
            v = numpy.asarray(v).astype(dtype)[()]
        return self._wrap(v, size)

    def bernoulli(self, p: Any, size: Any) -> Any:
        u = self._g.random_sample(size) if not hasattr(self._g, "integers") else self._g.random(size)
        return self._wrap((numpy.asarray(u) < p).astype(numpy.int64)[()], size)
