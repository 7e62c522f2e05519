"""Reference model primitives: one gradient step of each model, the logistic function, labels."""

from __future__ import annotations

__all__ = ["linear_gd_step", "logistic_gd_step", "sigmoid", "unique", "gd_xp"]


def linear_gd_step(xp, X, y, w, b, alpha, fit_intercept):
    """One pass over ``X``: the loss and gradient of ½‖Xw + b − y‖²/n + ½α‖w‖²/n."""
    n = X.shape[0]
    r = X @ w + b - y
    loss = (0.5 / n) * ((r * r).sum() + alpha * (w * w).sum())
    gw = (X.T @ r + alpha * w) / n
    gb = r.sum(axis=0) / n if fit_intercept else None
    return loss, gw, gb


def logistic_gd_step(xp, X, y, w, b, alpha, fit_intercept):
    """One pass over ``X``: the mean log-loss plus ½α‖w‖²/n and its gradient."""
    n = X.shape[0]
    t = X @ w + b
    # log(1 + e^t) - y t, computed without overflow
    loss = (xp.logaddexp(0, t) - y * t).sum() / n + (0.5 * alpha / n) * (w * w).sum()
    r = sigmoid(xp, t) - y
    gw = (X.T @ r + alpha * w) / n
    gb = r.sum(axis=0) / n if fit_intercept else None
    return loss, gw, gb


def sigmoid(xp, t):
    e = xp.exp(-xp.abs(t))
    return xp.where(t >= 0, 1 / (1 + e), e / (1 + e))


def unique(xp, a):
    """The sorted distinct values of ``a``, with a known length."""
    return xp.unique(a)


def gd_xp(xp):
    """The namespace the models keep their small state in (weights, Gram matrices): the data's own."""
    return xp
