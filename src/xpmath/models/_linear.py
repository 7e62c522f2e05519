"""Linear least squares: ``LinearRegression``, and the least-squares fits it runs on each backend."""

from __future__ import annotations

import functools
import numbers
from typing import Any, NamedTuple

import numpy

from .. import _fitting
from .. import _validate as _v
from .._arrays import astype as _astype
from .._dispatch import impl
from .._fitting import _gathered, _small, _to_backend
from ._base import SKLEARN, _Model, _out, _Regressor, _x_check

_SOLVERS = ("lstsq", "gd")

#: The normal equations stand for the least-squares solution where κ(X)² ε stays below this
#: (κ the condition number of the centred, weighted X; κ <= 6,700 in float64): their solution then
#: differs from lstsq's by about κ² ε relative, far inside the float64 tolerance of the answers.
_GRAM_ERROR = 1e-8


class LinearRegression(_Regressor, _Model):
    """Ordinary least squares, as scikit-learn's ``LinearRegression``: minimise ‖y − Xw − b‖²
    (Σᵢ sᵢ(yᵢ − xᵢw − b)² with sample weights).

    ``X`` and ``y`` are centred by their (weighted) means when ``fit_intercept``, the rows scaled by
    the square roots of the weights, and the least-squares problem solved by a rank-revealing
    factorisation (LAPACK's ``gelsd``, SciPy's driver in scikit-learn): collinear columns and more
    features than samples give the minimum-norm solution, never an error. ``rank_`` and
    ``singular_`` are those of that centred, scaled ``X``, singular values below ``tol`` times the
    largest counting as zero. ``positive=True`` solves the non-negative problem (SciPy's ``nnls``
    for NumPy arrays; Lawson and Hanson's active-set method on the backend's arrays elsewhere, on the
    triangular factor of a QR of ``X``).

    On ``dask`` a tall ``X`` chunked by rows is factorised by TSQR, one pass over the chunks after
    the means: ``X`` is never gathered. On ``numba`` a float64 fit solves the normal equations from
    the one-pass centred Gram matrix where ``X`` is well conditioned (κ(X)² ε ≤ 1e-8, ~30 times
    faster than LAPACK's least squares on tall data), and least squares on the centred data
    otherwise (rank deficiency, poor conditioning): the same answers either way.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to fit ``intercept_`` (False: the data are taken as centred, ``intercept_ = 0.0``).
    copy_X : bool, default=True
        scikit-learn's option to let ``fit`` overwrite ``X``; xpmath never writes into ``X``, so
        False changes nothing.
    tol : float, default=1e-6
        The relative cutoff of the singular values (scipy.linalg.lstsq's ``cond``, as scikit-learn
        1.9 uses it on dense data). With ``solver="gd"``, the descent's stopping rule ``lr·‖grad‖ < tol``.
    n_jobs : int or None, default=None
        Accepted for scikit-learn's signature; the targets of ``positive=True`` are solved in turn.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    solver : {"lstsq", "gd"}, default="lstsq"
        xpmath's addition, keyword-only: ``"gd"`` is the teaching solver, gradient descent on the
        backend (one pass over ``X`` per step, ``lr`` and ``max_iter``), reaching the least-squares
        solution on well-scaled data.
    alpha : float, default=0.0
        xpmath's addition, keyword-only: a ridge penalty α‖w‖² (the intercept unpenalised), as
        scikit-learn's ``Ridge(alpha)``; 0 is scikit-learn's ``LinearRegression``.
    lr, max_iter : float, int
        Gradient descent's step and step limit (``solver="gd"`` only).
    backend : str, optional
        xpmath's addition: the backend of host data (foreign arrays run in their own library).

    Attributes
    ----------
    coef_ : array, (n_features,) or (n_targets, n_features) for 2-D ``y``
    intercept_ : float or array (n_targets,); 0.0 without ``fit_intercept``
    rank_ : int
        The rank of the centred, scaled ``X`` (not with ``positive=True`` or ``solver="gd"``).
    singular_ : array (min(n_samples, n_features),)
        Its singular values (idem).
    n_features_in_, feature_names_in_ : as scikit-learn's
    n_iter_, loss_history_, converged_, diverged_ : with ``solver="gd"``

    Examples
    --------
    >>> import xpmath
    >>> m = xpmath.LinearRegression().fit([[1.0], [2.0], [3.0]], [3.0, 5.0, 7.0])
    >>> round(float(m.coef_[0]), 6), round(float(m.intercept_), 6)
    (2.0, 1.0)
    >>> m = xpmath.LinearRegression().fit([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], [1.0, 2.0, 3.0])
    >>> m.rank_, [round(float(c), 6) for c in m.coef_]  # collinear columns: the minimum-norm fit
    (1, [0.2, 0.4])
    """

    def __init__(self, *, fit_intercept=True, copy_X=True, tol=1e-6, n_jobs=None, positive=False,
                 solver="lstsq", alpha=0.0, lr=0.01, max_iter=1000, backend=None):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs
        self.positive = positive
        self.solver = solver
        self.alpha = alpha
        self.lr = lr
        self.max_iter = max_iter
        self.backend = backend

    if SKLEARN:

        def __sklearn_tags__(self):
            tags = super().__sklearn_tags__()
            tags.target_tags.multi_output = True
            return tags

    def _params(self, fn: str) -> tuple[bool, float, float, bool]:
        """The checked ``(fit_intercept, tol, alpha, positive)``; raises scikit-learn's error classes."""
        fit_intercept = _flag(self.fit_intercept, fn, "fit_intercept")
        _flag(self.copy_X, fn, "copy_X")
        positive = _flag(self.positive, fn, "positive")
        tol = _v.positive_float(self.tol, fn, "tol", allow_zero=True)
        if self.n_jobs is not None and (not isinstance(self.n_jobs, numbers.Integral) or isinstance(self.n_jobs, bool)):
            raise _v.DomainError(f"{fn}: n_jobs must be None or an int; got {self.n_jobs!r}")
        alpha = self._alpha(fn)
        if self.solver not in _SOLVERS:
            hint = (" ('lstsq' solves the least squares the normal equations describe, by a rank-revealing "
                    "factorisation, for collinear and wide X too)" if self.solver == "normal" else "")
            raise _v.DomainError(f"{fn}: solver must be 'lstsq' or 'gd'; got {self.solver!r}{hint}")
        if positive and self.solver == "gd":
            raise _v.DomainError(f"{fn}: positive=True is solved by solver='lstsq' (non-negative least squares), "
                                 "not by solver='gd'")
        return fit_intercept, tol, alpha, positive

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

        Returns
        -------
        self : LinearRegression
            The fitted estimator.
        """
        fn = self._name("fit")
        fi, tol, alpha, positive = self._params(fn)
        descent = self._descent(fn) if self.solver == "gd" else None
        be = self._backend("fit", X, y, sample_weight)
        defer = descent is not None and be.gd_step_flags_nonfinite  # the first step checks X (see _fitting)
        X, y, host = self._fit_data(be, X, y, fn, "numeric", finite_x=not defer)
        sw = _v.sample_weights(be, sample_weight, X.shape[0], X.dtype, fn)
        if descent is None:
            r = least_squares(be, X, y, fit_intercept=fi, tol=tol, alpha=alpha, positive=positive, sample_weight=sw)
            w, b = r.coef, r.intercept
            for k in ("n_iter_", "loss_history_", "converged_", "diverged_", "rank_", "singular_"):
                self.__dict__.pop(k, None)
            if r.rank is not None:
                self.rank_ = r.rank
                self.singular_ = _out(be, host, r.singular)
        else:
            st = _fitting.gradient_descent(be, "linear", X, y, alpha, fi, *descent, sample_weight=sw,
                                           check_x=_x_check(be, X, fn, type(self).__name__ if host else None) if defer else None)
            self._keep_descent(be, host, fn, st)
            for k in ("rank_", "singular_"):
                self.__dict__.pop(k, None)
            w, b = st.w, st.b
        self.coef_ = _out(be, host, w.T if w.ndim == 2 else w)  # (n_targets, n_features) as scikit-learn
        if b is None:
            self.intercept_ = 0.0  # scikit-learn's, for one target or several
        else:
            b = _out(be, host, b)
            self.intercept_ = b[()] if b.ndim == 0 else b
        return self

    def predict(self, X):
        """``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
            The samples (NumPy in gives NumPy out; the backend's own arrays stay on it).

        Returns
        -------
        array of shape (n_samples,) or (n_samples, n_targets)
            The predictions.
        """
        be = self._backend("predict", X, self._fitted())
        X, host = self._data(be, X, self._name("predict"))
        coef = be.asarray(self.coef_)
        b = self.intercept_
        t = X @ (coef.T if coef.ndim == 2 else coef)
        return _out(be, host, t + (b if isinstance(b, float) else be.asarray(b)))  # 0.0 keeps X's dtype

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

        Returns
        -------
        float
            R², 1.0 for a perfect prediction.
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


def _flag(v: Any, fn: str, name: str) -> bool:
    """A boolean parameter (Python's or NumPy's bool), as scikit-learn's ``"boolean"`` constraint."""
    if not isinstance(v, (bool, numpy.bool_)):
        raise _v.DomainError(f"{fn}: the {name!r} parameter must be an instance of 'bool'; got {v!r}")
    return bool(v)


# ---------------------------------------------------------------- the fits


class LeastSquares(NamedTuple):
    """A least-squares fit: ``coef`` (d, k), ``intercept`` (k,) or None, on the backend; ``rank``
    and ``singular`` (of the centred, scaled X) or None where the solver gives none (``positive``)."""

    coef: Any
    intercept: Any
    rank: int | None
    singular: Any


def least_squares(be, X, y, *, fit_intercept: bool, tol: float, alpha: float = 0.0, positive: bool = False,
                  sample_weight=None) -> LeastSquares:
    """scikit-learn's ``LinearRegression`` fit on backend ``be`` (``alpha > 0``: its ``Ridge``).

    ``X`` (n, d) and ``y`` (n,) or (n, k) are checked and on the backend, ``y`` in ``X``'s dtype;
    ``sample_weight`` None or (n,) on the backend. The centred, weighted problem is solved by the
    backend's ``lstsq`` (rcond ``tol``), its SVD for a ridge, or non-negative least squares; on a
    backend with ``least_squares_by_gram`` by the normal equations where they are as exact.
    ``coef`` and ``intercept`` take ``y``'s trailing axes.
    """
    gx = impl(be, "gd_xp")()
    y2 = y[:, None] if y.ndim == 1 else y  # not reshape: Dask would gather every chunk into one
    fit = None
    if be.least_squares_by_gram and not positive:
        fit = _by_gram(be, X, y2, fit_intercept, tol, alpha, sample_weight)
    if fit is None:
        fit = _by_factorisation(be, gx, X, y2, fit_intercept, tol, alpha, positive, sample_weight)
    xm, ym, coef, rank, s = fit
    b = ym - xm @ coef if fit_intercept else None
    if y.ndim == 1:
        coef, b = coef[:, 0], (None if b is None else b[0])
    coef, s = _to_backend(be, gx, coef, s) if s is not None else (_to_backend(be, gx, coef)[0], None)
    if b is not None:
        (b,) = _to_backend(be, gx, b)
    return LeastSquares(coef, b, rank, s)


def _means(be, gx, X, y2, fit_intercept: bool, sample_weight):
    """The (weighted) column means of ``X`` and ``y2`` in the fit's namespace (one pass on Dask);
    zeros without an intercept."""
    if not fit_intercept:
        dev = _v.device_kw(X)
        return (gx.zeros((X.shape[1],), dtype=X.dtype, **dev), gx.zeros((y2.shape[1],), dtype=X.dtype, **dev))
    if sample_weight is None:
        means = impl(be, "column_means")
        return _gathered(be, gx, means(X), means(y2))
    total = be.xp.sum(sample_weight)
    return _gathered(be, gx, (sample_weight @ X) / total, (sample_weight @ y2) / total)


def _by_factorisation(be, gx, X, y2, fit_intercept, tol, alpha, positive, sample_weight):
    """``(xm, ym, coef, rank, s)`` from a factorisation of the centred, scaled data."""
    if gx is not be.xp and X.shape[0] >= 1 + X.shape[1] + y2.shape[1]:
        # lazy data: the small problem of the R factor, on the host, from one pass over X
        xm, ym, Xs, ys = _reduced(be, gx, X, y2, fit_intercept, sample_weight)
        op = functools.partial(_small, be)
    else:
        xm, ym = _means(be, gx, X, y2, fit_intercept, sample_weight)
        Xs, ys = (X - xm, y2 - ym) if fit_intercept else (X, y2)
        if sample_weight is not None:
            root = be.xp.sqrt(sample_weight)[:, None]
            Xs, ys = Xs * root, ys * root
        op = functools.partial(impl, be)
    if positive:
        return xm, ym, _non_negative(be, gx, op, Xs, ys, alpha, fit_intercept), None, None
    if alpha == 0:
        coef, _, rank, s = op("lstsq")(Xs, ys, tol)
        coef, s, rank = _gathered(be, gx, coef, s, rank)
        return xm, ym, coef, int(rank), s
    # a ridge: w = V diag(s / (s² + α)) Uᵀy from the thin SVD (scikit-learn's Ridge(solver="svd"))
    u, s, vt = op("svd")(Xs, False, True, False)
    s, vt, uty = _gathered(be, gx, s, vt, u.T @ ys)
    coef = vt.T @ ((s / (s * s + alpha))[:, None] * uty)
    rank = int(gx.sum(_astype(gx, s > tol * s[0], gx.int64))) if s.shape[0] else 0
    return xm, ym, coef, rank, s


def _reduced(be, gx, X, y2, fit_intercept, sample_weight):
    """``(xm, ym, R, Qᵀy)`` in the fit's namespace from the R factor of ``[1 | X | y]`` (each row scaled
    by the square root of its weight), one pass of the backend's QR (TSQR on Dask, which keeps no
    block of Q): below the first row, R is the factor of the centred, scaled ``[X | y]``, its first row
    over its corner the (weighted) means. ``‖Xs w − ys‖² = ‖R w − Qᵀys‖² + const``, so the small
    ``R`` has the data's singular values, rank and least-squares solutions."""
    xp = be.xp
    d = X.shape[1]
    cols = [X, y2]
    if fit_intercept:
        cols.insert(0, xp.ones_like(X[:, :1]))
    if sample_weight is not None:
        root = xp.sqrt(sample_weight)[:, None]
        cols = [c * root for c in cols]
    (r,) = _gathered(be, gx, impl(be, "qr")(xp.concatenate(cols, axis=1), "r"))
    if fit_intercept:
        means = r[0, 1:] / r[0, 0]
        xm, ym, r = means[:d], means[d:], r[1:, 1:]
    else:
        xm, ym = gx.zeros((d,), dtype=r.dtype), gx.zeros((y2.shape[1],), dtype=r.dtype)
    return xm, ym, r[:d, :d], r[:d, d:]


def _by_gram(be, X, y2, fit_intercept, tol, alpha, sample_weight):
    """``(xm, ym, coef, rank, s)`` by the normal equations of the backend's one-pass centred Gram
    matrix, where they give the least-squares answer to well within float64's tolerance: X of full
    column rank, every singular value above ``tol`` times the largest, κ(X)² ε ≤ ``_GRAM_ERROR``.
    None otherwise (the caller factorises the data)."""
    if X.dtype != numpy.float64 or y2.dtype != numpy.float64:
        return None
    gram = impl(be, "centred_gram")
    if sample_weight is None:
        xm, G, ym, r = gram(X, y2, fit_intercept)
    else:
        xm, G, ym, r = gram(X, y2, fit_intercept, sample_weight=sample_weight)
    lam, v = numpy.linalg.eigh(G)
    lam, v = lam[::-1], v[:, ::-1]
    if not lam[-1] > 0 or lam[0] / lam[-1] * numpy.finfo(numpy.float64).eps > _GRAM_ERROR or lam[-1] <= tol * tol * lam[0]:
        return None
    coef = v @ ((v.T @ r) / (lam + alpha)[:, None])
    return xm, ym, coef, X.shape[1], numpy.sqrt(lam)


def _non_negative(be, gx, op, Xs, ys, alpha, fit_intercept):
    """Non-negative least squares of each target: SciPy's ``nnls`` of the data for NumPy arrays (as
    scikit-learn; float64, cast to X's dtype with an intercept as scikit-learn does: so everywhere), else of the
    triangular factor ``R`` of ``Xs = QR`` and ``Qᵀys`` (the same problem: ‖Xw − y‖² = ‖Rw − Qᵀy‖² + c),
    by SciPy where ``R`` is on the host (Dask) and by :func:`nnls` on the backend elsewhere. A ridge
    stacks √α·I under the matrix."""
    d = Xs.shape[1]
    if isinstance(Xs, numpy.ndarray):
        A, B = Xs, ys
    else:
        q, r = op("qr")(Xs, "reduced")
        A, B = _gathered(be, gx, r, q.T @ ys)  # one pass over X on Dask
    if alpha:
        dev = _v.device_kw(A)
        cat = getattr(gx, "concat", None) or gx.concatenate
        A = cat([A, (alpha ** 0.5) * gx.eye(d, dtype=A.dtype, **dev)], axis=0)
        B = cat([B, gx.zeros((d, B.shape[1]), dtype=B.dtype, **dev)], axis=0)
    if gx is numpy:
        from scipy.optimize import nnls as scipy_nnls

        coef = numpy.stack([scipy_nnls(A, B[:, j])[0] for j in range(B.shape[1])], axis=1)
        return coef.astype(Xs.dtype) if fit_intercept else coef
    lstsq = op("lstsq")
    coef = gx.stack([nnls(gx, lstsq, A, B[:, j]) for j in range(B.shape[1])], axis=1)
    return coef if fit_intercept else _astype(gx, coef, gx.float64)  # SciPy's float64, as above


def nnls(xp, lstsq, A, b, maxiter: int | None = None):
    """``argmin ‖Ax − b‖`` over ``x >= 0`` by Lawson and Hanson's active-set method (SciPy's ``nnls``),
    in the array API standard's functions on ``A``'s device; ``lstsq`` is the backend's.

    Each least-squares subproblem is ``lstsq`` of ``A`` with the columns of the active (zero) set
    zeroed, its minimum-norm solution zero there; ``maxiter`` (3·n by default) bounds the inner
    steps, beyond which SciPy's ``RuntimeError`` is raised.
    """
    m, n = A.shape
    maxiter = maxiter or 3 * n
    dev = _v.device_kw(A)
    dt = A.dtype
    tol = 10.0 * max(m, n) * float(numpy.finfo(numpy.float32 if "float32" in str(dt) else numpy.float64).eps)
    zero = xp.zeros((n,), dtype=dt, **dev)
    x = zero
    passive = xp.zeros((n,), dtype=getattr(xp, "bool", bool), **dev)
    index = xp.arange(n, **dev)
    steps = 0

    def solve(p):
        s = lstsq(A * _astype(xp, p, dt)[None, :], b, None)[0]
        return xp.where(p, s, zero)

    w = A.T @ (b - A @ x)
    while bool(xp.any(~passive & (w > tol))):
        j = xp.argmax(xp.where(passive, xp.full_like(w, -numpy.inf), w))
        passive = passive | (index == j)
        s = solve(passive)
        while bool(xp.any(passive & (s < 0))):
            steps += 1
            if steps > maxiter:
                raise RuntimeError("Maximum number of iterations reached.")
            blocking = passive & (s < 0)
            step = xp.min(xp.where(blocking, x / xp.where(blocking, x - s, xp.ones_like(x)), xp.full_like(x, numpy.inf)))
            x = x + step * (s - x)
            passive = passive & (x > tol)
            x = xp.where(passive, x, zero)
            s = solve(passive)
        x = s
        w = A.T @ (b - A @ x)
    return x
