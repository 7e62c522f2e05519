"""How many of the peers' own tests pass: on the peer itself and on xpmath's backends.

Runs the peer suites (``pytest tests/peer -m peer``) with the ``peer`` pseudo-backend added and
prints, per suite and backend, the tests passed, failed (errors included) and skipped, then the
failures grouped by cause (the first rule of ``CAUSES`` that matches the failure's message).

    .venv/bin/python tests/peer/report.py                       # peer, numpy, numba, dask
    .venv/bin/python tests/peer/report.py --backends peer,numpy -n 2
    .venv/bin/python tests/peer/report.py --markdown failures.md  # the full list, by cause
    .venv/bin/python tests/peer/report.py --json run.json          # keep the raw outcomes...
    .venv/bin/python tests/peer/report.py --from-json run.json     # ...and report them again

Extra arguments go to pytest (``-k TestMedian``, ``-x``...). The exit status is pytest's.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import deselect

SUITES = {
    "test_numpy_function_base.py": "numpy median/cov/corrcoef/average/quantile/percentile/ptp",
    "test_numpy_nanfunctions.py": "numpy nan-functions",
    "test_numpy_numeric.py": "numpy mean/std/var/ptp",
    "test_numpy_linalg.py": "numpy linalg",
    "test_numpy_linalg_products.py": "numpy linalg products/norms",
    "test_scipy_stats.py": "scipy zscore/mode",
    "test_sklearn_checks.py": "sklearn estimator checks",
    "test_sklearn_logistic.py": "sklearn LogisticRegression",
    "test_sklearn_linear_base.py": "sklearn LinearRegression",
    "test_sklearn_pca.py": "sklearn PCA",
}

# (cause, regular expression searched in "<test id> | <failure summary>"); the first match names
# the cause. The summary is the exception, then "| at: <the peer's failing line>".
KW = r"got an unexpected keyword argument "
CAUSES: list[tuple[str, str]] = [
    ("harness: no swapped function called", r"peer harness: the test called none of"),
    ("sklearn: no __sklearn_tags__ (scikit-learn's get_tags fails in every check)", r"__sklearn_tags__"),
    ("mode returns the modes alone, not ModeResult(mode, count)",
     (r"^TestMode::.*(invalid index to scalar|cannot unpack non-iterable|Too many indices|"
      r"has no attribute '(mode|count)'|len\(\) of unsized)")),
    ("out= not accepted", KW + "'out'"),
    ("dtype= not accepted", KW + "'dtype'"),
    ("where= not accepted", KW + "'where'"),
    ("mean= not accepted (var/std)", KW + "'mean'"),
    ("correction= not accepted (var/std)", KW + "'correction'"),
    ("overwrite_input= not accepted (median)", KW + "'overwrite_input'"),
    ("fweights=/aweights= not accepted (cov)", KW + "'(bias|fweights|aweights)'"),
    ("nan_policy= not accepted (zscore/mode)", KW + "'nan_policy'"),
    ("keepdims= not accepted (mode)", KW + "'keepdims'"),
    ("first parameter positional-only (a=/m=/x= by keyword)",
     KW + "'(a|m|x|y)'|positional-only arguments? passed as keyword"),
    ("another keyword not accepted", KW),
    ("empty input raises EmptyInputError (NumPy/SciPy: NaN and a RuntimeWarning, or an empty result)",
     r"EmptyInputError: \w+: x is empty"),
    ("dask: returns Dask arrays for NumPy input (API.md §2: outputs follow the input)",
     (r"dask\.array<|'Array' object|of a Array is ambiguous|truth value of an empty array|"
      r"at: assert_\(consistent_subclass|at: assert_\(isinstance\(res, np\.ndarray\)\)")),
    ("norm: a bad ord string raises TypeError, not ValueError", r"TestNorm.*test_bad_args.*TypeError"),
    ("SciPy's SmallSampleWarning not emitted (empty slice)", r"SmallSampleWarning"),
    ("error message differs from the one the test matches", r"Regex pattern did not match"),
    ("sklearn: complex X raises XPMathTypeError, not ValueError('Complex data not supported')",
     r"check_complex_data.*X must be real"),
    ("sklearn: NotFittedError is not scikit-learn's (sklearn.exceptions.NotFittedError)",
     r"should raise a NotFittedError"),
    ("sklearn: class_weight= missing (LogisticRegression)", r"unknown parameter 'class_weight'"),
    ("sklearn: sample_weight= not accepted by fit/score", KW + "'sample_weight'|sample_weight"),
    ("unexpected warning (the peer runs with warnings as errors)", r"^\S+ \| \S*Warning: "),
    ("expected warning not raised", r"DID NOT WARN"),
    ("expected exception not raised", r"DID NOT RAISE"),
]


class Collector:
    """A pytest plugin keeping each test's outcome, backend and failure message."""

    def __init__(self) -> None:
        self.tests: dict[str, dict] = {}
        self.deselected: collections.Counter = collections.Counter()
        self.seconds: collections.Counter = collections.Counter()  # (suite, backend) -> test time

    def pytest_deselected(self, items) -> None:
        for item in items:
            spec = getattr(item, "callspec", None)
            backend = spec.params.get("peer_backend", "?") if spec is not None else "?"
            self.deselected[(item.path.name, backend)] += 1

    def pytest_runtest_logreport(self, report) -> None:
        t = self.tests.setdefault(
            report.nodeid,
            {"backend": dict(report.user_properties).get("peer_backend", "?"), "outcome": None, "message": ""},
        )
        self.seconds[(suite_of(report.nodeid), t["backend"])] += report.duration
        if report.failed:
            if t["outcome"] != "failed":
                t["outcome"] = "failed"
                t["message"] = dict(report.user_properties).get("peer_failure") or _message(report)
        elif report.skipped and t["outcome"] is None:
            t["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.when == "call" and report.passed and t["outcome"] is None:
            t["outcome"] = "passed"


def _message(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return " ".join((crash.message if crash is not None else str(report.longrepr)).split())[:400]


def cause(test: str, message: str) -> str:
    """The cause of ``test``'s failure; unmatched ones by exception class ("other: ValueError")."""
    text = f"{test} | {message}"
    for name, pattern in CAUSES:
        if re.search(pattern, text):
            return name
    return f"other: {message.split(':', 1)[0].split(' ', 1)[0]}"


def suite_of(nodeid: str) -> str:
    return Path(nodeid.split("::", 1)[0]).name


def test_of(nodeid: str, backend: str) -> str:
    """The node id without its path and backend: the same test on every backend."""
    name = nodeid.split("::", 1)[-1]
    return name.replace(f"[{backend}]", "").replace(f"[{backend}-", "[").replace(f"-{backend}]", "]")


def summary(c: Collector, backends: list[str]) -> str:
    lines = []
    width = max(len(s) for s in SUITES.values())
    head = f"{'suite':<{width}}  " + "  ".join(f"{b:>22}" for b in backends)
    lines += [head, "-" * len(head)]
    totals = {b: collections.Counter() for b in backends}
    for suite, label in SUITES.items():
        cells = []
        for b in backends:
            n = collections.Counter(
                t["outcome"] for nid, t in c.tests.items() if suite_of(nid) == suite and t["backend"] == b
            )
            totals[b].update(n)
            cells.append(f"{_cell(n)} {c.seconds[(suite, b)]:5.0f}s")
        lines.append(f"{label:<{width}}  " + "  ".join(f"{x:>22}" for x in cells))
    lines.append("-" * len(head))
    secs = {b: sum(v for (_, bb), v in c.seconds.items() if bb == b) for b in backends}
    lines.append(f"{'all':<{width}}  " + "  ".join(f"{_cell(totals[b]) + f' {secs[b]:5.0f}s':>22}" for b in backends))
    lines.append("cells: passed/run (run = passed + failed), +skipped where any, then the tests' own seconds")
    return "\n".join(lines)


def _cell(n: collections.Counter) -> str:
    run = n["passed"] + n["failed"] + n["xfailed"]
    skipped = f" +{n['skipped']}s" if n["skipped"] else ""
    return f"{n['passed']}/{run}{skipped}"


def causes(c: Collector, backends: list[str]) -> dict[str, dict[str, collections.Counter]]:
    """backend -> suite -> Counter(cause)."""
    out: dict[str, dict[str, collections.Counter]] = {b: collections.defaultdict(collections.Counter) for b in backends}
    for nid, t in c.tests.items():
        if t["outcome"] == "failed" and t["backend"] in out:
            out[t["backend"]][suite_of(nid)][cause(test_of(nid, t["backend"]), t["message"])] += 1
    return out


def causes_text(c: Collector, backends: list[str]) -> str:
    lines = []
    for b, per_suite in causes(c, backends).items():
        total = sum(sum(n.values()) for n in per_suite.values())
        lines.append(f"\nfailures on {b}: {total}")
        for suite, label in SUITES.items():
            if per_suite.get(suite):
                lines.append(f"  {label}:")
                for name, k in per_suite[suite].most_common():
                    lines.append(f"    {k:5d}  {name}")
    return "\n".join(lines)


def markdown(c: Collector, backends: list[str], about: str) -> str:
    """Every failure, by suite and cause: each test once, with the backends it fails on."""
    out = ["# Peer tests failing on xpmath", "", f"Written by `tests/peer/report.py` ({about}).",
           "A test stops at its first failure, so a cause can hide others behind it in the same test.",
           "", "```",
           summary(c, backends), "```", "", "## Causes per backend", "```", causes_text(c, backends).strip(), "```"]
    for suite, label in SUITES.items():
        by_cause: dict[str, dict[str, dict]] = collections.defaultdict(dict)
        for nid, t in sorted(c.tests.items()):
            if t["outcome"] != "failed" or suite_of(nid) != suite:
                continue
            name = test_of(nid, t["backend"])
            entry = by_cause[cause(name, t["message"])].setdefault(name, {"backends": [], "message": t["message"]})
            entry["backends"].append(t["backend"])
        if not by_cause:
            continue
        out += ["", f"## {label} (`tests/peer/{suite}`)"]
        for name in sorted(by_cause, key=lambda k: -len(by_cause[k])):
            tests = by_cause[name]
            out += ["", f"### {name} ({len(tests)} test{'s' if len(tests) != 1 else ''})", ""]
            for test, e in sorted(tests.items()):
                msg = e["message"].replace("`", "'")
                out.append(f"- `{test}` [{', '.join(e['backends'])}]: {msg[:240]}")
    out += ["", "## Left out (`tests/peer/deselect.py`)", "", "On every backend and on the peer itself:", ""]
    for suite, entries in deselect.DESELECT.items():
        out += [f"- `{suite}` `{entry}`: {why}" for entry, why in entries]
    out += ["", "Only in the default run, on the backends named (`XPMATH_PEER_FULL=1` runs them):", ""]
    for suite, entries in deselect.BUDGET.items():
        out += [f"- `{suite}` `{entry}` [{', '.join(b)}]: {why}" for entry, b, why in entries]
    return "\n".join(out) + "\n"


def _versions() -> str:
    from importlib.metadata import version

    full = "all tests" if os.environ.get("XPMATH_PEER_FULL", "") not in ("", "0") else "the default selection"
    pkgs = ", ".join(f"{p} {version(p)}" for p in ("xpmath", "numpy", "scipy", "scikit-learn", "numba", "dask"))
    return f"{full}; {pkgs}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="peer,numpy,numba,dask", help="comma-separated; 'peer': the peer itself")
    parser.add_argument("-n", default=None, help="pytest-xdist processes (default: none)")
    parser.add_argument("--markdown", type=Path, help="write every failure, grouped by cause, to this file")
    parser.add_argument("--json", type=Path, help="write the raw outcomes to this file")
    parser.add_argument("--from-json", type=Path, help="report the outcomes of a --json file instead of running")
    args, rest = parser.parse_known_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    for name in ("markdown", "json", "from_json"):  # given from the caller's directory
        if getattr(args, name) is not None:
            setattr(args, name, getattr(args, name).resolve())

    collector = Collector()
    about = _versions()
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        about = saved["about"]
        collector.tests = saved["tests"]
        collector.seconds.update({tuple(k.split("|")): v for k, v in saved["seconds"].items()})
        status = 0
    else:
        import pytest

        os.environ["XPMATH_TEST_BACKENDS"] = ",".join(backends)
        pytest_args = [str(HERE), "-m", "peer", "-p", "no:cacheprovider", "-q", "--no-header", "-rN", "--tb=no"]
        if args.n:
            pytest_args += ["-n", args.n]
        os.chdir(ROOT)
        status = pytest.main(pytest_args + rest, plugins=[collector])
    if args.json:
        seconds = {"|".join(k): v for k, v in collector.seconds.items()}
        args.json.write_text(json.dumps({"about": about, "tests": collector.tests, "seconds": seconds}, indent=0))
    print()
    print(summary(collector, backends))
    print(causes_text(collector, [b for b in backends]))
    if args.markdown:
        args.markdown.write_text(markdown(collector, backends, about))
        print(f"\nwritten: {args.markdown}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
