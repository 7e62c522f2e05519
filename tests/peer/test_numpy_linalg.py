"""NumPy's own tests of the linear algebra xpmath has (numpy/linalg/tests/test_linalg.py).

Each class swaps only its function under test: the checks' own helpers (``matmul`` to verify an
inverse, ``eig`` as the reference of ``eigh``, ``slogdet``, ``pinv``) stay NumPy's.
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


@det
class TestDet(peer.TestDet):
    TEST_CASES = CASES


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


test_byteorder_check = pytest.mark.peer_swap("numpy.linalg.inv", "numpy.linalg.det")(peer.test_byteorder_check)
test_generalized_raise_multiloop = inv(peer.test_generalized_raise_multiloop)
test_matmul = pytest.mark.peer_swap("numpy.linalg.matmul")(peer.test_matmul)
