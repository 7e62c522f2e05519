"""Portable model primitives: one pass over ``X`` per gradient step, in the standard's functions."""

from __future__ import annotations

from typing import Any

__all__ = ["linear_gd_step", "logistic_gd_step", "softmax_gd_step", "logistic_hessian", "softmax_hessian",
           "sigmoid", "unique", "gd_xp"]


def _total(xp: Any, X: Any, sample_weight: Any) -> Any:
    return X.shape[0] if sample_weight is None else xp.sum(sample_weight)


def _weigh(r: Any, sample_weight: Any) -> Any:
    if sample_weight is None:
        return r
    return (sample_weight[:, None] if r.ndim == 2 else sample_weight) * r


def _logaddexp0(xp: Any, t: Any) -> Any:
    """log(1 + e^t) without overflow."""
    return xp.maximum(t, xp.zeros_like(t)) + xp.log1p(xp.exp(-xp.abs(t)))


def linear_gd_step(xp: Any, X: Any, y: Any, w: Any, b: Any, alpha: float, fit_intercept: bool,
                   sample_weight: Any = None, grad: bool = True) -> tuple:
    n = _total(xp, X, sample_weight)
    r = xp.matmul(X, w) + b - y
    sr = _weigh(r, sample_weight)
    loss = (0.5 / n) * (xp.sum(sr * r) + alpha * xp.sum(w * w))
    if not grad:
        return loss, None, None
    gw = (xp.matmul(X.mT, sr) + alpha * w) / n
    gb = xp.sum(sr, axis=0) / n if fit_intercept else None
    return loss, gw, gb


def logistic_gd_step(xp: Any, X: Any, y: Any, w: Any, b: Any, alpha: float, fit_intercept: bool,
                     sample_weight: Any = None, grad: bool = True) -> tuple:
    n = _total(xp, X, sample_weight)
    t = xp.matmul(X, w) + b
    loss = (xp.sum(_weigh(_logaddexp0(xp, t) - y * t, sample_weight)) + 0.5 * alpha * xp.sum(w * w)) / n
    if not grad:
        return loss, None, None
    sr = _weigh(sigmoid(xp, t) - y, sample_weight)
    gw = (xp.matmul(X.mT, sr) + alpha * w) / n
    gb = xp.sum(sr, axis=0) / n if fit_intercept else None
    return loss, gw, gb


def softmax_gd_step(xp: Any, X: Any, Y: Any, W: Any, b: Any, alpha: float, fit_intercept: bool,
                    sample_weight: Any = None, grad: bool = True) -> tuple:
    n = _total(xp, X, sample_weight)
    T = xp.matmul(X, W) + b
    top = xp.max(T, axis=1, keepdims=True)
    lse = top + xp.log(xp.sum(xp.exp(T - top), axis=1, keepdims=True))
    loss = (xp.sum(_weigh(lse[:, 0] - xp.sum(Y * T, axis=1), sample_weight)) + 0.5 * alpha * xp.sum(W * W)) / n
    if not grad:
        return loss, None, None
    sr = _weigh(xp.exp(T - lse) - Y, sample_weight)
    gw = (xp.matmul(X.mT, sr) + alpha * W) / n
    gb = xp.sum(sr, axis=0) / n if fit_intercept else None
    return loss, gw, gb


def _gram(xp: Any, X: Any, h: Any, fit_intercept: bool) -> Any:
    """``x̃ᵀ diag(h) x̃`` with ``x̃ = (X, 1)`` (``X`` alone without an intercept), built without writes."""
    hX = h[:, None] * X
    G = xp.matmul(X.mT, hX)
    if not fit_intercept:
        return G
    col = xp.sum(hX, axis=0)
    top = xp.concat([G, col[:, None]], axis=1)
    bottom = xp.concat([col, xp.reshape(xp.sum(h), (1,))])[None, :]
    return xp.concat([top, bottom], axis=0)


def _penalty_diagonal(xp: Any, H: Any, alpha: float, n_w: int) -> Any:
    """``alpha`` on the first ``n_w`` diagonal entries of ``H`` (the weights'; the intercepts unpenalised)."""
    if not alpha:
        return H
    p = H.shape[0]
    mask = xp.astype(xp.arange(p, device=H.device) < n_w, H.dtype)
    return H + alpha * (xp.eye(p, dtype=H.dtype, device=H.device) * mask[None, :])


def logistic_hessian(xp: Any, X: Any, y: Any, w: Any, b: Any, alpha: float, fit_intercept: bool,
                     sample_weight: Any = None) -> tuple:
    n = _total(xp, X, sample_weight)
    t = xp.matmul(X, w) + b
    loss = (xp.sum(_weigh(_logaddexp0(xp, t) - y * t, sample_weight)) + 0.5 * alpha * xp.sum(w * w)) / n
    p = sigmoid(xp, t)
    sr = _weigh(p - y, sample_weight)
    gw = (xp.matmul(X.mT, sr) + alpha * w) / n
    gb = xp.sum(sr, axis=0) / n if fit_intercept else None
    H = _gram(xp, X, _weigh(p * (1 - p), sample_weight), fit_intercept)
    return loss, gw, gb, _penalty_diagonal(xp, H, alpha, w.shape[0]) / n


def softmax_hessian(xp: Any, X: Any, Y: Any, W: Any, b: Any, alpha: float, fit_intercept: bool,
                    sample_weight: Any = None) -> tuple:
    n = _total(xp, X, sample_weight)
    d, k = W.shape
    d1 = d + int(bool(fit_intercept))
    T = xp.matmul(X, W) + b
    top = xp.max(T, axis=1, keepdims=True)
    lse = top + xp.log(xp.sum(xp.exp(T - top), axis=1, keepdims=True))
    loss = (xp.sum(_weigh(lse[:, 0] - xp.sum(Y * T, axis=1), sample_weight)) + 0.5 * alpha * xp.sum(W * W)) / n
    P = xp.exp(T - lse)
    sr = _weigh(P - Y, sample_weight)
    gw = (xp.matmul(X.mT, sr) + alpha * W) / n
    gb = xp.sum(sr, axis=0) / n if fit_intercept else None
    # the (c, e) blocks of the classes, each a weighted Gram of x̃; then laid out as (W.ravel(), b):
    # index (feature j, class c) = j·k + c, so the blocks interleave as a (d1, k, d1, k) array
    blocks = {}
    for c in range(k):
        for e in range(c, k):
            h = _weigh(P[:, c] * ((1.0 if c == e else 0.0) - P[:, e]), sample_weight)
            blocks[c, e] = _gram(xp, X, h, fit_intercept)
    rows = [xp.stack([blocks[c, e] if c <= e else blocks[e, c].mT for e in range(k)], axis=0) for c in range(k)]
    H4 = xp.stack(rows, axis=0)  # (c, e, j, m)
    H = xp.reshape(xp.permute_dims(H4, (2, 0, 3, 1)), (d1 * k, d1 * k))
    return loss, gw, gb, _penalty_diagonal(xp, H, alpha, d * k) / n


def sigmoid(xp: Any, t: Any) -> Any:
    e = xp.exp(-xp.abs(t))
    return xp.where(t >= 0, 1 / (1 + e), e / (1 + e))


def unique(xp: Any, a: Any) -> Any:
    return xp.sort(xp.unique_values(a))


def gd_xp(xp: Any) -> Any:
    return xp
