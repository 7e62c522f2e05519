"""Gradient descent on a user-supplied gradient."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from . import _validate as _v
from ._dispatch import select
from .errors import DivergenceWarning

__all__ = ["GDResult", "gradient_descent"]


@dataclass(frozen=True)
class GDResult:
    """The outcome of :func:`gradient_descent`.

    Attributes
    ----------
    x : array
        The last iterate.
    n_iter : int
        The number of steps taken.
    converged : bool
        ``lr * ‖grad(x)‖ < tol`` was reached.
    diverged : bool
        The iterates or the loss stopped being finite or grew without bound.
    history : array
        The ``n_iter + 1`` iterates, ``x0`` first, stacked on a new first axis.
    loss_history : array or None
        ``f`` at each iterate, when ``f`` was given.
    """

    x: Any
    n_iter: int
    converged: bool
    diverged: bool
    history: Any = field(repr=False)
    loss_history: Any = field(default=None, repr=False)


def gradient_descent(
    grad: Callable,
    x0,
    /,
    *,
    lr: float = 0.1,
    max_iter: int = 1000,
    tol: float = 1e-8,
    f: Callable | None = None,
    callback: Callable | None = None,
    backend: str | None = None,
) -> GDResult:
    """Minimise by ``x <- x - lr * grad(x)`` until ``lr * ‖grad(x)‖ < tol`` or ``max_iter`` steps.

    ``callback(x)`` is called after each step; returning ``True`` stops the descent. Divergence
    (non-finite or unboundedly growing iterates or loss) stops it too, sets ``diverged`` and
    warns with :class:`~xpmath.DivergenceWarning`.

    Examples
    --------
    >>> import xpmath
    >>> r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 10.0, lr=0.1)
    >>> r.converged, round(float(r.x), 6)
    (True, 3.0)
    """
    be = select(backend, "gradient_descent")
    fn = "gradient_descent"
    for name, c in (("grad", grad), ("f", f), ("callback", callback)):
        if c is not None and not callable(c):
            raise _v.XPMathTypeError(f"{fn}: {name} must be callable; got {type(c).__name__}")
    x0 = _v.real_float_array(be, x0, fn, "x0")
    _v.finite(be, x0, fn, "x0")
    lr = _v.positive_float(lr, fn, "lr")
    max_iter = _v.positive_int(max_iter, fn, "max_iter", allow_zero=True)
    tol = _v.positive_float(tol, fn, "tol", allow_zero=True)
    x, n, conv, div, hist, losses = be.gradient_descent(grad, x0, lr, max_iter, tol, f, callback)
    if div:
        warnings.warn(
            f"{fn}: diverged after {n} steps with lr={lr}; try a smaller learning rate",
            DivergenceWarning,
            stacklevel=2,
        )
    return GDResult(x[()] if x.ndim == 0 else x, n, conv, div, hist, losses)
