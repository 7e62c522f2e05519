"""Principal component analysis: ``PCA``, its solvers and Minka's choice of dimension."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy

from .. import _validate as _v
from .._dispatch import impl
from .._fitting import _gathered, _small, _to_backend
from .._reference.linalg import check_random_state
from ._base import SKLEARN, _FeaturesOut, _Model, _out, _Transformer

_SOLVERS = ("auto", "full", "covariance_eigh", "arpack", "randomized")
_NORMALISERS = ("auto", "QR", "LU", "none")


class PCA(_FeaturesOut, _Transformer, _Model):
    """Principal component analysis, as scikit-learn's ``PCA``: the data centred (not scaled), then
    its singular value decomposition, each component's sign fixed by scikit-learn's ``svd_flip``
    (the largest-magnitude entry of each component positive).

    ``svd_solver``: ``"full"`` is the thin SVD of the centred ``X`` (TSQR on Dask for tall ``X``
    chunked by rows); ``"covariance_eigh"`` the eigen-decomposition of the covariance, from the
    backend's centred Gram matrix (one pass over ``X`` on numba); ``"randomized"`` Halko et al.'s
    randomized SVD with ``iterated_power`` power iterations seeded by ``random_state`` (scikit-learn's
    numbers on NumPy; Dask's ``svd_compressed`` on Dask); ``"arpack"`` SciPy's ARPACK ``svds``, on NumPy
    arrays only (the ``numpy`` and ``numba`` backends, as scikit-learn offers it only there);
    ``"auto"`` chooses as scikit-learn 1.9 does (``covariance_eigh`` for at most 1,000 features and
    ten times as many samples, else ``full`` for small data or ``"mle"``, else ``randomized`` for
    fewer than 80% of the components, else ``full``).

    ``n_components``: ``None`` keeps ``min(n_samples, n_features)`` (one less with ``"arpack"``); an int
    keeps that many; a float in (0, 1) the fewest components explaining more than that share of the
    variance; ``"mle"`` Minka's maximum-likelihood choice (``full`` and ``covariance_eigh``).

    Parameters
    ----------
    n_components : int, float, "mle" or None, default=None
        How many components to keep (see above).
    copy : bool, default=True
        scikit-learn's option to let ``fit`` overwrite ``X``; xpmath never writes into ``X``.
    whiten : bool, default=False
        Scale the projections to unit variance (``transform`` divides by √explained_variance_).
    svd_solver : {"auto", "full", "covariance_eigh", "arpack", "randomized"}, default="auto"
    tol : float, default=0.0
        ARPACK's tolerance (``svd_solver="arpack"``).
    iterated_power : int or "auto", default="auto"
        The randomized solver's power iterations (``"auto"``: 7 for fewer components than a tenth of
        ``min(X.shape)``, else 4).
    n_oversamples : int, default=10
        The randomized solver's extra random vectors.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
        The randomized solver's normalisation between power iterations.
    random_state : int, RandomState or None, default=None
        The seed of the randomized and ARPACK solvers.
    backend : str, optional
        xpmath's addition: the backend of host data (foreign arrays run in their own library).

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_,
    n_components_, n_features_in_, feature_names_in_, n_samples_, noise_variance_ : as scikit-learn's

    Examples
    --------
    >>> import xpmath
    >>> X = [[2.0, 1.0], [3.0, 4.0], [5.0, 3.0], [7.0, 8.0]]
    >>> xpmath.PCA(1).fit(X).components_.shape
    (1, 2)
    """

    _fitted_attr = "components_"

    def __init__(self, n_components=None, *, copy=True, whiten=False, svd_solver="auto", tol=0.0,
                 iterated_power="auto", n_oversamples=10, power_iteration_normalizer="auto", random_state=None,
                 backend=None):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.backend = backend

    if SKLEARN:

        def __sklearn_tags__(self):
            tags = super().__sklearn_tags__()
            tags.transformer_tags.preserves_dtype = ["float64", "float32"]
            return tags

    @property
    def _n_features_out(self) -> int:
        return self.components_.shape[0]

    def fit(self, X, y=None):
        """Learn the mean and the principal axes of ``X``; returns self. ``y`` is ignored.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        self : PCA
            The fitted estimator.
        """
        be = self._backend("fit", X)
        self._check_params(self._name("fit"))
        X, _, host = self._fit_data(be, X, None, self._name("fit"), None)
        self._fit(be, X, host)
        return self

    def fit_transform(self, X, y=None):
        """``fit(X)`` then the projection of ``X``, from the fit's own factors where it has them
        (``U·S``, or ``U·√(n_samples − 1)`` whitened), as scikit-learn's.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        array of shape (n_samples, n_components_)
            The projections.
        """
        be = self._backend("fit_transform", X)
        self._check_params(self._name("fit_transform"))
        X, _, host = self._fit_data(be, X, None, self._name("fit_transform"), None)
        U, S = self._fit(be, X, host)
        if U is None:
            return _out(be, host, self._project(be, X))
        k = self.n_components_
        return _out(be, host, U[:, :k] * (math.sqrt(X.shape[0] - 1) if self.whiten else S[:k]))

    # ---------------------------------------------------------------- fitting

    def _check_params(self, fn: str) -> None:
        nc = self.n_components
        share = isinstance(nc, numbers.Real) and not isinstance(nc, numbers.Integral) and 0 < nc < 1
        if not (nc is None or (isinstance(nc, str) and nc == "mle") or _count(nc, 0) or share):
            raise _v.DomainError(
                f"{fn}: The 'n_components' parameter of PCA must be an int in the range [0, inf), a float in the "
                f"range (0.0, 1.0), a str among {{'mle'}} or None. Got {nc!r} instead."
            )
        for name in ("copy", "whiten"):
            if not isinstance(getattr(self, name), (bool, numpy.bool_)):
                raise _v.DomainError(f"{fn}: the {name!r} parameter must be an instance of 'bool'; got "
                                     f"{getattr(self, name)!r}")
        if self.svd_solver not in _SOLVERS:
            raise _v.DomainError(f"{fn}: svd_solver must be one of {_SOLVERS}; got {self.svd_solver!r}")
        _v.positive_float(self.tol, fn, "tol", allow_zero=True)
        if not (self.iterated_power == "auto" or _count(self.iterated_power, 0)):
            raise _v.DomainError(f"{fn}: iterated_power must be 'auto' or an int >= 0; got {self.iterated_power!r}")
        if not _count(self.n_oversamples, 1):
            raise _v.DomainError(f"{fn}: n_oversamples must be an int >= 1; got {self.n_oversamples!r}")
        if self.power_iteration_normalizer not in _NORMALISERS:
            raise _v.DomainError(f"{fn}: power_iteration_normalizer must be one of {_NORMALISERS}; got "
                                 f"{self.power_iteration_normalizer!r}")

    def _fit(self, be, X, host: bool):
        """Fit on the checked ``X``; returns ``(U, S)`` for ``fit_transform`` (U None where the solver
        has none, or where projecting ``X`` again costs less than reading a lazy ``U``)."""
        fn = self._name("fit")
        n, d = X.shape
        if n < 2:
            raise _v.EmptyInputError(f"{fn}: n_samples={n}; PCA needs at least 2 samples to estimate a covariance")
        solver = self.svd_solver
        nc = self.n_components
        if nc is None:
            nc = min(n, d) - 1 if solver == "arpack" else min(n, d)
        if solver == "auto":  # scikit-learn 1.9's choice
            if d <= 1_000 and n >= 10 * d:
                solver = "covariance_eigh"
            elif max(n, d) <= 500 or nc == "mle":
                solver = "full"
            elif 1 <= nc < 0.8 * min(n, d):
                solver = "randomized"
            else:
                solver = "full"
        self._fit_svd_solver = solver
        gx = impl(be, "gd_xp")()
        if solver in ("full", "covariance_eigh"):
            mean, U, S, Vt, ev, total, nc = self._full(be, gx, X, nc, solver, fn)
        else:
            mean, U, S, Vt, ev, total, nc = self._truncated(be, gx, X, nc, solver, fn)
        k_max = min(n, d)
        if solver in ("full", "covariance_eigh"):
            noise = gx.mean(ev[nc:]) if nc < k_max else 0.0
        else:
            noise = (total - gx.sum(ev)) / (k_max - nc) if nc < k_max else 0.0
        ratio = ev / total
        self.n_samples_ = n
        self.n_components_ = nc
        self.mean_ = _out(be, host, _to_backend(be, gx, mean)[0])
        self.components_ = _out(be, host, _to_backend(be, gx, Vt[:nc, :])[0])
        self.explained_variance_ = _out(be, host, _to_backend(be, gx, ev[:nc])[0])
        self.explained_variance_ratio_ = _out(be, host, _to_backend(be, gx, ratio[:nc])[0])
        self.singular_values_ = _out(be, host, _to_backend(be, gx, S[:nc])[0])
        self.noise_variance_ = _scalar(be, gx, host, noise)
        return U, S

    def _full(self, be, gx, X, nc, solver, fn):
        n, d = X.shape
        if nc == "mle":
            if n < d:
                raise _v.DomainError(f"{fn}: n_components='mle' is only supported if n_samples >= n_features")
        elif not 0 <= nc <= min(n, d):
            raise _v.DomainError(f"{fn}: n_components={nc} must be between 0 and min(n_samples, n_features)="
                                 f"{min(n, d)} with svd_solver={solver!r}")
        U = None
        if solver == "full" and gx is not be.xp and n > d:
            # lazy data: the R factor of [1 | X] in one pass (TSQR on Dask); below its first row it is
            # the factor of the centred X (the same singular values and right vectors), its first row
            # over the corner the means
            xp = be.xp
            (r,) = _gathered(be, gx, impl(be, "qr")(xp.concatenate([xp.ones_like(X[:, :1]), X], axis=1), "r"))
            mean = r[0, 1:] / r[0, 0]
            _, S, Vt = _small(be, "svd")(r[1:, 1:], False, True, False)
            ev = S * S / (n - 1)
        elif solver == "full":
            (mean,) = _gathered(be, gx, impl(be, "column_means")(X))
            u, S, Vt = impl(be, "svd")(X - mean, False, True, False)
            S, Vt = _gathered(be, gx, S, Vt)
            if gx is be.xp:
                U = u
            ev = S * S / (n - 1)
        else:
            mean, G, _, _ = _gathered(be, gx, *impl(be, "centred_gram")(X))
            w, v = _small(be, "eigh")(G / (n - 1))
            ev, v = gx.flip(w, axis=0), gx.flip(v, axis=1)
            ev = gx.where(ev < 0, gx.zeros_like(ev), ev)  # a covariance: clip rounding below zero
            S = gx.sqrt(ev * (n - 1))
            Vt = v.T
        U, Vt = svd_flip(gx, U, Vt)
        total = gx.sum(ev)
        ratio = ev / total
        if nc == "mle":
            nc = _infer_dimension(_floats(ev), n)
        elif 0 < nc < 1:
            cum = (gx.cumulative_sum if hasattr(gx, "cumulative_sum") else gx.cumsum)(ratio)
            # side="right": the variance explained by the components kept is above the share asked for
            nc = int(gx.searchsorted(cum, gx.asarray(float(nc), dtype=cum.dtype, **_v.device_kw(cum)), side="right")) + 1
        return mean, U, S, Vt, ev, total, int(nc)

    def _truncated(self, be, gx, X, nc, solver, fn):
        n, d = X.shape
        if isinstance(nc, str):
            raise _v.DomainError(f"{fn}: n_components={nc!r} cannot be a string with svd_solver='{solver}'")
        if not 1 <= nc <= min(n, d):
            raise _v.DomainError(f"{fn}: n_components={nc!r} must be between 1 and min(n_samples, n_features)="
                                 f"{min(n, d)!r} with svd_solver='{solver}'")
        if solver == "arpack" and nc == min(n, d):
            raise _v.DomainError(f"{fn}: n_components={nc!r} must be strictly less than min(n_samples, n_features)="
                                 f"{min(n, d)!r} with svd_solver='{solver}'")
        if solver == "arpack" and not isinstance(X, numpy.ndarray):
            raise _v.DomainError(
                f"{fn}: svd_solver='arpack' runs SciPy's ARPACK on NumPy arrays only (the numpy and numba "
                f"backends), as scikit-learn offers it; on the {be.name} backend use 'randomized' or 'full'"
            )
        rs = check_random_state(self.random_state)
        (mean,) = _gathered(be, gx, impl(be, "column_means")(X))
        Xc = X - mean
        U = None
        if solver == "arpack":
            from scipy.sparse.linalg import svds

            v0 = rs.uniform(-1, 1, min(X.shape))  # scikit-learn's _init_arpack_v0
            u, S, Vt = svds(Xc, k=nc, tol=self.tol, v0=v0)
            S, u, Vt = S[::-1], u[:, ::-1], Vt[::-1]  # svds: ascending
            U = u
        else:
            n_iter = self.iterated_power
            if n_iter == "auto":
                n_iter = 7 if nc < 0.1 * min(n, d) else 4
            u, S, Vt = impl(be, "randomized_svd")(Xc, int(nc), n_oversamples=int(self.n_oversamples), n_iter=int(n_iter),
                                                  power_iteration_normalizer=self.power_iteration_normalizer,
                                                  random_state=rs)
            if gx is be.xp:
                U = u
        S, Vt, sq = _gathered(be, gx, S, Vt, be.xp.sum(Xc * Xc))  # one pass over X on Dask
        U, Vt = svd_flip(gx, U, Vt)
        ev = S * S / (n - 1)
        return mean, U, S, Vt, ev, sq / (n - 1), int(nc)

    # ---------------------------------------------------------------- the fitted model

    def _project(self, be, X):
        Z = (X - be.asarray(self.mean_)) @ be.asarray(self.components_).T
        if self.whiten:
            # on rank-deficient data a component's variance can be about zero: scikit-learn's floor
            scale = be.xp.sqrt(be.asarray(self.explained_variance_))
            floor = float(numpy.finfo(numpy.float32 if "float32" in str(scale.dtype) else numpy.float64).eps)
            Z = Z / be.xp.where(scale < floor, be.xp.full_like(scale, floor), scale)
        return Z

    def transform(self, X):
        """Project ``X`` on the components: ``(X - mean_) @ components_.T`` (divided by
        √explained_variance_ when whitened).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).

        Returns
        -------
        array of shape (n_samples, n_components_)
            The projections.
        """
        be = self._backend("transform", X, self._fitted())
        X, host = self._data(be, X, self._name("transform"))
        return _out(be, host, self._project(be, X))

    def inverse_transform(self, X):
        """Map projections back to feature space: ``X @ components_ + mean_`` (the components scaled
        by √explained_variance_ when whitened, the exact inverse of ``transform``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_components_)
            Projections in the components' space.

        Returns
        -------
        array of shape (n_samples, n_features)
            The points in feature space.
        """
        fn = self._name("inverse_transform")
        be = self._backend("inverse_transform", X, self._fitted())
        self._check_fitted("inverse_transform")
        host = _v.on_host(X)
        Z = _v.real_float_array(be, X, fn, "X")
        k = self.components_.shape[0]
        if Z.ndim != 2 or Z.shape[1] != k:
            raise _v.ShapeError(f"{fn}: X must have shape (n_samples, {k}); got {Z.shape}")
        _v.finite(be, Z, fn, "X")
        comps = be.asarray(self.components_)
        if self.whiten:
            comps = be.xp.sqrt(be.asarray(self.explained_variance_))[:, None] * comps
        return _out(be, host, Z @ comps + be.asarray(self.mean_))

    def get_covariance(self):
        """The data's covariance under the fitted model: ``components_ᵀ·(explained_variance_ −
        noise_variance_)·components_ + noise_variance_·I``, as scikit-learn's.

        Returns
        -------
        array of shape (n_features, n_features)
            The covariance.
        """
        be, host, C, diff, noise = self._model_parts("get_covariance")
        xp = be.xp
        cov = (C.T * diff) @ C
        return _out(be, host, cov + noise * xp.eye(C.shape[1], dtype=cov.dtype, **_v.device_kw(C)))

    def get_precision(self):
        """The inverse of :meth:`get_covariance`, by the matrix inversion lemma, as scikit-learn's.

        Returns
        -------
        array of shape (n_features, n_features)
            The precision.
        """
        be, host, C, diff, noise = self._model_parts("get_precision")
        return _out(be, host, self._precision(be, C, diff, noise))

    def _model_parts(self, fn: str):
        self._check_fitted(fn)
        be = self._backend(fn, self._fitted())
        host = isinstance(self.components_, numpy.ndarray)
        xp = be.xp
        C = be.asarray(self.components_)
        ev = be.asarray(self.explained_variance_)
        noise = self.noise_variance_
        noise = float(noise) if isinstance(noise, (float, numpy.floating)) else be.asarray(noise)
        if self.whiten:
            C = C * xp.sqrt(ev)[:, None]
        diff = xp.where(ev > noise, ev - noise, xp.zeros_like(ev))
        return be, host, C, diff, noise

    def _precision(self, be, C, diff, noise):
        xp = be.xp
        d = C.shape[1]
        dev = _v.device_kw(C)
        inv = impl(be, "inv")
        if self.n_components_ == 0:
            return xp.eye(d, dtype=C.dtype, **dev) / noise
        if float(noise) == 0.0:
            cov = (C.T * diff) @ C
            return inv(cov + noise * xp.eye(d, dtype=cov.dtype, **dev))
        k = C.shape[0]
        inner = C @ C.T / noise + xp.eye(k, dtype=C.dtype, **dev) * (1.0 / diff)[None, :]
        p = (C.T @ inv(inner)) @ C
        p = p / -(noise * noise)
        return p + xp.eye(d, dtype=p.dtype, **dev) / noise

    def score_samples(self, X):
        """The log-likelihood of each sample under the probabilistic PCA model (Bishop, PRML 12.2.1),
        as scikit-learn's.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        array of shape (n_samples,)
            The log-likelihoods.
        """
        be = self._backend("score_samples", X, self._fitted())
        X, host = self._data(be, X, self._name("score_samples"))
        return _out(be, host, self._log_likelihood(be, X))

    def _log_likelihood(self, be, X):
        xp = be.xp
        _, _, C, diff, noise = self._model_parts("score_samples")
        P = self._precision(be, C, diff, noise)
        Xr = X - be.asarray(self.mean_)
        d = X.shape[1]
        sign, logdet = impl(be, "slogdet")(P)
        logdet = logdet if float(sign) > 0 else -math.inf  # scikit-learn's fast_logdet
        return -0.5 * xp.sum(Xr * (Xr @ P), axis=1) - 0.5 * (d * math.log(2.0 * math.pi) - logdet)

    def score(self, X, y=None):
        """The mean log-likelihood of the samples (:meth:`score_samples`).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples.
        y : None
            Ignored; present for scikit-learn's API.

        Returns
        -------
        float
            The mean log-likelihood.
        """
        be = self._backend("score", X, self._fitted())
        X, _ = self._data(be, X, self._name("score"))
        return float(be.xp.mean(self._log_likelihood(be, X)))


def _count(v: Any, low: int) -> bool:
    """Whether ``v`` is an integer (not a bool) of at least ``low``."""
    return isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= low


def _scalar(be, gx, host: bool, v):
    """A fitted scalar as scikit-learn's: ``0.0``, a NumPy scalar for host data and Dask, else the
    library's 0-d array."""
    if isinstance(v, float) or isinstance(v, numpy.floating):
        return v
    if gx is numpy:
        return v[()] if isinstance(v, numpy.ndarray) else v
    return be.to_numpy(v)[()] if host else v


