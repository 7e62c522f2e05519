"""The Numba backend's kernels, by area. Importing this package imports Numba; only the numba
backend does, on first use."""

from ._common import BLOCK
from .median import NBINS, _minmax_nan, median_rows, select_two
from .models import centre_block, cosine_1d, gram_shifted, linear_step, logistic_step, softmax_step, unit_rows
from . import nanreduce
from .nanreduce import (nan_extreme_cols, nan_extreme_flat, nan_extreme_rows, nan_moments_cols, nan_moments_flat,
                        nan_moments_rows, nan_sum_cols, nan_sum_flat, nan_sum_rows, order_cols, order_rows, range_count,
                        select_flat_many)
from .nanreduce import _ranks  # noqa: F401
from .norms import CCHUNK, MatrixNorm, VectorNorm, mnorm_stack, vnorm_cols, vnorm_flat, vnorm_rows
from .probability import bayes, count_within, normal_cdf, normal_pdf, total_probability
from .random import gen_normal, gen_random, legacy_normal, legacy_random, seed_legacy
from .smallmat import NMAX, NMIN, cholesky_stack, det_stack, eigh_stack, inv_stack, slogdet_stack, solve_stack
from .stats import (all_finite_flat, means_cols, moments_cols, moments_cols_shifted, moments_flat, moments_flat_shifted,
                    moments_rows, sum_flat, zscore_cols, zscore_flat, zscore_rows)

__all__ = [
    "BLOCK", "CCHUNK", "NBINS", "MatrixNorm", "VectorNorm", "_minmax_nan", "all_finite_flat", "bayes", "nan_extreme_cols", "nan_extreme_flat", "nan_extreme_rows", "nan_moments_cols",
    "nan_moments_flat", "nan_moments_rows", "nan_sum_cols", "nan_sum_flat", "nan_sum_rows", "nanreduce", "order_cols",
    "order_rows", "range_count", "select_flat_many",
    "centre_block", "cosine_1d", "count_within", "gram_shifted", "gen_normal", "gen_random", "legacy_normal", "legacy_random",
    "linear_step", "logistic_step", "softmax_step", "means_cols", "median_rows", "mnorm_stack", "moments_cols",
    "moments_cols_shifted", "moments_flat", "moments_flat_shifted", "moments_rows", "normal_cdf", "normal_pdf", "seed_legacy", "select_two", "sum_flat",
    "total_probability", "unit_rows", "vnorm_cols", "vnorm_flat", "vnorm_rows", "zscore_cols", "zscore_flat",
    "zscore_rows",
    # stacks of small matrices
    "NMAX", "NMIN", "cholesky_stack", "det_stack", "eigh_stack", "inv_stack", "slogdet_stack", "solve_stack",
]
