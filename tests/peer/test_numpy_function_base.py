"""NumPy's own tests of median, cov, corrcoef, average, ptp, quantile and percentile
(numpy/lib/tests/test_function_base.py).

``TestPercentile`` swaps ``percentile`` and ``TestQuantile`` ``quantile`` (with ``percentile`` where
a test compares the two); the reference values they compute with other functions stay NumPy's.
"""

from __future__ import annotations

import _peer
import hypothesis
import pytest

peer = _peer.load(
    "numpy.lib.tests.test_function_base",
    np=_peer.stand_ins("numpy"),
    cov=_peer.swapped("numpy.cov"),
    corrcoef=_peer.swapped("numpy.corrcoef"),
    average=_peer.swapped("numpy.average"),
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


@pytest.mark.peer_swap("numpy.average")
class TestAverage(peer.TestAverage):
    pass


@pytest.mark.peer_swap("numpy.ptp")
class TestPtp(peer.TestPtp):
    pass


# test_linear_interpolation runs each case through quantile and through percentile
@pytest.mark.peer_swap("numpy.percentile", "numpy.quantile")
class TestPercentile(peer.TestPercentile):
    pass


@pytest.mark.peer_swap("numpy.quantile")
class TestQuantile(peer.TestQuantile):
    # Hypothesis refuses a method run from a second instance of its class (a correctness check of its
    # example database); here each backend's run is another instance of the same class
    test_quantile_monotonic_hypo = hypothesis.settings(
        suppress_health_check=[hypothesis.HealthCheck.differing_executors])(peer.TestQuantile.test_quantile_monotonic_hypo)
