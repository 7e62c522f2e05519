"""What a backend is: the members every backend must have, and the primitives it may accelerate.

A plugin author needs only this file. A backend is an object (usually an immutable singleton
registered under the entry-point group ``xpmath.backends``) satisfying :class:`Backend`. It may
also define any method of :class:`Primitives`, with the same name and signature: dispatch runs
the backend's own method when it has one and, if it defines ``can_run``, when ``can_run`` says it
takes this call; otherwise the reference implementation runs on the same backend's arrays,
written once against ``backend.xp``: NumPy-named calls (``xpmath._reference``) for a NumPy-like
namespace, or the array API standard's functions (``xpmath._portable``) for a backend that sets
``portable = True`` (as the one running other libraries' arrays, ``xpmath_backends.arrayapi_backend``).
Inputs reaching a primitive were already validated and converted by the public layer: a primitive
never re-checks them.

``xpmath._backend.BackendBase`` gives the conversion members for a NumPy-like namespace.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, runtime_checkable


@runtime_checkable
class Backend(Protocol):
    """The members every backend has."""

    #: The registry name (``"numpy"``, ``"numba"``…), used in messages and the DEBUG log.
    name: str
    #: The array namespace the reference implementation runs on (``numpy``, ``cupy``, ``dask.array``).
    xp: Any
    #: The backend's own array type; the public layer converts anything else with ``asarray``.
    array_type: type
    #: How many gradient-descent steps may pass between two host checks of convergence.
    gd_check_every: int
    #: True when the backend's own gradient steps give a non-finite loss at zero weights whenever
    #: X holds NaN or infinity (every value is multiplied, in IEEE arithmetic: inf·0 is NaN). A
    #: gradient-descent fit then lets its first step stand for the finite check of X, and checks X
    #: only when that loss is not finite: one read of X less per fit.
    gd_step_flags_nonfinite: bool

    def is_available(self) -> tuple[bool, str]:
        """``(True, "")`` when the backend can run here, else ``(False, why)``."""
        ...

    def config(self) -> dict:
        """Versions, threads and devices, for ``show_config``."""
        ...

    def asarray(self, x: Any, dtype: Any = None) -> Any:
        """``x`` as this backend's array (foreign device or lazy arrays are moved here)."""
        ...

    def to_numpy(self, x: Any) -> Any:
        """A result of this backend as a ``numpy.ndarray``."""
        ...

    def all_finite(self, a: Any) -> bool:
        """Whether ``a`` holds no NaN or infinity."""
        ...

    def all_finite_each(self, *arrays: Any) -> tuple[bool, ...]:
        """``all_finite`` of each array (a lazy backend computes them together)."""
        ...


class Primitives(Protocol):
    """The operations a backend may accelerate; each has a reference implementation.

    Signatures are the reference functions' without their leading ``xp``. Orchestration (the
    ordering of eigenpairs, PCA's sign rule, the gradient-descent loops, the models' fitting) runs
    above the backends and calls these.
    """

    def can_run(self, op: str, /, *args: Any, **kwargs: Any) -> bool:
        """Whether the backend's own ``op`` takes this call; False sends it to the reference."""
        ...

    # linear algebra
    def dot(self, a: Any, b: Any) -> Any: ...
    def matmul(self, a: Any, b: Any) -> Any: ...
    def transpose(self, a: Any, axes: Any = None) -> Any: ...
    def norm(self, x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any: ...
    def cosine_similarity(self, a: Any, b: Any = None) -> Any: ...
    def inv(self, a: Any) -> Any: ...
    def solve(self, a: Any, b: Any) -> Any: ...
    def det(self, a: Any) -> Any: ...
    def eig(self, a: Any) -> tuple[Any, Any]: ...
    def eigvals(self, a: Any) -> Any: ...
    def eigh(self, a: Any, UPLO: str = "L") -> tuple[Any, Any]: ...
    def eigvalsh(self, a: Any, UPLO: str = "L") -> Any: ...

    # statistics
    def mean(self, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
             where: Any = True) -> Any: ...
    def median(self, a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
               keepdims: bool = False) -> Any: ...
    def var(self, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: Any = 0,
            keepdims: bool = False, where: Any = True, mean: Any = None, correction: Any = None) -> Any: ...
    def std(self, a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: Any = 0,
            keepdims: bool = False, where: Any = True, mean: Any = None, correction: Any = None) -> Any: ...
    def cov(self, m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: Any = None,
            fweights: Any = None, aweights: Any = None, dtype: Any = None) -> Any: ...
    def corrcoef(self, x: Any, y: Any = None, rowvar: bool = True, dtype: Any = None) -> Any: ...
    def mode(self, a: Any, axis: Any = 0, nan_policy: str = "propagate", keepdims: bool = False) -> tuple: ...
    def zscore(self, a: Any, axis: Any = 0, ddof: Any = 0, nan_policy: str = "propagate") -> Any: ...
    def column_means(self, X: Any) -> Any: ...
    def centred_gram(self, X: Any, y: Any = None, centre: bool = True,
                     sample_weight: Any = None) -> tuple[Any, Any, Any, Any]: ...

    # probability
    def total_probability(self, p_b_given_a: Any, p_a: Any, p_b_given_not_a: Any) -> Any: ...
    def bayes(self, p_b_given_a: Any, p_a: Any, p_b: Any) -> Any: ...
    def normal_pdf(self, x: Any, mean: Any = 0.0, std: Any = 1.0) -> Any: ...
    def normal_cdf(self, x: Any, mean: Any = 0.0, std: Any = 1.0) -> Any: ...
    def count_within(self, x: Any, bounds: Any) -> Any: ...

    # models
    # One step of gradient descent, one pass over X: (loss, grad of the weights, grad of the
    # intercepts or None). sample_weight is a (n,) array on the backend, or None (unweighted).
    # grad=False asks for the loss alone, (loss, None, None): the fit's last pass, whose
    # gradient nothing uses, then skips the second product with X.
    def linear_gd_step(self, X: Any, y: Any, w: Any, b: Any, alpha: float, fit_intercept: bool,
                       sample_weight: Any = None, grad: bool = True) -> tuple: ...
    def logistic_gd_step(self, X: Any, y: Any, w: Any, b: Any, alpha: float, fit_intercept: bool,
                         sample_weight: Any = None, grad: bool = True) -> tuple: ...
    def softmax_gd_step(self, X: Any, Y: Any, W: Any, b: Any, alpha: float, fit_intercept: bool,
                        sample_weight: Any = None, grad: bool = True) -> tuple: ...
    def sigmoid(self, t: Any) -> Any: ...
    def unique(self, a: Any) -> Any: ...
    def gd_xp(self) -> Any: ...

    # random
    def default_rng(self, seed: Any = None) -> Any: ...
    def legacy_rng(self, seed: Any = None) -> Any: ...


#: Every optional primitive's name.
PRIMITIVES: frozenset[str] = frozenset(
    n for n, v in vars(Primitives).items() if callable(v) and not n.startswith("_") and n != "can_run"
)

Reference = Callable[..., Any]
