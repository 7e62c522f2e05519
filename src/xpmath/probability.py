"""Probability: Bayes' theorem, the law of total probability and the normal distribution."""

from __future__ import annotations

import math

from . import _validate as _v
from ._dispatch import impl, select
from .errors import DomainError

__all__ = ["bayes", "total_probability", "normal_pdf", "normal_cdf", "empirical_rule"]


def _result(be, r, *inputs):
    r = r[()] if getattr(r, "ndim", 1) == 0 else r
    return _v.output(be, r, *inputs)


def total_probability(p_b_given_a, p_a, p_b_given_not_a, /, *, backend: str | None = None):
    """P(B) = P(B|A)·P(A) + P(B|¬A)·(1 − P(A)), elementwise over arrays.

    Parameters
    ----------
    p_b_given_a : array_like
        P(B|A), in [0, 1].
    p_a : array_like
        P(A), in [0, 1].
    p_b_given_not_a : array_like
        P(B|¬A), in [0, 1].
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray
        P(B), broadcast over the three inputs; a scalar when all three are.

    Raises
    ------
    DomainError
        A probability outside [0, 1] or NaN (a ``ValueError``).
    ShapeError
        Inputs whose shapes do not broadcast together.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.total_probability(0.8, 0.3, 0.01)), 4)
    0.247
    """
    be = select(backend, "total_probability", p_b_given_a, p_a, p_b_given_not_a)
    fn = "total_probability"
    a = _v.probability(be, p_b_given_a, fn, "p_b_given_a")
    pa = _v.probability(be, p_a, fn, "p_a")
    c = _v.probability(be, p_b_given_not_a, fn, "p_b_given_not_a")
    _v.broadcastable(fn, p_b_given_a=a, p_a=pa, p_b_given_not_a=c)
    return _result(be, impl(be, "total_probability")(a, pa, c), p_b_given_a, p_a, p_b_given_not_a)


def bayes(p_b_given_a, p_a, p_b=None, /, *, p_b_given_not_a=None, backend: str | None = None):
    """Bayes' theorem: P(A|B) = P(B|A)·P(A) / P(B), elementwise over arrays.

    Without ``p_b``, P(B) comes from the law of total probability with ``p_b_given_not_a``.

    Parameters
    ----------
    p_b_given_a : array_like
        P(B|A), in [0, 1].
    p_a : array_like
        P(A), the prior, in [0, 1].
    p_b : array_like, optional
        P(B), in [0, 1]. Give either it or ``p_b_given_not_a``.
    p_b_given_not_a : array_like, optional
        P(B|¬A), in [0, 1], to compute P(B) by :func:`total_probability` (keyword-only).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray
        P(A|B), broadcast over the inputs; a scalar when they all are.

    Raises
    ------
    ValueError
        A probability outside [0, 1], P(B) = 0, neither or both of ``p_b`` and ``p_b_given_not_a``
        given, or inputs for which P(A|B) would exceed 1 (P(B|A)·P(A) > P(B)): a :class:`DomainError`.
    ShapeError
        Inputs whose shapes do not broadcast together.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.bayes(0.8, 0.3, 0.25)), 2)
    0.96
    >>> round(float(xpmath.bayes(0.8, 0.3, p_b_given_not_a=0.01)), 4)
    0.9717
    """
    be = select(backend, "bayes", p_b_given_a, p_a, p_b, p_b_given_not_a)
    fn = "bayes"
    a = _v.probability(be, p_b_given_a, fn, "p_b_given_a")
    pa = _v.probability(be, p_a, fn, "p_a")
    if p_b is None:
        if p_b_given_not_a is None:
            raise DomainError("bayes: give p_b, or p_b_given_not_a to compute P(B) by total probability")
        c = _v.probability(be, p_b_given_not_a, fn, "p_b_given_not_a")
        _v.broadcastable(fn, p_b_given_a=a, p_a=pa, p_b_given_not_a=c)
        pb = impl(be, "total_probability")(a, pa, c)
    else:
        if p_b_given_not_a is not None:
            raise DomainError("bayes: give p_b or p_b_given_not_a, not both")
        pb = _v.probability(be, p_b, fn, "p_b")
        _v.broadcastable(fn, p_b_given_a=a, p_a=pa, p_b=pb)
    xp = be.xp
    if bool(xp.any(pb == 0)):
        raise DomainError("bayes: P(B) is 0, so P(A|B) is undefined")
    if bool(xp.any(a * pa > pb * (1 + 1e-12))):
        raise DomainError(
            "bayes: P(B|A)·P(A) exceeds P(B), which no distribution allows; check p_b"
        )
    return _result(be, impl(be, "bayes")(a, pa, pb), p_b_given_a, p_a, p_b, p_b_given_not_a)


def _normal_args(be, fn, x, mean, std):
    x = _v.real_float_array(be, x, fn)
    m = _v.real_float_array(be, mean, fn, "mean")
    s = _v.positive(be, std, fn, "std")
    _v.broadcastable(fn, x=x, mean=m, std=s)
    # scalar parameters keep float32 input float32
    m = _v.astype_like(be, m, x.dtype) if m.ndim == 0 else m
    s = _v.astype_like(be, s, x.dtype) if s.ndim == 0 else s
    return x, m, s


