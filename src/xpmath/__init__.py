"""xpmath: the mathematics of machine learning on NumPy, Numba, CuPy or Dask, with NumPy's names.

Choose a backend with ``backend=`` on any call, ``with xpmath.use_backend(...)``,
``xpmath.set_backend(...)`` or the environment variable ``XPMATH_BACKEND``; every setting is in
``xpmath.get_config()``, changed by ``xpmath.set_config(...)`` or ``with xpmath.config_context(...)``.

``import xpmath`` loads NumPy and xpmath alone: scikit-learn (behind the models and
``NotFittedError``), SciPy and each backend's library are imported the first time they are used.
"""

__version__ = "0.1.0"

import importlib as _importlib

from . import calculus, errors, linalg, optimize, probability, random, stats
from ._arrays import to_numpy
from ._config import config_context, get_config, set_config
from ._convert import asarray, namespace, open_array
from ._dispatch import get_backend, set_backend, use_backend
from ._info import show_config
from ._registry import available_backends
from .calculus import derivative, gradient, partial_derivative
from .errors import (
    AxisError,
    BackendError,
    ConfigError,
    DeviceMemoryError,
    DivergenceWarning,
    DomainError,
    EmptyInputError,
    FileFormatError,
    LinAlgError,
    MissingFileError,
    NonFiniteError,
    ShapeError,
    SingularMatrixError,
    XPMathError,
    XPMathTypeError,
    XPMathWarning,
    ZeroWeightsError,
)
from .linalg import cosine_similarity, dot, matmul, norm, transpose
from .optimize import GDResult, gradient_descent
from .probability import bayes, empirical_rule, normal_cdf, normal_pdf, total_probability
from .stats import ModeResult, corrcoef, cov, mean, median, mode, std, var, zscore
from .stats import average, percentile, ptp, quantile
from .stats import nanmax, nanmean, nanmedian, nanmin, nanpercentile, nanquantile, nanstd, nansum, nanvar

__all__ = [
    "open_array",
    "__version__",
    # modules
    "calculus", "errors", "linalg", "models", "optimize", "probability", "random", "stats",
    # backends and arrays
    "asarray", "to_numpy", "namespace", "available_backends", "show_config",
    "get_backend", "set_backend", "use_backend", "get_config", "set_config", "config_context",
    # linear algebra
    "dot", "matmul", "transpose", "norm", "cosine_similarity",
    # statistics
    "mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore", "ModeResult",
    "average", "quantile", "percentile", "ptp",
    "nanmean", "nanmedian", "nanvar", "nanstd", "nanquantile", "nanpercentile", "nansum", "nanmin", "nanmax",
    # probability
    "bayes", "total_probability", "normal_pdf", "normal_cdf", "empirical_rule",
    # calculus and optimisation
    "derivative", "partial_derivative", "gradient", "gradient_descent", "GDResult",
    # models
    "LinearRegression", "LogisticRegression", "PCA",
    # errors
    "XPMathError", "XPMathWarning", "BackendError", "ConfigError", "ShapeError", "AxisError", "SingularMatrixError",
    "LinAlgError", "NonFiniteError", "EmptyInputError", "XPMathTypeError", "DomainError", "NotFittedError",
    "DeviceMemoryError", "MissingFileError", "FileFormatError",
    "ZeroWeightsError",
    "DivergenceWarning", "ConvergenceWarning",
]

# scikit-learn is imported with the first of these names used: the models derive from its base
# classes and NotFittedError from its exception (where it is installed)
_LAZY = {
    "models": ("xpmath.models", None),
    "LinearRegression": ("xpmath.models", "LinearRegression"),
    "LogisticRegression": ("xpmath.models", "LogisticRegression"),
    "PCA": ("xpmath.models", "PCA"),
    "NotFittedError": ("xpmath.errors", "NotFittedError"),
    "ConvergenceWarning": ("xpmath.errors", "ConvergenceWarning"),
}


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'xpmath' has no attribute {name!r}") from None
    value = _importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
