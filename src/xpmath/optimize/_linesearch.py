"""The line search of L-BFGS: Moré and Thuente's, as MINPACK-2's ``dcsrch`` (the search of L-BFGS-B).

Moré & Thuente, "Line search algorithms with guaranteed sufficient decrease", ACM TOMS 20 (1994);
the steps follow MINPACK-2's ``dcsrch`` and ``dcstep`` (as SciPy's port of them), with L-BFGS-B's
constants (``ftol = 1e-3``, ``gtol = 0.9``, ``xtol = 0.1``), so that a search from the same point and
direction takes the same steps as SciPy's L-BFGS-B. It sees the objective only through
``phi(alpha) -> (phi, dphi, payload)``: the value and directional derivative along the direction as
Python floats, and whatever the caller needs back from the accepted evaluation (the new point and
its gradient, left on the device). Each call of ``phi`` is one pass over the data.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple


class Step(NamedTuple):
    """The step a line search accepted (``alpha`` None: none was found within its evaluations);
    ``converged`` whether it met both conditions (else the search ended on one of its warnings)."""

    alpha: float | None
    phi: float
    dphi: float
    payload: Any
    n_eval: int
    converged: bool = False


def _sign(v: float) -> float:
    return 0.0 if v == 0 else math.copysign(1.0, v)


def _root(v: float) -> float:
    return math.sqrt(v) if v >= 0 else math.nan


def _dcstep(stx, fx, dx, sty, fy, dy, stp, fp, dp, brackt, stpmin, stpmax):
    """A safeguarded trial step and the updated interval ``[stx, sty]`` holding an acceptable step:
    MINPACK-2's ``dcstep`` (cubic and secant interpolations of the four cases of Moré & Thuente)."""
    sgnd = _sign(dp) * _sign(dx)
    if fp > fx:  # a higher value: the minimum is bracketed
        theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
        s = max(abs(theta), abs(dx), abs(dp))
        gamma = s * _root((theta / s) ** 2 - (dx / s) * (dp / s))
        if stp < stx:
            gamma = -gamma
        p = (gamma - dx) + theta
        q = ((gamma - dx) + gamma) + dp
        stpc = stx + (p / q) * (stp - stx)
        stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx)
        stpf = stpc if abs(stpc - stx) <= abs(stpq - stx) else stpc + (stpq - stpc) / 2.0
        brackt = True
    elif sgnd < 0.0:  # a lower value and derivatives of opposite sign: bracketed
        theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
        s = max(abs(theta), abs(dx), abs(dp))
        gamma = s * _root((theta / s) ** 2 - (dx / s) * (dp / s))
        if stp > stx:
            gamma = -gamma
        p = (gamma - dp) + theta
        q = ((gamma - dp) + gamma) + dx
        stpc = stp + (p / q) * (stx - stp)
        stpq = stp + (dp / (dp - dx)) * (stx - stp)
        stpf = stpc if abs(stpc - stp) > abs(stpq - stp) else stpq
        brackt = True
    elif abs(dp) < abs(dx):  # a lower value, the same sign, a smaller derivative
        theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
        s = max(abs(theta), abs(dx), abs(dp))
        gamma = s * math.sqrt(max(0.0, (theta / s) ** 2 - (dx / s) * (dp / s)))
        if stp > stx:
            gamma = -gamma
        p = (gamma - dp) + theta
        q = (gamma + (dx - dp)) + gamma
        r = p / q
        if r < 0 and gamma != 0:
            stpc = stp + r * (stx - stp)
        elif stp > stx:
            stpc = stpmax
        else:
            stpc = stpmin
        stpq = stp + (dp / (dp - dx)) * (stx - stp)
        if brackt:
            stpf = stpc if abs(stpc - stp) < abs(stpq - stp) else stpq
            stpf = min(stp + 0.66 * (sty - stp), stpf) if stp > stx else max(stp + 0.66 * (sty - stp), stpf)
        else:
            stpf = stpc if abs(stpc - stp) > abs(stpq - stp) else stpq
            stpf = min(max(stpf, stpmin), stpmax)
    elif brackt:  # a lower value, the same sign, no smaller a derivative: the cubic on [stp, sty]
        theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp
        s = max(abs(theta), abs(dy), abs(dp))
        gamma = s * _root((theta / s) ** 2 - (dy / s) * (dp / s))
        if stp > sty:
            gamma = -gamma
        p = (gamma - dp) + theta
        q = ((gamma - dp) + gamma) + dy
        stpf = stp + (p / q) * (sty - stp)
    else:
        stpf = stpmax if stp > stx else stpmin
    if fp > fx:
        sty, fy, dy = stp, fp, dp
    else:
        if sgnd < 0:
            sty, fy, dy = stx, fx, dx
        stx, fx, dx = stp, fp, dp
    return stx, fx, dx, sty, fy, dy, stpf, brackt


