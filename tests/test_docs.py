"""Every public callable has a numpydoc docstring whose sections name its parameters.

A function or method that takes parameters (other than ``self`` and ``backend``) needs a
``Parameters`` section, and every parameter of its signature must have an entry there
(``a, b : array_like`` names two; ``*args`` and ``**kwargs`` are written with their stars). The
``backend=`` keyword every math function takes is written the same way everywhere:
``backend : str, optional``. A class is checked against its constructor's signature; the result
types (named tuples and dataclasses users receive, never build) name their fields in
``Attributes`` instead. An entry naming no parameter is stale, and fails too.
"""

from __future__ import annotations

import dataclasses
import inspect

import pytest

import xpmath
from xpmath import calculus, linalg, models, optimize, probability, random, stats, testing

BACKEND_ENTRY = "backend : str, optional"


def _public(module, names=None) -> list[tuple[str, object]]:
    names = module.__all__ if names is None else names
    out = []
    for name in names:
        obj = getattr(module, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            continue  # errors and warnings are raised, not called: their one argument is the message
        if inspect.isfunction(obj) or inspect.isclass(obj):
            out.append((f"{module.__name__}.{name}", obj))
    return out


def _methods(cls) -> list[tuple[str, object]]:
    """The public methods a user calls on ``cls``: its own and its xpmath base classes'."""
    out = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        if not member.__module__.startswith("xpmath"):
            continue
        out.append((f"{cls.__module__}.{cls.__qualname__}.{name}", member))
    return out


def _testing_functions() -> list[tuple[str, object]]:
    return [
        (f"xpmath.testing.{name}", f)
        for name, f in inspect.getmembers(testing, inspect.isfunction)
        if not name.startswith("_") and f.__module__ == testing.__name__
    ]


TOP_LEVEL = _public(xpmath)
SUBMODULES = [item for m in (linalg, stats, probability, calculus, optimize, random, models) for item in _public(m)]
GENERATOR = _methods(random.Generator)
MODELS = [item for cls in (models.LinearRegression, models.LogisticRegression, models.PCA) for item in _methods(cls)]
TESTING = _testing_functions()

# each callable once, under its submodule's name where it has one (xpmath.dot is xpmath.linalg.dot)
_seen: dict[int, tuple[str, object]] = {}
for _item in SUBMODULES + TOP_LEVEL + GENERATOR + MODELS + TESTING:
    _seen.setdefault(id(_item[1]), _item)
CALLABLES = list(_seen.values())


def _is_result_type(obj) -> bool:
    return inspect.isclass(obj) and (
        dataclasses.is_dataclass(obj) or (issubclass(obj, tuple) and hasattr(obj, "_fields"))
    )


def _section(doc: str, title: str) -> list[str] | None:
    """The lines of the numpydoc section ``title`` of a cleaned docstring, or None without one."""
    lines = doc.splitlines()
    for i in range(len(lines) - 1):
        if lines[i] == title and lines[i + 1] == "-" * len(title):
            body = []
            for j in range(i + 2, len(lines)):
                nxt = lines[j + 1] if j + 1 < len(lines) else ""
                if lines[j] and not lines[j][0].isspace() and nxt and set(nxt) == {"-"}:
                    break  # the next section's title
                body.append(lines[j])
            return body
    return None


def _entries(body: list[str]) -> dict[str, str]:
    """``{parameter name: its entry line}`` for the entries of a section (unindented lines)."""
    out = {}
    for line in body:
        if not line or line[0].isspace():
            continue
        for name in line.split(" : ", 1)[0].split(","):
            out[name.strip().lstrip("*")] = line
    return out


def _params(obj) -> list[inspect.Parameter]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):  # pragma: no cover - every xpmath callable has one
        pytest.fail(f"{obj!r} has no inspectable signature")
    return [p for p in sig.parameters.values() if p.name != "self"]


@pytest.mark.parametrize(("qualname", "obj"), CALLABLES, ids=[q for q, _ in CALLABLES])
def test_parameters_are_documented(qualname, obj):
    doc = inspect.getdoc(obj)
    assert doc and doc.strip(), f"{qualname} has no docstring"
    params = _params(obj)
    if not [p for p in params if p.name != "backend"]:
        return
    title = "Attributes" if _is_result_type(obj) else "Parameters"
    body = _section(doc, title)
    assert body is not None, f"{qualname}: no '{title}\\n{'-' * len(title)}' section in its docstring"
    entries = _entries(body)
    missing = [p.name for p in params if p.name not in entries]
    assert not missing, f"{qualname}: {title} does not describe {', '.join(missing)}"
    backend = next((p for p in params if p.name == "backend"), None)
    if backend is not None and backend.kind is inspect.Parameter.KEYWORD_ONLY and backend.default is None:
        assert entries["backend"] == BACKEND_ENTRY, (
            f"{qualname}: the backend keyword reads {entries['backend']!r}; write {BACKEND_ENTRY!r}"
        )
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        stale = sorted(set(entries) - {p.name for p in params})
        assert not stale, f"{qualname}: {title} describes {', '.join(stale)}, which it does not take"


def test_the_collection_covers_the_api():
    """The parametrisation above really walks the public API (so an empty list cannot pass)."""
    names = {q for q, _ in CALLABLES}
    for expected in (
        "xpmath.linalg.dot", "xpmath.linalg.eigh", "xpmath.stats.cov", "xpmath.probability.bayes",
        "xpmath.calculus.gradient", "xpmath.optimize.gradient_descent", "xpmath.random.default_rng",
        "xpmath.random.Generator.normal", "xpmath.models.PCA.fit", "xpmath.models.LinearRegression.predict",
        "xpmath.asarray", "xpmath.set_config", "xpmath.testing.assert_close",
    ):
        assert expected in names, expected


@pytest.mark.parametrize(
    ("doc", "ok"),
    [
        ("Sum.\n\nParameters\n----------\nx : array_like\n    Data.\nbackend : str, optional\n", True),
        ("Sum.\n\nParameters\n----------\nbackend : str, optional\n", False),  # x missing
        ("Sum.\n\nx : array_like\n    Data.\n", False),  # no section
        ("Sum.\n\nParameters\n----------\nx : array_like\nbackend : str\n", False),  # backend worded otherwise
        ("Sum.\n\nParameters\n----------\nx, y : array_like\nbackend : str, optional\n", False),  # y is stale
    ],
)
def test_the_check_can_fail(doc, ok):
    def sum_(x, *, backend=None):
        pass

    sum_.__doc__ = doc
    if ok:
        test_parameters_are_documented("sum_", sum_)
    else:
        with pytest.raises(AssertionError):
            test_parameters_are_documented("sum_", sum_)


def test_section_parsing_stops_at_the_next_section():
    doc = "S.\n\nParameters\n----------\nx : int\n    X.\n\nReturns\n-------\ny : int\n"
    assert _entries(_section(doc, "Parameters")) == {"x": "x : int"}
    assert _entries(_section(doc, "Returns")) == {"y": "y : int"}
    assert _section(doc, "Raises") is None
