"""Logistic regression, binary and multinomial: ``LogisticRegression``, with scikit-learn's parameters,
objective and solvers (L-BFGS, Newton-Cholesky) and xpmath's teaching solver ``"gd"``."""

from __future__ import annotations

import numbers
import warnings

import numpy

from .. import _validate as _v
from .._arrays import astype as _astype
from .._arrays import numpy_dtype as _numpy_dtype
from .._dispatch import impl
from ..errors import _convergence_warning
from ..optimize import _descent, _lbfgs, _newton
from ..optimize._passes import LinearLoss, small, to_backend
from ._base import _Classifier, _Model, _out, _x_check

#: scikit-learn's solvers: those xpmath offers, and those it does not
SOLVERS = ("lbfgs", "newton-cholesky", "newton-cg", "gd")
SKLEARN_ONLY = ("liblinear", "sag", "saga")

_SOLVER_DOC = (
    "Please also refer to the documentation for alternative solver options:\n"
    "    https://scikit-learn.org/stable/modules/linear_model.html#logistic-regression"
)


def _bad(fn: str, name: str, what: str, value) -> _v.DomainError:
    """scikit-learn's message for a parameter outside its constraints (an ``InvalidParameterError`` there)."""
    return _v.DomainError(f"{fn}: The {name!r} parameter of LogisticRegression must be {what}. Got {value!r} instead.")


def _is_bool(v) -> bool:
    return isinstance(v, (bool, numpy.bool_))


def _real(v) -> bool:
    return isinstance(v, numbers.Real) and not _is_bool(v)


