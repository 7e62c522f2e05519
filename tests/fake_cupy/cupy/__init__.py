"""A NumPy-backed stand-in for CuPy, for running the cupy backend's Python without a GPU (tests only)."""

import importlib as _importlib

import numpy as _np
from numpy import *  # noqa: F401,F403 - the array namespace, as CuPy mirrors NumPy's
from numpy import linalg, ndarray  # noqa: F401

# the submodules by import, not `from . import`: NumPy's star import already bound `random`
_kernels = _importlib.import_module("._kernels", __name__)
cuda = _importlib.import_module(".cuda", __name__)
random = _importlib.import_module(".random", __name__)
_core = _importlib.import_module("._core", __name__)
_importlib.import_module("._core._routines_linalg", __name__)

__version__ = "14.0.0-fake"
_xpmath_fake = True


def asnumpy(a):
    return _np.asarray(a)


def get_default_memory_pool():
    return cuda.memory._POOL


class ElementwiseKernel:
    def __init__(self, in_params, out_params, operation, name, **kw):
        self._f = _kernels.ELEMENTWISE[name]

    def __call__(self, *args):
        return self._f(*args)


class RawModule:
    def __init__(self, code=None, **kw):
        self.code = code

    def get_function(self, name):
        return _kernels.RawFunction(name)


def ascontiguousarray(a, dtype=None):
    return _np.ascontiguousarray(a, dtype=dtype)