def more_thuente(phi: Callable[[float], tuple[float, float, Any]], phi0: float, dphi0: float, stp: float, *,
                 ftol: float = 1e-3, gtol: float = 0.9, xtol: float = 0.1, stpmin: float = 0.0,
                 stpmax: float = 1e10, max_eval: int = 20) -> Step:
    """A step with ``phi(stp) <= phi0 + ftol·stp·dphi0`` and ``|dphi(stp)| <= gtol·|dphi0|``, from the trial
    step ``stp`` (``dphi0 < 0``). As ``dcsrch``, a search that can do no better (rounding errors, the
    interval below ``xtol``, a bound reached) ends with its last step, which then lowers ``phi`` at
    least as the sufficient decrease asks where that was met; ``alpha`` None after ``max_eval``
    evaluations without an end, or for a non-finite trial step."""
    xtrapl, xtrapu = 1.1, 4.0
    brackt, stage = False, 1
    gtest = ftol * dphi0
    width = stpmax - stpmin
    width1 = width / 0.5
    stx = sty = 0.0
    fx = fy = phi0
    gx = gy = dphi0
    stmin, stmax = 0.0, stp + xtrapu * stp
    n = 0
    while n < max_eval:
        f, g, payload = phi(stp)
        n += 1
        if not (math.isfinite(f) and math.isfinite(g)):
            # too long a step: towards the best step so far, before any interpolation uses the value
            stp = stx + 0.1 * (stp - stx)
            continue
        ftest = phi0 + stp * gtest
        if stage == 1 and f <= ftest and g >= 0:
            stage = 2
        converged = f <= ftest and abs(g) <= gtol * -dphi0
        done = converged or (brackt and (stp <= stmin or stp >= stmax))  # rounding errors prevent progress
        done = done or (brackt and stmax - stmin <= xtol * stmax)
        done = done or (stp == stpmax and f <= ftest and g <= gtest)
        done = done or (stp == stpmin and (f > ftest or g >= gtest))
        if done:
            return Step(stp, f, g, payload, n, converged)
        if stage == 1 and f <= fx and f > ftest:
            # the modified function psi(a) = phi(a) - phi0 - ftol·a·dphi0 guides the step
            stx, fxm, gxm, sty, fym, gym, stp_new, brackt = _dcstep(
                stx, fx - stx * gtest, gx - gtest, sty, fy - sty * gtest, gy - gtest, stp, f - stp * gtest,
                g - gtest, brackt, stmin, stmax)
            fx, fy, gx, gy = fxm + stx * gtest, fym + sty * gtest, gxm + gtest, gym + gtest
        else:
            stx, fx, gx, sty, fy, gy, stp_new, brackt = _dcstep(stx, fx, gx, sty, fy, gy, stp, f, g, brackt,
                                                                 stmin, stmax)
        if brackt:
            if abs(sty - stx) >= 0.66 * width1:
                stp_new = stx + 0.5 * (sty - stx)
            width1, width = width, abs(sty - stx)
            stmin, stmax = min(stx, sty), max(stx, sty)
        else:
            stmin, stmax = stp_new + xtrapl * (stp_new - stx), stp_new + xtrapu * (stp_new - stx)
        stp_new = min(max(stp_new, stpmin), stpmax)
        if brackt and (stp_new <= stmin or stp_new >= stmax or stmax - stmin <= xtol * stmax):
            stp_new = stx
        if not math.isfinite(stp_new):
            break
        stp = stp_new
    return Step(None, phi0, dphi0, None, n)
