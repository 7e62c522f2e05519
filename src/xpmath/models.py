"""Models that are scikit-learn estimators: LinearRegression, LogisticRegression, PCA.

Where scikit-learn is installed the models derive from its ``BaseEstimator`` and mixins and check
their input with its ``validate_data``, so they behave as its own estimators (``clone``, tags,
``Pipeline``, ``GridSearchCV``, its messages and ``NotFittedError``). scikit-learn stays optional:
without it a small base gives the same parameter handling and xpmath's own checks run.

Parameters are stored by ``__init__`` untouched; ``fit`` validates them and the data, runs on the
chosen backend and sets the fitted attributes (trailing underscore). Outputs follow the input:
NumPy data (lists, data frames…) give NumPy attributes and predictions, a device or lazy array of
the backend gives the backend's own arrays.
"""

from __future__ import annotations

import inspect
import numbers
import warnings

import numpy

from . import _fitting
from . import _validate as _v
from ._arrays import astype as _astype
from ._arrays import numpy_dtype as _numpy_dtype
from ._dispatch import impl, select
from .errors import DivergenceWarning, NotFittedError

__all__ = ["LinearRegression", "LogisticRegression", "PCA"]


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
    from sklearn.utils.multiclass import check_classification_targets as _check_targets
    from sklearn.utils.validation import validate_data as _validate_data

    SKLEARN = True
except ImportError:
    _Base, _Classifier, _FeaturesOut = _ParamsBase, _ClassifierMarker, _PrefixFeaturesOut
    _Regressor, _Transformer = _RegressorMarker, _TransformerMarker
    _check_targets = _validate_data = None
    SKLEARN = False


def _x_check(be, X, fn: str):
    """The finite check of a fit's ``X``, for the gradient descent to run when it must."""
    return lambda: _v.finite(be, X, fn, "X")


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
                                           check_x=_x_check(be, X, fn) if defer else None)
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


def _class_weights(class_weight, classes, totals, fn: str):
    """One weight per class, as scikit-learn's ``compute_class_weight``: ``"balanced"`` gives
    ``total / (n_classes · class total)`` (totals of the sample weights, or counts); a dict
    gives each listed class its weight, the others 1."""
    k = classes.shape[0]
    if isinstance(class_weight, str) and class_weight == "balanced":
        return totals.sum() / (k * totals)
    if not isinstance(class_weight, dict):
        raise _v.DomainError(f"{fn}: class_weight must be None, 'balanced' or a dict; got {class_weight!r}")
    weight = numpy.ones(k)
    missing = []
    for i, c in enumerate(classes):
        try:
            key = int(c)
        except (TypeError, ValueError):  # string labels
            key = str(c)
        if key in class_weight:
            weight[i] = class_weight[key]
        else:
            missing.append(key)
    if missing and k - len(missing) != len(class_weight):
        raise _v.DomainError(f"{fn}: The classes, {missing}, are not in class_weight")
    return weight