def _floats(a) -> list[float]:
    """A small array's values as Python floats."""
    return [float(v) for v in a]


def svd_flip(xp, u, vt):
    """scikit-learn's ``svd_flip(u, vt, u_based_decision=False)``: each row of ``vt`` (and the column of
    ``u`` with it, where given) signed so that its largest-magnitude entry is positive."""
    big = xp.argmax(xp.abs(vt), axis=1)
    signs = xp.sign(xp.take_along_axis(vt, big[:, None], axis=1))[:, 0]
    signs = xp.where(signs == 0, xp.ones_like(signs), signs)
    vt = vt * signs[:, None]
    return (None if u is None else u * signs[None, :]), vt


def _assess_dimension(spectrum, rank: int, n_samples: int) -> float:
    """The log-likelihood of a rank-``rank`` model of data with eigenvalue ``spectrum`` (Minka,
    "Automatic choice of dimensionality for PCA", NIPS 2000), as scikit-learn's ``_assess_dimension``.

    Parameters
    ----------
    spectrum : sequence of float
        The eigenvalues of the covariance, descending.
    rank : int
        The rank tested, in [1, len(spectrum) - 1].
    n_samples : int
        The number of samples.

    Returns
    -------
    float
        The log-likelihood (``-inf`` where ``spectrum[rank - 1]`` is below 1e-15).

    Examples
    --------
    >>> from xpmath.models._pca import _assess_dimension
    >>> _assess_dimension([1.0, 1e-30, 1e-30], 2, 10)
    -inf
    """
    spectrum = _floats(spectrum)
    n_features = len(spectrum)
    if not 1 <= rank < n_features:
        raise _v.DomainError("the tested rank should be in [1, n_features - 1]")
    eps = 1e-15
    if spectrum[rank - 1] < eps:
        return -math.inf
    pu = -rank * math.log(2.0)
    for i in range(1, rank + 1):
        pu += math.lgamma((n_features - i + 1) / 2.0) - math.log(math.pi) * (n_features - i + 1) / 2.0
    pl = -math.fsum(math.log(s) for s in spectrum[:rank]) * n_samples / 2.0
    v = max(eps, math.fsum(spectrum[rank:]) / (n_features - rank))
    pv = -math.log(v) * n_samples * (n_features - rank) / 2.0
    m = n_features * rank - rank * (rank + 1.0) / 2.0
    pp = math.log(2.0 * math.pi) * (m + rank) / 2.0
    kept = spectrum[:rank] + [v] * (n_features - rank)
    pa = 0.0
    for i in range(rank):
        for j in range(i + 1, n_features):
            gap = (spectrum[i] - spectrum[j]) * (1.0 / kept[j] - 1.0 / kept[i])
            if not gap > 0:  # scikit-learn's math.log raises here too (a ValueError)
                raise _v.DomainError(f"Minka's likelihood of rank {rank} is undefined: eigenvalues {i} and {j} of "
                                     "the spectrum are equal")
            pa += math.log(gap) + math.log(n_samples)
    return pu + pl + pv + pp - pa / 2.0 - rank * math.log(n_samples) / 2.0


def _infer_dimension(spectrum, n_samples: int) -> int:
    """The rank in [1, len(spectrum) - 1] of largest :func:`_assess_dimension`, as scikit-learn's.

    Parameters
    ----------
    spectrum : sequence of float
        The eigenvalues of the covariance, descending.
    n_samples : int
        The number of samples.

    Returns
    -------
    int
        The dimension chosen.

    Examples
    --------
    >>> from xpmath.models._pca import _infer_dimension
    >>> _infer_dimension([1.0, 1e-30, 1e-30, 1e-30], 10)
    1
    """
    spectrum = _floats(spectrum)
    ll = [-math.inf] + [_assess_dimension(spectrum, r, n_samples) for r in range(1, len(spectrum))]
    return int(numpy.argmax(ll))
