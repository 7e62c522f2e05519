"""What the estimators share: scikit-learn's base classes where it is installed (a small stand-in
where it is not), the backend of a call, the input checks and the fitted-state check."""

from __future__ import annotations

import inspect
import warnings

import numpy

from .. import _validate as _v
from .._dispatch import select
from ..errors import DivergenceWarning, NotFittedError


class _ParamsBase:
    """scikit-learn's ``BaseEstimator`` parameter handling, for when scikit-learn is not installed."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        params = inspect.signature(cls.__init__).parameters
        return sorted(p.name for p in params.values() if p.name != "self" and p.kind != p.VAR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict:
        """The constructor parameters, as scikit-learn's ``get_params``."""
        return {k: getattr(self, k) for k in self._get_param_names()}

    def set_params(self, **params):
        """Set constructor parameters, as scikit-learn's ``set_params``; returns self."""
        valid = self._get_param_names()
        for k, v in params.items():
            if k not in valid:
                raise _v.DomainError(
                    f"Invalid parameter {k!r} for estimator {self}. Valid parameters are: {valid!r}."
                )
            setattr(self, k, v)
        return self

    def __repr__(self) -> str:
        defaults = inspect.signature(type(self).__init__).parameters
        shown = [f"{k}={getattr(self, k)!r}" for k in self._get_param_names()
                 if _changed(getattr(self, k), defaults[k].default)]
        return f"{type(self).__name__}({', '.join(shown)})"


def _changed(value, default) -> bool:
    if value is default:
        return False
    try:
        return bool(value != default)
    except (TypeError, ValueError):  # an array, say
        return True


class _RegressorMarker:
    """Stands for scikit-learn's ``RegressorMixin`` where it is not installed."""


class _ClassifierMarker:
    """Stands for scikit-learn's ``ClassifierMixin`` where it is not installed."""


class _TransformerMarker:
    """Stands for scikit-learn's ``TransformerMixin`` where it is not installed."""


class _PrefixFeaturesOut:
    """scikit-learn's ``ClassNamePrefixFeaturesOutMixin``: output features named ``<class name><i>``."""

    def get_feature_names_out(self, input_features=None):
        """``["pca0", "pca1", …]``, one name per output feature."""
        prefix = type(self).__name__.lower()
        return numpy.asarray([f"{prefix}{i}" for i in range(self._n_features_out)], dtype=object)


try:
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import ClassifierMixin as _Classifier
    from sklearn.base import ClassNamePrefixFeaturesOutMixin as _FeaturesOut
    from sklearn.base import RegressorMixin as _Regressor
    from sklearn.base import TransformerMixin as _Transformer
    from sklearn.utils import assert_all_finite as _assert_all_finite
    from sklearn.utils.multiclass import check_classification_targets as _check_targets
    from sklearn.utils.validation import validate_data as _validate_data

    SKLEARN = True
except ImportError:
    _Base, _Classifier, _FeaturesOut = _ParamsBase, _ClassifierMarker, _PrefixFeaturesOut
    _Regressor, _Transformer = _RegressorMarker, _TransformerMarker
    _check_targets = _validate_data = _assert_all_finite = None
    SKLEARN = False


def _x_check(be, X, fn: str, estimator: str | None = None):
    """The finite check of a fit's ``X``, for the solver to run when its first pass finds a non-finite
    loss. With ``estimator`` (host data, scikit-learn installed) it raises scikit-learn's message, as
    the check the fit left out would have."""
    if estimator is None or _assert_all_finite is None:
        return lambda: _v.finite(be, X, fn, "X")

    def check():
        try:
            _assert_all_finite(be.to_numpy(X), input_name="X", estimator_name=estimator)
        except ValueError as exc:
            _v.validation_error(exc, fn)
        _v.finite(be, X, fn, "X")

    return check


def _out(be, host: bool, a):
    """``a`` as NumPy for host input (outputs follow the input), else the backend's array as it is."""
    if not host or a is None or isinstance(a, numpy.ndarray):
        return a
    return be.to_numpy(a)


