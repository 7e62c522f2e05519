"""scikit-learn's global test fixtures (its conftest.py, not loaded here), as it runs them by default."""

from __future__ import annotations

import os

import numpy
import pytest


@pytest.fixture
def global_random_seed():
    """scikit-learn's default seed (its ``SKLEARN_TESTS_GLOBAL_RANDOM_SEED`` unset)."""
    return 42


_SKIP32 = pytest.mark.skipif(os.environ.get("SKLEARN_RUN_FLOAT32_TESTS", "0") != "1",
                             reason="Set SKLEARN_RUN_FLOAT32_TESTS=1 to run float32 dtype tests")


@pytest.fixture(params=[pytest.param(numpy.float32, marks=_SKIP32), numpy.float64])
def global_dtype(request):
    """float64, and float32 with ``SKLEARN_RUN_FLOAT32_TESTS=1``, as scikit-learn's."""
    return request.param
