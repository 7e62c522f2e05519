"""Linear algebra: ``numpy.linalg``'s names on every backend.

Each function validates its input once, then runs on the selected backend (``backend=`` >
``use_backend`` > ``set_backend`` > ``XPMATH_BACKEND`` > ``numpy``). The functions live in one
module per theme (products, norms, solvers, decompositions) behind this one face.
"""

from __future__ import annotations

from ._decompositions import EigResult, eig, eigh, eigvals, eigvalsh
from ._norms import cosine_similarity, norm
from ._norms import matrix_norm, vector_norm
from ._products import dot, matmul, transpose
from ._products import cross, diagonal, matrix_transpose, multi_dot, outer, tensordot, trace, vecdot
from ._solvers import det, inv, solve

__all__ = [
    "dot", "matmul", "transpose", "norm", "cosine_similarity",
    "outer", "cross", "tensordot", "vecdot", "multi_dot", "matrix_transpose", "diagonal", "trace",
    "vector_norm", "matrix_norm",
    "inv", "solve", "det", "eig", "eigh", "eigvals", "eigvalsh", "EigResult",
]
