"""Portable model primitives: one pass over ``X`` per gradient step, in the standard's functions."""

from __future__ import annotations

from typing import Any

__all__ = ["linear_gd_step", "logistic_gd_step", "softmax_gd_step", "sigmoid", "unique", "gd_xp"]


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


def sigmoid(xp: Any, t: Any) -> Any:
    e = xp.exp(-xp.abs(t))
    return xp.where(t >= 0, 1 / (1 + e), e / (1 + e))


def unique(xp: Any, a: Any) -> Any:
    return xp.sort(xp.unique_values(a))


def gd_xp(xp: Any) -> Any:
    return xp
