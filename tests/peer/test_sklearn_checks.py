"""scikit-learn's estimator checks (``sklearn.utils.estimator_checks``) on xpmath's models.

The checks are those ``parametrize_with_checks`` runs, generated per backend with the estimator
built for it (``backend=...``, which ``clone`` keeps). scikit-learn picks the checks from the
estimator's tags; an estimator without tags gets the list its scikit-learn counterpart's tags
give, each check then failing on the missing tags. The ``peer`` run checks the counterparts.
"""

from __future__ import annotations

from functools import partial

import _peer
import pytest
import sklearn.decomposition
import sklearn.linear_model
from sklearn.utils.estimator_checks import estimator_checks_generator

import xpmath
from xpmath.testing import sklearn_expected_failures

PARAMETRIZES_BACKEND = True

# scikit-learn's own runs do not turn warnings into errors; a diverging "gd" fit warns there
pytestmark = [pytest.mark.peer, pytest.mark.filterwarnings("default::xpmath.errors.XPMathWarning")]

# id, xpmath's estimator on a backend, scikit-learn's counterpart (LinearRegression stands for
# solver="gd" too: scikit-learn has no gradient-descent least squares with the same objective)
ESTIMATORS = [
    ("LinearRegression()", xpmath.LinearRegression, sklearn.linear_model.LinearRegression),
    ("LinearRegression(positive=True)", partial(xpmath.LinearRegression, positive=True),
     sklearn.linear_model.LinearRegression),
    ("LinearRegression(solver='gd')", partial(xpmath.LinearRegression, solver="gd"),
     sklearn.linear_model.LinearRegression),
    ("LogisticRegression()", xpmath.LogisticRegression, sklearn.linear_model.LogisticRegression),
    ("PCA()", xpmath.PCA, sklearn.decomposition.PCA),
]


def _checks(estimator, counterpart):
    try:
        return list(estimator_checks_generator(estimator, legacy=True, mark="xfail",
                                               expected_failed_checks=sklearn_expected_failures(estimator)))
    except AttributeError:  # no __sklearn_tags__: scikit-learn cannot choose the checks
        return [(estimator, check) for _, check in estimator_checks_generator(counterpart, legacy=True)]


def _check_id(check) -> str:
    kw = ",".join(f"{k}={v}" for k, v in check.keywords.items())
    return f"{check.func.__name__}({kw})" if kw else check.func.__name__


def pytest_generate_tests(metafunc):
    params = []
    for backend in _peer.backend_params():
        name = backend.values[0]
        for label, ours, theirs in ESTIMATORS:
            estimator = theirs() if name == _peer.REFERENCE else ours(backend=name)
            for p in _checks(estimator, theirs()):
                est, check = getattr(p, "values", p)
                marks = [*backend.marks, *getattr(p, "marks", ())]  # xfail: a deliberate difference, with its reason
                params.append(pytest.param(name, est, check, marks=marks, id=f"{backend.id}-{label}-{_check_id(check)}"))
    metafunc.parametrize("peer_backend,estimator,check", params, indirect=["peer_backend"])


# Some checks fit data far from the origin (make_regression, loc=100), where gradient descent at
# the default lr=0.01 diverges: it warns (DivergenceWarning, by design) and the checks still hold.
@pytest.mark.filterwarnings("ignore::xpmath.errors.DivergenceWarning")
def test_estimator_checks(peer_backend, estimator, check):
    check(estimator)
