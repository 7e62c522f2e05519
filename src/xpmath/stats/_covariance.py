"""Covariance and correlation matrices."""

from __future__ import annotations

from .. import _validate as _v
from .._arrays import size as _size
from .._dispatch import impl, select

__all__ = ["cov", "corrcoef"]


def _paired(be, fn, x, y, first, rowvar):
    x = _v.array(be, x, fn, first)
    _v.ndim(x, fn, (0, 1, 2), first)
    if y is not None:
        y = _v.array(be, y, fn, "y")
        _v.ndim(y, fn, (0, 1, 2), "y")
        ax = 1 if rowvar else 0
        nx = x.shape[-1] if x.ndim == 1 else (x.shape[ax] if x.ndim == 2 else 1)
        ny = y.shape[-1] if y.ndim == 1 else (y.shape[ax] if y.ndim == 2 else 1)
        if nx != ny:
            raise _v.ShapeError(
                f"{fn}: {first} {x.shape} and y {y.shape} have different numbers of observations ({nx} != {ny})"
            )
    return x, y


def _no_variables(be, r):
    """NumPy's cov of no variables is a real empty matrix, whatever the data's dtype (its precision kept)."""
    return be.xp.real(r) if _size(r) == 0 and _v.kind(r.dtype) == "c" else r


def _weights(be, w, fn, name, integer, n):
    """NumPy's checks of cov's ``fweights`` / ``aweights`` (its messages and error classes)."""
    if w is None:
        return None
    w = _v.array(be, w, fn, name)
    xp = be.xp
    if integer and _v.kind(w.dtype) in "fc" and not bool(xp.all(w == xp.round(w))):
        raise _v.XPMathTypeError(f"{fn}: {name} must be integer")
    if w.ndim > 1:
        raise _v.WeightsShapeError(f"{fn}: cannot handle multidimensional {name}")
    if w.ndim == 0 or w.shape[0] != n:
        got = w.shape[0] if w.ndim else "a scalar"
        raise _v.WeightsShapeError(f"{fn}: incompatible numbers of samples and {name} ({got} != {n})")
    if bool(xp.any(w < 0)):
        raise _v.DomainError(f"{fn}: {name} cannot be negative")
    return w


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None,
        backend: str | None = None):
    """Covariance matrix, as :func:`numpy.cov` (rows are variables unless ``rowvar=False``).

    float32 data give a float32 result (NumPy would give float64); the means are summed in double.

    Parameters
    ----------
    m : array_like
        1-D or 2-D: each row a variable, each column an observation (``rowvar=True``).
    y : array_like, optional
        More variables, stacked under ``m``'s.
    rowvar : bool
    bias : bool
        Divide by ``N`` instead of ``N - 1``.
    ddof : int, optional
        Overrides ``bias``: the divisor is ``N - ddof``.
    fweights, aweights : array_like, optional
        Integer frequency weights and observation weights of each observation.
    dtype : data-type, optional
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> hours = [2, 3, 5, 4, 6, 7, 8, 3, 5, 9]
    >>> scores = [50, 55, 70, 62, 75, 80, 90, 58, 72, 95]
    >>> round(float(xpmath.cov(hours, scores)[0, 1]), 2)
    33.96
    """
    fn = "cov"
    be = select(backend, fn, m, y, fweights, aweights)
    m_in, y_in = m, y
    m, y = _paired(be, fn, m, y, "m", rowvar)
    if ddof is not None:
        ddof = _v.int_arg(ddof, fn, "ddof")
    rows, cols = m.shape if m.ndim == 2 else (1, _size(m))
    n = rows if not rowvar and rows != 1 else cols
    fweights = _weights(be, fweights, fn, "fweights", True, n)
    aweights = _weights(be, aweights, fn, "aweights", False, n)
    dtype = _v.dtype_arg(dtype, fn)
    try:
        r = impl(be, fn)(m, y, rowvar=bool(rowvar), bias=bool(bias), ddof=ddof, fweights=fweights,
                         aweights=aweights, dtype=dtype)
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, _no_variables(be, r), m_in, y_in)


def corrcoef(x, y=None, rowvar=True, *, dtype=None, backend: str | None = None):
    """Pearson correlation coefficients, as :func:`numpy.corrcoef`; float32 stays float32.

    Parameters
    ----------
    x : array_like
        1-D or 2-D: each row a variable (``rowvar=True``).
    y : array_like, optional
    rowvar : bool
    dtype : data-type, optional
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> ice_cream = [100, 200, 400, 500, 600, 300, 150]
    >>> drownings = [10, 20, 45, 55, 60, 25, 12]
    >>> round(float(xpmath.corrcoef(ice_cream, drownings)[0, 1]), 4)
    0.987
    """
    fn = "corrcoef"
    be = select(backend, fn, x, y)
    x_in, y_in = x, y
    x, y = _paired(be, fn, x, y, "x", rowvar)
    dtype = _v.dtype_arg(dtype, fn)
    try:
        r = impl(be, fn)(x, y, rowvar=bool(rowvar), dtype=dtype)
    except Exception as exc:
        _v.reraise(exc, fn)
    return _v.output(be, _no_variables(be, r), x_in, y_in)
