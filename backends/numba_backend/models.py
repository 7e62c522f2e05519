"""The numba backend's fused passes of the models: loss and gradient in one read of X."""

from __future__ import annotations

import numpy

from ._runtime import Bindings, _Serial, _f64, _kernels, _state

_NO_WEIGHTS = numpy.zeros(0)


class ModelBindings(Bindings):
    """The linear, logistic and softmax passes: loss and gradient in one read of X (rows weighted or not)."""

    def _gd_step(self, kernel, X, y, w, b, alpha, fit_intercept, grad=True, sample_weight=None, *, bias=float):
        nchunks = 4 * _state["numba"].get_num_threads()
        sw = _NO_WEIGHTS if sample_weight is None else _f64(sample_weight)
        args = (X, _f64(y)) if kernel is _kernels().linear_step else (X, _f64(y), sw)
        with _Serial():
            loss, g, gb = kernel(*args, _f64(w), bias(b), nchunks, bool(grad))
        n = X.shape[0] if sample_weight is None else float(sw.sum())
        dt = X.dtype
        loss = loss + 0.5 * alpha * float((w * w).sum()) if alpha else loss
        if not grad:
            return numpy.asarray(loss / n, dtype=dt), None, None
        gw = ((g + alpha * w) / n).astype(dt, copy=False)
        return numpy.asarray(loss / n, dtype=dt), gw, (numpy.asarray(gb / n, dtype=dt) if fit_intercept else None)

    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().linear_step, X, y, w, b, alpha, fit_intercept, grad)

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().logistic_step, X, y, w, b, alpha, fit_intercept, grad, sample_weight)

    def softmax_gd_step(self, X, Y, W, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().softmax_step, X, Y, W, b, alpha, fit_intercept, grad, sample_weight,
                             bias=lambda v: numpy.ascontiguousarray(v, dtype=numpy.float64))


def _step_rule(self, X, y, *args, **kw):  # one target, unweighted
    return y.ndim == 1 and X.dtype.kind == "f" and kw.get("sample_weight") is None


def _weighted_rule(ndim):
    def rule(self, X, y, *args, **kw):  # rows weighted or not
        return y.ndim == ndim and X.dtype.kind == "f"
    return rule


#: op -> whether the kernels take the call
RULES = {"linear_gd_step": _step_rule, "logistic_gd_step": _weighted_rule(1), "softmax_gd_step": _weighted_rule(2)}
