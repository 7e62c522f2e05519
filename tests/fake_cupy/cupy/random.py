import numpy as _np


def default_rng(seed=None):
    return _np.random.default_rng(seed)


class RandomState:
    """CuPy's RandomState takes a dtype where NumPy's does not."""

    def __init__(self, seed=None):
        self._r = _np.random.RandomState(seed)

    def standard_normal(self, size=None, dtype=float):
        return _np.asarray(self._r.standard_normal(size)).astype(dtype)

    def random_sample(self, size=None, dtype=float):
        return _np.asarray(self._r.random_sample(size)).astype(dtype)
