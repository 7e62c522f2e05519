"""No data lost: xpmath never writes to its inputs (arrays or files), ``open_array`` keeps no file
open after an error, and a result file is written whole or not at all."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import warnings

import numpy as np
import pytest

import xpmath
from xpmath import _auto, _files, _registry
from xpmath.bench import report

_dask = _registry.status("dask")[0] is not None
needs_dask = pytest.mark.skipif(not _dask, reason="dask backend unusable here")


# ------------------------------------------------------------------ result files: whole or not at all
class _Midway(Exception):
    """Raised halfway through writing a result."""


def _leftovers(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".part"))


@pytest.mark.parametrize("stop", [_Midway, KeyboardInterrupt])
def test_a_json_write_that_fails_midway_leaves_the_old_file_and_no_part(tmp_path, stop):
    out = tmp_path / "bench.json"
    report.write_json(out, {"complete": True})
    before = out.read_bytes()

    class Stop:
        def __str__(self):  # json.dump's default=str meets it once the rows before it are written
            raise stop

    with pytest.raises(stop):
        report.write_json(out, {"rows": list(range(20_000)), "late": Stop()})
    assert out.read_bytes() == before and json.loads(before) == {"complete": True}
    assert _leftovers(tmp_path) == []
    report.write_json(tmp_path / "new" / "fresh.json", {"rows": [1]})  # a new directory is made
    assert json.loads((tmp_path / "new" / "fresh.json").read_text()) == {"rows": [1]}


def test_a_failed_fsync_never_renames_the_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "bench.json"

    def broken(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        report.write_json(out, {"rows": list(range(1000))})
    assert not out.exists() and _leftovers(tmp_path) == []


def test_a_plot_that_fails_midway_leaves_no_file_named_as_complete(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    rs = [{"op": "var", "size": 10**6, "backend": "numpy", "throughput": 5.0, "unit": "GB/s"}]
    report.plot(tmp_path / "ok.png", rs, "t")
    assert (tmp_path / "ok.png").read_bytes().startswith(b"\x89PNG")
    real = Figure.savefig

    def half(self, f, **kw):
        real(self, f, **kw)  # the whole image written to the temporary file, then a failure
        raise _Midway

    monkeypatch.setattr(Figure, "savefig", half)
    with pytest.raises(_Midway):
        report.plot(tmp_path / "p.png", rs, "t")
    assert not (tmp_path / "p.png").exists() and _leftovers(tmp_path) == []


def test_tuned_crossovers_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = _auto.write_tuned({"var": 1000}, {"cpu_count": 2})
    assert json.loads(path.read_text())["crossovers"] == {"var": 1000}
    real = _files.os.replace

    def dies(src, dst):  # the new content written and flushed; the process dies before the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(_files.os, "replace", dies)
    with pytest.raises(KeyboardInterrupt):
        _auto.write_tuned({"var": 5}, {"cpu_count": 2})
    monkeypatch.setattr(_files.os, "replace", real)
    assert json.loads(path.read_text())["crossovers"] == {"var": 1000}
    assert _leftovers(path.parent) == []


# ------------------------------------------------------------------ inputs are never written to
def _frozen(a):
    """``a`` read-only, its base too (so no call can make it writeable again and write through it)."""
    a = np.array(a)
    a.flags.writeable = False
    v = a.view()
    v.flags.writeable = False
    return v


def _digest(a) -> str:
    a = np.ascontiguousarray(xpmath.to_numpy(a))
    return hashlib.sha256(a.tobytes()).hexdigest() + str(a.dtype) + str(a.shape)


def _materialise(r):
    """Every array in a result computed (a lazy Dask result writes nothing until it is)."""
    if isinstance(r, (tuple, list)):
        for x in r:
            _materialise(x)
    elif hasattr(r, "__array_namespace__") or hasattr(r, "dask") or hasattr(r, "shape"):
        xpmath.to_numpy(r)


_la = xpmath.linalg
# each public array function with a call on the inputs (S: 4×4 symmetric positive definite, b: 4,
# v: 4 vector, X: 40×3, N: X with NaNs, y: 40, p: probabilities); a new public function must get a line here
CALLS = {
    "dot": lambda a, be: xpmath.dot(a["S"], a["b"], backend=be),
    "matmul": lambda a, be: xpmath.matmul(a["X"], a["S"][:3, :3], backend=be),
    "transpose": lambda a, be: xpmath.transpose(a["X"], backend=be),
    "norm": lambda a, be: xpmath.norm(a["X"], axis=0, backend=be),
    "cosine_similarity": lambda a, be: xpmath.cosine_similarity(a["X"], backend=be),
    "mean": lambda a, be: xpmath.mean(a["X"], axis=0, backend=be),
    "median": lambda a, be: xpmath.median(a["X"], axis=0, backend=be),
    "var": lambda a, be: xpmath.var(a["X"], axis=0, ddof=1, backend=be),
    "std": lambda a, be: xpmath.std(a["X"], axis=0, backend=be),
    "cov": lambda a, be: xpmath.cov(a["X"], rowvar=False, backend=be),
    "corrcoef": lambda a, be: xpmath.corrcoef(a["X"], rowvar=False, backend=be),
    "average": lambda a, be: xpmath.average(a["X"], axis=0, weights=a["y"] ** 2, backend=be),
    "ptp": lambda a, be: xpmath.ptp(a["X"], axis=0, backend=be),
    "percentile": lambda a, be: xpmath.percentile(a["X"], 30.0, axis=0, backend=be),
    "quantile": lambda a, be: xpmath.quantile(a["X"], a["p"], axis=0, backend=be),
    "nansum": lambda a, be: xpmath.nansum(a["N"], axis=0, backend=be),
    "nanmean": lambda a, be: xpmath.nanmean(a["N"], axis=0, backend=be),
    "nanvar": lambda a, be: xpmath.nanvar(a["N"], axis=0, ddof=1, backend=be),
    "nanstd": lambda a, be: xpmath.nanstd(a["N"], axis=0, backend=be),
    "nanmin": lambda a, be: xpmath.nanmin(a["N"], axis=0, backend=be),
    "nanmax": lambda a, be: xpmath.nanmax(a["N"], axis=0, backend=be),
    "nanmedian": lambda a, be: xpmath.nanmedian(a["N"], axis=0, backend=be),
    "nanpercentile": lambda a, be: xpmath.nanpercentile(a["N"], 70.0, axis=0, backend=be),
    "nanquantile": lambda a, be: xpmath.nanquantile(a["N"], a["q"], axis=0, backend=be),
    "mode": lambda a, be: xpmath.mode(a["I"], backend=be),
    "zscore": lambda a, be: xpmath.zscore(a["X"], backend=be),
    "bayes": lambda a, be: xpmath.bayes(a["p"], a["q"], p_b_given_not_a=a["r"], backend=be),
    "total_probability": lambda a, be: xpmath.total_probability(a["p"], a["q"], a["r"], backend=be),
    "normal_pdf": lambda a, be: xpmath.normal_pdf(a["b"], backend=be),
    "normal_cdf": lambda a, be: xpmath.normal_cdf(a["b"], backend=be),
    "empirical_rule": lambda a, be: xpmath.empirical_rule(a["y"], backend=be),
    "derivative": lambda a, be: xpmath.derivative(lambda t: t * t, a["b"], backend=be),
    "partial_derivative": lambda a, be: xpmath.partial_derivative(lambda t: (t * t).sum(), a["b"], 1, backend=be),
    "gradient": lambda a, be: xpmath.gradient(lambda t: (t * t).sum(), a["b"], backend=be),
    "gradient_descent": lambda a, be: xpmath.gradient_descent(lambda t: t - 1.0, a["b"], max_iter=20, backend=be),
    "outer": lambda a, be: _la.outer(a["b"], a["v"], backend=be),
    "cross": lambda a, be: _la.cross(a["X"], a["X"][::-1], backend=be),
    "tensordot": lambda a, be: _la.tensordot(a["S"], a["S"], axes=1, backend=be),
    "vecdot": lambda a, be: _la.vecdot(a["X"], a["X"], backend=be),
    "multi_dot": lambda a, be: _la.multi_dot([a["S"], a["S"], a["b"]], backend=be),
    "matrix_transpose": lambda a, be: _la.matrix_transpose(a["X"], backend=be),
    "diagonal": lambda a, be: _la.diagonal(a["S"], backend=be),
    "trace": lambda a, be: _la.trace(a["S"], backend=be),
    "vector_norm": lambda a, be: _la.vector_norm(a["X"], axis=1, backend=be),
    "matrix_norm": lambda a, be: _la.matrix_norm(a["S"], backend=be),
    "inv": lambda a, be: _la.inv(a["S"], backend=be),
    "solve": lambda a, be: _la.solve(a["S"], a["b"], backend=be),
    "det": lambda a, be: _la.det(a["S"], backend=be),
    "eig": lambda a, be: _la.eig(a["S"], backend=be),
    "eigh": lambda a, be: _la.eigh(a["S"], backend=be),
    "eigvals": lambda a, be: _la.eigvals(a["S"], backend=be),
    "eigvalsh": lambda a, be: _la.eigvalsh(a["S"], backend=be),
    "svd": lambda a, be: _la.svd(a["X"], full_matrices=False, backend=be),
    "svdvals": lambda a, be: _la.svdvals(a["X"], backend=be),
    "qr": lambda a, be: _la.qr(a["X"], backend=be),
    "cholesky": lambda a, be: _la.cholesky(a["S"], backend=be),
    "lstsq": lambda a, be: _la.lstsq(a["X"], a["y"], backend=be),
    "pinv": lambda a, be: _la.pinv(a["X"], backend=be),
    "slogdet": lambda a, be: _la.slogdet(a["S"], backend=be),
    "matrix_rank": lambda a, be: _la.matrix_rank(a["X"], backend=be),
    "cond": lambda a, be: _la.cond(a["S"], backend=be),
    "matrix_power": lambda a, be: _la.matrix_power(a["S"], 3, backend=be),
    "tensorinv": lambda a, be: _la.tensorinv(a["T"], ind=2, backend=be),
    "tensorsolve": lambda a, be: _la.tensorsolve(a["T"], a["B"], backend=be),
    "LinearRegression": lambda a, be: xpmath.LinearRegression(backend=be).fit(a["X"], a["y"]).predict(a["X"]),
    "LogisticRegression": lambda a, be: xpmath.LogisticRegression(backend=be, max_iter=30)
    .fit(a["X"], a["c"])
    .predict_proba(a["X"]),
    "PCA": lambda a, be: xpmath.PCA(n_components=2, backend=be).fit(a["X"]).transform(a["X"]),
}
_NOT_ARRAY_FUNCTIONS = {
    "open_array", "asarray", "to_numpy", "namespace", "available_backends", "show_config", "get_backend",
    "set_backend", "use_backend", "get_config", "set_config", "config_context",
}


def test_every_public_array_function_is_held_to_not_writing_its_input():
    names = {n for n in xpmath.__all__ if callable(getattr(xpmath, n)) and not inspect.isclass(getattr(xpmath, n))}
    names |= {n for n in _la.__all__ if callable(getattr(_la, n)) and not inspect.isclass(getattr(_la, n))}
    names |= {"LinearRegression", "LogisticRegression", "PCA"}
    assert names - _NOT_ARRAY_FUNCTIONS - set(CALLS) == set()


def _inputs(rng):
    A = rng.standard_normal((4, 4))
    X = rng.standard_normal((40, 3))
    return {
        "S": A @ A.T + 4 * np.eye(4),
        "T": (A @ A.T + 4 * np.eye(4)).reshape(2, 2, 4),
        "B": rng.standard_normal((2, 2)),
        "b": rng.standard_normal(4),
        "v": rng.standard_normal(4),
        "X": X,
        "N": np.where(rng.random(X.shape) < 0.2, np.nan, X),
        "y": X @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(40),
        "c": (X[:, 0] + 0.3 * rng.standard_normal(40) > 0).astype(np.float64),
        "I": rng.integers(0, 3, (40, 3)),
        "p": np.array([0.2, 0.5, 0.9]),
        "q": np.array([0.3, 0.6, 0.1]),
        "r": np.array([0.1, 0.4, 0.5]),
    }


def test_no_public_call_writes_to_its_input(backend, rng):
    frozen = {k: _frozen(v) for k, v in _inputs(rng).items()}
    before = {k: _digest(v) for k, v in frozen.items()}
    on = {k: xpmath.asarray(v, backend=backend) for k, v in frozen.items()}
    on_before = {k: _digest(v) for k, v in on.items()}
    failed = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, call in CALLS.items():
            try:
                _materialise(call(on, backend))
            except Exception as exc:  # a write to a read-only array: NumPy's ValueError, Numba's TypeError
                failed[name] = f"{type(exc).__name__}: {exc}"
    assert failed == {}
    assert {k: _digest(v) for k, v in frozen.items()} == before
    assert {k: _digest(v) for k, v in on.items()} == on_before


# ------------------------------------------------------------------ open_array keeps no file open after an error
def _open_fds() -> set[str]:
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        with __import__("contextlib").suppress(OSError):
            out.add(os.readlink(f"/proc/self/fd/{fd}"))
    return out


@needs_dask
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_open_array_holds_no_file_open_after_an_error(tmp_path):
    good = tmp_path / "good.npy"
    np.save(good, np.arange(20.0).reshape(10, 2))
    raw = good.read_bytes()
    bad = {
        "truncated.npy": raw[: len(raw) - 24],
        "header.npy": raw[:20],
        "text.npy": b"not an array at all\n" * 10,
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    (tmp_path / "store.zarr").mkdir()
    (tmp_path / "store.zarr" / "zarr.json").write_text("{ not json")
    before = {p for p in _open_fds() if str(tmp_path) in p}
    for name in [*bad, "objects.npy", "store.zarr", "missing.npy"]:
        with pytest.raises((xpmath.FileFormatError, xpmath.MissingFileError, xpmath.XPMathTypeError)):
            xpmath.open_array(tmp_path / name)
        assert {p for p in _open_fds() if str(tmp_path) in p} == before, name
    # after a good open and a compute, nothing is held either
    assert float(xpmath.to_numpy(xpmath.mean(xpmath.open_array(good, chunk_rows=3), backend="dask"))) == 9.5
    assert {p for p in _open_fds() if str(tmp_path) in p} == before
