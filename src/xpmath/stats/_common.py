"""What the statistics modules share: the input checks of an axis reduction and NumPy's "no value"."""

from __future__ import annotations

import operator

import numpy

from .. import _validate as _v
from .._dispatch import impl

#: NumPy's "not given" default (its signatures show ``<no value>``): a keyword left at it is not passed on
NoValue = numpy._NoValue


def stat_input(be, a, fn, axis, *, ufunc_axis=False, bool_axis=False, inexact_ufunc_axis=False):
    """``(x, axis)``: the data on the backend and the axis as Python ints. ``ufunc_axis``: a 0-d
    ``x`` takes the int axis 0 or -1 as the whole array, as NumPy's ufunc reductions do (its
    ``nansum``... and ``ptp``, not its ``mean`` or ``median``). ``inexact_ufunc_axis``: the same for
    floating and complex ``x`` only (NumPy's ``nanmean``, ``nanvar`` and ``nanstd`` hand other data to
    ``mean``, ``var`` and ``std``, which refuse it). ``bool_axis``: a bool is the axis 0
    or 1, as ``operator.index`` reads it (NumPy's ``average``)."""
    x = _v.array(be, a, fn, "a")
    if bool_axis and type(axis) is bool:
        axis = int(axis)
    if inexact_ufunc_axis:
        ufunc_axis = _v.kind(x.dtype) in "fc"
    if ufunc_axis and x.ndim == 0 and axis is not None and not isinstance(axis, tuple):
        _v.axis(x, axis, fn, scalar_ok=True)
        return x, None
    return x, _v.axis(x, axis, fn)


def moments_args(fn, ddof, correction):
    ddof = _v.ddof(ddof, fn)
    if correction is not None:
        correction = _v.ddof(correction, fn, "correction")
        if ddof != 0:
            raise _v.DomainError(f"{fn}: ddof and correction can't be provided simultaneously.")
    return ddof, correction


def flag(v, default: bool = False) -> bool:
    """A boolean keyword given as NumPy's "no value" (its default) or as anything ``bool`` reads."""
    return default if v is NoValue else bool(v)


def ufunc_flag(v, fn, name="keepdims") -> bool:
    """``keepdims`` as NumPy's ufunc reductions read it: a Python bool or an integer (``numpy.True_``,
    a float or None is their TypeError)."""
    if v is NoValue:
        return False
    try:
        return bool(operator.index(v))
    except TypeError:
        raise _v.XPMathTypeError(f"{fn}: {name} must be a bool or an integer; got {v!r}") from None


def run(be, op, fn, *args, **kwargs):
    """The backend's ``op`` on checked arguments; what fails inside it is raised as xpmath's error."""
    try:
        return impl(be, op)(*args, **kwargs)
    except Exception as exc:
        _v.reraise(exc, fn)


def broadcast_weights(be, w, x, axis):
    """Weights given for the reduced axes, as an array of ``x``'s shape (NumPy's reshaping, broadcast)."""
    if getattr(be, "portable", False):
        from .._portable.stats import _weights_along

        return be.xp.broadcast_to(_weights_along(be.xp, w, x.shape, axis), x.shape)
    from .._reference.stats import weights_along

    return be.xp.broadcast_to(weights_along(be.xp, w, x.shape, axis), x.shape)
