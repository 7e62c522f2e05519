"""CuPy's generators: NumPy's streams, every draw a device array (0-d without ``size``, as CuPy's)."""

import numpy as _np

from ._array import ndarray


class _Generator:
    def __init__(self, g):
        self._g = g

    def __getattr__(self, name):
        f = getattr(self._g, name)

        def draw(*args, **kwargs):
            return ndarray._of(_np.asarray(f(*args, **kwargs)))

        return draw


def default_rng(seed=None):
    return _Generator(_np.random.default_rng(seed))


class RandomState:
    """CuPy's RandomState takes a dtype where NumPy's does not."""

    def __init__(self, seed=None):
        self._r = _np.random.RandomState(seed)

    def standard_normal(self, size=None, dtype=float):
        return ndarray._of(_np.asarray(self._r.standard_normal(size)).astype(dtype))

    def random_sample(self, size=None, dtype=float):
        return ndarray._of(_np.asarray(self._r.random_sample(size)).astype(dtype))
