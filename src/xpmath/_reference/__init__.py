"""The reference implementation of every primitive, as free functions of the array namespace ``xp``.

One module per area. Each function is written once as ``op(xp, ...)`` and calls ``xp``'s own
NumPy-named function wherever one exists, so on NumPy it *is* NumPy (every keyword, every
warning) and on CuPy or Dask their NumPy-compatible functions do the same work. Dispatch binds
these to a backend's ``xp`` where the backend has no faster method of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy

from . import linalg, models, probability, random, stats

_AREAS: tuple[ModuleType, ...] = (linalg, stats, probability, models, random)

#: op name -> reference function ``f(xp, *args, **kwargs)``
REFERENCE: dict[str, Callable[..., Any]] = {name: getattr(m, name) for m in _AREAS for name in m.__all__}

#: Where the namespace's own function takes exactly the reference's arguments, dispatch calls it
#: directly: on a 2x2 or a 3-vector, the reference's own frame is a tenth of the dispatch budget.
DIRECT: dict[str, Callable[[Any], Callable[..., Any] | None]] = {
    "dot": lambda xp: getattr(xp, "dot", None),
    "matmul": lambda xp: getattr(xp, "matmul", None),
    "transpose": lambda xp: getattr(xp, "transpose", None),
    "inv": lambda xp: linalg.numpy_inv if xp is numpy else getattr(xp.linalg, "inv", None),
    "solve": lambda xp: getattr(xp.linalg, "solve", None),
    "det": lambda xp: getattr(xp.linalg, "det", None),
    "mean": lambda xp: xp.mean if xp is numpy else None,  # others lack where=
}
# numpy.linalg's array API half on NumPy; CuPy and Dask run the reference (their functions differ or lack)
DIRECT.update({
    op: (lambda xp, op=op: getattr(numpy.linalg, op) if xp is numpy else None)
    for op in ("outer", "cross", "tensordot", "vecdot", "multi_dot", "matrix_transpose", "diagonal", "trace",
               "vector_norm", "matrix_norm")
})

__all__ = ["DIRECT", "REFERENCE"]