def _integral(v) -> bool:
    return isinstance(v, numbers.Integral) and not _is_bool(v)


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
    """Logistic regression, binary or multinomial (softmax), with scikit-learn's parameters and objective.

    Minimises ``C·Σᵢ sᵢ·logloss(yᵢ, xᵢ·W + b) + ½‖W‖²`` scaled by ``1 / (C·Σᵢ sᵢ)`` — the mean of the
    sample-weighted log-losses plus ``‖W‖² / (2·C·Σᵢ sᵢ)``, the intercept unpenalised — as scikit-learn's
    ``LogisticRegression`` (``sᵢ`` the sample weights times the class weights, all 1 by default).
    Two classes fit one row of coefficients (``coef_`` of shape ``(1, n_features)``), more fit one row
    per class with scikit-learn's symmetric parametrisation (the rows' intercepts, and without a
    penalty the rows themselves, sum to zero). Any labels scikit-learn accepts work; ``classes_``
    holds them sorted. The solvers run on the backend, on the data where it lives: each L-BFGS
    evaluation is one fused pass over ``X`` (loss and gradient together), each Newton step one more
    pass for the Hessian; only scalars cross to the host to steer them.

    The parameters are scikit-learn 1.9's, in its order and with its defaults and warnings; xpmath
    adds two keyword-only ones, ``lr`` and ``backend``, and the solver ``"gd"``.

    Parameters
    ----------
    penalty : {"l2", None}, default="deprecated"
        Deprecated by scikit-learn 1.8 (a ``FutureWarning`` when given): ``C=numpy.inf`` stands for
        ``None``. ``"l1"`` and ``"elasticnet"`` need solvers xpmath does not offer (a ``ValueError``).
    C : float, default=1.0
        The inverse of the penalty's strength, > 0; ``numpy.inf`` fits without a penalty.
    l1_ratio : float, default=0.0
        Only 0 (the L2 penalty) is offered; other values select the L1 or elastic-net penalty,
        which raise ``ValueError`` as scikit-learn does for the solvers without them.
    dual : bool, default=False
        Only the primal problem is solved: ``True`` raises ``ValueError`` (as scikit-learn's
        solvers other than liblinear).
    tol : float, default=1e-4
        The stopping tolerance: ``"lbfgs"`` stops when ``max|gᵢ| <= tol`` (the gradient of the scaled
        objective) or the loss stops decreasing; ``"newton-cholesky"`` when also ``½ΔᵀHΔ <= tol``;
        ``"newton-cg"`` when ``max|gᵢ| <= tol``; ``"gd"`` when ``lr·‖g‖ < tol``.
    fit_intercept : bool, default=True
        Whether to fit the intercepts (unpenalised).
    intercept_scaling : float, default=1
        Used by scikit-learn's liblinear solver only; accepted and checked (> 0), without effect.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplying the sample weights: ``"balanced"`` gives
        ``Σs / (n_classes · Σs of the class)``.
    random_state : int, RandomState or None, default=None
        Used by scikit-learn's sag, saga and liblinear solvers only; without effect here.
    solver : {"lbfgs", "newton-cholesky", "newton-cg", "gd"}, default="lbfgs"
        ``"lbfgs"``: limited-memory BFGS with a strong Wolfe line search (on the ``numpy`` backend,
        SciPy's L-BFGS-B with scikit-learn's options, so ``n_iter_`` is scikit-learn's; on every
        other backend xpmath's, on the data's device). ``"newton-cholesky"``: Newton steps solved by
        a Cholesky factorisation of the full Hessian (``(n_features + 1)·n_classes`` square for more
        than two classes), for many more samples than features. ``"newton-cg"``: Newton steps by
        conjugate gradients on Hessian-vector products (one pass over ``X`` each). ``"gd"``:
        xpmath's teaching solver, plain gradient descent with the step ``lr``, recording
        ``loss_history_``. scikit-learn's ``"liblinear"``, ``"sag"`` and ``"saga"`` raise ``ValueError``.
    max_iter : int, default=100
        The most iterations (L-BFGS iterations, Newton steps, gradient steps), >= 0.
    verbose : int, default=0
        Accepted for scikit-learn's signature; xpmath's solvers print nothing.
    warm_start : bool, default=False
        Start from the previous fit's ``coef_`` and ``intercept_`` (every solver but ``"gd"``).
    n_jobs : int or None, default=None
        Deprecated by scikit-learn 1.8 and without effect (a ``FutureWarning`` when given).
    lr : float, default=0.1
        xpmath's keyword: the step of ``solver="gd"``, > 0 (unused by the other solvers).
    backend : str, optional
        xpmath's keyword: the backend to fit on (see :func:`xpmath.use_backend`).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : array of shape (1, n_features) or (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,), int32
        The iterations the solver ran, as scikit-learn's.
    n_features_in_, feature_names_in_ : as scikit-learn's
    loss_history_, converged_, diverged_ : with ``solver="gd"``

    Examples
    --------
    >>> import xpmath
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> m = xpmath.LogisticRegression(C=10.0).fit(X, ["no", "no", "yes", "yes"])
    >>> m.predict(X).tolist()
    ['no', 'no', 'yes', 'yes']
    """

    def __init__(self, penalty="deprecated", *, C=1.0, l1_ratio=0.0, dual=False, tol=1e-4, fit_intercept=True,
                 intercept_scaling=1, class_weight=None, random_state=None, solver="lbfgs", max_iter=100,
                 verbose=0, warm_start=False, n_jobs=None, lr=0.1, backend=None):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.dual = dual
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.lr = lr
        self.backend = backend

    def _check_params(self, fn: str) -> None:
        """scikit-learn's parameter constraints, in its words."""
        if not (self.penalty in ("l1", "l2", "elasticnet", "deprecated") or self.penalty is None):
            raise _bad(fn, "penalty", "a str among {'elasticnet', 'l1', 'l2'} or None", self.penalty)
        if not (_real(self.C) and self.C > 0):
            raise _bad(fn, "C", "a float in the range (0.0, inf]", self.C)
        if not (self.l1_ratio is None or (_real(self.l1_ratio) and 0 <= self.l1_ratio <= 1)):
            raise _bad(fn, "l1_ratio", "a float in the range [0.0, 1.0] or None", self.l1_ratio)
        for name in ("dual", "fit_intercept", "warm_start"):
            if not _is_bool(getattr(self, name)):
                raise _bad(fn, name, "an instance of 'bool' or an instance of 'numpy.bool'", getattr(self, name))
        if not (_real(self.tol) and self.tol >= 0 and self.tol == self.tol):
            raise _bad(fn, "tol", "a float in the range [0.0, inf)", self.tol)
        if not (_real(self.intercept_scaling) and 0 < self.intercept_scaling < float("inf")):
            raise _bad(fn, "intercept_scaling", "a float in the range (0.0, inf)", self.intercept_scaling)
        cw = self.class_weight
        if not (cw is None or isinstance(cw, dict) or (isinstance(cw, str) and cw == "balanced")):
            raise _bad(fn, "class_weight", "an instance of 'dict', a str among {'balanced'} or None", cw)
        if not (isinstance(self.solver, str) and self.solver in SOLVERS + SKLEARN_ONLY):
            options = "{" + ", ".join(repr(s) for s in sorted(SOLVERS + SKLEARN_ONLY)) + "}"
            raise _bad(fn, "solver", f"a str among {options}", self.solver)
        if not (_integral(self.max_iter) and self.max_iter >= 0):
            raise _bad(fn, "max_iter", "an int in the range [0, inf)", self.max_iter)
        if not (_is_bool(self.verbose) or (_integral(self.verbose) and self.verbose >= 0)):
            raise _bad(fn, "verbose", "an int in the range [0, inf), an instance of 'bool' or an instance of "
                       "'numpy.bool'", self.verbose)
        if not (self.n_jobs is None or _integral(self.n_jobs)):
            raise _bad(fn, "n_jobs", "None or an instance of 'int'", self.n_jobs)

    def _options(self, fn: str) -> tuple[str, float]:
        """``(solver, C)`` of a fit, after scikit-learn's parameter checks, deprecation warnings and
        solver-penalty rules; ``C`` is ``inf`` for no penalty."""
        self._check_params(fn)
        if self.penalty == "deprecated":
            if self.l1_ratio == 0 or self.l1_ratio is None:
                penalty = "l2"
                if self.l1_ratio is None:
                    warnings.warn("'l1_ratio=None' was deprecated in version 1.8 and will trigger an error in 1.10. "
                                  "Use 0<=l1_ratio<=1 instead.", FutureWarning, stacklevel=3)
            elif self.l1_ratio == 1:
                penalty = "l1"
            else:
                penalty = "elasticnet"
            if self.C == numpy.inf:
                penalty = None
        else:
            penalty = self.penalty
            warnings.warn(
                "'penalty' was deprecated in version 1.8 and will be removed in 1.10. To avoid this warning, leave "
                "'penalty' set to its default value and use 'l1_ratio' or 'C' instead. Use l1_ratio=0 instead of "
                "penalty='l2', l1_ratio=1 instead of penalty='l1', l1_ratio set to a float between 0 and 1 "
                "instead of penalty='elasticnet', and C=np.inf instead of penalty=None.",
                FutureWarning, stacklevel=3)
        solver = self.solver
        if solver in SKLEARN_ONLY:
            raise _v.DomainError(
                f"{fn}: solver={solver!r} is scikit-learn's and not offered by xpmath, which has 'lbfgs', "
                "'newton-cholesky', 'newton-cg' and 'gd'"
                + (" (and no L1 or elastic-net penalty)" if penalty in ("l1", "elasticnet") else ""))
        if penalty not in ("l2", None):
            raise _v.DomainError(f"{fn}: Solver {solver} supports only 'l2' or None penalties, got {penalty} penalty.")
        if self.dual:
            raise _v.DomainError(f"{fn}: Solver {solver} supports only dual=False, got dual={self.dual}")
        if penalty != "elasticnet" and self.l1_ratio is not None and 0 < self.l1_ratio < 1:
            warnings.warn(f"l1_ratio parameter is only used when penalty is 'elasticnet'. Got (penalty={penalty})",
                          stacklevel=3)
        if (self.penalty == "l2" and self.l1_ratio != 0) or (self.penalty == "l1" and self.l1_ratio != 1):
            warnings.warn(f"Inconsistent values: penalty={self.penalty} with l1_ratio={self.l1_ratio}. penalty is "
                          "deprecated. Please use l1_ratio only.", stacklevel=3)
        C = float(self.C)
        if self.penalty is None:
            if self.C != 1.0:
                warnings.warn("Setting penalty=None will ignore the C and l1_ratio parameters", stacklevel=3)
            C = float("inf")
        if self.n_jobs is not None:
            warnings.warn(f"'n_jobs' has no effect since 1.8 and will be removed in 1.10. You provided "
                          f"'n_jobs={self.n_jobs}', please leave it unspecified.", FutureWarning, stacklevel=3)
        return solver, C

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

        Returns
        -------
        LogisticRegression
            The fitted estimator.

        Raises
        ------
        DomainError
            A parameter outside scikit-learn's constraints, a solver or penalty xpmath does not offer,
            one class only, or a ``warm_start`` whose coefficients do not fit the data (each a ``ValueError``).

        Warns
        -----
        ConvergenceWarning
            The solver stopped before its convergence test held (``max_iter`` reached, say).
        FutureWarning
            ``penalty``, ``l1_ratio=None`` or ``n_jobs`` given (deprecated by scikit-learn 1.8).
        """
        fn = self._name("fit")
        solver, C = self._options(fn)
        alpha = 0.0 if C == float("inf") else 1.0 / C
        gd = solver == "gd"
        descent = (_v.positive_float(self.lr, fn, "lr"), int(self.max_iter), float(self.tol)) if gd else None
        be = self._backend("fit", X, y, sample_weight)
        # the backend's fused step, the first pass over X of every solver but Newton-Cholesky (whose first
        # is a Hessian), checks X as it goes (see optimize._descent and _passes): one read of X less
        defer = be.gd_step_flags_nonfinite and solver != "newton-cholesky"
        X, labels, host = self._fit_data(be, X, y, fn, "labels", finite_x=not defer)
        check_x = _x_check(be, X, fn, type(self).__name__ if host else None)
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
                f"{fn}: This solver needs samples of at least 2 classes in the data, but the data contains only "
                f"one class: {be.to_numpy(classes)[0]!r}"
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
        fi = bool(self.fit_intercept)
        xp = be.xp
        if gd:
            st = _descent.model_descent(be, kind, X, target, alpha, fi, *descent, sample_weight=sw,
                                        check_x=check_x if defer else None)
            self._keep_descent(be, host, fn, st)
            self.n_iter_ = numpy.asarray([st.n_iter], dtype=numpy.int32)
            w, b = st.w, st.b
        else:
            objective = LinearLoss(be, kind, X, target, alpha, fi, sw, check_x=check_x if defer else None)
            x0 = self._start(be, objective, k, fn)
            res = self._solve(be, solver, objective, x0, fn)
            self.n_iter_ = numpy.asarray([res.n_iter], dtype=numpy.int32)
            w, b = to_backend(be, objective.xp, *objective.split(res.x))
            for name in ("loss_history_", "converged_", "diverged_"):
                if hasattr(self, name):
                    delattr(self, name)
        self.classes_ = classes
        self.coef_ = _out(be, host, xp.reshape(w, (1, -1)) if k == 2 else w.T)
        self.intercept_ = _out(be, host, xp.reshape(b, (-1,)))
        return self

    def _start(self, be, objective, k: int, fn: str):
        """The starting point: zeros, or the previous fit's coefficients with ``warm_start``."""
        coef = getattr(self, "coef_", None) if self.warm_start else None
        if coef is None:
            return objective.zeros()
        gx = objective.xp
        d = objective.n_w // (k if k > 2 else 1)
        fi = objective.fit_intercept
        rows = 1 if k == 2 else k

        def state(a):  # the fitted attributes (NumPy or the backend's arrays) in the fit's namespace
            if gx is be.xp:
                return be.asarray(a)
            return gx.asarray(a if isinstance(a, numpy.ndarray) else be.to_numpy(a))

        coef = state(coef)
        shape = (rows, d + int(fi))
        if coef.ndim != 2 or coef.shape != (rows, d):
            got = (coef.shape[0], coef.shape[1] + int(fi)) if coef.ndim == 2 else coef.shape
            expected = f"{shape}" if k > 2 else f"{(d + int(fi),)} or (1, {d + int(fi)})"
            raise _v.DomainError(f"{fn}: Initialization coef is of shape {got}, expected shape {expected}")
        coef = _astype(gx, coef, objective.dtype)
        b = _astype(gx, gx.reshape(state(self.intercept_), (-1,)), objective.dtype) if fi else None
        w = coef[0] if k == 2 else coef.T
        return objective.join(w, b if k > 2 else (None if b is None else b[0]))

    def _solve(self, be, solver: str, objective, x0, fn: str):
        """Run ``solver`` from ``x0``; warns (ConvergenceWarning) as scikit-learn's fit where it did not converge."""
        max_iter, tol = int(self.max_iter), float(self.tol)
        warn = _convergence_warning()

        def lbfgs(x, iters, level=4):  # level: the user's call of fit, for the warning
            if objective.xp is numpy and be.name == "numpy":  # SciPy's L-BFGS-B: scikit-learn's iterations
                r = _lbfgs.lbfgs_scipy(objective.loss_grad, x, max_iter=iters, gtol=tol)
            else:
                r = _lbfgs.lbfgs(objective.loss_grad, x, xp=objective.xp, read=objective.read, max_iter=iters,
                                 gtol=tol)
            if r.status != 0:
                msg = f"lbfgs failed to converge after {r.n_iter} iteration(s) (status={r.status}):\n{r.message}\n"
                if r.n_iter == iters:
                    msg += f"\nIncrease the number of iterations to improve the convergence (max_iter={iters})."
                msg += ("\nYou might also want to scale the data as shown in:\n"
                        "    https://scikit-learn.org/stable/modules/preprocessing.html\n" + _SOLVER_DOC)
                warnings.warn(f"{fn}: {msg}", warn, stacklevel=level)
            return r

        if solver == "lbfgs":
            return lbfgs(x0, max_iter)
        if solver == "newton-cg":
            return _newton.newton_cg(
                objective, x0, max_iter=max_iter, tol=tol,
                warn=lambda msg: warnings.warn(f"{fn}: {msg}", warn, stacklevel=5),
                line_search_failed=lambda: warnings.warn(f"{fn}: Line Search failed", stacklevel=5))
        return _newton.newton_cholesky(
            objective, x0, max_iter=max_iter, tol=tol, cholesky=small(be, "cholesky"), solve=small(be, "solve"),
            fallback=lambda x, iters: lbfgs(x, iters, level=5), warn=lambda msg: warnings.warn(f"{fn}: {msg}", warn, stacklevel=5))

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
