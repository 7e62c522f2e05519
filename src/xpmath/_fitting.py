"""The models' fitting, written once above the backends: it calls their primitives
(``centred_gram``, ``solve``, ``eigh``, the gradient steps) and never runs on a backend's behalf.

The small state of a fit (Gram matrices, weights, losses) lives in the backend's ``gd_xp``
namespace: the data's own, except where the data are lazy (Dask), where it is NumPy.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, NamedTuple

import numpy

from . import _validate as _v
from ._arrays import astype as _astype
from ._dispatch import impl, runs_own
from ._reference import REFERENCE


class GDState(NamedTuple):
    """What a model's gradient-descent loop returns to the estimator."""

    w: Any  # (d,) or (d, k) weights
    b: Any  # () or (k,) intercepts
    n_iter: int
    loss_history: Any  # backend array of n_iter + 1 losses
    converged: bool
    diverged: bool


_log = logging.getLogger("xpmath")


def _op(be, op: str, sample_weight=None):
    """``op`` on backend ``be``, with the sample weights bound where a fit has them (a backend's
    ``can_run`` sends weighted calls its kernel does not take to the reference)."""
    f = impl(be, op)
    return f if sample_weight is None else functools.partial(f, sample_weight=sample_weight)


def _gathered(be, gx, *arrays):
    """``arrays`` (None entries kept) in the fit's namespace ``gx``.

    Where the fit's state lives apart from the data (a lazy backend), a reference primitive's
    results are still the backend's arrays: they are computed together, in one pass over the data.
    """
    if gx is be.xp:
        return arrays
    lazy = [a for a in arrays if isinstance(a, be.array_type)]
    if not lazy:
        return arrays
    flat = be.to_numpy(be.xp.concatenate([a.reshape(-1) for a in lazy]))
    out, at = [], 0
    for a in arrays:
        if isinstance(a, be.array_type):
            out.append(gx.asarray(flat[at: at + a.size].reshape(a.shape), dtype=a.dtype))
            at += a.size
        else:
            out.append(a)
    return tuple(out)


def _small(be, op: str):
    """``op`` for the fit's small state: the backend's own where that state is on the backend."""
    gx = impl(be, "gd_xp")()
    return impl(be, op) if gx is be.xp else functools.partial(REFERENCE[op], gx)


def _to_backend(be, gx, *arrays):
    return arrays if gx is be.xp else tuple(be.asarray(a) for a in arrays)


def normal_equations(be, X, y, alpha: float, fit_intercept: bool, fn: str, sample_weight=None):
    """Solve (XcᵀSXc + αI)w = XcᵀSyc by a factorisation, the intercept ``ym - xm·w`` unpenalised
    (``S`` the diagonal of the sample weights, the means weighted; the identity unweighted).

    Returns ``(coef, intercept)`` with ``coef`` shaped ``(d,)`` or ``(d, k)`` like ``y``'s trailing axes.
    """
    gx = impl(be, "gd_xp")()
    y2 = y[:, None] if y.ndim == 1 else y  # not reshape: Dask would gather every chunk into one
    gram = _op(be, "centred_gram", sample_weight=sample_weight)
    xm, G, ym, r = _gathered(be, gx, *gram(X, y2, fit_intercept))
    if alpha:
        G = G + alpha * gx.eye(G.shape[0], dtype=G.dtype, **_v.device_kw(G))
    try:
        w = _small(be, "solve")(G, r)
    except numpy.linalg.LinAlgError as exc:
        if isinstance(exc, _v.SingularMatrixError) or "singular" in str(exc).lower():
            n, d = X.shape  # with fewer samples than features these counts are the reason
            raise _v.SingularMatrixError(
                f"{_v.singular_error(fn, be.name)} (X has n_samples = {n} and n_features = {d})"
            ) from exc
        raise
    b = ym - xm @ w
    if y.ndim == 1:
        w, b = w[:, 0], b[0]
    return _to_backend(be, gx, w, b)


def gradient_descent(be, kind: str, X, y, alpha: float, fit_intercept: bool, lr: float, max_iter: int,
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
    primitive = _op(be, f"{kind}_gd_step", sample_weight=sample_weight)

    def step(*args, **kw):
        return _gathered(be, xp, *primitive(*args, **kw))

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
    w, b, hist = _to_backend(be, xp, w, b, xp.stack([xp.reshape(v, ()) for v in losses[: n + 1]]))
    return GDState(w, b, n, hist, converged, bool(bad))


def principal_axes(be, X):
    """PCA by eigen-decomposition of the covariance.

    Returns ``(mean, components, variances, ratios)`` for every component, in descending order,
    each component's largest-magnitude entry positive (scikit-learn's ``svd_flip`` rule).
    """
    gx = impl(be, "gd_xp")()
    mean, G, _, _ = _gathered(be, gx, *impl(be, "centred_gram")(X))
    C = G / (X.shape[0] - 1)
    w, v = _small(be, "eigh")(C)
    w = gx.flip(w, axis=0)
    w, v = gx.maximum(w, gx.zeros_like(w)), gx.flip(v, axis=1)
    comps = v.T
    big = gx.argmax(gx.abs(comps), axis=1)
    signs = gx.sign(gx.take_along_axis(comps, big[:, None], axis=1))
    comps = comps * gx.where(signs == 0, gx.ones_like(signs), signs)
    total = gx.sum(w)
    ratio = w / total if float(total) > 0 else gx.zeros_like(w)
    return _to_backend(be, gx, mean, comps, w, ratio)
