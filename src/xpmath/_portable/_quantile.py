"""NumPy's quantile rules, to the bit: where each method reads the sorted values, and how it interpolates.

NumPy's ``quantile`` (Hyndman and Fan's nine methods and NumPy's four) turns each ``q`` into a
virtual index into the sorted values, reads the order statistics at its floor and ceiling (or at one
index, for the discrete methods) and interpolates between them. This module computes those indexes
and weights exactly as NumPy does (the same expressions, in the same dtypes, so a float32 ``q`` or a
Python float gives NumPy's rounding and NumPy's result dtype), given only how to read an order
statistic. It is written in functions NumPy, CuPy and the array API standard share, so the portable
reference, the reference on CuPy and the dask backend's exact selection all use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from .._arrays import astype, kind, numpy_dtype

#: NumPy's methods, in its order (the order its error message lists them)
METHODS: tuple[str, ...] = (
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
    "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher", "midpoint", "nearest",
)
#: methods that read one order statistic (NumPy's "fix_gamma" is None for them): no interpolation
DISCRETE = frozenset({"inverted_cdf", "closest_observation", "lower", "higher", "nearest"})
#: Hyndman and Fan's (alpha, beta) of the continuous methods NumPy computes by the general formula
_ALPHA_BETA = {
    "interpolated_inverted_cdf": (0, 1),  # integers, as NumPy passes them: integer q keeps an integer index
    "hazen": (0.5, 0.5),
    "weibull": (0, 0),
    "median_unbiased": (1 / 3.0, 1 / 3.0),
    "normal_unbiased": (3 / 8.0, 3 / 8.0),
}

__all__ = ["METHODS", "DISCRETE", "interpolates", "plan", "interpolate", "result_dtype", "from_order"]


def interpolates(method: str, q_integral: bool) -> bool:
    """Whether ``method`` interpolates between two order statistics (NumPy then subtracts values, which
    bool data cannot do): every method but the discrete ones, and ``linear`` at integer ``q``."""
    return method not in DISCRETE and not (method == "linear" and q_integral)


def _integral(q: Any) -> bool:
    return kind(q.dtype) in "iub"


def _boundaries(xp: Any, index: Any, odd_rule: bool) -> Any:
    """NumPy's ``_discrete_interpolation_to_boundaries``: the next order statistic, or the previous
    one where the index is whole (and, for ``closest_observation``, odd), clipped at 0."""
    previous = xp.floor(index)
    gamma = index - previous
    take_previous = gamma == 0
    if odd_rule:
        take_previous = take_previous & (previous % 2 == 1)
    res = astype(xp, xp.where(take_previous, previous, previous + 1), xp.int64)
    return xp.where(res < 0, xp.zeros_like(res), res)  # NumPy clips below; above never occurs


def plan(xp: Any, n: Any, q: Any, method: str) -> tuple:
    """Where NumPy's ``method`` reads ``n`` sorted values for each quantile ``q``.

    ``n`` is a Python int or an integer array (one count per slice, broadcasting against ``q``);
    ``q`` an array. Returns ``("take", idx)`` for a method that reads one order statistic, else
    ``("lerp", vi)``, NumPy's virtual index (floating, in NumPy's dtype), for :func:`interpolate`.
    """
    integral = _integral(q)
    qi = astype(xp, q, xp.int64) if integral else None
    qf = astype(xp, q, xp.float64) if integral else q
    # NumPy's count is a Python int, weak against q: a per-slice count is given q's float dtype
    nf = n if isinstance(n, int) else astype(xp, n, qf.dtype)
    if method == "linear":
        if integral:
            return "take", (n - 1) * qi
        return "lerp", (nf - 1) * qf
    if method in ("lower", "higher", "nearest"):
        v = (nf - 1) * qf
        f = xp.floor if method == "lower" else xp.ceil if method == "higher" else xp.round
        return "take", astype(xp, f(v), xp.int64)
    if method == "inverted_cdf":
        return "take", _boundaries(xp, nf * qf - 1, False)
    if method == "closest_observation":
        return "take", _boundaries(xp, nf * qf - 1 - 0.5, True)
    if method == "averaged_inverted_cdf":
        return "lerp", (n * qi - 1) if integral else (nf * qf - 1)
    if method == "midpoint":
        v = (nf - 1) * qf
        return "lerp", 0.5 * (xp.floor(v) + xp.ceil(v))
    alpha, beta = _ALPHA_BETA[method]
    if integral and isinstance(alpha, int) and isinstance(beta, int):
        return "lerp", n * qi + (alpha + qi * (1 - alpha - beta)) - 1
    return "lerp", nf * qf + (alpha + qf * (1 - alpha - beta)) - 1


def _bounds(xp: Any, n: Any, vi: Any) -> tuple[Any, Any, Any]:
    """NumPy's ``_get_indexes``: the previous and next order statistics of each virtual index (both
    the last where it lies past the last, both the first where before the first), and the previous
    one as NumPy subtracts it from the index (``-1`` for the last), in the index's dtype."""
    prev = xp.floor(vi) if kind(vi.dtype) == "f" else vi
    count = n if isinstance(n, int) else astype(xp, n, vi.dtype)  # compared in the index's own dtype
    above = vi >= count - 1
    below = vi < 0
    prev = xp.where(above, xp.full_like(prev, -1), xp.where(below, xp.zeros_like(prev), prev))
    nxt = xp.where(above | below, prev, prev + 1)
    return _index(xp, prev, n), _index(xp, nxt, n), prev


