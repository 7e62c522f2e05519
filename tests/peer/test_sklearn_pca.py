"""scikit-learn's own tests of PCA (sklearn/decomposition/tests/test_pca.py), each run with ``PCA`` and
its choice of dimension (``_assess_dimension``, ``_infer_dimension``: Minka's MLE) swapped for
xpmath's on the backend; sparse input and scikit-learn's array-API dispatch are left out in
``deselect.py``."""

from __future__ import annotations

import _peer
import pytest
from _sklearn_fixtures import global_dtype, global_random_seed  # noqa: F401 (scikit-learn's fixtures)

KEYS = ("sklearn.decomposition.PCA", "sklearn.decomposition._pca._assess_dimension",
        "sklearn.decomposition._pca._infer_dimension")

peer = _peer.load("sklearn.decomposition.tests.test_pca",
                  PCA=_peer.swapped(KEYS[0]), _assess_dimension=_peer.swapped(KEYS[1]),
                  _infer_dimension=_peer.swapped(KEYS[2]))

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

_swap = pytest.mark.peer_swap(*KEYS)

for _name in [n for n in vars(peer) if n.startswith("test_")]:
    globals()[_name] = _swap(getattr(peer, _name))
del _name
