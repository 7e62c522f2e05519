"""Order statistics: median, quantiles and percentiles, and the range."""

from __future__ import annotations

from .. import _validate as _v
from .._dispatch import impl, select
from ._common import stat_input as _stat_input

__all__ = ["median"]


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False, *, backend: str | None = None):
    """Median along ``axis``, as :func:`numpy.median`.

    Parameters
    ----------
    a : array_like
    axis : None, int or tuple of ints
    out : ndarray, optional
        An array to place the result in.
    overwrite_input : bool
        Allow the input array to be used as scratch space (it is then left partly sorted).
    keepdims : bool
    backend : str, optional

    Examples
    --------
    >>> import xpmath
    >>> float(xpmath.median([30000, 35000, 32000, 28000, 1000000]))
    32000.0
    """
    be = select(backend, "median", a, out)
    x, axis = _stat_input(be, a, "median", axis)
    out, into = _v.out_arg(be, out, "median")
    try:
        r = impl(be, "median")(x, axis=axis, out=out, overwrite_input=bool(overwrite_input), keepdims=bool(keepdims))
    except Exception as exc:
        _v.reraise(exc, "median")
    return _v.output(be, _v.fill(be, into, r), a, out)
