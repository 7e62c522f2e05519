"""Logistic regression, binary and multinomial: ``LogisticRegression``."""

from __future__ import annotations

import numpy

from .. import _fitting
from .. import _validate as _v
from .._arrays import astype as _astype
from .._arrays import numpy_dtype as _numpy_dtype
from .._dispatch import impl
from ._base import _Classifier, _Model, _out, _x_check


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
