"""A NumPy-backed stand-in for CuPy, for running the cupy backend's Python without a GPU (tests only)."""

import importlib as _importlib

import numpy as _np
from numpy import *  # noqa: F401,F403 - the array namespace, as CuPy mirrors NumPy's

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
    def __init__(self, in_params, out_params, operation, name):
        self._f = _kernels.ELEMENTWISE[name]

    def __call__(self, *args):
        return self._f(*args)


class RawModule:
    """The ``extern "C" __global__`` kernels of ``code`` (a .cu file's text), each run by its emulation."""

    def __init__(self, code, *, options=()):
        self._names = _kernels.entry_points(code)

    def get_function(self, name):
        if name not in self._names:  # CuPy's driver reports the symbol missing from the module
            raise KeyError(f"no kernel {name!r} in this module; it has {sorted(self._names)}")
        return _kernels.RawFunction(name)
