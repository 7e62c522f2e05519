"""What every backend shares: the conversion members of the protocol for a NumPy-like namespace.

The contract itself is :mod:`xpmath._protocol`; the reference operations are :mod:`xpmath._reference`.
"""

from __future__ import annotations

import cmath
import logging
import math
from typing import Any

import numpy

from ._arrays import host
from .errors import BackendError

_log = logging.getLogger("xpmath")


class BackendBase:
    """Conversion members of :class:`xpmath._protocol.Backend` for a NumPy-like namespace ``xp``.

    A backend subclasses this, sets ``name``, ``xp`` and ``array_type``, and adds the primitives it
    speeds up; everything else runs the reference on its arrays.
    """

    name: str = "reference"
    xp: Any = numpy
    array_type: type = numpy.ndarray
    gd_check_every: int = 1
    gd_step_flags_nonfinite: bool = False
    least_squares_by_gram: bool = False

    def is_available(self) -> tuple[bool, str]:
        return True, ""

    def config(self) -> dict:
        return {"library": f"{self.xp.__name__} {self.xp.__version__}"}

    def __repr__(self) -> str:
        return f"<xpmath backend {self.name!r}>"

    def __setattr__(self, key, value):  # immutable singletons
        raise AttributeError(f"xpmath backends are immutable; cannot set {key!r}")

    def asarray(self, x, dtype=None):
        """Put ``x`` on this backend (copying foreign device arrays to the host)."""
        xp = self.xp
        if not isinstance(x, xp.ndarray):
            x = host(x)
        return xp.asarray(x, dtype=dtype)

    def to_numpy(self, x) -> numpy.ndarray:
        return numpy.asarray(x)

    def all_finite(self, a) -> bool:
        if type(a) is numpy.ndarray and a.size <= 64:
            return tiny_finite(a)
        return bool(self.xp.isfinite(a).all())

    def all_finite_each(self, *arrays) -> tuple:
        return tuple(self.all_finite(a) for a in arrays)




def tiny_finite(a: numpy.ndarray) -> bool:
    """Whether a small NumPy array is finite, in Python: a ufunc plus a reduction costs ~2 µs, several
    times this. A sum of finite numbers minus itself is 0 (NaN if any is NaN or inf); should the sum
    overflow, each element is looked at."""
    vals = a.ravel().tolist()
    s = sum(vals)
    if s - s == 0:
        return True
    fin = cmath.isfinite if a.dtype.kind == "c" else math.isfinite
    return all(map(fin, vals))


def reduced_axes(axis, ndim: int) -> tuple:
    """``axis`` (None, an int or a tuple, already validated) as the sorted tuple of non-negative axes it reduces."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(int(a) % ndim for a in (axis if isinstance(axis, tuple) else (axis,))))


def not_supported(backend: str, op: str, why: str) -> BackendError:
    """The error an operation raises on a backend that cannot do it."""
    return BackendError(f"{op}: the {backend!r} backend cannot do this: {why}")
