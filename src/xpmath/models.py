"""Models with scikit-learn's estimator conventions: LinearRegression, LogisticRegression, PCA.

Parameters are stored by ``__init__`` untouched; ``fit`` validates them and the data, runs on the
chosen backend and sets the fitted attributes (trailing underscore); fitted arrays are the
backend's own arrays.
"""

from __future__ import annotations

import inspect
import numbers
import warnings

from . import _validate as _v
from . import _fitting
from ._dispatch import impl, select
from .errors import DivergenceWarning, NotFittedError

__all__ = ["LinearRegression", "LogisticRegression", "PCA"]


class _Estimator:
    _fitted_attr = "coef_"

    @classmethod
    def _param_names(cls):
        return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict:
        """The constructor parameters, as scikit-learn's ``get_params``."""
        return {k: getattr(self, k) for k in self._param_names()}

    def set_params(self, **params):
        """Set constructor parameters, as scikit-learn's ``set_params``; returns self."""
        valid = self._param_names()
        for k, v in params.items():
            if k not in valid:
                raise _v.DomainError(f"{type(self).__name__}: unknown parameter {k!r}; valid: {', '.join(valid)}")
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__).parameters
        shown = [f"{k}={getattr(self, k)!r}" for k in self._param_names() if getattr(self, k) != sig[k].default]
        return f"{type(self).__name__}({', '.join(shown)})"

    def _check_fitted(self, fn):
        if not hasattr(self, self._fitted_attr):
            raise NotFittedError(f"{type(self).__name__}.{fn}: this model is not fitted yet; call fit(X, y) first")

    def _be(self, fn):
        return select(self.backend, f"{type(self).__name__}.{fn}")

    def _X(self, be, X, fn):
        self._check_fitted(fn)
        X, _ = _v.samples(be, X, None, f"{type(self).__name__}.{fn}")
        if X.shape[1] != self.n_features_in_:
            raise _v.ShapeError(
                f"{type(self).__name__}.{fn}: X has {X.shape[1]} features, but the model was fitted "
                f"with {self.n_features_in_}; got X of shape {X.shape}"
            )
        return X

    def _common(self, fn):
        name = f"{type(self).__name__}.{fn}"
        alpha = _v.positive_float(self.alpha, name, "alpha", allow_zero=True)
        return name, alpha


def _gd_params(est, name):
    lr = _v.positive_float(est.lr, name, "lr")
    max_iter = _v.positive_int(est.max_iter, name, "max_iter")
    tol = _v.positive_float(est.tol, name, "tol", allow_zero=True)
    return lr, max_iter, tol


def _warn_diverged(est, name, state):
    if state.diverged:
        warnings.warn(
            f"{name}: gradient descent diverged after {state.n_iter} steps with lr={est.lr}; "
            "use a smaller lr or standardise X (xpmath.zscore)",
            DivergenceWarning,
            stacklevel=3,
        )


