"""Linear least squares: ``LinearRegression``."""

from __future__ import annotations

import numpy

from .. import _fitting
from .. import _validate as _v
from ._base import SKLEARN, _Model, _out, _Regressor, _x_check


class LinearRegression(_Regressor, _Model):
    """Least squares with optional ridge penalty: minimise Σᵢ sᵢ(xᵢw + b − yᵢ)² + α‖w‖².

    Parameters
    ----------
    solver : {"normal", "gd"}
        ``"normal"`` solves (XᵀSX + αI)w = XᵀSy (``S`` the sample weights) by a factorisation, never
        an explicit inverse; ``"gd"`` runs gradient descent on the backend, one pass over ``X`` per step.
    alpha : float
        Ridge penalty (the intercept is not penalised), as scikit-learn's ``Ridge(alpha)``.
    fit_intercept : bool
    lr, max_iter, tol : float, int, float
        Gradient descent's step, step limit and stopping rule ``lr·‖grad‖ < tol`` (``"gd"`` only).
    backend : str, optional

    Attributes
    ----------
    coef_ : array, (n_features,) or (n_targets, n_features) for 2-D ``y``
    intercept_ : float or array (n_targets,)
    n_features_in_, feature_names_in_ : as scikit-learn's
    n_iter_, loss_history_, converged_, diverged_ : with ``solver="gd"``

    Examples
    --------
    >>> import xpmath
    >>> m = xpmath.LinearRegression().fit([[1.0], [2.0], [3.0]], [3.0, 5.0, 7.0])
    >>> round(float(m.coef_[0]), 6), round(float(m.intercept_), 6)
    (2.0, 1.0)
    """

    def __init__(self, solver="normal", alpha=0.0, fit_intercept=True, lr=0.01, max_iter=1000, tol=1e-6,
                 backend=None):
        self.solver = solver
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol
        self.backend = backend

    if SKLEARN:

        def __sklearn_tags__(self):
            tags = super().__sklearn_tags__()
            tags.target_tags.multi_output = True
            return tags

    def fit(self, X, y, sample_weight=None):
        """Fit to ``X`` (n_samples, n_features) and ``y`` (n_samples,) or (n_samples, n_targets).

        ``sample_weight`` (n_samples,) weighs each sample's squared error: integer weights give
        the fit of the data with each row repeated that many times.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : array_like of shape (n_samples,) or (n_samples, n_targets)
            The targets.
        sample_weight : array_like of shape (n_samples,), optional
            Non-negative weights of the samples (integer weights act as repeated rows).
        """
        fn = self._name("fit")
        alpha = self._alpha(fn)
        if self.solver not in ("normal", "gd"):
            raise _v.DomainError(f"{fn}: solver must be 'normal' or 'gd'; got {self.solver!r}")
        descent = self._descent(fn) if self.solver == "gd" else None
        be = self._backend("fit", X, y, sample_weight)
        defer = descent is not None and be.gd_step_flags_nonfinite  # the first step checks X (see _fitting)
        X, y, host = self._fit_data(be, X, y, fn, "numeric", finite_x=not defer)
        sw = _v.sample_weights(be, sample_weight, X.shape[0], X.dtype, fn)
        fi = bool(self.fit_intercept)
        if descent is None:
            w, b = _fitting.normal_equations(be, X, y, alpha, fi, fn, sw)
            for k in ("n_iter_", "loss_history_", "converged_", "diverged_"):
                self.__dict__.pop(k, None)
        else:
            st = _fitting.gradient_descent(be, "linear", X, y, alpha, fi, *descent, sample_weight=sw,
                                           check_x=_x_check(be, X, fn, type(self).__name__ if host else None) if defer else None)
            self._keep_descent(be, host, fn, st)
            w, b = st.w, st.b
        self.coef_ = _out(be, host, w.T if w.ndim == 2 else w)  # (n_targets, n_features) as scikit-learn
        b = _out(be, host, b)
        self.intercept_ = b[()] if b.ndim == 0 else b
        return self

    def predict(self, X):
        """``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        """
        be = self._backend("predict", X, self._fitted())
        X, host = self._data(be, X, self._name("predict"))
        coef = be.asarray(self.coef_)
        return _out(be, host, X @ (coef.T if coef.ndim == 2 else coef) + be.asarray(self.intercept_))

    def score(self, X, y, sample_weight=None):
        """The coefficient of determination R² of the prediction, as scikit-learn's (weighted by
        ``sample_weight``; the mean over targets for 2-D ``y``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : array_like of shape (n_samples,) or (n_samples, n_targets)
            The targets.
        sample_weight : array_like of shape (n_samples,), optional
            Non-negative weights of the samples (integer weights act as repeated rows).
        """
        fn = self._name("score")
        be = self._backend("score", X, y, sample_weight, self._fitted())
        p = self.predict(X)
        xp = numpy if isinstance(p, numpy.ndarray) else be.xp
        n = p.shape[0]
        if isinstance(p, numpy.ndarray):
            y = numpy.asarray(y, dtype=p.dtype) if _v.on_host(y) else be.to_numpy(y)
        else:
            y = _v.real_float_array(be, y, fn, "y")
        cols = (lambda a: 1 if a.ndim == 1 else a.shape[1])
        if y.shape[0] != n or y.ndim > 2 or cols(y) != cols(p):
            raise _v.ShapeError(f"{fn}: y of shape {y.shape} does not match the prediction's shape {p.shape}")
        y, p = xp.reshape(y, (n, cols(y))), xp.reshape(p, (n, cols(p)))
        sw = _v.sample_weights(be, sample_weight, n, p.dtype, fn)
        if sw is None:
            s = xp.ones_like(p[:, :1])
        else:
            s = xp.reshape(sw if xp is be.xp else be.to_numpy(sw), (n, 1))
        ym = xp.sum(s * y, axis=0) / xp.sum(s)
        ss_res = xp.sum(s * (y - p) ** 2, axis=0)
        ss_tot = xp.sum(s * (y - ym) ** 2, axis=0)
        none = ss_tot == 0
        safe = xp.where(none, xp.ones_like(ss_tot), ss_tot)
        perfect = xp.where(ss_res == 0, xp.ones_like(ss_res), xp.zeros_like(ss_res))
        return float(xp.mean(xp.where(none, perfect, 1 - ss_res / safe)))
