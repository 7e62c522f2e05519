"""scikit-learn's own tests of LinearRegression (sklearn/linear_model/tests/test_base.py), each run
with ``LinearRegression`` swapped for xpmath's on the backend; the module's tests of private helpers
and of other estimators are left out in ``deselect.py``."""

from __future__ import annotations

import _peer
import pytest
from _sklearn_fixtures import global_random_seed  # noqa: F401 (scikit-learn's fixture)

peer = _peer.load("sklearn.linear_model.tests.test_base",
                  LinearRegression=_peer.swapped("sklearn.linear_model.LinearRegression"))

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

_swap = pytest.mark.peer_swap("sklearn.linear_model.LinearRegression")

for _name in [n for n in vars(peer) if n.startswith("test_")]:
    globals()[_name] = _swap(getattr(peer, _name))
del _name
