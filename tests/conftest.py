"""The ``backend`` fixture: every registered backend, skipping those unusable here with the reason.

``XPMATH_TEST_BACKENDS=numba,dask`` restricts the run to those backends.
"""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import _dispatch
from xpmath.testing import backend_params

BACKENDS = backend_params()

# the CuPy stand-in: put on PYTHONPATH by `make test`'s last run, never collected (its
# package is named cupy, and importing it beside a real CuPy would clash)
collect_ignore = ["fake_cupy", "scripts"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(params=[np.float32, np.float64], ids=["float32", "float64"])
def dtype(request):
    return np.dtype(request.param)


@pytest.fixture(autouse=True)
def _clean_global_state():
    """Tests that change the process default or the module-level generators leave no trace."""
    yield
    _dispatch._reset_for_tests()
    xpmath.random.seed(None)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
