"""The ``numba`` backend: NumPy arrays, Numba ``@njit`` kernels on every core.

Memory-bound operations (moments, z-scores, median, covariance centring, norms, probability,
the models' gradient steps) run hand-written parallel kernels that read the data once;
BLAS/LAPACK-bound ones (dot, matmul, eig, svd, qr, and inv, solve, det, eigh... of one matrix or a
few) are not defined here: NumPy's own call runs, which jitted code calling the same libraries does
not beat. Stacks of many small matrices (inv, solve, det, slogdet, cholesky, eigh, eigvalsh of 2×2
to 8×8) run kernels of their own, where NumPy's one LAPACK call per matrix costs more in set-up
than in arithmetic.
Importing this package does not import Numba: the kernels are loaded on first use.

Threading: the ``numba_threading_layer`` setting (``xpmath.set_config``), by default the OpenMP
layer where it loads (it is safe to call from several Python threads; Numba's ``workqueue`` layer
aborts the process then), and OpenMP threads sleep between calls (``OMP_WAIT_POLICY=PASSIVE``
unless set) so that they do not steal the cores from BLAS. Where only ``workqueue`` exists, calls
are serialised by a lock. ``numba_threads`` sets how many threads the kernels use. Kernels are
compiled lazily and cached (``numba_cache_dir``, by default ``~/.cache/xpmath/numba`` when the
install directory is read-only).

The bindings are split by area as the kernels are (``backends/numba_kernels/``): each area module
defines a mixin with its methods and a ``RULES`` table saying which calls its kernels take; the
class below joins them.
"""

from __future__ import annotations

import os

import numpy

from xpmath._backend import BackendBase

from . import linalg, models, nanstats, norms, probability, random, stats
from ._runtime import _kernels, _state

__all__ = ["NumbaBackend"]


class NumbaBackend(
    stats.StatsBindings,
    nanstats.NanStatsBindings,
    norms.NormBindings,
    probability.ProbabilityBindings,
    models.ModelBindings,
    random.RandomBindings,
    linalg.LinalgBindings,
    BackendBase,
):
    """Numba-JIT kernels on NumPy arrays, parallel on all cores."""

    name = "numba"
    xp = numpy
    array_type = numpy.ndarray
    gd_step_flags_nonfinite = True  # linear_step / logistic_step: no fast-math flag drops a NaN
    #: LinearRegression solves the normal equations of the one-pass centred Gram matrix where they are
    #: as exact as least squares (well-conditioned float64 X): ~30x faster than LAPACK's gelsd on tall X
    least_squares_by_gram = True

    #: op -> whether the kernels take the call, from every area
    _RULES = {**stats.RULES, **nanstats.RULES, **norms.RULES, **probability.RULES, **models.RULES, **random.RULES,
              **linalg.RULES}

    def is_available(self):
        try:
            _kernels()
        except ImportError as exc:
            return False, f"numba is not installed ({exc})"
        return True, ""

    def config(self):
        _kernels()
        numba = _state["numba"]
        layer = _state["layer"]
        from xpmath_backends.numpy_backend import blas_info

        return {
            "library": f"numba {numba.__version__} (numpy {numpy.__version__})",
            "threading_layer": layer + (" (calls serialised by a lock)" if layer == "workqueue" else ""),
            "threads": numba.get_num_threads(),
            "cache_dir": numba.config.CACHE_DIR or "(beside the kernels)",
            "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", ""),
            "linalg": (f"NumPy's own calls (its BLAS/LAPACK), but for stacks of {linalg.NMIN}x{linalg.NMIN} to "
                       f"{linalg.NMAX}x{linalg.NMAX} matrices (inv, solve, det, slogdet, cholesky, eigh): kernels"),
            **blas_info(),
        }

    def can_run(self, op, /, *args, **kw):
        """The kernels take real (or integer) data, and NumPy's default keywords; anything else —
        an ``out=``, ``where=``, ``dtype=``, a float16 array, an empty one — is NumPy's own call."""
        rule = self._RULES.get(op)
        return rule is None or bool(rule(self, *args, **kw))
