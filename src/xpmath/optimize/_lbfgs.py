"""L-BFGS, written once on the array namespace of the fit's state, and SciPy's L-BFGS-B on NumPy.

:func:`lbfgs` is the limited-memory BFGS method (Nocedal & Wright, Algorithm 7.5): the two-loop
recursion over the last ``m`` pairs ``(s, y)`` gives the search direction, Moré and Thuente's line
search (:mod:`._linesearch`, L-BFGS-B's) the step. Without bounds L-BFGS-B's compact matrices are the
same approximation as the two-loop recursion's, and its rules are kept (the first step of length
one, the skipped pairs, the restart after a failed search, the tests and their order), so the
iterates follow SciPy's to rounding. Every vector stays in the namespace and on the device of the
parameters (CuPy, a foreign library's device, NumPy for Dask's host state): the two-loop recursion
runs there without reading anything back; the host sees only the scalars that decide the control
flow (the loss and a directional derivative per evaluation, the largest gradient entry and the
curvature ``sᵀy`` per iteration), read together in one transfer. Its stopping rules are SciPy's
L-BFGS-B's without bounds: ``max|gᵢ| <= gtol``, or a relative reduction of the loss ``<= ftol``.

:func:`lbfgs_scipy` runs ``scipy.optimize.minimize(method="L-BFGS-B")`` with the options scikit-learn
gives it, on NumPy state: the same iterations, and so the same ``n_iter_``, as scikit-learn's fit.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import numpy

from ._linesearch import more_thuente

#: L-BFGS-B's status messages (SciPy's words)
CONVERGED_PGTOL = "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL"
CONVERGED_FTOL = "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH"
STOP_ITER = "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT"
STOP_FEV = "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT"
ABNORMAL = "ABNORMAL"  # no step lowered the loss enough, along steepest descent either


class Result(NamedTuple):
    """What a solver returns: ``status`` 0 converged, 1 a limit of iterations or evaluations reached,
    2 stopped otherwise (a line search that found no step, a Newton step that is no descent)."""

    x: Any
    fun: float
    n_iter: int
    n_fev: int
    status: int
    message: str


def _two_loop(xp, g, pairs):
    """``-H·g`` for the L-BFGS inverse-Hessian approximation ``H`` of ``pairs`` ``[(s, y, 1/sᵀy)]``,
    oldest first; the scaling ``γ = sᵀy / yᵀy`` of the newest pair as the initial matrix. Every
    product stays a 0-d array of ``xp``: nothing is read back."""
    q = g
    alphas = []
    for s, y, rho in reversed(pairs):
        a = rho * (s @ q)
        q = q - a * y
        alphas.append(a)
    s, y, _ = pairs[-1]
    r = ((s @ y) / (y @ y)) * q
    for (s, y, rho), a in zip(pairs, reversed(alphas)):
        beta = rho * (y @ r)
        r = r + (a - beta) * s
    return -r


def lbfgs(fun: Callable, x0, *, xp, read: Callable, max_iter: int = 100, gtol: float = 1e-4,
          ftol: float = 64 * numpy.finfo(float).eps, m: int = 10, max_ls: int = 50, max_fun: int = 15000) -> Result:
    """Minimise ``fun`` from ``x0`` by L-BFGS.

    ``fun(x) -> (f, g)``: the value (a 0-d array) and gradient at ``x`` (1-D), in ``xp``;
    ``read(*values)`` gives 0-d arrays of ``xp`` back as Python floats, in one transfer. Stops when
    ``max|gᵢ| <= gtol`` (status 0), when an iteration lowers ``f`` by at most ``ftol·max(|f|, |f_new|, 1)``
    (status 0), after ``max_iter`` iterations or more than ``max_fun`` evaluations (status 1), or when
    the line search finds no step along steepest descent either (status 2). ``max_ls`` bounds one
    line search's evaluations (50: scikit-learn's ``maxls``).
    """
    x = x0
    f, g = fun(x)
    n_fev = 1
    f_h, gmax = read(f, xp.max(xp.abs(g)))
    if not math.isfinite(f_h):
        return Result(x, f_h, 0, n_fev, 2, ABNORMAL)
    if gmax <= gtol:
        return Result(x, f_h, 0, n_fev, 0, CONVERGED_PGTOL)
    pairs: list = []
    n_iter = 0
    status, message = 1, STOP_ITER
    while True:  # as SciPy's, max_iter=0 still takes the first step (n_iter then reports 0)
        d = _two_loop(xp, g, pairs) if pairs else -g
        gd, dn = read(g @ d, xp.sqrt(d @ d))
        if not gd < 0:  # the approximation lost positive curvature: start again from steepest descent
            pairs.clear()
            d = -g
            gd, dn = read(g @ d, xp.sqrt(d @ d))
        alpha1 = 1.0 / dn if n_iter == 0 else 1.0  # L-BFGS-B's first step: of length one in x

        def phi(alpha, d=d):
            x_new = x + alpha * d
            f_new, g_new = fun(x_new)
            fv, dv = read(f_new, g_new @ d)
            return fv, dv, (x_new, f_new, g_new)

        step = more_thuente(phi, f_h, gd, alpha1, max_eval=max_ls)
        n_fev += step.n_eval
        if step.alpha is None:
            if pairs:  # as L-BFGS-B: forget the pairs and search again along steepest descent
                pairs.clear()
                continue
            status, message = 2, ABNORMAL
            break
        x_new, f_new, g_new = step.payload
        s = x_new - x
        y = g_new - g
        sy, yy, gmax = read(s @ y, y @ y, xp.max(xp.abs(g_new)))
        # L-BFGS-B skips a pair whose curvature is not safely positive
        if sy > numpy.finfo(float).eps * -gd * step.alpha and yy > 0:
            pairs.append((s, y, 1.0 / sy))
            if len(pairs) > m:
                pairs.pop(0)
        f_old, f_h = f_h, step.phi
        x, g = x_new, g_new
        n_iter += 1
        # SciPy counts the iteration, and stops at max_iter or max_fun, before L-BFGS-B's tests
        if n_iter >= max_iter:
            break
        if n_fev > max_fun:
            status, message = 1, STOP_FEV
            break
        if gmax <= gtol:
            status, message = 0, CONVERGED_PGTOL
            break
        if f_old - f_h <= ftol * max(abs(f_old), abs(f_h), 1.0):
            status, message = 0, CONVERGED_FTOL
            break
    return Result(x, f_h, min(n_iter, max_iter), n_fev, status, message)


def lbfgs_scipy(fun: Callable, x0, *, max_iter: int = 100, gtol: float = 1e-4,
                ftol: float = 64 * numpy.finfo(float).eps, max_ls: int = 50) -> Result:
    """Minimise ``fun`` (NumPy in, ``(f, g)`` NumPy out) by SciPy's L-BFGS-B with scikit-learn's options."""
    from scipy import optimize

    dt = x0.dtype

    def f64(x):
        f, g = fun(x.astype(dt, copy=False))
        return float(f), numpy.asarray(g, dtype=numpy.float64)

    r = optimize.minimize(f64, numpy.asarray(x0, dtype=numpy.float64), method="L-BFGS-B", jac=True,
                          options={"maxiter": max_iter, "maxls": max_ls, "gtol": gtol, "ftol": ftol})
    msg = r.message.decode() if isinstance(r.message, bytes) else str(r.message)
    return Result(r.x.astype(dt, copy=False), float(r.fun), min(int(r.nit), max_iter), int(r.nfev),
                  int(r.status), msg)
