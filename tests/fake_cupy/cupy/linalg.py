"""``numpy.linalg`` as ``cupy.linalg``: device arrays in (host arrays refused), device arrays out."""

import numpy as _np

from ._array import device_function as _device_function

LinAlgError = _np.linalg.LinAlgError


def __getattr__(name):
    v = getattr(_np.linalg, name)
    if callable(v) and not isinstance(v, type):
        v = _device_function(v, name)
    globals()[name] = v
    return v
