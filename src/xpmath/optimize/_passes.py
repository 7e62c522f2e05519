"""What the solvers are fed by: the backends' fused passes over ``X``, and where a fit's small state lives.

A fit's small state (weights, gradients, L-BFGS pairs, a Hessian) lives in the backend's ``gd_xp``
namespace: the data's own (NumPy, CuPy, a foreign library on its device), except where the data are
lazy (Dask), where it is NumPy on the host. A pass over ``X`` is a backend primitive (a gradient step
``*_gd_step``, a Hessian ``*_hessian``); its results are moved into that namespace in one transfer.

:class:`LinearLoss` is the objective every solver minimises: the penalised loss of a linear model
as a function of its flat parameters, one pass over ``X`` for each loss-and-gradient.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy

from .. import _validate as _v
from .._arrays import to_numpy as _to_numpy
from .._dispatch import impl
from .._reference import REFERENCE


def bound(be, op: str, sample_weight=None):
    """``op`` on backend ``be``, with the sample weights bound where a fit has them (a backend's
    ``can_run`` sends weighted calls its kernel does not take to the reference)."""
    f = impl(be, op)
    return f if sample_weight is None else functools.partial(f, sample_weight=sample_weight)


def gathered(be, gx, *arrays):
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


def small(be, op: str):
    """``op`` for the fit's small state: the backend's own where that state is on the backend."""
    gx = impl(be, "gd_xp")()
    return impl(be, op) if gx is be.xp else functools.partial(REFERENCE[op], gx)


def to_backend(be, gx, *arrays):
    """The fit's state arrays as the backend's own (a copy to the backend where the state lived apart)."""
    return arrays if gx is be.xp else tuple(be.asarray(a) for a in arrays)


def concat(xp, arrays):
    """``concat`` of 1-D arrays in ``xp`` (the standard's name, or NumPy's ``concatenate``)."""
    f = getattr(xp, "concat", None) or xp.concatenate
    return f(list(arrays))


def reader(be, gx):
    """A function reading 0-d arrays of the fit's namespace as Python floats, all in one transfer
    (one device synchronisation, however many values the control flow needs)."""
    if gx is numpy:
        return lambda *vals: tuple(float(v) for v in vals)

    def read(*vals):
        arrs = [gx.reshape(gx.asarray(v), ()) for v in vals]
        if len(arrs) == 1:
            return (float(arrs[0]),)
        host = be.to_numpy(gx.stack(arrs)) if gx is be.xp else _to_numpy(gx.stack(arrs))
        return tuple(float(v) for v in host)

    return read


class LinearLoss:
    """The penalised loss of a linear model with raw predictions ``X @ W + b``, as a function of its
    flat parameters ``θ = (W.ravel(), b)``: ``W`` of shape ``(d,)`` (``"logistic"``) or ``(d, k)``
    (``"softmax"``, the classes of one feature side by side), ``b`` last, when an intercept is fitted.

    The loss is the backend steps': ``(Σᵢ sᵢ lossᵢ + ½α‖W‖²) / Σᵢ sᵢ`` (``sᵢ = 1`` unweighted), which is
    scikit-learn's objective for ``alpha = 1/C``. Every :meth:`loss_grad` is one fused pass over ``X``,
    every :meth:`grad_hess` one Hessian pass; ``passes`` counts them. ``θ`` and every result live in
    the fit's state namespace ``xp`` (the backend's ``gd_xp``), on the data's device.
    """

    def __init__(self, be, kind: str, X, target, alpha: float, fit_intercept: bool, sample_weight=None,
                 check_x=None):
        self.be = be
        self.xp = impl(be, "gd_xp")()
        self.kind = kind
        self.X, self.target = X, target
        self.alpha, self.fit_intercept = float(alpha), bool(fit_intercept)
        d = X.shape[1]
        self.k = None if target.ndim == 1 else target.shape[1]
        self.w_shape = (d,) if self.k is None else (d, self.k)
        self.n_w = d * (self.k or 1)
        self.n_b = (self.k or 1) if self.fit_intercept else 0
        self.size = self.n_w + self.n_b
        self.dtype = X.dtype
        self.device = _v.device_kw(X)
        self._step = bound(be, f"{kind}_gd_step", sample_weight)
        self._hessian = bound(be, f"{kind}_hessian", sample_weight)
        self._no_b = self.xp.zeros(() if self.k is None else (self.k,), dtype=self.dtype, **self.device)
        self.sample_weight = sample_weight
        self.read = reader(be, self.xp)
        self.passes = 0
        # the finite check of X the caller left to the first pass: X holds NaN or infinity exactly
        # where that pass's loss is not finite (every value of X enters it, inf·0 being NaN)
        self._check_x = check_x

    def _first(self, loss):
        if self._check_x is not None:
            check, self._check_x = self._check_x, None
            (v,) = self.read(loss)
            if not math.isfinite(v):
                check()  # raises
        return loss

    def zeros(self):
        """The starting point of a cold fit: every parameter zero."""
        return self.xp.zeros((self.size,), dtype=self.dtype, **self.device)

    def split(self, theta) -> tuple[Any, Any]:
        """``(W, b)`` of the flat parameters (``b`` zeros without an intercept)."""
        xp = self.xp
        w = xp.reshape(theta[: self.n_w], self.w_shape)
        if not self.fit_intercept:
            return w, self._no_b
        return w, (theta[self.n_w] if self.k is None else theta[self.n_w:])

    def join(self, w, b=None):
        """The flat parameters of ``(W, b)`` (``b`` dropped without an intercept)."""
        xp = self.xp
        parts = [xp.reshape(w, (-1,))]
        if self.fit_intercept:
            parts.append(xp.reshape(b, (-1,)))
        return concat(xp, parts) if len(parts) > 1 else parts[0]

    def loss_grad(self, theta) -> tuple[Any, Any]:
        """``(loss, gradient)`` at ``θ``: one fused pass over ``X``."""
        w, b = self.split(theta)
        self.passes += 1
        loss, gw, gb = gathered(self.be, self.xp, *self._step(self.X, self.target, w, b, self.alpha,
                                                              self.fit_intercept))
        return self._first(self.xp.reshape(loss, ())), self.join(gw, gb)

    def loss(self, theta):
        """The loss alone at ``θ`` (the backend's step without its gradient product)."""
        w, b = self.split(theta)
        self.passes += 1
        loss, _, _ = gathered(self.be, self.xp, *self._step(self.X, self.target, w, b, self.alpha,
                                                            self.fit_intercept, grad=False))
        return self._first(self.xp.reshape(loss, ()))

    def grad_hess(self, theta) -> tuple[Any, Any, Any]:
        """``(loss, gradient, Hessian)`` at ``θ``: one pass over ``X``; the Hessian ``(size, size)``."""
        w, b = self.split(theta)
        self.passes += 1
        loss, gw, gb, H = gathered(self.be, self.xp, *self._hessian(self.X, self.target, w, b, self.alpha,
                                                                    self.fit_intercept))
        return self._first(self.xp.reshape(loss, ())), self.join(gw, gb), H

    def grad_hessp(self, theta) -> tuple[Any, Any, Any]:
        """``(loss, gradient, hessp)`` at ``θ``, for Newton-CG: ``hessp(v)`` is the Hessian times ``v``.

        The gradient is one fused pass; the per-sample curvature (``s·p(1−p)``, or the softmax
        probabilities) one more, kept where the data are; each ``hessp`` is then one pass over ``X``
        (its product and its transposed product), written in the data's namespace.
        """
        f, g = self.loss_grad(theta)
        be, xp = self.be, self.be.xp
        X, sw = self.X, self.sample_weight
        w, b = to_backend(be, self.xp, *self.split(theta))
        t = X @ w + b
        if self.k is None:
            p = impl(be, "sigmoid")(t)
            curv = p * (1 - p) if sw is None else sw * p * (1 - p)
        else:
            e = xp.exp(t - xp.max(t, axis=1, keepdims=True))
            curv = e / xp.sum(e, axis=1, keepdims=True)
        if hasattr(curv, "persist"):  # a lazy array: computed once, kept in the workers' memory
            curv = curv.persist()
        total = X.shape[0] if sw is None else xp.sum(sw)
        alpha, k = self.alpha, self.k

        def hessp(v):
            vw, vb = to_backend(be, self.xp, *self.split(v))
            u = X @ vw + vb
            if k is None:
                r = curv * u
            else:
                r = (u - xp.sum(curv * u, axis=1, keepdims=True)) * curv
                if sw is not None:
                    r = sw[:, None] * r
            self.passes += 1
            hw, hb, n = gathered(be, self.xp, X.T @ r + alpha * vw, xp.sum(r, axis=0), total)
            return self.join(hw / n, hb / n)

        return f, g, hessp

