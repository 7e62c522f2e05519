"""Optimisation: gradient descent on a gradient you supply, and the solvers the models run.

:func:`gradient_descent` (with its :class:`GDResult`) is the public face. The models' solvers are
written once on the array namespace of a fit's state and fed by the backends' fused passes over
the data (loss and gradient in one read of ``X``; a Hessian in one more): L-BFGS with a strong
Wolfe line search (``_lbfgs``, ``_linesearch``), Newton-Cholesky (``_newton``) and the models'
gradient-descent loop (``_descent``); ``_passes`` binds the passes and says where a fit's state lives.
"""

from __future__ import annotations

from ._descent import GDResult, gradient_descent

__all__ = ["GDResult", "gradient_descent"]
