"""scikit-learn's own tests of LogisticRegression (sklearn/linear_model/tests/test_logistic.py), run
against xpmath's.

The module's ``LogisticRegression`` is swapped for xpmath's on the backend of the run (its
``parametrize`` lists too); everything else the tests call stays scikit-learn's: the reference fits
of ``_logistic_regression_path``, ``LogisticRegressionCV``, ``SGDClassifier``, the datasets, metrics
and model selection. What xpmath does not cover (the liblinear, newton-cg, sag and saga solvers,
the L1 and elastic-net penalties, sparse matrices, ``LogisticRegressionCV`` and scikit-learn's
private helpers, its callbacks and array API dispatch) is left out in ``deselect.py``, with why.
"""

from __future__ import annotations

import _peer
import pytest

KEY = "sklearn.linear_model.LogisticRegression"
peer = _peer.load("sklearn.linear_model.tests.test_logistic", LogisticRegression=_peer.swapped(KEY))

# scikit-learn's runs do not turn ConvergenceWarning into errors (its module's own filter is overwritten
# by its second pytestmark); xpmath's is an XPMathWarning, which the project's filters would
pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend"), pytest.mark.peer_swap(KEY),
              pytest.mark.filterwarnings("default::xpmath.errors.XPMathWarning")]

globals().update({name: f for name, f in vars(peer).items() if name.startswith("test_") and callable(f)})


@pytest.fixture
def global_random_seed():
    """scikit-learn's seed fixture, as its conftest gives it by default."""
    return 42
