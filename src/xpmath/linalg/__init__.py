"""Linear algebra: ``numpy.linalg``'s names on every backend.

Each function validates its input once, then runs on the selected backend (``backend=`` >
``use_backend`` > ``set_backend`` > ``XPMATH_BACKEND`` > ``numpy``). The functions live in one
module per theme (products, norms, solvers, decompositions) behind this one face.
"""

from __future__ import annotations

from ._decompositions import EigResult, eig, eigh, eigvals, eigvalsh
from ._decompositions import EighResult, QRResult, SVDResult, cholesky, cond, matrix_rank, qr, svd, svdvals
from ._norms import cosine_similarity, norm
from ._norms import matrix_norm, vector_norm
from ._products import dot, matmul, transpose
from ._products import cross, diagonal, matrix_transpose, multi_dot, outer, tensordot, trace, vecdot
from ._solvers import det, inv, solve
from ._solvers import SlogdetResult, lstsq, matrix_power, pinv, slogdet, tensorinv, tensorsolve
from ..errors import LinAlgError

__all__ = [
    "dot", "matmul", "transpose", "norm", "cosine_similarity",
    "outer", "cross", "tensordot", "vecdot", "multi_dot", "matrix_transpose", "diagonal", "trace",
    "vector_norm", "matrix_norm",
    "inv", "solve", "det", "eig", "eigh", "eigvals", "eigvalsh", "EigResult",
]
__all__ += [
    "svd", "svdvals", "qr", "cholesky", "lstsq", "pinv", "slogdet", "matrix_rank", "cond", "matrix_power",
    "tensorinv", "tensorsolve", "SVDResult", "QRResult", "SlogdetResult", "EighResult", "LinAlgError",
]
