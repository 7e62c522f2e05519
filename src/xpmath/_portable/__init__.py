"""The reference of every primitive in the Python array API standard's functions, for any namespace.

Dispatch binds these (``op(xp, ...)``, the same names and signatures as :mod:`xpmath._reference`) to
the namespace of a foreign array's library (PyTorch, JAX, array-api-strict… through
``array-api-compat``), so a call runs in that library, on that array's device. Only the standard's
functions are called: no implicit host copy (a scalar is read back only where a Python ``bool`` or
``float`` decides the control flow, as on CuPy). Where the standard has no function, the library's own
with NumPy's semantics is used where it has one (``eig``), else a portable formulation (sort-based
``median`` and ``mode``, a rational approximation for the normal CDF), else an
:class:`~xpmath.errors.XPMathError` naming the explicit host route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import linalg, models, probability, random, stats

#: op name -> portable function ``f(xp, *args, **kwargs)``
PORTABLE: dict[str, Callable[..., Any]] = {
    name: getattr(m, name) for m in (linalg, stats, probability, models, random) for name in m.__all__
}

__all__ = ["PORTABLE"]