class LinearRegression(_Estimator):
    """Least squares with optional ridge penalty: minimise ‖Xw + b − y‖² + α‖w‖².

    Parameters
    ----------
    solver : {"normal", "gd"}
        ``"normal"`` solves (XᵀX + αI)w = Xᵀy by a factorisation (never an explicit inverse);
        ``"gd"`` runs gradient descent on the backend, one pass over ``X`` per step.
    alpha : float
        Ridge penalty (the intercept is not penalised), as scikit-learn's ``Ridge(alpha)``.
    fit_intercept : bool
    lr, max_iter, tol : float, int, float
        Gradient descent's step, step limit and stopping rule ``lr·‖grad‖ < tol`` (``"gd"`` only).
    backend : str, optional

    Attributes
    ----------
    coef_, intercept_ : arrays
    n_iter_, loss_history_, converged_, diverged_ : with ``solver="gd"``

    Examples
    --------
    >>> import xpmath
    >>> m = xpmath.LinearRegression().fit([[1.0], [2.0], [3.0]], [3.0, 5.0, 7.0])
    >>> round(float(m.coef_[0]), 6), round(float(m.intercept_), 6)
    (2.0, 1.0)
    """

    def __init__(self, solver="normal", alpha=0.0, fit_intercept=True, lr=0.01, max_iter=1000, tol=1e-6, backend=None):
        self.solver = solver
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol
        self.backend = backend

    def fit(self, X, y):
        """Fit to ``X`` (n_samples, n_features) and ``y`` (n_samples,) or (n_samples, n_targets)."""
        name, alpha = self._common("fit")
        if self.solver not in ("normal", "gd"):
            raise _v.DomainError(f"{name}: solver must be 'normal' or 'gd'; got {self.solver!r}")
        be = self._be("fit")
        X, y = _v.samples(be, X, y, name)
        fi = bool(self.fit_intercept)
        if self.solver == "normal":
            w, b = _fitting.normal_equations(be, X, y, alpha, fi, name)
        else:
            lr, max_iter, tol = _gd_params(self, name)
            st = _fitting.gradient_descent(be, "linear", X, y, alpha, fi, lr, max_iter, tol)
            _warn_diverged(self, name, st)
            w, b = st.w, st.b
            self.n_iter_ = st.n_iter
            self.loss_history_ = st.loss_history
            self.converged_ = st.converged
            self.diverged_ = st.diverged
        self.coef_ = w.T if w.ndim == 2 else w  # (n_targets, n_features) as scikit-learn
        self.intercept_ = b[()] if b.ndim == 0 else b
        self.n_features_in_ = X.shape[1]
        self._be_name = be.name
        return self

    def predict(self, X):
        """``X @ coef_.T + intercept_``."""
        be = self._be("predict")
        X = self._X(be, X, "predict")
        coef = be.asarray(self.coef_)
        return X @ coef.T + be.asarray(self.intercept_)

    def score(self, X, y):
        """The coefficient of determination R² of the prediction, as scikit-learn."""
        be = self._be("score")
        xp = be.xp
        X, y = _v.samples(be, X, y, "LinearRegression.score")
        p = self.predict(X)
        ss_res = ((y - p) ** 2).sum(axis=0)
        ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
        r2 = xp.where(ss_tot == 0, xp.where(ss_res == 0, 1.0, 0.0), 1 - ss_res / xp.where(ss_tot == 0, 1, ss_tot))
        return float(xp.mean(r2))


class LogisticRegression(_Estimator):
    """Binary logistic regression by gradient descent on the mean log-loss + ½α‖w‖²/n.

    ``alpha`` corresponds to scikit-learn's ``C = 1/alpha`` (``alpha=0``: no penalty). Any two
    class labels work; ``classes_`` holds them sorted, and ``predict_proba[:, 1]`` is the
    probability of ``classes_[1]``.

    Examples
    --------
    >>> import xpmath
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> m = xpmath.LogisticRegression(lr=0.5, max_iter=2000).fit(X, [0, 0, 1, 1])
    >>> m.predict(X).tolist()
    [0, 0, 1, 1]
    """

    def __init__(self, lr=0.1, max_iter=1000, alpha=0.0, tol=1e-6, fit_intercept=True, backend=None):
        self.lr = lr
        self.max_iter = max_iter
        self.alpha = alpha
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.backend = backend

    def fit(self, X, y):
        """Fit to ``X`` (n_samples, n_features) and binary labels ``y`` (n_samples,)."""
        name, alpha = self._common("fit")
        lr, max_iter, tol = _gd_params(self, name)
        be = self._be("fit")
        X, _ = _v.samples(be, X, None, name)
        labels = _v.array(be, y, name, "y")
        if labels.ndim != 1:
            raise _v.ShapeError(f"{name}: y must be 1-D class labels; got shape {labels.shape}")
        if labels.shape[0] != X.shape[0]:
            raise _v.ShapeError(
                f"{name}: X and y have different numbers of samples: X {X.shape} and y {labels.shape} "
                f"({X.shape[0]} != {labels.shape[0]})"
            )
        _v.finite(be, labels, name, "y")
        xp = be.xp
        classes = impl(be, "unique")(labels)
        if classes.shape[0] != 2:
            raise _v.DomainError(
                f"{name}: binary classification needs exactly 2 classes in y; got {classes.shape[0]}"
            )
        y01 = (labels == classes[1]).astype(X.dtype)
        st = _fitting.gradient_descent(be, "logistic", X, y01, alpha, bool(self.fit_intercept), lr, max_iter, tol)
        _warn_diverged(self, name, st)
        self.classes_ = classes
        self.coef_ = st.w.reshape(1, -1)
        self.intercept_ = st.b.reshape(1)
        self.n_iter_ = st.n_iter
        self.loss_history_ = st.loss_history
        self.converged_ = st.converged
        self.diverged_ = st.diverged
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        return self._decision("decision_function", X)

    def _decision(self, fn, X):
        be = self._be(fn)
        X = self._X(be, X, fn)
        return X @ be.asarray(self.coef_)[0] + be.asarray(self.intercept_)[0]

    def predict_proba(self, X):
        """``(n_samples, 2)``: the probabilities of ``classes_[0]`` and ``classes_[1]``."""
        be = self._be("predict_proba")
        p1 = impl(be, "sigmoid")(self._decision("predict_proba", X))
        return be.xp.stack([1 - p1, p1], axis=1)

    def predict(self, X):
        be = self._be("predict")
        d = self._decision("predict", X)
        return be.asarray(self.classes_)[(d > 0).astype(be.xp.int64)]

    def score(self, X, y):
        """Mean accuracy."""
        be = self._be("score")
        y = _v.array(be, y, "LogisticRegression.score", "y")
        p = self.predict(X)
        if y.shape != p.shape:
            raise _v.ShapeError(f"LogisticRegression.score: y {y.shape} does not match X's {p.shape[0]} samples")
        return float((p == y).mean())


