"""Principal component analysis: ``PCA``."""

from __future__ import annotations

import numbers

from .. import _fitting
from .. import _validate as _v
from .._arrays import astype as _astype
from ._base import SKLEARN, _FeaturesOut, _Model, _out, _Transformer


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
