"""Reference probability: Bayes' rule, the normal density and distribution, counts within bounds."""

from __future__ import annotations

import math
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from .._arrays import astype

__all__ = ["total_probability", "bayes", "normal_pdf", "normal_cdf", "count_within"]


def _common(xp: Any, *arrays: Any) -> list[Any]:
    """The arrays in their common result dtype, so every product rounds once, in that dtype."""
    dt = xp.result_type(*arrays)
    return [astype(xp, a, dt) for a in arrays]


def total_probability(xp: Any, p_b_given_a: Any, p_a: Any, p_b_given_not_a: Any) -> Any:
    a, pa, c = _common(xp, p_b_given_a, p_a, p_b_given_not_a)
    return a * pa + c * (1 - pa)


def bayes(xp: Any, p_b_given_a: Any, p_a: Any, p_b: Any) -> Any:
    a, pa, pb = _common(xp, p_b_given_a, p_a, p_b)
    return a * pa / pb


def _as_float(xp: Any, x: Any) -> Any:
    return x if x.dtype.kind in "fc" else x.astype(xp.float64)


def _like(out: Any, x: Any) -> Any:
    return out.astype(x.dtype, copy=False) if hasattr(out, "astype") else out


def normal_pdf(xp: Any, x: Any, mean: Any = 0.0, std: Any = 1.0) -> Any:
    x = _as_float(xp, x)
    z = (x - mean) / std
    return _like(xp.exp(-0.5 * z * z) / (std * math.sqrt(2 * math.pi)), x)


def normal_cdf(xp: Any, x: Any, mean: Any = 0.0, std: Any = 1.0) -> Any:
    x = _as_float(xp, x)
    return _like(_special(xp).ndtr((x - mean) / std), x)


def _special(xp: Any) -> ModuleType:
    """SciPy's special functions for the namespace (cupyx.scipy.special on CuPy; SciPy's ufuncs
    take NumPy and Dask arrays alike)."""
    if xp.__name__ == "cupy":
        import cupyx.scipy.special

        return cupyx.scipy.special
    import scipy.special

    return scipy.special


def count_within(xp: Any, x: Any, bounds: Iterable[tuple[Any, Any]]) -> Any:
    """How many elements of ``x`` satisfy ``lo <= x <= hi`` for each ``(lo, hi)`` of ``bounds``, as
    a 1-D array (compared as ``(x >= lo) & (x <= hi)``: ``|x - m| <= k·s`` rounds differently at the edges)."""
    return xp.stack([xp.count_nonzero((x >= lo) & (x <= hi)) for lo, hi in bounds])
