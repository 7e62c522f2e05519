"""NumPy's own tests of its NaN-ignoring functions (numpy/lib/tests/test_nanfunctions.py), the whole module.

Each class swaps the NaN-ignoring functions it tests; the plain functions it compares them with
(``np.min``, ``np.median``, ``np.percentile``...) stay NumPy's. The classes' lists of functions
(``nanfuncs = [np.nanmin, np.nanmax]``) and parametrize lists hold the stand-ins (``_peer.load``),
so ``f is np.nanmax`` in a test still holds. ``nanprod`` in ``TestNanFunctions_SumProd`` is not an
xpmath function: NumPy's runs there beside xpmath's ``nansum``. What ``deselect.py`` leaves out is
listed there with the reason (NumPy's arg-reductions and cumulative functions, which xpmath does
not have, object and timedelta arrays, subclasses, NumPy's private helpers).
"""

from __future__ import annotations

import _peer
import pytest

peer = _peer.load("numpy.lib.tests.test_nanfunctions", np=_peer.stand_ins("numpy"))

pytestmark = [pytest.mark.peer, pytest.mark.usefixtures("peer_backend")]

# NumPy runs its suite with warnings as errors, below its tests' own filters (its pytest.ini)
WARNINGS_AS_ERRORS = True

_ALL = ("numpy.nanmin", "numpy.nanmax", "numpy.nansum", "numpy.nanmean", "numpy.nanvar", "numpy.nanstd",
        "numpy.nanmedian", "numpy.nanquantile", "numpy.nanpercentile")


@pytest.mark.peer_swap(*_ALL)
class TestSignatureMatch(peer.TestSignatureMatch):
    pass


@pytest.mark.peer_swap("numpy.nanmin", "numpy.nanmax")
class TestNanFunctions_MinMax(peer.TestNanFunctions_MinMax):
    pass


class TestNanFunctions_ArgminArgmax(peer.TestNanFunctions_ArgminArgmax):
    pass


@pytest.mark.peer_swap(*_ALL)
class TestNanFunctions_NumberTypes(peer.TestNanFunctions_NumberTypes):
    pass


@pytest.mark.peer_swap("numpy.nansum")
class TestNanFunctions_SumProd(peer.TestNanFunctions_SumProd):
    pass


class TestNanFunctions_CumSumProd(peer.TestNanFunctions_CumSumProd):
    pass


@pytest.mark.peer_swap("numpy.nanmean", "numpy.nanvar", "numpy.nanstd")
class TestNanFunctions_MeanVarStd(peer.TestNanFunctions_MeanVarStd):
    pass


@pytest.mark.peer_swap("numpy.nanmedian")
class TestNanFunctions_Median(peer.TestNanFunctions_Median):
    pass


@pytest.mark.peer_swap("numpy.nanpercentile")
class TestNanFunctions_Percentile(peer.TestNanFunctions_Percentile):
    pass


@pytest.mark.peer_swap("numpy.nanquantile", "numpy.nanpercentile")
class TestNanFunctions_Quantile(peer.TestNanFunctions_Quantile):
    pass


test__nan_mask = peer.test__nan_mask
test__replace_nan = peer.test__replace_nan
test_memmap_takes_fast_route = pytest.mark.peer_swap("numpy.nanmin", "numpy.nanmax")(peer.test_memmap_takes_fast_route)
