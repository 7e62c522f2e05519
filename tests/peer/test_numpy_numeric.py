"""NumPy's own tests of mean, std, var and ptp (numpy/_core/tests/test_numeric.py)."""

from __future__ import annotations

import re

import _peer
import pytest

peer = _peer.load("numpy._core.tests.test_numeric", np=_peer.stand_ins("numpy"))

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

# NumPy runs its suite with warnings as errors, below its tests' own filters (its pytest.ini)
WARNINGS_AS_ERRORS = True


@pytest.mark.peer_swap("numpy.std", "numpy.var", "numpy.mean")
class TestStdVar(peer.TestStdVar):
    pass


@pytest.mark.peer_swap("numpy.std", "numpy.var")
class TestStdVarComplex(peer.TestStdVarComplex):
    pass


# NumPy's TestNonarrayArgs checks that list input works, one test per function: those of mean,
# std, var and ptp (test_mean, test_std_with_mean_keyword, ..., test_ptp)
TestNonarrayArgs = pytest.mark.peer_swap("numpy.mean", "numpy.std", "numpy.var", "numpy.ptp")(
    type(
        "TestNonarrayArgs",
        (),
        {k: v for k, v in vars(peer.TestNonarrayArgs).items() if re.match(r"test_(mean|std|var|ptp)(_|$)", k)},
    )
)
