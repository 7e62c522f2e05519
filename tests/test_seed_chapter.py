"""Every code example of the seed chapter, ported to xpmath, gives NumPy's numbers on every backend."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import xpmath
from xpmath import _registry

h = xpmath.to_numpy


def test_vectors_and_dot_product(backend):
    student_marks = np.array([85, 90, 78])
    weights = np.array([0.4, 0.35, 0.25])
    weighted_avg = xpmath.dot(student_marks, weights, backend=backend)
    assert f"{float(h(weighted_avg)):.2f}" == f"{np.dot(student_marks, weights):.2f}" == "85.00"
    magnitude = xpmath.norm(student_marks, backend=backend)
    assert f"{float(h(magnitude)):.2f}" == f"{np.linalg.norm(student_marks):.2f}"
    a, b = np.array([85, 90, 78]), np.array([82, 88, 80])
    ref = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    manual = xpmath.dot(a, b, backend=backend) / (xpmath.norm(a, backend=backend) * xpmath.norm(b, backend=backend))
    assert f"{float(h(manual)):.4f}" == f"{ref:.4f}"
    assert f"{float(h(xpmath.cosine_similarity(a, b, backend=backend))):.4f}" == f"{ref:.4f}"


def test_matrices_transpose_inverse(backend):
    X = np.array([[2, 50], [5, 80], [8, 95]])
    Xt = xpmath.transpose(X, backend=backend)
    assert h(Xt).shape == (2, 3)
    XTX = xpmath.matmul(Xt, X, backend=backend)
    np.testing.assert_array_equal(h(XTX), X.T @ X)
    A = np.array([[4, 7], [2, 6]])
    A_inv = xpmath.linalg.inv(A, backend=backend)
    np.testing.assert_array_equal(np.round(h(A_inv), 4), np.round(np.linalg.inv(A), 4))
    identity = xpmath.matmul(A, A_inv, backend=backend)
    np.testing.assert_array_equal(np.round(h(identity), 10), np.round(A @ np.linalg.inv(A), 10))
    if backend != "cupy":  # the CPU backends print NumPy's very digits, the sign of a rounded zero too
        assert str(np.round(h(identity), 10)) == str(np.round(A @ np.linalg.inv(A), 10))
        assert str(h(A_inv)) == str(np.linalg.inv(A)) and str(h(XTX)) == str(X.T @ X) and str(h(Xt)) == str(X.T)


def test_eigen_decomposition(backend):
    cov_matrix = np.array([[4, 2], [2, 3]])
    eigenvalues, eigenvectors = xpmath.linalg.eig(cov_matrix, backend=backend)
    w, v = h(eigenvalues), h(eigenvectors)
    ref_w, ref_v = np.linalg.eig(cov_matrix)
    # always complex, with zero imaginary parts here; NumPy's real numbers, in NumPy's order
    assert w.dtype == np.complex128 and not w.imag.any() and not v.imag.any()
    np.testing.assert_array_equal(w.real.round(4), ref_w.round(4))
    np.testing.assert_array_equal(v.real.round(4), ref_v.round(4))
    for i in range(len(w)):
        left, right = cov_matrix @ v[:, i], w[i] * v[:, i]
        np.testing.assert_array_equal(left.real.round(4), (cov_matrix @ ref_v[:, i]).round(4))
        np.testing.assert_array_equal(right.real.round(4), (ref_w[i] * ref_v[:, i]).round(4))
        assert np.allclose(left, right)
    max_idx = int(np.argmax(w.real))
    assert max_idx == int(np.argmax(ref_w))
    np.testing.assert_array_equal(v[:, max_idx].real.round(4), ref_v[:, max_idx].round(4))
    explained = f"{w.real[max_idx]:.4f} out of {w.real.sum():.4f} ({w.real[max_idx] / w.real.sum() * 100:.1f}%)"
    assert explained == f"{ref_w[max_idx]:.4f} out of {ref_w.sum():.4f} ({ref_w[max_idx] / ref_w.sum() * 100:.1f}%)"
    assert explained == "5.5616 out of 7.0000 (79.5%)"
    # the symmetric routine gives the same principal direction (up to sign)
    ws, vs = xpmath.linalg.eigh(cov_matrix, backend=backend)
    np.testing.assert_allclose(np.abs(h(vs)[:, -1]), np.abs(v[:, max_idx].real), rtol=1e-10)


def test_derivatives_of_the_text(backend):
    # f(x) = x^2 has f'(3) = 6; f(w1, w2) = w1^2 + 3 w1 w2 has df/dw1 = 2 w1 + 3 w2
    assert float(h(xpmath.derivative(lambda x: x ** 2, 3.0, backend=backend))) == pytest.approx(6.0, rel=1e-9)

    def f(w):
        return w[0] ** 2 + 3 * w[0] * w[1]

    w = [1.5, -2.0]
    d1 = float(h(xpmath.partial_derivative(f, w, 0, backend=backend)))
    assert d1 == pytest.approx(2 * w[0] + 3 * w[1], rel=1e-8)
    np.testing.assert_allclose(h(xpmath.gradient(f, w, backend=backend)), [2 * w[0] + 3 * w[1], 3 * w[0]], rtol=1e-8)


def test_gradient_descent_table(backend):
    def f(x):
        return (x - 3) ** 2

    x = 10.0
    rows = []
    for _ in range(15):
        rows.append((x, f(x), 2 * (x - 3)))
        x = x - 0.1 * 2 * (x - 3)
    r = xpmath.gradient_descent(lambda x: 2 * (x - 3), 10.0, lr=0.1, max_iter=15, tol=0.0, f=f, backend=backend)
    hist, loss = h(r.history), h(r.loss_history)
    for step, (xv, fx, _) in enumerate(rows):
        assert f"{hist[step]:.4f}" == f"{xv:.4f}" and f"{loss[step]:.4f}" == f"{fx:.4f}"
    assert f"{float(h(r.x)):.6f}" == f"{x:.6f}"
    d = xpmath.derivative(f, 3.0 + 7.0, backend=backend)
    assert float(h(d)) == pytest.approx(14.0, rel=1e-7)


def test_bayes_spam(backend):
    p_spam, p_lottery_given_spam, p_lottery_given_not_spam = 0.30, 0.80, 0.01
    p_lottery = p_lottery_given_spam * p_spam + p_lottery_given_not_spam * (1 - p_spam)
    ref = p_lottery_given_spam * p_spam / p_lottery
    got = xpmath.bayes(p_lottery_given_spam, p_spam, p_b_given_not_a=p_lottery_given_not_spam, backend=backend)
    assert f"{float(h(got)):.4f}" == f"{ref:.4f}" == "0.9717"
    pl = xpmath.total_probability(p_lottery_given_spam, p_spam, p_lottery_given_not_spam, backend=backend)
    assert f"{float(h(pl)):.4f}" == f"{p_lottery:.4f}"
    assert float(h(xpmath.bayes(0.8, 0.3, 0.25, backend=backend))) == pytest.approx(0.96)


def test_student_statistics(backend):
    hours = np.array([2, 3, 5, 4, 6, 7, 8, 3, 5, 9])
    scores = np.array([50, 55, 70, 62, 75, 80, 90, 58, 72, 95])
    assert f"{float(h(xpmath.mean(hours, backend=backend))):.1f}" == f"{np.mean(hours):.1f}"
    assert f"{float(h(xpmath.median(hours, backend=backend))):.1f}" == f"{np.median(hours):.1f}"
    assert f"{float(h(xpmath.var(hours, backend=backend))):.2f}" == f"{np.var(hours):.2f}"
    assert f"{float(h(xpmath.std(hours, backend=backend))):.2f}" == f"{np.std(hours):.2f}"
    corr = float(h(xpmath.corrcoef(hours, scores, backend=backend))[0, 1])
    assert f"{corr:.4f}" == f"{np.corrcoef(hours, scores)[0, 1]:.4f}" and corr > 0.7
    cov = float(h(xpmath.cov(hours, scores, backend=backend))[0, 1])
    assert f"{cov:.2f}" == f"{np.cov(hours, scores)[0, 1]:.2f}"
    data = np.vstack([hours, scores])
    np.testing.assert_allclose(h(xpmath.corrcoef(data, backend=backend)), np.corrcoef(data), rtol=1e-12)


def test_normal_marks_and_empirical_rule(backend):
    mean, std = 70, 10
    xpmath.random.seed(42)
    marks = xpmath.random.normal(mean, std, 10000, backend=backend)
    m = h(marks)
    assert m.shape == (10000,)
    if backend != "cupy":  # the CPU backends draw NumPy's legacy stream for np.random.seed(42)
        np.random.seed(42)
        ref = np.random.normal(mean, std, 10000)
        np.testing.assert_array_equal(m, ref)
        assert f"{float(h(xpmath.mean(marks, backend=backend))):.2f}" == f"{np.mean(ref):.2f}"
        assert f"{float(h(xpmath.std(marks, backend=backend))):.2f}" == f"{np.std(ref):.2f}"
        chapter = [np.sum((ref >= mean - k * std) & (ref <= mean + k * std)) / len(ref) * 100 for k in (1, 2, 3)]
        rule = xpmath.empirical_rule(marks, mean=mean, std=std, backend=backend)
        assert [f"{r * 100:.1f}" for r in rule] == [f"{c:.1f}" for c in chapter] == ["68.2", "95.3", "99.7"]
        mu, sd = np.mean(ref), np.std(ref)
        own = tuple(float(np.sum((ref >= mu - k * sd) & (ref <= mu + k * sd)) / len(ref)) for k in (1, 2, 3))
        assert xpmath.empirical_rule(marks, backend=backend) == own
    else:
        assert abs(float(np.mean(m)) - mean) < 0.5 and abs(float(np.std(m)) - std) < 0.5
        rule = xpmath.empirical_rule(marks, backend=backend)
        assert rule[0] == pytest.approx(0.68, abs=0.02) and rule[2] == pytest.approx(0.997, abs=0.003)
    z_score = (95 - mean) / std
    assert f"{z_score:.1f}" == "2.5"
    z = h(xpmath.zscore(marks, backend=backend))
    np.testing.assert_allclose(z, (m - m.mean()) / m.std(), rtol=1e-9, atol=1e-12)
    below = float(h(xpmath.normal_cdf(95, mean=mean, std=std, backend=backend))) * 100
    assert f"{below:.2f}" == "99.38"


def test_common_mistakes(backend):
    A = np.array([[1, 2], [3, 4]])
    B = np.array([[5, 6], [7, 8]])
    assert (h(xpmath.asarray(A, backend=backend)) * B).tolist() == (A * B).tolist() == [[5, 12], [21, 32]]
    assert h(xpmath.matmul(A, B, backend=backend)).tolist() == [[19, 22], [43, 50]]
    assert (h(xpmath.asarray(A, backend=backend)) @ B).tolist() == [[19, 22], [43, 50]]
    assert h(xpmath.dot(A, B, backend=backend)).tolist() == [[19, 22], [43, 50]]
    salaries = np.array([30000, 35000, 32000, 28000, 1000000])
    assert f"{float(h(xpmath.mean(salaries, backend=backend))):.0f}" == "225000"
    assert f"{float(h(xpmath.median(salaries, backend=backend))):.0f}" == "32000"
    # learning rate too large diverges; a proper one converges, step for step as the loop
    with pytest.warns(xpmath.DivergenceWarning):
        bad = xpmath.gradient_descent(lambda x: 2 * (x - 3), 5.0, lr=2.0, backend=backend)
    assert bad.diverged
    hist = h(bad.history)
    x = 5.0
    for i in range(5):
        x = x - 2.0 * 2 * (x - 3)
        assert f"{hist[i + 1]:.2f}" == f"{x:.2f}"
    good = xpmath.gradient_descent(lambda x: 2 * (x - 3), 5.0, lr=0.1, backend=backend)
    hist = h(good.history)
    x = 5.0
    for i in range(10):
        x = x - 0.1 * 2 * (x - 3)
        assert f"{hist[i + 1]:.4f}" == f"{x:.4f}"
    assert good.converged
    ice_cream = np.array([100, 200, 400, 500, 600, 300, 150])
    drownings = np.array([10, 20, 45, 55, 60, 25, 12])
    corr = float(h(xpmath.corrcoef(ice_cream, drownings, backend=backend))[0, 1])
    assert f"{corr:.4f}" == f"{np.corrcoef(ice_cream, drownings)[0, 1]:.4f}"


_SCRIPT = Path(__file__).parent / "scripts" / "seed_chapter.py"


def _run_script(module: str, env: dict, *arrays: str) -> str:
    out = subprocess.run([sys.executable, str(_SCRIPT), module, *arrays], env=env, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize("name", ["numpy", "numba", "dask", "cupy"])
def test_the_chapters_numpy_script_runs_unchanged_on_each_backend(name):
    """Switching XPMATH_BACKEND on the chapter's NumPy code changes nothing it prints: values, types
    (NumPy in, NumPy out) and the text of every array."""
    env = {k: v for k, v in os.environ.items() if k != "XPMATH_BACKEND"}
    be, why = _registry.status(name)
    if be is None and name == "cupy" and _registry.status("numpy")[0] is not None:
        # no CUDA here: the backend's Python runs on tests/fake_cupy, the CuPy stand-in
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent / "fake_cupy"), env.get("PYTHONPATH", "")])
    elif be is None:
        pytest.skip(f"{name} backend unusable here: {why}")
    expected = _run_script("numpy", env)
    env["XPMATH_BACKEND"] = name
    assert _run_script("xpmath", env) == expected


def _numbers(text: str) -> list[float]:
    """Every number a run printed, the array libraries' own words (dtype=, Array(...)) left out."""
    text = re.sub(r"dtype=[\w.]+|Array\(", " ", text)
    return [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", text)]


def test_the_chapters_script_with_jax_arrays_prints_numpys_numbers():
    """The chapter's code with its arrays made by ``jax.numpy.asarray``: xpmath computes in JAX (no
    host copy) and every number printed is NumPy's, to the digits printed."""
    pytest.importorskip("jax")
    env = {k: v for k, v in os.environ.items() if k != "XPMATH_BACKEND"}
    expected = _numbers(_run_script("numpy", env))
    got = _numbers(_run_script("xpmath", env, "jax"))
    assert len(got) == len(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)