def _index(xp: Any, i: Any, n: Any) -> Any:
    """Integer positions, NumPy's ``-1`` (the last) resolved, within ``[0, n - 1]`` (0 for no values)."""
    i = astype(xp, i, xp.int64)
    last = n - 1 if isinstance(n, int) else astype(xp, n, xp.int64) - 1
    i = xp.where(i < 0, xp.zeros_like(i) + last, i)
    return xp.where(i < 0, xp.zeros_like(i), i)


def _gamma(xp: Any, vi: Any, prev: Any, method: str) -> Any:
    """NumPy's ``_get_gamma``: the weight of the next order statistic, in the virtual index's dtype."""
    g = vi - prev
    if method == "averaged_inverted_cdf":
        return astype(xp, xp.where(g == 0, xp.full_like(g, 0.5 if kind(g.dtype) == "f" else 0),
                                   xp.ones_like(g)), vi.dtype)
    if method == "midpoint":
        whole = vi % 1 == 0
        return xp.where(whole, xp.zeros_like(vi), xp.full_like(vi, 0.5))
    return g


def result_dtype(a_dtype: Any, t_dtype: Any, weak: bool) -> numpy.dtype:
    """NumPy's dtype of ``a + (b - a) * t``: ``t`` is weak (a Python float) when ``q`` was a Python number."""
    a = numpy_dtype(a_dtype)
    if weak:
        return numpy.result_type(a, 0.0)
    return numpy.result_type(a, numpy_dtype(t_dtype))


def interpolate(xp: Any, a: Any, b: Any, t: Any, weak: bool, native: Callable[[numpy.dtype], Any]) -> Any:
    """NumPy's ``_lerp``: ``a + (b - a) * t`` below ``t = 0.5``, ``b - (b - a) * (1 - t)`` from it.

    ``b - a`` is taken in the values' own dtype and ``1 - t`` in ``t``'s, as NumPy takes them; both
    are then cast to the result dtype (``native`` turns NumPy's dtype into ``xp``'s), so a mixed
    integer and float product never needs the namespace's promotion rules.
    """
    ft = native(result_dtype(a.dtype, t.dtype, weak))
    diff = astype(xp, b - a, ft)
    low = astype(xp, a, ft) + diff * astype(xp, t, ft)
    high = astype(xp, b, ft) - diff * astype(xp, 1 - t, ft)
    return xp.where(t >= (0.5 if kind(t.dtype) == "f" else 1), high, low)


def from_order(xp: Any, take: Callable[[Any], Any], n: Any, q: Any, method: str, weak: bool,
               native: Callable[[numpy.dtype], Any]) -> Any:
    """The quantiles ``q`` by NumPy's ``method`` from the order statistics ``take(idx)`` gives.

    ``take(idx)`` returns the order statistics at the integer indexes ``idx`` (an array broadcasting
    like ``n`` against ``q``; ``-1`` never occurs: the last index is ``n - 1``). Returns an array
    shaped as that broadcast, in NumPy's dtype.
    """
    how, v = plan(xp, n, q, method)
    if how == "take":
        return take(_index(xp, v, n))
    prev, nxt, prev_as_vi = _bounds(xp, n, v)
    return interpolate(xp, take(prev), take(nxt), _gamma(xp, v, prev_as_vi, method), weak, native)
