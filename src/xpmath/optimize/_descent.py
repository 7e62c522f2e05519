"""Gradient descent: on a user-supplied gradient (:func:`gradient_descent`, public), and the models'
loop over the backends' fused gradient steps (:func:`model_descent`, ``solver="gd"``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .. import _validate as _v
from .._arrays import astype as _astype
from .._dispatch import impl, runs_own, select
from ..errors import DivergenceWarning
from ._passes import bound, gathered, to_backend

__all__ = ["GDResult", "gradient_descent"]


@dataclass(frozen=True)
class GDResult:
    """The outcome of :func:`gradient_descent`.

    Attributes
    ----------
    x : array
        The last iterate.
    n_iter : int
        The number of steps taken.
    converged : bool
        ``lr * ‖grad(x)‖ < tol`` was reached.
    diverged : bool
        The iterates or the loss stopped being finite or grew without bound.
    history : array
        The ``n_iter + 1`` iterates, ``x0`` first, stacked on a new first axis.
    loss_history : array or None
        ``f`` at each iterate, when ``f`` was given.
    """

    x: Any
    n_iter: int
    converged: bool
    diverged: bool
    history: Any = field(repr=False)
    loss_history: Any = field(default=None, repr=False)


def gradient_descent(
    grad: Callable,
    x0,
    /,
    *,
    lr: float = 0.1,
    max_iter: int = 1000,
    tol: float = 1e-8,
    f: Callable | None = None,
    callback: Callable | None = None,
    backend: str | None = None,
) -> GDResult:
    """Minimise by ``x <- x - lr * grad(x)`` until ``lr * ‖grad(x)‖ < tol`` or ``max_iter`` steps.

    ``callback(x)`` is called after each step; returning ``True`` stops the descent. Divergence
    (non-finite or unboundedly growing iterates or loss) stops it too, sets ``diverged`` and
    warns with :class:`~xpmath.DivergenceWarning`.

    Parameters
    ----------
    grad : callable
        ``grad(x)``: the gradient at ``x``, an array of ``x``'s shape (the backend's arrays in and out).
    x0 : array_like
        The starting point, real and finite; a scalar or an array of any shape.
    lr : float, optional
        The learning rate (step size), finite and > 0.
    max_iter : int, optional
        The most steps to take, >= 0.
    tol : float, optional
        Converged when ``lr * ‖grad(x)‖ < tol``; >= 0.
    f : callable, optional
        ``f(x)``: the objective, a scalar. When given, its value at each iterate is recorded in
        ``loss_history`` and its growth counts as divergence.
    callback : callable, optional
        ``callback(x)``, called with the new iterate after each step; returning ``True`` stops the descent.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    GDResult
        ``x``, ``n_iter``, ``converged``, ``diverged``, ``history`` (the ``n_iter + 1`` iterates,
        ``x0`` first) and ``loss_history`` (None without ``f``).

    Raises
    ------
    XPMathTypeError
        ``grad``, ``f`` or ``callback`` not callable, or complex or non-numeric ``x0``.
    NonFiniteError
        ``x0`` holds NaN or infinity.
    DomainError
        ``lr`` not finite and > 0, ``max_iter`` negative, or ``tol`` negative or infinite.
    ShapeError
        ``grad(x)`` of another shape than ``x``.

    Warns
    -----
    DivergenceWarning
        When the descent diverged: an iterate, a gradient or the loss stopped being finite, or the
        iterates (or the loss) grew past 1e8 times their start.

    Examples
    --------
    >>> import xpmath
    >>> r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 10.0, lr=0.1)
    >>> r.converged, round(float(r.x), 6)
    (True, 3.0)
    """
    be = select(backend, "gradient_descent", x0)
    fn = "gradient_descent"
    for name, c in (("grad", grad), ("f", f), ("callback", callback)):
        if c is not None and not callable(c):
            raise _v.XPMathTypeError(f"{fn}: {name} must be callable; got {type(c).__name__}")
    x0_in, x0 = x0, _v.real_float_array(be, x0, fn, "x0")
    _v.finite(be, x0, fn, "x0")
    lr = _v.positive_float(lr, fn, "lr")
    max_iter = _v.positive_int(max_iter, fn, "max_iter", allow_zero=True)
    tol = _v.positive_float(tol, fn, "tol", allow_zero=True)
    x, n, conv, div, hist, losses = _descend(be, grad, x0, lr, max_iter, tol, f, callback)
    if div:
        warnings.warn(
            f"{fn}: diverged after {n} steps with lr={lr}; try a smaller learning rate",
            DivergenceWarning,
            stacklevel=2,
        )
    x, hist, losses = _v.output(be, (x[()] if x.ndim == 0 else x, hist, losses), x0_in)
    return GDResult(x, n, conv, div, hist, losses)


def _norm(xp, a):
    """The 2-norm of a real array (``linalg.norm``'s, in the standard's functions)."""
    return xp.sqrt(xp.sum(a * a))


def _descend(be, grad, x0, lr, max_iter, tol, f=None, callback=None):
    """Plain gradient descent ``x <- x - lr·grad(x)``; returns ``(x, n_iter, converged, diverged, history, losses)``.

    Converged when ``lr·‖grad(x)‖ < tol``. Diverged when an iterate, gradient or loss is not finite,
    or when the iterates (or the loss, given ``f``) grow past 1e8 times their start.

    The state lives on the backend (its ``gd_xp``) and the host looks only every
    ``be.gd_check_every`` steps (each step with a callback): a step taken after the stop is masked
    out and not counted, so ``n_iter`` and the history are exact however rarely the host looks.
    """
    xp = impl(be, "gd_xp")()
    x = x0
    if xp is not be.xp:
        x = xp.asarray(be.to_numpy(x))
    every = 1 if callback is not None else max(1, int(be.gd_check_every))
    own = be.asarray if xp is be.xp else xp.asarray

    def like_x(v):  # a value of grad or f as an array of x's library, device and dtype
        return _astype(xp, v if isinstance(v, type(x0)) and xp is be.xp else own(v), x.dtype)

    dev = _v.device_kw(x)
    start = _norm(xp, x) + 1.0
    history = [x]  # the iterates as they come (no max_iter-long buffer up front)
    losses = loss_ref = None
    if f is not None:
        losses = [xp.reshape(like_x(f(x)), ())]
        loss_ref = xp.abs(losses[0]) + 1.0
    false = xp.zeros((), dtype=getattr(xp, "bool", bool), **dev)
    done = converged = diverged = false
    n = xp.zeros((), dtype=xp.int64, **dev)
    for k in range(max_iter):
        g = like_x(grad(x))
        if g.shape != x.shape:
            raise _v.ShapeError(f"gradient_descent: grad(x) has shape {g.shape}; the point x has shape {x.shape}")
        gn = _norm(xp, g)
        g_bad = ~xp.isfinite(gn)
        conv = (lr * gn < tol) & ~g_bad
        active = ~done
        diverged = diverged | (active & g_bad)
        converged = converged | (active & conv)
        move = active & ~g_bad & ~conv
        x = xp.where(move, x - lr * g, x)
        n = n + _astype(xp, move, n.dtype)
        history.append(x)
        xn = _norm(xp, x)
        blew = ~xp.isfinite(xn) | (xn > 1e8 * start)
        if f is not None:
            loss = xp.reshape(like_x(f(x)), ())
            losses.append(loss)
            blew = blew | ~xp.isfinite(loss) | (xp.abs(loss) > 1e8 * loss_ref)
        blew = blew & move
        diverged = diverged | blew
        done = done | g_bad | conv | blew
        if callback is not None and bool(move & ~blew) and callback(x) is True:
            done = ~false
        if (k + 1) % every == 0 and bool(done):
            break
    n = int(n)
    hist = xp.stack(history[: n + 1])
    loss_hist = None if f is None else xp.stack(losses[: n + 1])
    if xp is not be.xp:
        hist, x = be.asarray(hist), be.asarray(x)
        loss_hist = None if loss_hist is None else be.asarray(loss_hist)
    return x, n, bool(converged), bool(diverged), hist, loss_hist


class GDState(NamedTuple):
    """What a model's gradient-descent loop returns to the estimator."""

    w: Any  # (d,) or (d, k) weights
    b: Any  # () or (k,) intercepts
    n_iter: int
    loss_history: Any  # backend array of n_iter + 1 losses
    converged: bool
    diverged: bool


