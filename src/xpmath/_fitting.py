"""The models' fitting, written once above the backends: it calls their primitives
(``centred_gram``, ``solve``, ``eigh``) and never runs on a backend's behalf. The solvers (gradient
descent, L-BFGS, Newton) are in :mod:`xpmath.optimize`; the gradient-descent loop is named here too.

The small state of a fit (Gram matrices, weights, losses) lives in the backend's ``gd_xp``
namespace: the data's own, except where the data are lazy (Dask), where it is NumPy.
"""

from __future__ import annotations

import numpy

from . import _validate as _v
from ._dispatch import impl
from .optimize._descent import GDState as GDState
from .optimize._descent import model_descent as gradient_descent  # LinearRegression(solver="gd") and the tests
from .optimize._passes import bound as _op
from .optimize._passes import gathered as _gathered
from .optimize._passes import small as _small
from .optimize._passes import to_backend as _to_backend


def normal_equations(be, X, y, alpha: float, fit_intercept: bool, fn: str, sample_weight=None):
    """Solve (XcᵀSXc + αI)w = XcᵀSyc by a factorisation, the intercept ``ym - xm·w`` unpenalised
    (``S`` the diagonal of the sample weights, the means weighted; the identity unweighted).

    Returns ``(coef, intercept)`` with ``coef`` shaped ``(d,)`` or ``(d, k)`` like ``y``'s trailing axes.
    """
    gx = impl(be, "gd_xp")()
    y2 = y[:, None] if y.ndim == 1 else y  # not reshape: Dask would gather every chunk into one
    gram = _op(be, "centred_gram", sample_weight=sample_weight)
    xm, G, ym, r = _gathered(be, gx, *gram(X, y2, fit_intercept))
    if alpha:
        G = G + alpha * gx.eye(G.shape[0], dtype=G.dtype, **_v.device_kw(G))
    try:
        w = _small(be, "solve")(G, r)
    except numpy.linalg.LinAlgError as exc:
        if isinstance(exc, _v.SingularMatrixError) or "singular" in str(exc).lower():
            n, d = X.shape  # with fewer samples than features these counts are the reason
            raise _v.SingularMatrixError(
                f"{_v.singular_error(fn, be.name)} (X has n_samples = {n} and n_features = {d})"
            ) from exc
        raise
    b = ym - xm @ w
    if y.ndim == 1:
        w, b = w[:, 0], b[0]
    return _to_backend(be, gx, w, b)


def principal_axes(be, X):
    """PCA by eigen-decomposition of the covariance.

    Returns ``(mean, components, variances, ratios)`` for every component, in descending order,
    each component's largest-magnitude entry positive (scikit-learn's ``svd_flip`` rule).
    """
    gx = impl(be, "gd_xp")()
    mean, G, _, _ = _gathered(be, gx, *impl(be, "centred_gram")(X))
    C = G / (X.shape[0] - 1)
    w, v = _small(be, "eigh")(C)
    w = gx.flip(w, axis=0)
    w, v = gx.maximum(w, gx.zeros_like(w)), gx.flip(v, axis=1)
    comps = v.T
    big = gx.argmax(gx.abs(comps), axis=1)
    signs = gx.sign(gx.take_along_axis(comps, big[:, None], axis=1))
    comps = comps * gx.where(signs == 0, gx.ones_like(signs), signs)
    total = gx.sum(w)
    ratio = w / total if float(total) > 0 else gx.zeros_like(w)
    return _to_backend(be, gx, mean, comps, w, ratio)
