"""NumPy's own tests of numpy.linalg (numpy/linalg/tests/test_linalg.py), run against xpmath.

Each class swaps only its function under test: the checks' own helpers (``matmul`` to verify an
inverse, ``eig`` as the reference of ``eigh``, ``svd`` as the reference of ``lstsq`` and ``cond``,
``tensorsolve`` as the reference of ``tensorinv``) stay NumPy's. The products and norms that
numpy.linalg added for the array API (``outer``, ``cross``, ``tensordot``, ``vecdot``, ``multi_dot``,
``matrix_transpose``, ``diagonal``, ``trace``, ``vector_norm``, ``matrix_norm``) run from
``test_numpy_linalg_products.py``. Not run: NumPy's checks of its own build, which call no
function xpmath has (``test_xerbla_override`` and ``test_blas64_geqrf_lwork_smoketest`` call
``lapack_lite``, ``test_blas64_dot`` and ``test_sdot_bug_8577`` BLAS's ``dot`` in NumPy itself).
"""

from __future__ import annotations

import _peer
import pytest

peer = _peer.load(
    "numpy.linalg.tests.test_linalg",
    np=_peer.stand_ins("numpy"),
    linalg=_peer.stand_ins("numpy.linalg"),
    matmul=_peer.swapped("numpy.matmul"),
    dot=_peer.swapped("numpy.dot"),
    norm=_peer.swapped("numpy.linalg.norm"),
    matrix_power=_peer.swapped("numpy.linalg.matrix_power"),
    matrix_rank=_peer.swapped("numpy.linalg.matrix_rank"),
)

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

# NumPy runs its suite with warnings as errors, below its tests' own filters (its pytest.ini)
WARNINGS_AS_ERRORS = True

# NumPy's cases: each matrix of CASES also in up to 18 memory layouts of each operand (the
# "strided" cases), 16 783 in all, each one backend call in every test; on the dask backend
# (tens of ms a call) that alone is many minutes. Every case that is not strided runs, and one
# strided case in STRIDED_STEP: the layouts rotate across the matrices.
STRIDED_STEP = 100
CASES = [case for i, case in enumerate(peer.CASES) if "strided" not in case.tags or i % STRIDED_STEP == 0]

solve = pytest.mark.peer_swap("numpy.linalg.solve")
inv = pytest.mark.peer_swap("numpy.linalg.inv")
det = pytest.mark.peer_swap("numpy.linalg.det")
eig = pytest.mark.peer_swap("numpy.linalg.eig")
eigh = pytest.mark.peer_swap("numpy.linalg.eigh")
eigvalsh = pytest.mark.peer_swap("numpy.linalg.eigvalsh")
norm = pytest.mark.peer_swap("numpy.linalg.norm")
svd = pytest.mark.peer_swap("numpy.linalg.svd")
cond = pytest.mark.peer_swap("numpy.linalg.cond")
pinv = pytest.mark.peer_swap("numpy.linalg.pinv")
lstsq = pytest.mark.peer_swap("numpy.linalg.lstsq")
matrix_power = pytest.mark.peer_swap("numpy.linalg.matrix_power")
matrix_rank = pytest.mark.peer_swap("numpy.linalg.matrix_rank")
qr = pytest.mark.peer_swap("numpy.linalg.qr")
cholesky = pytest.mark.peer_swap("numpy.linalg.cholesky")
tensorinv = pytest.mark.peer_swap("numpy.linalg.tensorinv")
tensorsolve = pytest.mark.peer_swap("numpy.linalg.tensorsolve")


@solve
class TestSolve(peer.TestSolve):
    TEST_CASES = CASES


@inv
class TestInv(peer.TestInv):
    TEST_CASES = CASES


# NumPy checks eigvals against eig: both are xpmath's here, whose order the two share (API.md §4)
@pytest.mark.peer_swap("numpy.linalg.eigvals", "numpy.linalg.eig")
class TestEigvals(peer.TestEigvals):
    TEST_CASES = CASES


@eig
class TestEig(peer.TestEig):
    TEST_CASES = CASES


# det and slogdet are tested together, each against the other's and eigvals' (NumPy's) product
@pytest.mark.peer_swap("numpy.linalg.det", "numpy.linalg.slogdet")
class TestDet(peer.TestDet):
    TEST_CASES = CASES


# svdvals is checked against svd: both are xpmath's in test_svdvals
@pytest.mark.peer_swap("numpy.linalg.svd", "numpy.linalg.svdvals")
class TestSVD(peer.TestSVD):
    TEST_CASES = CASES


@svd
class TestSVDHermitian(peer.TestSVDHermitian):
    TEST_CASES = CASES


@cond
class TestCond(peer.TestCond):
    TEST_CASES = CASES


@pinv
class TestPinv(peer.TestPinv):
    TEST_CASES = CASES


@pinv
class TestPinvHermitian(peer.TestPinvHermitian):
    TEST_CASES = CASES


@lstsq
class TestLstsq(peer.TestLstsq):
    TEST_CASES = CASES


@matrix_power
class TestMatrixPower(peer.TestMatrixPower):
    pass


@matrix_rank
class TestMatrixRank(peer.TestMatrixRank):
    pass


@qr
class TestQR(peer.TestQR):
    pass


@cholesky
class TestCholesky(peer.TestCholesky):
    pass


@tensorinv
class TestTensorinv(peer.TestTensorinv):
    pass


@tensorsolve
class TestTensorsolve(peer.TestTensorsolve):
    pass


@eigvalsh
class TestEigvalsh(peer.TestEigvalsh):
    pass


@eigvalsh
class TestEigvalshCases(peer.TestEigvalshCases):
    TEST_CASES = CASES


@eigh
class TestEigh(peer.TestEigh):
    pass


@eigh
class TestEighCases(peer.TestEighCases):
    TEST_CASES = CASES


@norm
class TestNormDouble(peer.TestNormDouble):
    pass


@norm
class TestNormSingle(peer.TestNormSingle):
    pass


@norm
class TestNormInt64(peer.TestNormInt64):
    pass


@norm
class TestNorm_NonSystematic(peer.TestNorm_NonSystematic):
    pass


test_byteorder_check = pytest.mark.peer_swap("numpy.linalg.inv", "numpy.linalg.det", "numpy.linalg.pinv")(
    peer.test_byteorder_check)
test_generalized_raise_multiloop = inv(peer.test_generalized_raise_multiloop)
test_matmul = pytest.mark.peer_swap("numpy.linalg.matmul")(peer.test_matmul)
test_pinv_rtol_arg = pinv(peer.test_pinv_rtol_arg)
test_reduced_rank = matrix_rank(peer.test_reduced_rank)
test_empty_matrix_rank = matrix_rank(peer.test_empty_matrix_rank)
test_unsupported_commontype = cholesky(peer.test_unsupported_commontype)
