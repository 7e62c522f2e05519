"""Run the peers' own tests (NumPy's, SciPy's, scikit-learn's) against xpmath.

A peer test module is imported from the installed package (its asserts rewritten by pytest, as
when the peer runs it), then the module-level names its tests call (``np``, ``linalg``, ``cov``,
``stats``...) are replaced by stand-ins:

- :class:`Namespace` stands for a module (``numpy``, ``numpy.linalg``, ``scipy.stats``): every
  attribute is the module's own, except the covered functions;
- :class:`Swapped` stands for one covered function: it runs xpmath's function on the selected
  backend when the running test swaps it, the peer's own function otherwise.

Which functions a test swaps is declared per test class by the ``peer_swap`` marker (the function
under test only, so that the reference values a test computes with other peer functions stay the
peer's). The ``peer_backend`` fixture (see ``conftest.py``) activates the swap for one test: a
backend name runs xpmath there, ``"peer"`` runs the peer's own functions through the same
stand-ins, which checks the harness itself.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

import xpmath
from xpmath import _registry
from xpmath.testing import backend_marks

#: the pseudo-backend that runs the peer's own functions
REFERENCE = "peer"


@dataclass
class _Active:
    backend: str | None  # None: the peer's own functions
    keys: frozenset[str]
    calls: dict[str, int] = field(default_factory=dict)


# Tests run one at a time in a process (xdist runs processes), so one slot is enough.
_active: _Active | None = None


@contextlib.contextmanager
def activate(backend: str, keys: frozenset[str]) -> Iterator[_Active]:
    """Within the block, the :class:`Swapped` stand-ins named by ``keys`` run on ``backend``."""
    global _active
    state = _Active(None if backend == REFERENCE else backend, keys)
    _active = state
    try:
        yield state
    finally:
        _active = None


class Swapped:
    """Stands for the peer function ``key`` (e.g. ``"numpy.median"``) in a peer test module."""

    def __init__(self, key: str, reference: Callable, ours: Callable) -> None:
        functools.update_wrapper(self, reference)
        self.key = key
        self.reference = reference
        self.ours = ours

    def __call__(self, *args, **kwargs):
        state = _active
        if state is None or self.key not in state.keys:
            return self.reference(*args, **kwargs)
        state.calls[self.key] = state.calls.get(self.key, 0) + 1
        if state.backend is None:
            return self.reference(*args, **kwargs)
        return self.ours(*args, backend=state.backend, **kwargs)

    def __repr__(self) -> str:
        return f"<peer stand-in for {self.key}>"


class Namespace:
    """A module whose attributes are ``target``'s, except those given in ``overrides``."""

    def __init__(self, target: types.ModuleType, overrides: dict[str, object]) -> None:
        self.__dict__.update(overrides)
        self.__dict__["_peer_target"] = target

    def __getattr__(self, name: str):
        return getattr(self.__dict__["_peer_target"], name)

    def __repr__(self) -> str:
        return f"<peer stand-in for module {self.__dict__['_peer_target'].__name__!r}>"


def swapped(key: str) -> Swapped:
    """The stand-in for the covered peer function named by its dotted path ``key``."""
    module, _, name = key.rpartition(".")
    return Swapped(key, getattr(importlib.import_module(module), name), COVERED[key])


def stand_ins(module: str) -> Namespace:
    """The stand-in for ``module``: its covered functions swapped (``numpy``'s ``linalg`` too)."""
    overrides: dict[str, object] = {
        k.rpartition(".")[2]: swapped(k) for k in COVERED if k.rpartition(".")[0] == module
    }
    if module == "numpy":
        overrides["linalg"] = stand_ins("numpy.linalg")
    return Namespace(importlib.import_module(module), overrides)