class LogisticRegression(_Classifier, _Model):
    """Logistic regression, binary or multinomial (softmax), by gradient descent on the mean log-loss
    plus ½α‖w‖² over the number of samples (the sum of the sample weights where given).

    ``alpha`` corresponds to scikit-learn's ``C = 1/alpha`` (``alpha=0``: no penalty). Any labels
    scikit-learn accepts work (numbers, strings); ``classes_`` holds them sorted, ``predict_proba``
    has one column per class. Two classes fit one weight vector (``coef_`` of shape
    ``(1, n_features)``); more fit one per class (``(n_classes, n_features)``).

    Parameters
    ----------
    lr, max_iter, tol : float, int, float
        Gradient descent's step, step limit and stopping rule ``lr·‖grad‖ < tol``.
    alpha : float
    fit_intercept : bool
    class_weight : None, "balanced" or dict
        Weights of the classes, multiplying the sample weights, as scikit-learn's.
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> m = xpmath.LogisticRegression(lr=0.5, max_iter=2000).fit(X, ["no", "no", "yes", "yes"])
    >>> m.predict(X).tolist()
    ['no', 'no', 'yes', 'yes']
    """

    def __init__(self, lr=0.1, max_iter=1000, alpha=0.0, tol=1e-6, fit_intercept=True, class_weight=None,
                 backend=None):
        self.lr = lr
        self.max_iter = max_iter
        self.alpha = alpha
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.backend = backend

    def fit(self, X, y, sample_weight=None):
        """Fit to ``X`` (n_samples, n_features) and class labels ``y`` (n_samples,); ``sample_weight``
        (n_samples,) weighs each sample's log-loss.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : array_like of shape (n_samples,)
            The class labels: numbers or strings, two or more classes.
        sample_weight : array_like of shape (n_samples,), optional
            Non-negative weights of the samples (integer weights act as repeated rows).
        """
        fn = self._name("fit")
        alpha = self._alpha(fn)
        descent = self._descent(fn)
        be = self._backend("fit", X, y, sample_weight)
        defer = be.gd_step_flags_nonfinite  # the first step checks X (see _fitting)
        X, labels, host = self._fit_data(be, X, y, fn, "labels", finite_x=not defer)
        onehot = None
        if getattr(be, "portable", False):  # labels of another library: classes found on its device
            classes = impl(be, "unique")(labels)
            onehot = _astype(be.xp, labels[:, None] == classes[None, :], X.dtype)
        else:
            try:
                classes, idx = numpy.unique(labels, return_inverse=True)
            except TypeError as exc:
                raise _v.XPMathTypeError(f"{fn}: class labels must be sortable: {exc}") from exc
        k = classes.shape[0]
        if k < 2:
            raise _v.DomainError(
                f"{fn}: needs samples of at least 2 classes in the data, but the data contains only one "
                f"class: {be.to_numpy(classes)[0]!r}"
            )
        n = X.shape[0]
        sw = _v.sample_weights(be, sample_weight, n, X.dtype, fn)
        if self.class_weight is not None and onehot is None:
            host_sw = None if sw is None else be.to_numpy(sw)
            totals = numpy.bincount(idx, weights=host_sw, minlength=k)
            per_class = _class_weights(self.class_weight, classes, totals, fn)
            sw = be.asarray(per_class[idx].astype(X.dtype) * (1 if host_sw is None else host_sw))
        elif self.class_weight is not None:
            # k class values and totals read back to look the classes up in a dict; weights stay on the device
            totals = be.xp.sum(onehot if sw is None else onehot * sw[:, None], axis=0)
            per_class = _class_weights(self.class_weight, be.to_numpy(classes), be.to_numpy(totals), fn)
            per_sample = onehot @ be.asarray(per_class.astype(_numpy_dtype(X.dtype)))
            sw = per_sample if sw is None else per_sample * sw
        if onehot is not None:
            target = onehot[:, 1] if k == 2 else onehot
        elif k == 2:
            target = be.asarray((idx == 1).astype(X.dtype))
        else:
            target = be.asarray((idx[:, None] == numpy.arange(k)).astype(X.dtype))
        kind = "logistic" if k == 2 else "softmax"
        st = _fitting.gradient_descent(be, kind, X, target, alpha, bool(self.fit_intercept), *descent,
                                       sample_weight=sw, check_x=_x_check(be, X, fn) if defer else None)
        self._keep_descent(be, host, fn, st)
        self.classes_ = classes
        xp = be.xp
        self.coef_ = _out(be, host, xp.reshape(st.w, (1, -1)) if k == 2 else st.w.T)
        self.intercept_ = _out(be, host, xp.reshape(st.b, (-1,)))
        return self

    def decision_function(self, X):
        """The linear scores ``X @ coef_.T + intercept_``: ``(n_samples,)`` for two classes (positive
        favours ``classes_[1]``), ``(n_samples, n_classes)`` for more.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        """
        be = self._backend("decision_function", X, self._fitted())
        X, host = self._data(be, X, self._name("decision_function"))
        return _out(be, host, self._scores(be, X))

    def _scores(self, be, X):
        t = X @ be.asarray(self.coef_).T + be.asarray(self.intercept_)
        return t[:, 0] if self.classes_.shape[0] == 2 else t

    def predict_proba(self, X):
        """``(n_samples, n_classes)``: the probability of each of ``classes_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        """
        be = self._backend("predict_proba", X, self._fitted())
        X, host = self._data(be, X, self._name("predict_proba"))
        xp, t = be.xp, self._scores(be, X)
        if t.ndim == 1:
            p1 = impl(be, "sigmoid")(t)
            return _out(be, host, xp.stack([1 - p1, p1], axis=1))
        e = xp.exp(t - xp.max(t, axis=1, keepdims=True))
        return _out(be, host, e / xp.sum(e, axis=1, keepdims=True))

    def predict_log_proba(self, X):
        """The logarithm of :meth:`predict_proba`, computed without underflow.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        """
        be = self._backend("predict_log_proba", X, self._fitted())
        X, host = self._data(be, X, self._name("predict_log_proba"))
        xp, t = be.xp, self._scores(be, X)
        if t.ndim == 1:  # log σ(t) = -log(1 + e^-t)
            zero = xp.zeros_like(t)
            return _out(be, host, xp.stack([-xp.logaddexp(zero, t), -xp.logaddexp(zero, -t)], axis=1))
        top = xp.max(t, axis=1, keepdims=True)
        return _out(be, host, t - top - xp.log(xp.sum(xp.exp(t - top), axis=1, keepdims=True)))

    def predict(self, X):
        """The most probable class of each sample, from ``classes_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        """
        be = self._backend("predict", X, self._fitted())
        X, host = self._data(be, X, self._name("predict"))
        t = self._scores(be, X)
        idx = _astype(be.xp, t > 0, be.xp.int64) if t.ndim == 1 else be.xp.argmax(t, axis=1)
        if host or _v.kind(self.classes_.dtype) not in "biuf":
            return self.classes_[be.to_numpy(idx)]
        return be.xp.take(be.asarray(self.classes_), idx, axis=0)

    def score(self, X, y, sample_weight=None):
        """The (weighted) mean accuracy of :meth:`predict` on ``X`` against the labels ``y``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : array_like of shape (n_samples,)
            The class labels: numbers or strings, two or more classes.
        sample_weight : array_like of shape (n_samples,), optional
            Non-negative weights of the samples (integer weights act as repeated rows).
        """
        fn = self._name("score")
        be = self._backend("score", X, y, sample_weight, self._fitted())
        p = self.predict(X)
        if getattr(be, "portable", False):  # labels of another library: compared on its device
            xp = be.xp
            hit = _astype(xp, p == _v.class_labels(y, p.shape[0], fn, be), xp.float64)
            sw = _v.sample_weights(be, sample_weight, p.shape[0], xp.float64, fn)
            return float(xp.mean(hit) if sw is None else xp.sum(hit * sw) / xp.sum(sw))
        p = p if isinstance(p, numpy.ndarray) else be.to_numpy(p)
        y = _v.class_labels(y, p.shape[0], fn)
        sw = _v.sample_weights(be, sample_weight, p.shape[0], numpy.float64, fn)
        return float(numpy.average(p == y, weights=None if sw is None else be.to_numpy(sw)))


