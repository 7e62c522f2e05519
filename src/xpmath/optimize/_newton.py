"""Newton's method with a Cholesky solve of the full Hessian, written once on the fit's state namespace.

Each iteration assembles the gradient and the Hessian in one pass over ``X`` (the backend's
``*_hessian`` primitive: ``x̃ᵀ D x̃`` by blocks of rows), solves ``H·Δ = −g`` by a Cholesky factorisation
where the state lives (the backend's own ``cholesky`` and ``solve``), then takes a backtracking
(Armijo) line search along ``Δ``, one loss-and-gradient pass per trial. The rules are scikit-learn's
``NewtonCholeskySolver``'s (its line search constants, its stopping test ``max|gᵢ| <= tol`` and
``½ΔᵀHΔ <= tol``, its handling of the multinomial's redundant parameters, its fall-back to L-BFGS
when the Hessian is not positive definite or a step is no descent), so that the fits agree.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy

from ._lbfgs import Result

CONVERGED = "CONVERGENCE: MAX |GRADIENT| <= TOL AND NEWTON DECREMENT <= TOL"
STOP_ITER = "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT"


def _cholesky_solve(xp, read, cholesky, solve, H, b, eps):
    """``H⁻¹b`` for a symmetric positive definite ``H``: ``L`` of ``H = LLᵀ``, then two triangular systems.

    Raises ``numpy.linalg.LinAlgError`` where ``H`` is not positive definite, or so ill-conditioned
    that the solve means nothing: ``(min Lᵢᵢ / max Lᵢᵢ)² < eps``, a lower bound of ``1/cond(H)`` (where
    scikit-learn's solver warns of a reciprocal condition number below ``eps``)."""
    L = cholesky(H)
    diagonal = getattr(xp.linalg, "diagonal", None) or xp.diagonal  # the standard's name, or NumPy's
    diag = xp.abs(diagonal(L))
    lo, hi = read(xp.min(diag), xp.max(diag))
    if not (lo > 0 and (lo / hi) ** 2 >= eps):
        raise numpy.linalg.LinAlgError(f"An ill-conditioned matrix detected: the Cholesky factor's diagonal spans "
                                       f"{lo:.3g} to {hi:.3g}.")
    z = solve(L, b[:, None])
    return solve(L.T, z)[:, 0]


def newton_cholesky(objective, x0, *, max_iter: int = 100, tol: float = 1e-4, cholesky: Callable, solve: Callable,
                    fallback: Callable, warn: Callable) -> Result:
    """Minimise ``objective`` (a :class:`~._passes.LinearLoss`) from ``x0`` by Newton-Cholesky.

    ``cholesky`` and ``solve`` factorise and solve on the state's namespace; ``fallback(x, max_iter)``
    continues from ``x`` by L-BFGS where a Newton step cannot be had; ``warn(message)`` reports why
    (a :class:`~xpmath.ConvergenceWarning`, as scikit-learn warns). ``n_iter`` counts Newton steps
    (and the fall-back's iterations), as scikit-learn's ``n_iter_``.
    """
    xp, read = objective.xp, objective.read
    k = objective.k
    penalised = objective.alpha > 0
    fi = objective.fit_intercept
    d1 = objective.n_w // (k or 1) + int(fi)
    eps = 16 * float(numpy.finfo(numpy.dtype(str(objective.dtype).rpartition(".")[2])).eps)
    # the multinomial's probabilities do not change when a constant is added to every class's
    # coefficient of one unpenalised feature (the intercept): that freedom is fixed by setting the
    # last class's to zero, and the Newton system is solved without those entries
    drop_class = k is not None and not penalised
    drop_intercept = k is not None and fi and penalised
    x = x0
    if drop_class:
        x2 = xp.reshape(x, (d1, k))
        x = xp.reshape(x2 - x2[:, k - 1:], (-1,))
    elif drop_intercept:
        x = _with_intercepts(xp, objective, x, x[objective.n_w:] - x[-1])

    def reduced(g, H):
        if drop_class:
            gr = xp.reshape(xp.reshape(g, (d1, k))[:, : k - 1], (-1,))
            Hr = xp.reshape(xp.reshape(H, (d1, k, d1, k))[:, : k - 1, :, : k - 1], (d1 * (k - 1), d1 * (k - 1)))
            return gr, Hr
        if drop_intercept:
            return g[:-1], H[:-1, :-1]
        return g, H

    def expanded(step):
        if drop_class:
            z = xp.zeros((d1, 1), dtype=step.dtype, **objective.device)
            return xp.reshape(_concat_cols(xp, xp.reshape(step, (d1, k - 1)), z), (-1,))
        if drop_intercept:
            return _concat(xp, [step, xp.zeros((1,), dtype=step.dtype, **objective.device)])
        return step

    iteration, converged, fall_back = 1, False, False
    f_h = None
    while iteration <= max_iter and not converged:
        f, g, H = objective.grad_hess(x)
        gr, Hr = reduced(g, H)
        if f_h is None:
            (f_h,) = read(f)
        try:
            step = expanded(_cholesky_solve(xp, read, cholesky, solve, Hr, -gr, eps / 16))
            (gtn,) = read(g @ step)  # the step is zero where the system dropped entries
            if not math.isfinite(gtn):
                raise numpy.linalg.LinAlgError("the Newton step is not finite")
        except numpy.linalg.LinAlgError as exc:
            warn(f"The inner solver of NewtonCholeskySolver stumbled upon a singular or very ill-conditioned "
                 f"Hessian matrix at iteration {iteration}. It will now resort to lbfgs instead.\n"
                 "Further options are to use another solver or to avoid such situation in the first place. "
                 "Possible remedies are removing collinear features of X or increasing the penalization "
                 f"strengths.\nThe original Linear Algebra message was:\n{exc}")
            fall_back = True
            break
        if gtn > 0:  # not a descent direction
            fall_back = True
            break
        # backtracking line search: scikit-learn's constants (β = 1/2, σ = 2⁻¹¹, 21 trials)
        t, armijo = 1.0, 0.00048828125 * gtn
        sum_abs_old = None
        for _ in range(21):
            x_new = x + t * step
            f_new, g_new = objective.loss_grad(x_new)
            (fv,) = read(f_new)
            improvement = fv - f_h
            if improvement <= t * armijo:
                break
            if abs(improvement) <= abs(f_h * eps):  # a change within rounding: accept a smaller gradient
                if sum_abs_old is None:
                    (sum_abs_old,) = read(xp.sum(xp.abs(gr)))
                (sum_abs,) = read(xp.sum(xp.abs(reduced(g_new, H)[0])))
                if sum_abs < sum_abs_old:
                    break
            t *= 0.5
        else:
            warn(f"Line search of Newton solver NewtonCholeskySolver at iteration #{iteration} did not converge "
                 "after 21 line search refinement iterations. It will now resort to lbfgs instead.")
            fall_back = True
            break
        x, f_h = x_new, fv
        gmax, dec = read(xp.max(xp.abs(g_new)), 0.5 * (step @ (H @ step)))
        converged = gmax <= tol and dec <= tol
        iteration += 1
    status, message = (0, CONVERGED) if converged else (1, STOP_ITER)
    n_fev = objective.passes
    if not converged and fall_back:
        r = fallback(x, max_iter - iteration)
        x, f_h, status, message = r.x, r.fun, r.status, r.message
        iteration += r.n_iter
        n_fev = objective.passes
    elif not converged:
        warn(f"Newton solver did not converge after {iteration - 1} iterations.")
    iteration -= 1
    # scikit-learn's symmetric parametrisation: the classes' coefficients of each unpenalised
    # feature sum to zero (the probabilities are unchanged)
    if drop_class:
        x2 = xp.reshape(x, (d1, k))
        x = xp.reshape(x2 - xp.mean(x2, axis=1, keepdims=True), (-1,))
    elif drop_intercept:
        b = x[objective.n_w:]
        x = _with_intercepts(xp, objective, x, b - xp.mean(b))
    return Result(x, f_h if f_h is not None else math.nan, iteration, n_fev, status, message)


def _concat(xp, arrays):
    f = getattr(xp, "concat", None) or xp.concatenate
    return f(list(arrays))


def _concat_cols(xp, a, b):
    f = getattr(xp, "concat", None) or xp.concatenate
    return f([a, b], axis=1)


def _with_intercepts(xp, objective, x, b):
    """``x`` with its intercepts (its last ``k`` entries) replaced by ``b``."""
    return _concat(xp, [x[: objective.n_w], b])


def _cg(xp, read, hessp, g, max_iter: int, tol: float, eps: float):
    """An approximate Newton step: conjugate gradients on ``H·s = −g`` from ``s = 0``, stopped when the
    residual's 1-norm is at most ``tol``, at ``max_iter`` iterations, or at a direction of negative
    or vanishing curvature (scikit-learn's ``_cg``: Algorithm 1 of Royer, O'Neill & Wright, capped CG)."""
    s = xp.zeros_like(g)
    r = g  # the residual g + H·s
    p = -r
    (rr,) = read(r @ r)
    p_norm2 = rr
    i = 0
    while i <= max_iter:
        (norm1,) = read(xp.sum(xp.abs(r)))
        if norm1 <= tol:
            break
        Ap = hessp(p)
        (curv,) = read(p @ Ap)
        if 0 <= curv <= eps * p_norm2:
            break
        if curv < 0:
            if i == 0:  # steepest descent, scaled by the curvature found
                s = s + (rr / curv) * p
            break
        a = rr / curv
        s = s + a * p
        r = r + a * Ap
        (rr_new,) = read(r @ r)
        beta = rr_new / rr
        p = -r + beta * p
        p_norm2 = rr_new + beta * beta * p_norm2
        rr = rr_new
        i += 1
    return s


def newton_cg(objective, x0, *, max_iter: int = 100, tol: float = 1e-4, max_inner: int = 200,
              warn: Callable, line_search_failed: Callable) -> Result:
    """Minimise ``objective`` from ``x0`` by Newton-CG (scikit-learn's ``_newton_cg``): each outer
    iteration solves the Newton system by :func:`_cg` with Hessian-vector products (one pass over ``X``
    each), then a Moré-Thuente line search (MINPACK's, as SciPy's ``line_search_wolfe1``). Stops
    when ``max|gᵢ| <= tol``; ``warn`` reports ``max_iter`` reached, ``line_search_failed`` a search
    that found no step (scikit-learn then stops too)."""
    from ._linesearch import more_thuente

    xp, read = objective.xp, objective.read
    eps = 16 * float(numpy.finfo(numpy.dtype(str(objective.dtype).rpartition(".")[2])).eps)
    x = x0
    (old_f,) = read(objective.loss(x))
    old_old_f = None
    k = 0
    status, message = 1, STOP_ITER
    while k < max_iter:
        _, g, hessp = objective.grad_hessp(x)
        gmax, maggrad = read(xp.max(xp.abs(g)), xp.sum(xp.abs(g)))
        if gmax <= tol:
            status, message = 0, "CONVERGENCE: MAX |GRADIENT| <= TOL"
            break
        eta = min(0.5, math.sqrt(maggrad))
        step = _cg(xp, read, hessp, g, max_inner, eta * maggrad, eps)
        (dphi0,) = read(g @ step)

        def phi(alpha, step=step, x=x):
            x_new = x + alpha * step
            f_new, g_new = objective.loss_grad(x_new)
            fv, dv = read(f_new, g_new @ step)
            return fv, dv, (x_new, g_new)

        alpha1 = 1.0
        if old_old_f is not None and dphi0 != 0:
            alpha1 = min(1.0, 1.01 * 2 * (old_f - old_old_f) / dphi0)
            if alpha1 < 0:
                alpha1 = 1.0
        found = None
        if dphi0 < 0:
            ls = more_thuente(phi, old_f, dphi0, alpha1, ftol=1e-4, gtol=0.9, xtol=1e-14, stpmin=1e-8, stpmax=50.0,
                              max_eval=100)
            if ls.converged:
                found = (ls.alpha, ls.phi)
        if found is None:  # a change within rounding of the loss: accept the full step if the gradient shrinks
            f_full, g_full = objective.loss_grad(x + step)
            fv, sum_new, sum_old = read(f_full, xp.sum(xp.abs(g_full)), xp.sum(xp.abs(g)))
            if abs(fv - old_f) <= abs(old_f * eps) and sum_new < sum_old:
                found = (1.0, fv)
        if found is None:
            line_search_failed()
            status, message = 2, "ABNORMAL: LINE SEARCH FAILED"
            break
        alpha, f_new = found
        x = x + alpha * step
        old_old_f, old_f = old_f, f_new
        k += 1
    if status == 1 and k >= max_iter:
        warn(f"newton-cg failed to converge at loss = {old_f}. Increase the number of iterations.")
    return Result(x, old_f, k, objective.passes, status, message)
