"""A line search satisfying the strong Wolfe conditions, on scalars alone.

Nocedal & Wright, *Numerical Optimization* (2nd ed.), Algorithms 3.5 (bracketing) and 3.6 (zoom,
by safeguarded cubic and quadratic interpolation), as SciPy's ``scalar_search_wolfe2``. The search
sees the objective only through ``phi(alpha) -> (phi, dphi, payload)``: the value and directional
derivative along the search direction as Python floats, and whatever the caller needs back from
the accepted evaluation (the new point and its gradient, left on the device). Each call of ``phi``
is one pass over the data; only its two floats cross to the host.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple


class Step(NamedTuple):
    """The step a line search accepted (``alpha`` None: none was found within its evaluations)."""

    alpha: float | None
    phi: float
    dphi: float
    payload: Any
    n_eval: int


def _cubicmin(a, fa, fpa, b, fb, c, fc):
    """The minimiser of the cubic through ``(a, fa)`` with slope ``fpa``, ``(b, fb)`` and ``(c, fc)``,
    or None where it does not exist (or is not finite)."""
    try:
        db, dc = b - a, c - a
        denom = (db * dc) ** 2 * (db - dc)
        if denom == 0:
            return None
        r1 = fb - fa - fpa * db
        r2 = fc - fa - fpa * dc
        A = (dc * dc * r1 - db * db * r2) / denom
        B = (-dc ** 3 * r1 + db ** 3 * r2) / denom
        radical = B * B - 3 * A * fpa
        if A == 0 or radical < 0:
            return None
        x = a + (-B + math.sqrt(radical)) / (3 * A)
    except (ArithmeticError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _quadmin(a, fa, fpa, b, fb):
    """The minimiser of the parabola through ``(a, fa)`` with slope ``fpa`` and ``(b, fb)``, or None."""
    try:
        db = b - a
        B = (fb - fa - fpa * db) / (db * db)
        if B <= 0:
            return None
        x = a - fpa / (2 * B)
    except (ArithmeticError, ValueError):
        return None
    return x if math.isfinite(x) else None


def strong_wolfe(phi: Callable[[float], tuple[float, float, Any]], phi0: float, dphi0: float, alpha1: float, *,
                 c1: float = 1e-4, c2: float = 0.9, max_eval: int = 50, amax: float = 1e100) -> Step:
    """A step ``alpha > 0`` with ``phi(alpha) <= phi0 + c1·alpha·dphi0`` and ``|dphi(alpha)| <= c2·|dphi0|``.

    ``dphi0`` must be negative (a descent direction); ``alpha1`` is the first trial step. At most
    ``max_eval`` evaluations of ``phi``; a non-finite value counts as too long a step.
    """
    a0, f0, df0 = 0.0, phi0, dphi0
    a1 = min(alpha1, amax)
    n = 0
    first = True
    while n < max_eval:
        f1, df1, pay1 = phi(a1)
        n += 1
        if not (math.isfinite(f1) and math.isfinite(df1)):
            # too long a step: bracket it from below by shrinking, without interpolating on non-finite values
            a1 = a0 + 0.1 * (a1 - a0)
            continue
        if f1 > phi0 + c1 * a1 * dphi0 or (not first and f1 >= f0):
            return _zoom(phi, a0, a1, f0, f1, df0, phi0, dphi0, c1, c2, max_eval - n, n)
        if abs(df1) <= -c2 * dphi0:
            return Step(a1, f1, df1, pay1, n)
        if df1 >= 0:
            return _zoom(phi, a1, a0, f1, f0, df1, phi0, dphi0, c1, c2, max_eval - n, n, pay1)
        if a1 >= amax:
            break
        a0, f0, df0, a1 = a1, f1, df1, min(2 * a1, amax)
        first = False
    return Step(None, phi0, dphi0, None, n)


def _zoom(phi, a_lo, a_hi, f_lo, f_hi, df_lo, phi0, dphi0, c1, c2, budget, used, pay_lo=None) -> Step:
    """Algorithm 3.6: shrink the bracket ``[a_lo, a_hi]`` (``a_lo`` the end with the lower value that
    satisfies sufficient decrease) until a point satisfies both conditions."""
    delta1, delta2 = 0.2, 0.1  # the cubic's and the quadratic's safeguards, as SciPy's
    a_rec, f_rec = 0.0, phi0
    for i in range(budget):
        lo, hi = (a_lo, a_hi) if a_lo < a_hi else (a_hi, a_lo)
        width = hi - lo
        a_j = None
        if i > 0:
            a_j = _cubicmin(a_lo, f_lo, df_lo, a_hi, f_hi, a_rec, f_rec)
            if a_j is not None and not (lo + delta1 * width < a_j < hi - delta1 * width):
                a_j = None
        if a_j is None:
            a_j = _quadmin(a_lo, f_lo, df_lo, a_hi, f_hi)
            if a_j is None or not (lo + delta2 * width < a_j < hi - delta2 * width):
                a_j = a_lo + 0.5 * (a_hi - a_lo)
        f_j, df_j, pay_j = phi(a_j)
        used += 1
        if not (math.isfinite(f_j) and math.isfinite(df_j)) or f_j > phi0 + c1 * a_j * dphi0 or f_j >= f_lo:
            a_rec, f_rec = a_hi, f_hi
            a_hi, f_hi = a_j, (f_j if math.isfinite(f_j) else math.inf)
        else:
            if abs(df_j) <= -c2 * dphi0:
                return Step(a_j, f_j, df_j, pay_j, used)
            if df_j * (a_hi - a_lo) >= 0:
                a_rec, f_rec = a_hi, f_hi
                a_hi, f_hi = a_lo, f_lo
            else:
                a_rec, f_rec = a_lo, f_lo
            a_lo, f_lo, df_lo, pay_lo = a_j, f_j, df_j, pay_j
        if abs(a_hi - a_lo) <= 1e-16 * max(1.0, abs(a_lo)):
            break
    # no point met the curvature condition: the best point of sufficient decrease, when one was
    # evaluated, still lowers the objective (SciPy's search returns None here and L-BFGS-B restarts)
    return Step(None, f_lo, df_lo, pay_lo, used)