def normal_pdf(x, /, mean=0.0, std=1.0, *, backend: str | None = None):
    """Density of the normal distribution N(mean, std²) at ``x``, as ``scipy.stats.norm.pdf``.

    Parameters
    ----------
    x : array_like
        Points to evaluate at, real; integer input computes in float64, float32 stays float32.
    mean : array_like, optional
        The mean (``loc``), broadcast against ``x``; 0.0 by default.
    std : array_like, optional
        The standard deviation (``scale``), > 0, broadcast against ``x``; 1.0 by default.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray
        The density, broadcast over ``x``, ``mean`` and ``std``; a scalar for scalar inputs.

    Raises
    ------
    DomainError
        ``std <= 0`` or NaN (a ``ValueError``).
    ShapeError
        Inputs whose shapes do not broadcast together.
    XPMathTypeError
        Complex or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.normal_pdf(0.0)), 6)
    0.398942
    """
    be = select(backend, "normal_pdf", x, mean, std)
    x_in = x
    x, m, s = _normal_args(be, "normal_pdf", x, mean, std)
    return _result(be, impl(be, "normal_pdf")(x, m, s), x_in, mean, std)


def normal_cdf(x, /, mean=0.0, std=1.0, *, backend: str | None = None):
    """Cumulative distribution of N(mean, std²) at ``x``, as ``scipy.stats.norm.cdf``.

    Parameters
    ----------
    x : array_like
        Points to evaluate at, real; integer input computes in float64, float32 stays float32.
    mean : array_like, optional
        The mean (``loc``), broadcast against ``x``; 0.0 by default.
    std : array_like, optional
        The standard deviation (``scale``), > 0, broadcast against ``x``; 1.0 by default.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    scalar or ndarray
        P(X <= x) for X ~ N(mean, std²), broadcast over the inputs; a scalar for scalar inputs.

    Raises
    ------
    DomainError
        ``std <= 0`` or NaN (a ``ValueError``).
    ShapeError
        Inputs whose shapes do not broadcast together.
    XPMathTypeError
        Complex or non-numeric input.

    Examples
    --------
    >>> import xpmath
    >>> round(float(xpmath.normal_cdf(95, mean=70, std=10)), 4)
    0.9938
    """
    be = select(backend, "normal_cdf", x, mean, std)
    x_in = x
    x, m, s = _normal_args(be, "normal_cdf", x, mean, std)
    return _result(be, impl(be, "normal_cdf")(x, m, s), x_in, mean, std)


def empirical_rule(x, /, *, mean=None, std=None, backend: str | None = None) -> tuple[float, float, float]:
    """Fractions of ``x`` within 1, 2 and 3 standard deviations of the mean.

    By default the mean and the standard deviation (ddof=0) are ``x``'s own; pass ``mean`` and
    ``std`` to count around known parameters instead, as the 68-95-99.7 rule is usually checked
    (``x >= mean - k*std`` and ``x <= mean + k*std``, both ends included). For normal data these
    approach 0.68, 0.95 and 0.997.

    Parameters
    ----------
    x : array_like
        The sample, real, of any shape (it is flattened); not empty.
    mean : float, optional
        A known mean to count around, finite (keyword-only); None: ``x``'s mean.
    std : float, optional
        A known standard deviation, > 0 (keyword-only); None: ``x``'s standard deviation (ddof=0).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    tuple of 3 floats
        The fractions within 1, 2 and 3 standard deviations; NaN three times when the mean or the
        standard deviation is NaN (a NaN in ``x``).

    Raises
    ------
    EmptyInputError
        An empty ``x``.
    DomainError
        A ``mean`` that is not finite, or a ``std`` that is not > 0 and finite.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.empirical_rule([1.0, 2.0, 3.0, 4.0, 100.0])
    (0.8, 1.0, 1.0)
    >>> xpmath.empirical_rule([55.0, 62.0, 70.0, 81.0, 95.0], mean=70, std=10)
    (0.4, 0.8, 1.0)
    """
    be = select(backend, "empirical_rule", x)
    x = _v.real_float_array(be, x, "empirical_rule")
    _v.nonempty(x, "empirical_rule")
    if mean is not None:
        mean = _v.finite_float(mean, "empirical_rule", "mean")
    if std is not None:
        std = _v.positive_float(std, "empirical_rule", "std")
    xp = be.xp
    x = xp.reshape(x, (-1,))
    # the bounds in the input's dtype, the sample's moments by default
    m = impl(be, "mean")(x) if mean is None else xp.full_like(x[0], mean)
    s = impl(be, "std")(x) if std is None else xp.full_like(x[0], std)
    bounds = [(m - k * s, m + k * s) for k in (1, 2, 3)]
    if math.isnan(float(bounds[0][0] - bounds[0][1])):
        return (math.nan,) * 3  # a NaN mean or std (a NaN in the data): NaN propagates
    counts = impl(be, "count_within")(x, bounds)
    n = x.shape[0]
    return tuple(float(counts[i]) / n for i in range(3))
