"""``numpy.linalg`` as ``cupy.linalg``: device arrays in (host arrays refused), device arrays out."""

import numpy as _np

from ._array import device_function as _device_function

LinAlgError = _np.linalg.LinAlgError
# numpy.linalg's functions that cupy.linalg (CuPy 14) does not have
_NOT_IN_CUPY = frozenset({"diagonal", "matrix_norm", "multi_dot", "outer", "svdvals", "tensordot", "test", "trace",
                          "vecdot", "vector_norm"})


def __getattr__(name):
    if name in _NOT_IN_CUPY:
        raise AttributeError(f"module 'cupy.linalg' has no attribute {name!r}")
    v = getattr(_np.linalg, name)
    if callable(v) and not isinstance(v, type):
        v = _device_function(v, name)
    globals()[name] = v
    return v
