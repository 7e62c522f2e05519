"""NumPy's own tests of median, cov and corrcoef (numpy/lib/tests/test_function_base.py)."""

from __future__ import annotations

import _peer
import pytest

peer = _peer.load(
    "numpy.lib.tests.test_function_base",
    np=_peer.stand_ins("numpy"),
    cov=_peer.swapped("numpy.cov"),
    corrcoef=_peer.swapped("numpy.corrcoef"),
)

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

# NumPy runs its suite with warnings as errors, below its tests' own filters (its pytest.ini)
WARNINGS_AS_ERRORS = True


@pytest.mark.peer_swap("numpy.median")
class TestMedian(peer.TestMedian):
    pass


@pytest.mark.peer_swap("numpy.cov")
class TestCov(peer.TestCov):
    pass


@pytest.mark.peer_swap("numpy.corrcoef")
class TestCorrCoef(peer.TestCorrCoef):
    pass