class PCA(_Estimator):
    """Principal component analysis by eigen-decomposition of the covariance, as scikit-learn's ``PCA``.

    ``n_components``: ``None`` keeps ``min(n_samples, n_features)``; an int keeps that many; a
    float in (0, 1) keeps the fewest components explaining more than that share of the variance.
    Each component's largest-magnitude entry is positive.

    Examples
    --------
    >>> import xpmath
    >>> X = [[2.0, 1.0], [3.0, 4.0], [5.0, 3.0], [7.0, 8.0]]
    >>> xpmath.PCA(1).fit(X).components_.shape
    (1, 2)
    """

    _fitted_attr = "components_"

    def __init__(self, n_components=None, backend=None):
        self.n_components = n_components
        self.backend = backend

    def fit(self, X, y=None):
        """Learn the mean and the principal axes of ``X``; returns self."""
        name = "PCA.fit"
        be = self._be("fit")
        X, _ = _v.samples(be, X, None, name)
        n, d = X.shape
        if n < 2:
            raise _v.EmptyInputError(f"{name}: PCA needs at least 2 samples to estimate a covariance; got {n}")
        k_max = min(n, d)
        nc = self.n_components
        frac = None
        if nc is None:
            k = k_max
        elif isinstance(nc, numbers.Integral) and not isinstance(nc, bool):
            if not 1 <= nc <= k_max:
                raise _v.DomainError(f"{name}: n_components={nc} must be between 1 and min(n_samples, n_features)={k_max}")
            k = int(nc)
        elif isinstance(nc, numbers.Real) and 0 < nc < 1:
            k, frac = k_max, float(nc)
        else:
            raise _v.DomainError(f"{name}: n_components must be None, an int, or a float in (0, 1); got {nc!r}")
        mean, comps, all_ev, all_ratio = _fitting.principal_axes(be, X)
        comps, ev, ratio = comps[:k], all_ev[:k], all_ratio[:k]
        if frac is not None:
            cum = be.to_numpy(ratio).cumsum()
            k = int((cum < frac).sum()) + 1
            k = min(k, k_max)
            comps, ev, ratio = comps[:k], ev[:k], ratio[:k]
        self.mean_ = mean
        self.components_ = comps
        self.explained_variance_ = ev
        self.explained_variance_ratio_ = ratio
        self.singular_values_ = be.xp.sqrt(ev * (n - 1))
        self.n_components_ = k
        self.n_features_in_ = d
        self.n_samples_ = n
        rest = all_ev[k:k_max]
        self.noise_variance_ = float(rest.mean()) if k < min(n, d) and rest.shape[0] else 0.0
        return self

    def transform(self, X):
        """Project ``X`` on the components: ``(X - mean_) @ components_.T``."""
        be = self._be("transform")
        X = self._X(be, X, "transform")
        return (X - be.asarray(self.mean_)) @ be.asarray(self.components_).T

    def fit_transform(self, X, y=None):
        """``fit(X)`` then ``transform(X)``, with ``X`` put on the backend once."""
        X = _v.real_float_array(self._be("fit_transform"), X, "PCA.fit_transform", "X")
        return self.fit(X).transform(X)

    def inverse_transform(self, Z):
        """Map scores back to feature space: ``Z @ components_ + mean_``."""
        be = self._be("inverse_transform")
        self._check_fitted("inverse_transform")
        Z = _v.real_float_array(be, Z, "PCA.inverse_transform", "Z")
        if Z.ndim != 2 or Z.shape[1] != self.n_components_:
            raise _v.ShapeError(
                f"PCA.inverse_transform: Z must have shape (n, {self.n_components_}); got {Z.shape}"
            )
        return Z @ be.asarray(self.components_) + be.asarray(self.mean_)
