"""Statistics with NumPy's full signatures and semantics (SciPy's for ``mode`` and ``zscore``), on every backend.

Each function takes its counterpart's parameters under the same names (``out=``, ``dtype=``,
``where=``, ``mean=``, ``correction=``, ``fweights=``/``aweights=``, ``nan_policy=`` …) and gives
its answer, dtype, shape, warnings and error class; empty input gives NaN with NumPy's
``RuntimeWarning``. Two deliberate differences: ``cov`` and ``corrcoef`` of float32 stay float32
(their means summed in double), and the z-score of a constant slice is 0, not NaN. The functions
live in one module per theme (moments, order statistics, NaN-ignoring reductions, covariance,
SciPy's) behind this one face.
"""

from __future__ import annotations

from ._covariance import corrcoef, cov
from ._moments import average, mean, std, var
from ._nan import nanmax, nanmean, nanmedian, nanmin, nanpercentile, nanquantile, nanstd, nansum, nanvar
from ._order import median, percentile, ptp, quantile
from ._scipy import ModeResult, mode, zscore

ModeResult.__module__ = __name__  # its documented home: pickles and reprs name xpmath.stats

__all__ = [
    "mean", "median", "var", "std", "cov", "corrcoef", "mode", "zscore", "ModeResult",
    "average", "quantile", "percentile", "ptp",
    "nanmean", "nanmedian", "nanvar", "nanstd", "nanquantile", "nanpercentile", "nansum", "nanmin", "nanmax",
]
