"""NumPy's own tests of numpy.linalg's array API products and norms (numpy/linalg/tests/test_linalg.py).

``TestMultiDot`` and the module's tests of ``diagonal``, ``trace``, ``cross``, ``tensordot``,
``matrix_transpose``, ``matrix_norm`` and ``vector_norm``; each swaps only its function under test (the
reference values NumPy computes with ``dot`` stay NumPy's). ``TestOuter`` has no test to run: its
checks sit in the class body, run once by NumPy's own ``numpy.linalg.outer`` as the module is imported.
"""

from __future__ import annotations

import _peer
import pytest

peer = _peer.load(
    "numpy.linalg.tests.test_linalg",
    np=_peer.stand_ins("numpy"),
    linalg=_peer.stand_ins("numpy.linalg"),
    multi_dot=_peer.swapped("numpy.linalg.multi_dot"),
    _multi_dot_matrix_chain_order=_peer.swapped("numpy.linalg._linalg._multi_dot_matrix_chain_order"),
)

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

# NumPy runs its suite with warnings as errors, below its tests' own filters (its pytest.ini)
WARNINGS_AS_ERRORS = True


# the order of the products is xpmath's own (the same on every backend); NumPy's test of its private
# helper checks it against Cormen's worked example
@pytest.mark.peer_swap("numpy.linalg.multi_dot", "numpy.linalg._linalg._multi_dot_matrix_chain_order")
class TestMultiDot(peer.TestMultiDot):
    pass


def _swap(key, test):
    return pytest.mark.peer_swap(key)(test)


test_diagonal = _swap("numpy.linalg.diagonal", peer.test_diagonal)
test_trace = _swap("numpy.linalg.trace", peer.test_trace)
test_cross = _swap("numpy.linalg.cross", peer.test_cross)
test_tensordot = _swap("numpy.linalg.tensordot", peer.test_tensordot)
test_matrix_transpose = _swap("numpy.linalg.matrix_transpose", peer.test_matrix_transpose)
test_matrix_norm = _swap("numpy.linalg.matrix_norm", peer.test_matrix_norm)
test_matrix_norm_empty = _swap("numpy.linalg.matrix_norm", peer.test_matrix_norm_empty)
test_vector_norm = _swap("numpy.linalg.vector_norm", peer.test_vector_norm)
test_vector_norm_empty = _swap("numpy.linalg.vector_norm", peer.test_vector_norm_empty)