class PCA(_FeaturesOut, _Transformer, _Model):
    """Principal component analysis by eigen-decomposition of the covariance, as scikit-learn's ``PCA``.

    ``n_components``: ``None`` keeps ``min(n_samples, n_features)``; an int keeps that many; a
    float in (0, 1) keeps the fewest components explaining more than that share of the variance.
    Each component's largest-magnitude entry is positive.

    Parameters
    ----------
    n_components : int, float or None
        How many components to keep (see above).
    backend : str, optional

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_,
    n_components_, n_features_in_, n_samples_, noise_variance_ : as scikit-learn's

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

    if SKLEARN:

        def __sklearn_tags__(self):
            tags = super().__sklearn_tags__()
            tags.transformer_tags.preserves_dtype = ["float64", "float32"]
            return tags

    @property
    def _n_features_out(self) -> int:
        return self.n_components_

    def fit(self, X, y=None):
        """Learn the mean and the principal axes of ``X``; returns self. ``y`` is ignored.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : None
            Ignored; present for scikit-learn's API.
        """
        be = self._backend("fit", X)
        X, _, host = self._fit_data(be, X, None, self._name("fit"), None)
        self._fit(be, X, host)
        return self

    def fit_transform(self, X, y=None):
        """``fit(X)`` then ``transform(X)``, ``X`` checked and put on the backend once.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : None
            Ignored; present for scikit-learn's API.
        """
        be = self._backend("fit_transform", X)
        X, _, host = self._fit_data(be, X, None, self._name("fit_transform"), None)
        self._fit(be, X, host)
        return _out(be, host, self._project(be, X))

    def _fit(self, be, X, host: bool) -> None:
        fn = self._name("fit")
        n, d = X.shape
        if n < 2:
            raise _v.EmptyInputError(f"{fn}: n_samples={n}; PCA needs at least 2 samples to estimate a covariance")
        k_max = min(n, d)
        nc = self.n_components
        frac = None
        if nc is None:
            k = k_max
        elif isinstance(nc, numbers.Integral) and not isinstance(nc, bool):
            if not 1 <= nc <= k_max:
                raise _v.DomainError(
                    f"{fn}: n_components={nc} must be between 1 and min(n_samples, n_features)={k_max}"
                )
            k = int(nc)
        elif isinstance(nc, numbers.Real) and 0 < nc < 1:
            k, frac = k_max, float(nc)
        else:
            raise _v.DomainError(f"{fn}: n_components must be None, an int, or a float in (0, 1); got {nc!r}")
        mean, comps, all_ev, all_ratio = _fitting.principal_axes(be, X)
        if frac is not None:
            xp = be.xp
            below = (xp.cumulative_sum if hasattr(xp, "cumulative_sum") else xp.cumsum)(all_ratio[:k_max]) < frac
            k = min(int(xp.sum(_astype(xp, below, xp.int64))) + 1, k_max)
        ev = all_ev[:k, ...]
        self.mean_ = _out(be, host, mean)
        self.components_ = _out(be, host, comps[:k, ...])
        self.explained_variance_ = _out(be, host, ev)
        self.explained_variance_ratio_ = _out(be, host, all_ratio[:k])
        self.singular_values_ = _out(be, host, be.xp.sqrt(ev * (n - 1)))
        self.n_components_ = k
        self.n_samples_ = n
        rest = all_ev[k:k_max]
        self.noise_variance_ = float(be.xp.mean(rest)) if k < k_max else 0.0

    def _project(self, be, X):
        return (X - be.asarray(self.mean_)) @ be.asarray(self.components_).T

    def transform(self, X):
        """Project ``X`` on the components: ``(X - mean_) @ components_.T``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        """
        be = self._backend("transform", X, self._fitted())
        X, host = self._data(be, X, self._name("transform"))
        return _out(be, host, self._project(be, X))

    def inverse_transform(self, X):
        """Map scores back to feature space: ``X @ components_ + mean_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_components_)
            Scores in the components' space.
        """
        fn = self._name("inverse_transform")
        be = self._backend("inverse_transform", X, self._fitted())
        self._check_fitted("inverse_transform")
        host = _v.on_host(X)
        Z = _v.real_float_array(be, X, fn, "X")
        if Z.ndim != 2 or Z.shape[1] != self.n_components_:
            raise _v.ShapeError(f"{fn}: X must have shape (n_samples, {self.n_components_}); got {Z.shape}")
        _v.finite(be, Z, fn, "X")
        return _out(be, host, Z @ be.asarray(self.components_) + be.asarray(self.mean_))
