"""The benchmarked operations, defined once: how to make the data, what to call, what it costs.

``flops(n)`` / ``nbytes(n)`` state the count each throughput figure is computed from; ``bound``
says which machine limit the share is taken of (``"gemm"`` peak or memory ``"read"`` bandwidth).
``copy_nbytes(n)`` is the part of ``nbytes`` moved as a read of one array and a write of another
(judged against the copy bandwidth, the rest against the read bandwidth).

cov, corrcoef, pca and linreg_normal spend their time forming a Gram matrix XᵀX of tall, narrow
data (BLAS, on every backend): they are judged as GEMM work, in GFLOP/s against the measured
matmul peak, their count the full product (2·n·p² for n×p; a SYRK computes half of it, so the rate
is the equivalent GEMM rate), not in GB/s against a bandwidth their single read is far from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

import xpmath


@dataclass(frozen=True)
class Workload:
    name: str
    bound: str  # "gemm" or "read"
    sizes: tuple[int, ...]  # default sizes (CPU)
    quick: tuple[int, ...]  # sizes of the quick sweep
    gpu_sizes: tuple[int, ...]
    make: Callable  # (n, dtype, rng) -> tuple of host arrays
    call: Callable  # (*args, backend) -> result
    flops: Callable[[int], float] | None = None
    nbytes: Callable[[int, int], float] | None = None  # (n, itemsize) -> bytes moved
    copy_nbytes: Callable[[int, int], float] | None = None  # the read+write part of nbytes
    describe: str = ""


def _square(n, dt, rng):
    return (rng.standard_normal((n, n)).astype(dt),)


def _spd(n, dt, rng):
    a = rng.standard_normal((n, n))
    return (((a @ a.T) / n + np.eye(n)).astype(dt),)


def _two_square(n, dt, rng):
    return (rng.standard_normal((n, n)).astype(dt), rng.standard_normal((n, n)).astype(dt))


def _solve(n, dt, rng):
    return (_spd(n, dt, rng)[0], rng.standard_normal((n,)).astype(dt))


def _vector(n, dt, rng):
    return (rng.standard_normal(n).astype(dt),)


def _table(n, dt, rng):
    # n rows of 64 features: covariance-shaped data
    return (rng.standard_normal((n, 64)).astype(dt),)


def _regression(n, dt, rng):
    X = rng.standard_normal((n, 100)).astype(dt)
    w = rng.standard_normal(100)
    y = (X @ w.astype(dt) + 0.1 * rng.standard_normal(n).astype(dt)).astype(dt)
    return (X, y)


def _classification(n, dt, rng):
    X, y = _regression(n, dt, rng)
    return (X, (y > 0).astype(dt))


def _rows(n, dt, rng):
    return (rng.standard_normal((n, 256)).astype(dt),)


GD_STEPS = 5

WORKLOADS: dict[str, Workload] = {}


def _add(w: Workload):
    WORKLOADS[w.name] = w


_add(Workload("matmul", "gemm", (1024, 2048, 4096), (512, 1024), (4096, 8192), _two_square,
              lambda a, b, backend: xpmath.matmul(a, b, backend=backend), flops=lambda n: 2.0 * n**3,
              describe="A @ B, n×n"))
_add(Workload("inv", "gemm", (1024, 2048), (512, 1024), (4096, 8192), _spd,
              lambda a, backend: xpmath.linalg.inv(a, backend=backend), flops=lambda n: 2.0 * n**3,
              describe="inverse of an n×n SPD matrix (LU: 2n³)"))
_add(Workload("solve", "gemm", (1024, 2048, 4096), (512, 1024), (4096, 8192), _solve,
              lambda a, b, backend: xpmath.linalg.solve(a, b, backend=backend), flops=lambda n: 2.0 / 3 * n**3,
              describe="solve A x = b, n×n (LU: ⅔n³)"))
_add(Workload("det", "gemm", (1024, 2048, 4096), (512, 1024), (4096, 8192), _square,
              lambda a, backend: xpmath.linalg.det(a, backend=backend), flops=lambda n: 2.0 / 3 * n**3,
              describe="determinant by LU (⅔n³)"))
_add(Workload("eigh", "gemm", (1024, 2048), (256, 512), (4096, 8192), _spd,
              lambda a, backend: xpmath.linalg.eigh(a, backend=backend), flops=lambda n: 9.0 * n**3,
              describe="symmetric eigen-decomposition (≈9n³ with vectors)"))
_add(Workload("eig", "gemm", (512, 1024), (128, 256), (1024, 2048), _square,
              lambda a, backend: xpmath.linalg.eig(a, backend=backend), flops=lambda n: 25.0 * n**3,
              describe="general eigen-decomposition (≈25n³ with vectors)"))
_add(Workload("norm", "read", (10**7, 10**8), (10**6, 10**7), (10**8, 10**9), _vector,
              lambda x, backend: xpmath.norm(x, backend=backend), nbytes=lambda n, s: n * s, describe="‖x‖₂ of n values"))
_add(Workload("cosine_similarity", "gemm", (2048, 4096), (512, 1024), (8192, 16384), _rows,
              lambda x, backend: xpmath.cosine_similarity(x, backend=backend), flops=lambda n: 2.0 * n * n * 256,
              describe="all-pairs cosine similarity of n rows × 256"))
for _name, _f in [("mean", xpmath.mean), ("var", xpmath.var), ("std", xpmath.std), ("median", xpmath.median)]:
    _add(Workload(_name, "read", (10**7, 10**8), (10**6, 10**7), (10**8, 10**9), _vector,
                  (lambda f: lambda x, backend: f(x, backend=backend))(_f), nbytes=lambda n, s: n * s,
                  describe=f"{_name} of n values (one read)"))
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def _vector_nan(n, dt, rng):
    """n values, one in a hundred NaN (data with gaps, as the NaN-ignoring reductions get it)."""
    x = rng.standard_normal(n).astype(dt)
    x[rng.integers(0, n, size=max(n // 100, 1))] = np.nan
    return (x,)


_add(Workload("quantile", "read", (10**7, 10**8), (10**5, 10**6), (10**8, 10**9), _vector,
              lambda x, backend: xpmath.quantile(x, QUANTILES, backend=backend), nbytes=lambda n, s: n * s,
              describe=f"the {len(QUANTILES)} quantiles {QUANTILES} of n values (linear; the count: one read)"))
_add(Workload("nanvar", "read", (10**7, 10**8), (10**5, 10**6), (10**8, 10**9), _vector_nan,
              lambda x, backend: xpmath.nanvar(x, backend=backend), nbytes=lambda n, s: n * s,
              describe="nanvar of n values, 1% NaN (the count: one read)"))
_add(Workload("mode", "read", (10**6, 10**7), (10**5, 10**6), (10**7, 10**8),
              lambda n, dt, rng: (np.round(rng.standard_normal(n) * 100).astype(dt),),
              lambda x, backend: xpmath.mode(x, backend=backend), nbytes=lambda n, s: n * s,
              describe="mode of n rounded values"))
_add(Workload("zscore", "read", (10**7, 10**8), (10**6, 10**7), (10**8, 10**9), _vector,
              lambda x, backend: xpmath.zscore(x, backend=backend), nbytes=lambda n, s: 3 * n * s,
              copy_nbytes=lambda n, s: 2 * n * s,
              describe="z-scores of n values (a read for the moments, then a read and a write)"))
_add(Workload("cov", "gemm", (10**5, 10**6), (10**4, 10**5), (10**6, 10**7), _table,
              lambda x, backend: xpmath.cov(x, rowvar=False, backend=backend), flops=lambda n: 2.0 * n * 64**2,
              describe="covariance of n×64 (rowvar=False); the Gram matrix XᵀX: 2·n·64² FLOP"))
_add(Workload("corrcoef", "gemm", (10**5, 10**6), (10**4, 10**5), (10**6, 10**7), _table,
              lambda x, backend: xpmath.corrcoef(x, rowvar=False, backend=backend), flops=lambda n: 2.0 * n * 64**2,
              describe="correlation matrix of n×64; the Gram matrix XᵀX: 2·n·64² FLOP"))
_add(Workload("pca", "gemm", (10**5, 10**6), (10**4, 10**5), (10**6, 10**7), _table,
              lambda x, backend: xpmath.PCA(8, backend=backend).fit(x).components_, flops=lambda n: 2.0 * n * 64**2,
              describe="PCA(8).fit on n×64; the covariance's Gram matrix: 2·n·64² FLOP (the 64×64 eigh is negligible)"))
_add(Workload("linreg_normal", "gemm", (10**5, 10**6), (10**4, 10**5), (10**6, 10**7), _regression,
              lambda X, y, backend: xpmath.LinearRegression(backend=backend).fit(X, y).coef_,
              flops=lambda n: 2.0 * n * 101**2,
              describe="LinearRegression normal-equation fit, n×100; the Gram matrix of [X y] (XᵀX and Xᵀy): "
                       "2·n·101² FLOP"))
_add(Workload("linreg_gd", "read", (10**5, 10**6), (10**4, 10**5), (10**6, 10**7), _regression,
              lambda X, y, backend: xpmath.LinearRegression(solver="gd", max_iter=GD_STEPS, tol=0.0, backend=backend)
              .fit(X, y).coef_,
              nbytes=lambda n, s: (GD_STEPS + 1) * n * 100 * s,
              describe=f"LinearRegression gd, {GD_STEPS} steps (+1 loss pass) on n×100"))
_add(Workload("logreg_gd", "read", (10**5, 10**6), (10**4, 10**5), (10**6, 10**7), _classification,
              lambda X, y, backend: xpmath.LogisticRegression(solver="gd", max_iter=GD_STEPS, tol=0.0, backend=backend)
              .fit(X, y).coef_,
              nbytes=lambda n, s: (GD_STEPS + 1) * n * 100 * s,
              describe=f"LogisticRegression gd, {GD_STEPS} steps (+1 loss pass) on n×100"))


# ---------------------------------------------------------------- factorisations and least squares
# The FLOP counts are the textbook's leading terms (Golub & Van Loan, "Matrix Computations", 4th ed.,
# §5.4 and §8.6): n×n square, or tall m×100 with the size n the rows.

TALL = 100


def _tall(n, dt, rng):
    return (rng.standard_normal((n, TALL)).astype(dt),)


def _tall_rhs(n, dt, rng):
    return (rng.standard_normal((n, TALL)).astype(dt), rng.standard_normal(n).astype(dt))


_add(Workload("svd", "gemm", (1024, 2048), (256, 512), (2048, 4096), _square,
              lambda a, backend: xpmath.linalg.svd(a, backend=backend), flops=lambda n: 21.0 * n**3,
              describe="SVD of n×n with U and Vh (gesdd; ≈21n³)"))
_add(Workload("qr", "gemm", (1024, 2048), (256, 512), (4096, 8192), _square,
              lambda a, backend: xpmath.linalg.qr(a, backend=backend), flops=lambda n: 8.0 / 3 * n**3,
              describe="QR of n×n with Q (Householder R 4/3·n³ and Q 4/3·n³)"))
_add(Workload("cholesky", "gemm", (1024, 2048, 4096), (512, 1024), (4096, 8192), _spd,
              lambda a, backend: xpmath.linalg.cholesky(a, backend=backend), flops=lambda n: n**3 / 3.0,
              describe="Cholesky factor of an n×n SPD matrix (n³/3)"))
_add(Workload("lstsq", "gemm", (1024, 2048), (256, 512), (2048, 4096), _solve,
              lambda a, b, backend: xpmath.linalg.lstsq(a, b, backend=backend), flops=lambda n: 8.0 / 3 * n**3,
              describe="least squares of n×n (gelsd; its bidiagonalisation 8/3·n³ counted)"))
_add(Workload("qr_tall", "gemm", (10**5, 10**6), (10**4,), (10**6, 10**7), _tall,
              lambda a, backend: xpmath.linalg.qr(a, backend=backend), flops=lambda n: 4.0 * n * TALL**2,
              describe=f"QR of tall n×{TALL} with the thin Q (4·n·{TALL}²; TSQR on dask)"))
_add(Workload("svd_tall", "gemm", (10**5, 10**6), (10**4,), (10**6, 10**7), _tall,
              lambda a, backend: xpmath.linalg.svd(a, full_matrices=False, backend=backend),
              flops=lambda n: 6.0 * n * TALL**2 + 20.0 * TALL**3,
              describe=f"thin SVD of tall n×{TALL} (R-SVD: 6·n·{TALL}² + 20·{TALL}³; TSQR on dask)"))
_add(Workload("lstsq_tall", "gemm", (10**5, 10**6), (10**4,), (10**6, 10**7), _tall_rhs,
              lambda a, b, backend: xpmath.linalg.lstsq(a, b, backend=backend),
              flops=lambda n: 2.0 * n * TALL**2,
              describe=f"least squares of tall n×{TALL} (gelsd's QR first: 2·n·{TALL}²; TSQR on dask)"))


# ---------------------------------------------------------------- stacks of small matrices
# n 3×3 matrices, the size n the stack's length. An inverse is about 2·3³ = 54 FLOP against 144
# bytes read and written (float64): 0.4 FLOP/byte, far below any CPU's or GPU's balance, so the
# limit is the memory's, and the row is judged as a read of the stack and a write of its inverse.

SMALL = 3


def _small_stack(n, dt, rng):
    a = rng.standard_normal((n, SMALL, SMALL)) + SMALL * np.eye(SMALL)  # well conditioned
    return (a.astype(dt),)


_add(Workload("inv_batched", "read", (10**6,), (10**5,), (10**6, 10**7), _small_stack,
              lambda a, backend: xpmath.linalg.inv(a, backend=backend),
              nbytes=lambda n, s: 2.0 * SMALL * SMALL * n * s, copy_nbytes=lambda n, s: 2.0 * SMALL * SMALL * n * s,
              describe=f"inv of a stack of n {SMALL}×{SMALL} matrices (a read of it and a write of the inverses: "
                       f"2·{SMALL * SMALL}·n values; ≈54 FLOP a matrix, memory-bound)"))