def load(module_name: str, **new: object) -> types.ModuleType:
    """Import the peer test module ``module_name`` and replace the globals named in ``new``.

    Every :class:`Swapped` in the replacements must be the only way the module reaches that
    function. A covered function captured while the module was imported inside a list, tuple or
    dict of a test class (``nanfuncs = [np.nanmin, np.nanmax]``) or in a ``parametrize`` list (a
    ``functools.partial`` of one too) is replaced there by its stand-in, the same object the
    module's ``np`` then holds (so the tests' ``f is np.nanmax`` still hold); one held directly as a
    class attribute would escape the swap, so finding one is an error.
    """
    if module_name not in sys.modules:  # rewriting works only for modules not yet imported
        pytest.register_assert_rewrite(module_name)
    module = importlib.import_module(module_name)
    missing = new.keys() - vars(module).keys()
    if missing:
        raise RuntimeError(f"{module_name} has no globals {sorted(missing)} to replace")
    _rebind(module, {id(s.reference): s for s in _stand_ins(new)})
    covered = {id(s.reference): s.key for s in _stand_ins(new)}
    for owner, where, value in _captured(module):
        if id(value) in covered:
            raise RuntimeError(
                f"{module_name}: {where} of {owner} holds {covered[id(value)]} itself, which the swap cannot reach"
            )
    module.__dict__.update(new)
    return module


def _substituted(value: object, table: dict[int, Swapped]) -> object:
    """``value`` with the covered functions inside it (``table``: by the id of the peer's own) replaced
    by their stand-ins; ``value`` itself where it holds none."""
    if id(value) in table:
        return table[id(value)]
    if isinstance(value, functools.partial) and id(value.func) in table:
        return functools.partial(table[id(value.func)], *value.args, **value.keywords)
    if type(value) in (list, tuple):
        items = [_substituted(v, table) for v in value]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    if type(value) is dict or type(value).__name__ == "dict_items":  # dict_items: parametrize(..., d.items())
        old = list(value.items() if type(value) is dict else value)
        pairs = [(_substituted(k, table), _substituted(v, table)) for k, v in old]
        if all(a is k and b is v for (a, b), (k, v) in zip(pairs, old)):
            return value
        return dict(pairs) if type(value) is dict else pairs
    if hasattr(value, "values") and hasattr(value, "marks") and hasattr(value, "id"):  # a pytest.param
        values = _substituted(tuple(value.values), table)
        return value if values is value.values else pytest.param(*values, marks=value.marks, id=value.id)
    return value


def _rebind(module: types.ModuleType, table: dict[int, Swapped]) -> None:
    """The stand-ins in place of the covered functions that the module's test classes hold in
    containers and its tests' ``parametrize`` lists hold (see :func:`load`)."""
    for obj in list(vars(module).values()):
        if isinstance(obj, type) and obj.__module__ == module.__name__:
            for attr, value in list(vars(obj).items()):
                if type(value) in (list, tuple, dict):
                    new = _substituted(value, table)
                    if new is not value:
                        setattr(obj, attr, new)
                _rebind_marks(value, table)
        elif callable(obj) and getattr(obj, "__module__", None) == module.__name__:
            _rebind_marks(obj, table)


def _rebind_marks(obj: object, table: dict[int, Swapped]) -> None:
    marks = getattr(obj, "pytestmark", None)
    if not isinstance(marks, list) or not isinstance(getattr(obj, "__dict__", None), dict):
        return
    for i, mark in enumerate(marks):
        if mark.name != "parametrize":
            continue
        args, kwargs = mark.args, dict(mark.kwargs)
        if len(args) > 1:
            values = list(args[1])
            new = _substituted(values, table)
            args = (args[0], new, *args[2:])
        elif "argvalues" in kwargs:
            values = list(kwargs["argvalues"])
            new = kwargs["argvalues"] = _substituted(values, table)
        else:
            continue
        if new is not values:  # pytest's marks are frozen: a new one, as pytest.mark.parametrize makes
            marks[i] = pytest.mark.parametrize(*args, **kwargs).mark


