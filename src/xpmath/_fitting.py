"""The models' fitting helpers, written once above the backends: they call the backends' primitives
and never run on a backend's behalf. The solvers (gradient descent, L-BFGS, Newton) are in
:mod:`xpmath.optimize`, the gradient-descent loop named here too; the least-squares and PCA fits sit
beside their estimators (``models/_linear.py``, ``models/_pca.py``).

The small state of a fit (Gram matrices, weights, losses) lives in the backend's ``gd_xp``
namespace: the data's own, except where the data are lazy (Dask), where it is NumPy.
"""

from __future__ import annotations

from .optimize._descent import GDState as GDState
from .optimize._descent import model_descent as gradient_descent  # LinearRegression(solver="gd") and the tests
from .optimize._passes import bound as _op
from .optimize._passes import gathered as _gathered
from .optimize._passes import small as _small
from .optimize._passes import to_backend as _to_backend