def model_descent(be, kind: str, X, y, alpha: float, fit_intercept: bool, lr: float, max_iter: int,
                     tol: float, sample_weight=None, check_x=None) -> GDState:
    """Gradient descent for ``kind`` in ``{"linear", "logistic", "softmax"}``, one pass over ``X`` per step.

    ``y`` is ``(n,)`` or ``(n, k)`` (``softmax``: one-hot); the weights start at zero, shaped
    ``(d,) + y.shape[1:]``. ``sample_weight`` (``(n,)`` on the backend) weighs each row's term.

    The loop never waits on the device between host checks: a step whose gradient already
    satisfied ``lr·‖g‖ < tol`` (or that diverged) leaves the weights unchanged and is not counted,
    so ``n_iter`` is exact however rarely the host looks (``be.gd_check_every``).

    ``check_x``, when given, is the finite check of ``X`` the caller left to the fit: where the
    backend's own step flags non-finite values through its loss at zero weights, it runs only when
    that first loss is not finite; elsewhere it runs before the first step.
    """
    xp = impl(be, "gd_xp")()
    primitive = bound(be, f"{kind}_gd_step", sample_weight=sample_weight)

    def step(*args, **kw):
        return gathered(be, xp, *primitive(*args, **kw))

    dt = X.dtype
    dev = _v.device_kw(X)
    w = xp.zeros((X.shape[1],) + y.shape[1:], dtype=dt, **dev)
    b = xp.zeros(y.shape[1:], dtype=dt, **dev)
    losses = []  # the loss of iterate k at k, stacked once at the end (no writes into an array)
    n_iter = xp.zeros((), dtype=xp.int64, **dev)
    done = bad = xp.zeros((), dtype=getattr(xp, "bool", bool), **dev)
    loss0 = None
    every = max(1, int(be.gd_check_every))
    # the backend's own step (not the reference) flags non-finite X through its loss
    if check_x is not None and not (be.gd_step_flags_nonfinite and runs_own(
            be, f"{kind}_gd_step", X, y, w, b, alpha, fit_intercept, sample_weight=sample_weight)):
        check_x()
        check_x = None
    for k in range(max_iter):
        loss, gw, gb = step(X, y, w, b, alpha, fit_intercept)
        if loss0 is None:
            loss0 = loss
            if check_x is not None and not bool(xp.isfinite(loss)):
                check_x()  # raises: X holds NaN or infinity
        gn2 = xp.sum(gw * gw) + (xp.sum(gb * gb) if gb is not None else 0)
        conv = lr * xp.sqrt(gn2) < tol
        blew = ~xp.isfinite(loss) | ~xp.isfinite(gn2) | (loss > 1e8 * (xp.abs(loss0) + 1))
        losses.append(loss)  # entries past n_iter are cut off below
        stop = done | conv | blew
        bad = bad | (blew & ~done)
        move = ~stop
        w = xp.where(move, w - lr * gw, w)
        if gb is not None:
            b = xp.where(move, b - lr * gb, b)
        n_iter = n_iter + _astype(xp, move, n_iter.dtype)
        done = stop
        if (k + 1) % every == 0 and bool(done):
            break
    n = int(n_iter)
    converged = bool(done) and not bool(bad)
    if not bool(done):  # ran out of steps: one more pass for the final iterate's loss (no gradient)
        loss, _, _ = step(X, y, w, b, alpha, fit_intercept, grad=False)
        losses[n:] = [loss]
    w, b, hist = to_backend(be, xp, w, b, xp.stack([xp.reshape(v, ()) for v in losses[: n + 1]]))
    return GDState(w, b, n, hist, converged, bool(bad))
