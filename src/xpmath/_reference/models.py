"""Reference model primitives: one gradient step of each model, the logistic function, labels.

Each gradient step is one pass over ``X``: the forward product and the gradient's product, which a
backend's kernel fuses into a single read of each row. ``sample_weight`` (non-negative, shape
``(n,)``, in ``X``'s dtype, on the same backend) weighs each row's term: the mean over the rows
becomes the sum of the weighted terms over the sum of the weights, so integer weights give exactly
the step of the data with each row repeated that many times.
"""

from __future__ import annotations

__all__ = ["linear_gd_step", "logistic_gd_step", "softmax_gd_step", "logistic_hessian", "softmax_hessian",
           "sigmoid", "unique", "gd_xp"]


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


def _rows_per_block(xp, d: int, n: int) -> int:
    """Rows of ``X`` taken at a time by the Hessian pass: ~2 MiB of float64 on the host, so that the
    block is read from memory once and its products (forward, gradient, Gram) run on it in cache;
    the whole of ``X`` at once elsewhere (a device runs one product better than many small ones)."""
    import numpy

    return max(64, (1 << 21) // (8 * max(d, 1))) if xp is numpy else max(n, 1)


def loss_sums(xp, kind, X, y, w, b, sample_weight=None, fit_intercept=True, hessian=False):
    """The sums over the rows of ``X`` behind a step and a Hessian of ``kind`` (``"logistic"`` or
    ``"softmax"``), neither divided by the total weight nor penalised: ``(loss, gw, gb, H)``, ``H``
    None without ``hessian``. One pass over ``X``, by blocks of rows (a block's forward product,
    gradient product and weighted Gram run while it is in cache).

    ``H`` is laid out as the flat parameters ``(W.ravel(), b)``: for ``softmax`` the classes of one
    feature side by side (index ``j·k + c``), the intercepts last (``d·k + c``); each sample adds
    ``(diag(p) − ppᵀ) ⊗ x̃x̃ᵀ`` with ``x̃ = (x, 1)`` (``(x,)`` without an intercept), its weight times.
    """
    n, d = X.shape
    k = None if y.ndim == 1 else y.shape[1]
    dt = X.dtype
    d1 = d + int(bool(fit_intercept))
    loss = xp.zeros((), dtype=dt)
    gw = xp.zeros(w.shape, dtype=dt)
    gb = xp.zeros(() if k is None else (k,), dtype=dt)
    H = None
    if hessian:
        H = xp.zeros((d1, d1) if k is None else (d1, k, d1, k), dtype=dt)
    rows = _rows_per_block(xp, d, n)
    for lo in range(0, n, rows):
        Xb, yb = X[lo: lo + rows], y[lo: lo + rows]
        sb = None if sample_weight is None else sample_weight[lo: lo + rows]
        t = Xb @ w + b
        if k is None:
            loss = loss + _weigh(xp.logaddexp(0, t) - yb * t, sb).sum()
            p = sigmoid(xp, t)
            r = _weigh(p - yb, sb)
        else:
            top = t.max(axis=1, keepdims=True)
            lse = top + xp.log(xp.exp(t - top).sum(axis=1, keepdims=True))
            loss = loss + _weigh(lse[:, 0] - (yb * t).sum(axis=1), sb).sum()
            p = xp.exp(t - lse)
            r = _weigh(p - yb, sb)
        gw = gw + Xb.T @ r
        gb = gb + r.sum(axis=0)
        if not hessian:
            continue
        if k is None:
            _add_gram(xp, H, Xb, _weigh(p * (1 - p), sb), d, fit_intercept)
            continue
        for c in range(k):
            for e in range(c, k):
                h = _weigh(p[:, c] * ((1.0 if c == e else 0.0) - p[:, e]), sb)
                _add_gram(xp, H[:, c, :, e], Xb, h, d, fit_intercept)
    if hessian and k is not None:
        for c in range(k):  # the lower triangle in the classes: H[·, e, ·, c] = H[·, c, ·, e]ᵀ
            for e in range(c + 1, k):
                H[:, e, :, c] = H[:, c, :, e].T
        H = H.reshape(d1 * k, d1 * k)
    return loss, gw, gb, H


def _add_gram(xp, H, Xb, h, d, fit_intercept):
    """``H += x̃ᵀ diag(h) x̃`` for the block ``Xb`` (``x̃`` with a column of ones for the intercept)."""
    hX = h[:, None] * Xb
    H[:d, :d] += Xb.T @ hX
    if fit_intercept:
        col = hX.sum(axis=0)
        H[:d, d] += col
        H[d, :d] += col
        H[d, d] += h.sum()


def _penalised_hessian(xp, H, alpha, total, n_w):
    """``H / total`` with ``alpha / total`` on the diagonal of the weights' block (the intercepts unpenalised)."""
    H = H / total
    if alpha:
        i = xp.arange(n_w)
        H[i, i] += alpha / total
    return H


def logistic_hessian(xp, X, y, w, b, alpha, fit_intercept, sample_weight=None):
    """One pass over ``X``: the loss and gradient of :func:`logistic_gd_step` and its Hessian
    ``(loss, gw, gb, H)`` (``gb`` None without an intercept), ``H`` of shape ``(d + 1, d + 1)``, the
    intercept last (``(d, d)`` without one): ``(x̃ᵀ diag(s·p(1−p)) x̃ + α·I_w) / Σs``."""
    total = _total(X, sample_weight)
    loss, gw, gb, H = loss_sums(xp, "logistic", X, y, w, b, sample_weight, fit_intercept, hessian=True)
    loss = (loss + 0.5 * alpha * (w * w).sum()) / total
    return (loss, (gw + alpha * w) / total, gb / total if fit_intercept else None,
            _penalised_hessian(xp, H, alpha, total, w.shape[0]))


def softmax_hessian(xp, X, Y, W, b, alpha, fit_intercept, sample_weight=None):
    """One pass over ``X``: the loss and gradient of :func:`softmax_gd_step` and its full Hessian
    ``(loss, gW, gb, H)``, ``H`` of shape ``((d + 1)·k, (d + 1)·k)`` in the order of the flat
    parameters ``(W.ravel(), b)`` (see :func:`loss_sums`)."""
    total = _total(X, sample_weight)
    loss, gw, gb, H = loss_sums(xp, "softmax", X, Y, W, b, sample_weight, fit_intercept, hessian=True)
    loss = (loss + 0.5 * alpha * (W * W).sum()) / total
    return (loss, (gw + alpha * W) / total, gb / total if fit_intercept else None,
            _penalised_hessian(xp, H, alpha, total, W.size))


def sigmoid(xp, t):
    e = xp.exp(-xp.abs(t))
    return xp.where(t >= 0, 1 / (1 + e), e / (1 + e))


def unique(xp, a):
    """The sorted distinct values of ``a``, with a known length."""
    return xp.unique(a)


def gd_xp(xp):
    """The namespace the models keep their small state in (weights, Gram matrices): the data's own."""
    return xp
