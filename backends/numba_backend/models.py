"""The numba backend's fused gradient steps of the models: one read of X a step."""

from __future__ import annotations

import numpy

from ._runtime import Bindings, _Serial, _f64, _kernels, _state


class ModelBindings(Bindings):
    """The linear and logistic gradient steps: loss and gradient in one read of X."""

    def _gd_step(self, kernel, X, y, w, b, alpha, fit_intercept, grad=True):
        n = X.shape[0]
        nchunks = 4 * _state["numba"].get_num_threads()
        with _Serial():
            loss, g, gb = kernel(X, _f64(y), _f64(w), float(b), nchunks, bool(grad))
        dt = X.dtype
        loss = loss + 0.5 * alpha * float(w @ w) if alpha else loss
        if not grad:
            return numpy.asarray(loss / n, dtype=dt), None, None
        gw = ((g + alpha * w) / n).astype(dt, copy=False)
        return numpy.asarray(loss / n, dtype=dt), gw, (numpy.asarray(gb / n, dtype=dt) if fit_intercept else None)

    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().linear_step, X, y, w, b, alpha, fit_intercept, grad)

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        return self._gd_step(_kernels().logistic_step, X, y, w, b, alpha, fit_intercept, grad)


def _step_rule(self, X, y, *args, **kw):  # one target, unweighted
    return y.ndim == 1 and X.dtype.kind == "f" and kw.get("sample_weight") is None


#: op -> whether the kernels take the call
RULES = {"linear_gd_step": _step_rule, "logistic_gd_step": _step_rule}
