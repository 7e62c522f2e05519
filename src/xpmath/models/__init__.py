"""Models that are scikit-learn estimators: LinearRegression, LogisticRegression, PCA.

Where scikit-learn is installed the models derive from its ``BaseEstimator`` and mixins and check
their input with its ``validate_data``, so they behave as its own estimators (``clone``, tags,
``Pipeline``, ``GridSearchCV``, its messages and ``NotFittedError``). scikit-learn stays optional:
without it a small base gives the same parameter handling and xpmath's own checks run.

Parameters are stored by ``__init__`` untouched; ``fit`` validates them and the data, runs on the
chosen backend and sets the fitted attributes (trailing underscore). Outputs follow the input:
NumPy data (lists, data frames…) give NumPy attributes and predictions, a device or lazy array of
the backend gives the backend's own arrays.

The estimators live in one module each (``_linear``, ``_logistic``, ``_pca``) on a shared base
(``_base``); their fitting runs above the backends in :mod:`xpmath._fitting`.
"""

from __future__ import annotations

from ._base import SKLEARN as SKLEARN  # whether scikit-learn is installed (the estimators then derive from its classes)
from ._linear import LinearRegression
from ._logistic import LogisticRegression
from ._pca import PCA

__all__ = ["LinearRegression", "LogisticRegression", "PCA"]

# the public path, as NumPy's set_module does: reprs, pickles and docs name xpmath.models.PCA
for _cls in (LinearRegression, LogisticRegression, PCA):
    _cls.__module__ = __name__
del _cls
