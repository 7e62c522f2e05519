"""SciPy's own tests of zscore and mode (scipy/stats/tests/test_stats.py), on NumPy arrays."""

from __future__ import annotations

import _peer
import pytest

peer = _peer.load("scipy.stats.tests.test_stats", stats=_peer.stand_ins("scipy.stats"))

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

# SciPy runs its suite with warnings as errors, below its tests' own filters (its pytest.ini)
WARNINGS_AS_ERRORS = True


@pytest.mark.peer_swap("scipy.stats.zscore")
class TestZscore(peer.TestZscore):
    pass


@pytest.mark.peer_swap("scipy.stats.mode")
class TestMode(peer.TestMode):
    pass