class _Model(_Base):
    """What the three models share: the backend, the input checks and the fitted-state check."""

    _fitted_attr = "coef_"

    def _backend(self, fn: str, *arrays):
        """The backend of a call: ``backend=``, else the library of a foreign array among ``arrays``
        (the data, or the fitted attributes it is used with), else the default."""
        return select(self.backend, f"{type(self).__name__}.{fn}", *arrays)

    def _fitted(self):
        return getattr(self, self._fitted_attr, None)

    def _name(self, fn: str) -> str:
        return f"{type(self).__name__}.{fn}"

    def _check_fitted(self, fn: str) -> None:
        if not hasattr(self, self._fitted_attr):
            name = type(self).__name__
            raise NotFittedError(
                f"{name}.{fn}: this {name} instance is not fitted yet. Call 'fit' with appropriate "
                "arguments before using this estimator."
            )

    def _fit_data(self, be, X, y, fn: str, target: str | None, finite_x: bool = True):
        """``(X, y, host)`` for ``fit``: ``X`` 2-D float on the backend; ``y`` None (``target`` None),
        numeric in ``X``'s dtype on the backend (``"numeric"``) or class labels in NumPy (``"labels"``);
        ``host`` whether ``X`` was host data. Sets ``n_features_in_`` (and ``feature_names_in_``).
        With ``finite_x`` False, X's finiteness is left to the caller (a gradient-descent fit)."""
        host = _v.on_host(X)
        if _validate_data is not None and host:
            fin = {"ensure_all_finite": finite_x}
            try:
                if target is None:
                    X = _validate_data(self, X, dtype=_v.model_dtype(X), **fin)
                elif target == "numeric":
                    X, y = _validate_data(self, X, y, dtype=_v.model_dtype(X), y_numeric=True, multi_output=True,
                                          **fin)
                else:
                    X, y = _validate_data(self, X, y, dtype=_v.model_dtype(X), **fin)
                    _check_targets(y)
                if target == "numeric":  # strings of numbers pass scikit-learn's check; others fail here
                    y = y.astype(X.dtype, copy=False)
            except (ValueError, TypeError) as exc:
                _v.validation_error(exc, fn)
            X = be.asarray(X)
            if target == "numeric":
                y = be.asarray(y)
            return X, y, host
        names = _v.feature_names(X)
        if target == "numeric":
            X, y = _v.regression_data(be, X, y, fn, finite_x)
        else:
            X, _ = _v.samples(be, X, None, fn, finite_x)
            if target == "labels" and getattr(be, "portable", False):
                y = _v.class_labels(y, X.shape[0], fn, be)  # classes are found on the device
            elif target == "labels":
                y = _v.class_labels(y, X.shape[0], fn)
        self.n_features_in_ = X.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return X, y, host

    def _data(self, be, X, fn: str):
        """``(X, host)`` for a fitted model's method: ``X`` checked against the fit, on the backend."""
        self._check_fitted(fn)
        host = _v.on_host(X)
        if _validate_data is not None and host:
            try:
                X = _validate_data(self, X, dtype=_v.model_dtype(X), reset=False)
            except (ValueError, TypeError) as exc:
                _v.validation_error(exc, fn)
            return be.asarray(X), host
        X, _ = _v.samples(be, X, None, fn)
        if X.shape[1] != self.n_features_in_:
            raise _v.ShapeError(
                f"{fn}: X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return X, host

    def _alpha(self, fn: str) -> float:
        return _v.positive_float(self.alpha, fn, "alpha", allow_zero=True)

    def _descent(self, fn: str) -> tuple[float, int, float]:
        lr = _v.positive_float(self.lr, fn, "lr")
        max_iter = _v.positive_int(self.max_iter, fn, "max_iter")
        tol = _v.positive_float(self.tol, fn, "tol", allow_zero=True)
        return lr, max_iter, tol

    def _keep_descent(self, be, host: bool, fn: str, st) -> None:
        if st.diverged:
            warnings.warn(
                f"{fn}: gradient descent diverged after {st.n_iter} steps with lr={self.lr}; "
                "use a smaller lr or standardise X (xpmath.zscore)",
                DivergenceWarning,
                stacklevel=3,
            )
        self.n_iter_ = st.n_iter
        self.loss_history_ = _out(be, host, st.loss_history)
        self.converged_ = st.converged
        self.diverged_ = st.diverged
