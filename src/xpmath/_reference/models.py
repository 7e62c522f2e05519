"""Reference model primitives: one gradient step of each model, the logistic function, labels.

Each gradient step is one pass over ``X``: the forward product and the gradient's product, which a
backend's kernel fuses into a single read of each row. ``sample_weight`` (non-negative, shape
``(n,)``, in ``X``'s dtype, on the same backend) weighs each row's term: the mean over the rows
becomes the sum of the weighted terms over the sum of the weights, so integer weights give exactly
the step of the data with each row repeated that many times.
"""

from __future__ import annotations

__all__ = ["linear_gd_step", "logistic_gd_step", "softmax_gd_step", "sigmoid", "unique", "gd_xp"]


def _total(X, sample_weight):
    """What a mean over the rows divides by: their number, or the sum of their weights."""
    return X.shape[0] if sample_weight is None else sample_weight.sum()


def _weigh(r, sample_weight):
    """Each row of ``r`` times its weight (``r`` itself unweighted)."""
    if sample_weight is None:
        return r
    return sample_weight.reshape((-1,) + (1,) * (r.ndim - 1)) * r


def linear_gd_step(xp, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
    """One pass over ``X``: the loss and gradient of ½(Σᵢ sᵢ‖xᵢw + b − yᵢ‖² + α‖w‖²)/Σᵢ sᵢ
    (every sᵢ = 1 unweighted); with ``grad`` False the loss alone, ``(loss, None, None)``."""
    n = _total(X, sample_weight)
    r = X @ w + b - y
    sr = _weigh(r, sample_weight)
    loss = (0.5 / n) * ((sr * r).sum() + alpha * (w * w).sum())
    if not grad:
        return loss, None, None
    gw = (X.T @ sr + alpha * w) / n
    gb = sr.sum(axis=0) / n if fit_intercept else None
    return loss, gw, gb


def logistic_gd_step(xp, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
    """One pass over ``X``: the (weighted) mean log-loss plus ½α‖w‖² over the same total, and its
    gradient (with ``grad`` False the loss alone)."""
    n = _total(X, sample_weight)
    t = X @ w + b
    # log(1 + e^t) - y t, computed without overflow
    loss = (_weigh(xp.logaddexp(0, t) - y * t, sample_weight).sum() + 0.5 * alpha * (w * w).sum()) / n
    if not grad:
        return loss, None, None
    sr = _weigh(sigmoid(xp, t) - y, sample_weight)
    gw = (X.T @ sr + alpha * w) / n
    gb = sr.sum(axis=0) / n if fit_intercept else None
    return loss, gw, gb


def softmax_gd_step(xp, X, Y, W, b, alpha, fit_intercept, sample_weight=None, grad=True):
    """One pass over ``X``: the (weighted) mean multinomial log-loss plus ½α‖W‖² over the same total,
    and its gradient (with ``grad`` False the loss alone); ``Y`` is ``(n, k)`` one-hot, ``W``
    ``(d, k)``, ``b`` ``(k,)``."""
    n = _total(X, sample_weight)
    T = X @ W + b
    top = T.max(axis=1, keepdims=True)
    lse = top + xp.log(xp.exp(T - top).sum(axis=1, keepdims=True))  # log Σ e^t without overflow
    loss = (_weigh(lse[:, 0] - (Y * T).sum(axis=1), sample_weight).sum() + 0.5 * alpha * (W * W).sum()) / n
    if not grad:
        return loss, None, None
    sr = _weigh(xp.exp(T - lse) - Y, sample_weight)
    gw = (X.T @ sr + alpha * W) / n
    gb = sr.sum(axis=0) / n if fit_intercept else None
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