def _stand_ins(new: dict[str, object]) -> Iterator[Swapped]:
    for value in new.values():
        if isinstance(value, Swapped):
            yield value
        elif isinstance(value, Namespace):
            yield from _stand_ins({k: v for k, v in vars(value).items() if k != "_peer_target"})


def _captured(module: types.ModuleType) -> Iterator[tuple[str, str, object]]:
    """Values held by the module's test classes and functions: attributes and parametrize lists."""
    for name, obj in vars(module).items():
        if isinstance(obj, type) and obj.__module__ == module.__name__:
            for attr, value in vars(obj).items():
                yield name, f"attribute {attr!r}", value
                yield from _marks(f"{name}.{attr}", value)
        elif callable(obj) and getattr(obj, "__module__", None) == module.__name__:
            yield from _marks(name, obj)


def _marks(owner: str, obj: object) -> Iterator[tuple[str, str, object]]:
    for mark in getattr(obj, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        values = mark.args[1] if len(mark.args) > 1 else mark.kwargs.get("argvalues", [])
        for value in values:
            value = value.values if hasattr(value, "values") and hasattr(value, "marks") else value
            for v in value if isinstance(value, tuple) else (value,):
                yield owner, "a parametrize value", v


def backend_params() -> list:
    """The backends the peer suites run on, as ``pytest.param``s.

    ``XPMATH_TEST_BACKENDS`` chooses them as for the rest of the suite; ``peer`` in that list
    adds the run of the peer's own functions. Unset, every usable backend but ``cupy`` runs
    (``cupy`` only when named: the device is checked by the suite's own GPU tests).
    """
    only = [b.strip() for b in os.environ.get("XPMATH_TEST_BACKENDS", "").split(",") if b.strip()]
    params = [pytest.param(REFERENCE, id=REFERENCE)] if REFERENCE in only else []
    for name in _registry.names():
        if (only and name not in only) or (not only and name == "cupy"):
            continue
        params.append(pytest.param(name, marks=backend_marks(name), id=name))
    return params


def _chain_order(arrays, return_costs=False, *, backend=None):
    """The order of xpmath's ``multi_dot`` (:func:`xpmath._reference.linalg.matrix_chain_order`, the same
    on every backend, so ``backend`` is moot) as NumPy's private helper returns its own: arrays ``s``
    (the splits) and, with ``return_costs``, ``m`` (the costs)."""
    import numpy

    from xpmath._reference.linalg import matrix_chain_order

    split, cost = matrix_chain_order([a.shape[0] for a in arrays] + [arrays[-1].shape[1]])
    s = numpy.array(split, dtype=numpy.intp)
    return (s, numpy.array(cost)) if return_costs else s


def _estimator(cls):
    """A peer estimator class's stand-in: xpmath's estimator built on the backend (``backend=``)."""

    def build(*args, backend=None, **kwargs):
        return cls(*args, backend=backend, **kwargs)

    return build


def _on_host(f):
    """A peer helper of small host data (PCA's spectrum), for which the backend is moot."""

    def run(*args, backend=None, **kwargs):
        return f(*args, **kwargs)

    return run


def _pca_helper(name):
    from xpmath.models import _pca

    return _on_host(getattr(_pca, name))


# Every covered peer function and the xpmath function standing for it.
COVERED: dict[str, Callable] = {
    "numpy.mean": xpmath.mean,
    "numpy.median": xpmath.median,
    "numpy.var": xpmath.var,
    "numpy.std": xpmath.std,
    "numpy.cov": xpmath.cov,
    # averages, quantiles, ranges and the NaN-ignoring reductions
    "numpy.average": xpmath.average,
    "numpy.quantile": xpmath.quantile,
    "numpy.percentile": xpmath.percentile,
    "numpy.ptp": xpmath.ptp,
    "numpy.nanmean": xpmath.nanmean,
    "numpy.nanmedian": xpmath.nanmedian,
    "numpy.nanvar": xpmath.nanvar,
    "numpy.nanstd": xpmath.nanstd,
    "numpy.nanquantile": xpmath.nanquantile,
    "numpy.nanpercentile": xpmath.nanpercentile,
    "numpy.nansum": xpmath.nansum,
    "numpy.nanmin": xpmath.nanmin,
    "numpy.nanmax": xpmath.nanmax,
    "numpy.corrcoef": xpmath.corrcoef,
    "numpy.dot": xpmath.dot,
    "numpy.matmul": xpmath.matmul,
    "numpy.transpose": xpmath.transpose,
    "numpy.linalg.matmul": xpmath.linalg.matmul,
    "numpy.linalg.norm": xpmath.linalg.norm,
    # numpy.linalg's array API products and norms
    "numpy.linalg.outer": xpmath.linalg.outer,
    "numpy.linalg.cross": xpmath.linalg.cross,
    "numpy.linalg.tensordot": xpmath.linalg.tensordot,
    "numpy.linalg.vecdot": xpmath.linalg.vecdot,
    "numpy.linalg.multi_dot": xpmath.linalg.multi_dot,
    "numpy.linalg._linalg._multi_dot_matrix_chain_order": _chain_order,
    "numpy.linalg.matrix_transpose": xpmath.linalg.matrix_transpose,
    "numpy.linalg.diagonal": xpmath.linalg.diagonal,
    "numpy.linalg.trace": xpmath.linalg.trace,
    "numpy.linalg.vector_norm": xpmath.linalg.vector_norm,
    "numpy.linalg.matrix_norm": xpmath.linalg.matrix_norm,
    "numpy.linalg.inv": xpmath.linalg.inv,
    "numpy.linalg.solve": xpmath.linalg.solve,
    "numpy.linalg.det": xpmath.linalg.det,
    "numpy.linalg.eig": xpmath.linalg.eig,
    "numpy.linalg.eigh": xpmath.linalg.eigh,
    "numpy.linalg.eigvals": xpmath.linalg.eigvals,
    "numpy.linalg.eigvalsh": xpmath.linalg.eigvalsh,
    "numpy.linalg.svd": xpmath.linalg.svd,
    "numpy.linalg.svdvals": xpmath.linalg.svdvals,
    "numpy.linalg.qr": xpmath.linalg.qr,
    "numpy.linalg.cholesky": xpmath.linalg.cholesky,
    "numpy.linalg.lstsq": xpmath.linalg.lstsq,
    "numpy.linalg.pinv": xpmath.linalg.pinv,
    "numpy.linalg.slogdet": xpmath.linalg.slogdet,
    "numpy.linalg.matrix_rank": xpmath.linalg.matrix_rank,
    "numpy.linalg.cond": xpmath.linalg.cond,
    "numpy.linalg.matrix_power": xpmath.linalg.matrix_power,
    "numpy.linalg.tensorinv": xpmath.linalg.tensorinv,
    "numpy.linalg.tensorsolve": xpmath.linalg.tensorsolve,
    "sklearn.linear_model.LogisticRegression": xpmath.LogisticRegression,
    "scipy.stats.zscore": xpmath.zscore,
    "scipy.stats.mode": xpmath.mode,
    # scikit-learn's estimators, and PCA's choice of dimension (Minka's MLE)
    "sklearn.linear_model.LinearRegression": _estimator(xpmath.LinearRegression),
    "sklearn.decomposition.PCA": _estimator(xpmath.PCA),
    "sklearn.decomposition._pca._assess_dimension": _pca_helper("_assess_dimension"),
    "sklearn.decomposition._pca._infer_dimension": _pca_helper("_infer_dimension"),
}


def swap_keys(node: pytest.Item) -> frozenset[str]:
    """The peer functions a test swaps: the union of its ``peer_swap`` markers."""
    keys = frozenset(k for m in node.iter_markers("peer_swap") for k in m.args)
    unknown = keys - COVERED.keys()
    if unknown:
        raise ValueError(f"peer_swap names functions xpmath does not cover: {sorted(unknown)}")
    return keys
