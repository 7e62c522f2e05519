"""The numba backend's random draws, inside jitted code."""

from __future__ import annotations

import numpy

from ._runtime import Bindings, _kernels


class RandomBindings(Bindings):
    """Generators whose draws run inside jitted code."""

    def default_rng(self, seed=None):
        _kernels()
        return _NumbaGenerator(numpy.random.default_rng(seed))

    def legacy_rng(self, seed=None):
        k = _kernels()
        if isinstance(seed, tuple):  # Numba's generator takes one 32-bit integer: a sequence is folded into one
            seed = int(numpy.random.SeedSequence(seed).generate_state(1)[0])
        if seed is not None:
            k.seed_legacy(seed)
        return _NumbaGenerator(None)


class _NumbaGenerator:
    """Draws inside jitted code: NumPy's ``Generator`` passed in, or Numba's own seeded legacy stream."""

    __slots__ = ("_rng",)

    def __init__(self, rng):
        self._rng = rng

    @staticmethod
    def _n(size):
        if size is None:
            return 1, None
        shape = size if isinstance(size, tuple) else (size,)
        return int(numpy.prod(shape)), shape

    def _std(self, kind, n):
        k = _kernels()
        if self._rng is None:
            return k.legacy_normal(0.0, 1.0, n) if kind == "normal" else k.legacy_random(n)
        return k.gen_normal(self._rng, 0.0, 1.0, n) if kind == "normal" else k.gen_random(self._rng, n)

    @staticmethod
    def _shape(v, shape, dtype):
        v = numpy.asarray(v)
        if shape is None:  # one draw: a scalar, as NumPy's generators give (a Python float for float64)
            one = v.reshape(-1)[0] if v.ndim else v
            return float(one) if dtype == numpy.float64 else dtype.type(one)
        return v.reshape(shape).astype(dtype, copy=False)

    def _draw(self, kind, size, *params):
        """Standard draws shaped as ``size`` (or as the parameters broadcast together, or one)."""
        n, shape = self._n(size if size is not None else (numpy.broadcast(*params).shape or None))
        z = self._std(kind, n)
        return (z.reshape(shape) if shape is not None else z[0]), shape

    def normal(self, loc, scale, size, dtype):
        z, shape = self._draw("normal", size, loc, scale)
        return self._shape(loc + scale * z, shape, numpy.dtype(dtype))

    def uniform(self, low, high, size, dtype):
        u, shape = self._draw("uniform", size, low, high)
        return self._shape(low + (high - low) * u, shape, numpy.dtype(dtype))

    def bernoulli(self, p, size):
        u, shape = self._draw("uniform", size, p)
        return self._shape((u < p).astype(numpy.int64), shape, numpy.dtype(numpy.int64))


#: op -> whether the kernels take the call (every draw)
RULES: dict = {}
