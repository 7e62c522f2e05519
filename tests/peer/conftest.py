"""The peer suites: NumPy's, SciPy's and scikit-learn's own tests run against xpmath.

Selected by the ``peer`` marker (``pytest tests/peer -m peer``); the project's ``addopts`` leave
them out otherwise, and then this directory is not even collected (its imports are heavy).
Each test runs once per backend of ``_peer.backend_params()``, through the ``peer_backend``
fixture; ``deselect.py`` lists what is left out, and why.
"""

from __future__ import annotations

import fnmatch
import os
import re
import traceback
import warnings
from pathlib import Path

import _peer
import deselect
import numpy
import pytest

HERE = Path(__file__).parent

# markers the peers' test modules use (registered by their own conftest files, not loaded here)
PEER_MARKERS = [
    "peer_swap(*keys): the covered functions a peer test swaps for xpmath's",
    "leaks_references: NumPy's marker (tests that leak references)",
    "valgrind_error: NumPy's marker",
    "slow_pypy: NumPy's marker",
    "thread_unsafe: NumPy's and SciPy's marker",
    "xslow: SciPy's marker (very slow tests)",
    "fail_slow(seconds): SciPy's marker (pytest-fail-slow's time limit)",
    "xfail_on_32bit: SciPy's marker",
    "array_api_backends: SciPy's marker",
    "skip_xp_backends: SciPy's marker (array-API backends to skip; only NumPy runs here)",
    "xfail_xp_backends: SciPy's marker (array-API backends expected to fail; only NumPy runs here)",
]


def pytest_configure(config):
    for line in PEER_MARKERS:
        config.addinivalue_line("markers", line)


def pytest_ignore_collect(collection_path, config):
    """Skip importing the peer modules when the ``-m`` expression can select none of their tests."""
    expr = config.option.markexpr
    if not expr:
        return None
    try:
        from _pytest.mark.expression import Expression

        compiled = Expression.compile(expr)
        selectable = compiled.evaluate(lambda name, **kw: True) or compiled.evaluate(
            lambda name, **kw: name == "peer"
        )
    except Exception:  # noqa: BLE001 (a private pytest API: on any change, collect)
        return None
    return None if selectable else True


def pytest_generate_tests(metafunc):
    if "peer_backend" in metafunc.fixturenames and not getattr(metafunc.module, "PARAMETRIZES_BACKEND", False):
        metafunc.parametrize("peer_backend", _peer.backend_params(), indirect=True)


@pytest.fixture
def peer_backend(request):
    """Runs the test with its ``peer_swap`` functions on the backend (``"peer"``: the peer's own).

    A test that never reaches a swapped function is a fault of the harness, reported as an error.
    A module with ``WARNINGS_AS_ERRORS`` runs as its peer's ``filterwarnings = error``: below every
    other filter (the test's marks, the project's), so appended, for this test only.
    """
    backend = request.param
    if getattr(request.module, "WARNINGS_AS_ERRORS", False):
        warnings.filterwarnings("error", append=True)
    keys = _peer.swap_keys(request.node)
    with _peer.activate(backend, keys) as state:
        yield backend
    if keys and not state.calls and not request.node.stash.get(_SKIPPED, False):
        pytest.fail(f"peer harness: the test called none of {sorted(keys)}", pytrace=False)


_SKIPPED = pytest.StashKey[bool]()  # the test skipped itself (NumPy's pytest.skip for a case it does not run)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failure's one-line summary (the exception and the peer's failing line) for ``report.py``."""
    report = yield
    if call.when == "call" and report.skipped and not hasattr(report, "wasxfail"):
        item.stash[_SKIPPED] = True
    if report.failed and call.excinfo is not None and item.path.parent == HERE:
        report.user_properties.append(("peer_failure", _summary(call.excinfo.value)))
    return report


def _summary(exc: BaseException) -> str:
    # NumPy's linalg loop re-raises each case's failure as an AssertionError naming the case
    case = ""
    if isinstance(exc, AssertionError) and str(exc).startswith("In test case:") and exc.__cause__ is not None:
        case = str(exc).splitlines()[0].removeprefix("In test case: ")
        exc = exc.__cause__
    kind = type(exc).__name__ if type(exc).__module__ == "builtins" else f"{type(exc).__module__}.{type(exc).__name__}"
    frames = traceback.extract_tb(exc.__traceback__)
    peer_frames = [f for f in frames if re.search(r"/tests/test_\w+\.py$|/estimator_checks\.py$", f.filename)]
    where = (peer_frames or frames or [None])[-1]
    text = " ".join(f"{kind}: {exc}".split())[:300]
    at = f" | at: {where.line}" if where is not None and where.line else ""
    return f"{text}{at}{f' | case: {case}' if case else ''}"


@pytest.fixture
def xp():
    """SciPy's array-namespace fixture, as SciPy runs it by default: NumPy."""
    return numpy


def pytest_collection_modifyitems(config, items):
    kept, dropped = [], []
    for item in items:
        if _deselected(item):
            dropped.append(item)
        else:
            kept.append(item)
            why = _known(item)
            if why is not None:
                item.add_marker(pytest.mark.xfail(reason=why, strict=False))
        spec = getattr(item, "callspec", None)
        if spec is not None and "peer_backend" in spec.params:
            item.user_properties.append(("peer_backend", spec.params["peer_backend"]))
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _known(item) -> str | None:
    """The reason ``item`` is expected to fail on its backend (``deselect.KNOWN``), if it is."""
    if item.path.parent != HERE or not hasattr(item, "originalname"):
        return None
    backend = getattr(item, "callspec", None) and item.callspec.params.get("peer_backend")
    cls = item.cls.__name__ if item.cls is not None else ""
    name = f"{cls}::{item.originalname}" if cls else item.originalname
    for entry, backends, why in deselect.KNOWN.get(item.path.name, []):
        if backend in backends and entry == name:
            return why
    return None


def _deselected(item) -> bool:
    if item.path.parent != HERE or not hasattr(item, "originalname"):
        return False
    entries = [e for e, _ in deselect.DESELECT.get(item.path.name, [])]
    if os.environ.get("XPMATH_PEER_FULL", "") in ("", "0"):
        backend = getattr(item, "callspec", None) and item.callspec.params.get("peer_backend")
        entries += [e for e, backends, _ in deselect.BUDGET.get(item.path.name, []) if backend in backends]
    cls = item.cls.__name__ if item.cls is not None else ""
    name = f"{cls}::{item.originalname}" if cls else item.originalname
    own_id = _own_id(item)
    for entry in entries:
        test, _, ids = entry.partition("[")
        if test == cls or (test == name and (not ids or fnmatch.fnmatchcase(own_id, ids[:-1]))):
            return True
    return False


def _own_id(item) -> str:
    """The test's parametrisation id as the peer names it: without the backend's."""
    spec = getattr(item, "callspec", None)
    if spec is None:
        return ""
    backend = spec.params.get("peer_backend")
    if backend is None or spec.id == backend:
        return "" if backend is not None else spec.id
    for own in (spec.id.removeprefix(f"{backend}-"), spec.id.removesuffix(f"-{backend}")):
        if own != spec.id:
            return own
    return spec.id
