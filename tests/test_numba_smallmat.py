"""The numba backend's kernels for stacks of small matrices (inv, solve, det, slogdet, cholesky,
eigh, eigvalsh of many n×n real matrices, 2 <= n <= 8), against NumPy as the oracle.

Their answers are not NumPy's to the last bit (another order of operations than OpenBLAS's), so
each is held to what a backward-stable algorithm guarantees: a forward error within a small
multiple of n·eps·cond(a) of NumPy's, residuals within n·eps of the data's norm, eigenvectors
orthonormal; and the errors exactly NumPy's, for any matrix of the stack. The rule that sends a
call to the kernels is checked directly (``runs_own``), so every comparison here is known to test
a kernel, and the calls left to NumPy are known to be left to it.

Compiling a kernel takes seconds, so each test covers one op with every size, dtype and layout
(one worker of a parallel run compiles it).
"""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath._dispatch import runs_own
from xpmath.errors import LinAlgError, SingularMatrixError
from xpmath.testing import backend_marks

pytestmark = backend_marks("numba")

SIZES = range(2, 9)
DTYPES = [np.float64, np.float32]
COUNT = 300  # matrices per stack: above the kernels' smallest stack


def _nb():
    return _registry.get("numba")


def _eps(dtype):
    return float(np.finfo(dtype).eps)


def _general(n, dtype, count=COUNT, seed=0, cond=None):
    """A stack of random matrices; with ``cond``, singular values spread log-evenly from 1 to 1/cond."""
    r = np.random.default_rng(seed + 100 * n)
    a = r.standard_normal((count, n, n))
    if cond is not None:
        u, _, vt = np.linalg.svd(a)
        a = (u * np.logspace(0, -np.log10(cond), n)) @ vt
    return a.astype(dtype)


def _spd(n, dtype, count=COUNT, seed=0):
    a = _general(n, np.float64, count, seed)
    return (a @ a.transpose(0, 2, 1) / n + 0.5 * np.eye(n)).astype(dtype)


def _layouts(a):
    """The same stack as C-ordered, Fortran-ordered, a strided view, a batch of 2 axes and a stack
    whose matrices are transposed views."""
    big = np.zeros((2 * a.shape[0],) + a.shape[1:], dtype=a.dtype)
    big[::2] = a
    t = np.ascontiguousarray(a.transpose(0, 2, 1)).transpose(0, 2, 1)
    return {"C": a, "F": np.asfortranarray(a), "strided": big[::2],
            "batch2": a.reshape((a.shape[0] // 3, 3) + a.shape[1:]), "transposed": t}


def _cond(a):
    return np.linalg.cond(a.astype(np.float64))


def _per_matrix(x):
    """max |x| over each matrix (or vector) of a stack of shape (count, ...)."""
    return np.abs(x).reshape(x.shape[0], -1).max(axis=1)


def _check_forward(got, ref, a, what, k=30.0):
    """Each matrix's forward error against NumPy's within k·n·eps·cond(a), relative to NumPy's answer."""
    n, eps = a.shape[-1], _eps(a.dtype)
    g, r = got.reshape(a.shape[0], -1), ref.reshape(a.shape[0], -1)
    err = _per_matrix(g - r) / np.maximum(_per_matrix(r), np.finfo(a.dtype).tiny)
    bound = k * n * eps * _cond(a.reshape((-1,) + a.shape[-2:]))
    worst = int(np.argmax(err / bound))
    assert np.all(err <= bound), f"{what}: matrix {worst} off by {err[worst]:.3g} (bound {bound[worst]:.3g})"


def test_the_rule_takes_stacks_of_small_real_matrices_only():
    nb = _nb()
    for op in ("inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh"):
        for n in SIZES:
            assert runs_own(nb, op, np.zeros((COUNT, n, n)))
            assert runs_own(nb, op, np.zeros((COUNT, n, n), np.float32))
        assert runs_own(nb, op, np.zeros((COUNT // 3, 3, 4, 4)))  # any batch shape
        # NumPy's call: one matrix, a few, n out of range, complex, float16 or non-native data
        assert not runs_own(nb, op, np.zeros((4, 4)))
        assert not runs_own(nb, op, np.zeros((255, 4, 4)))
        assert not runs_own(nb, op, np.zeros((COUNT, 1, 1)))
        assert not runs_own(nb, op, np.zeros((COUNT, 9, 9)))
        assert not runs_own(nb, op, np.zeros((COUNT, 4, 4), np.complex128))
        assert not runs_own(nb, op, np.zeros((COUNT, 4, 4), np.complex64))
        assert not runs_own(nb, op, np.zeros((COUNT, 4, 4), ">f8"))
    a = np.zeros((COUNT, 4, 4))
    assert runs_own(nb, "solve", a, np.zeros((COUNT, 4, 2)))
    assert runs_own(nb, "solve", a, np.zeros(4))
    assert runs_own(nb, "solve", np.zeros((4, 4)), np.zeros((COUNT, 4, 1)))  # a broadcast to every b
    assert not runs_own(nb, "solve", a, np.zeros((COUNT, 4, 0)))
    assert not runs_own(nb, "solve", np.zeros((4, 4)), np.zeros(4))
    assert not runs_own(nb, "solve", a.astype(complex), np.zeros(4))
    assert not runs_own(nb, "solve", a, np.zeros(4, complex))


@pytest.mark.parametrize("op", ["inv", "det", "cholesky", "eigh"])
def test_calls_the_kernels_do_not_take_are_numpys_to_the_bit(op):
    # few matrices, n = 9 and complex data: NumPy's own LAPACK calls, bit for bit
    for a in (_spd(3, np.float64, count=4), _spd(9, np.float64), _spd(4, np.float64) + 0j):
        got = getattr(xpmath.linalg, op)(a, backend="numba")
        ref = getattr(np.linalg, op)(a)
        for g, r in zip(*(v if isinstance(v, tuple) else (v,) for v in (got, ref))):
            assert g.dtype == r.dtype and g.shape == r.shape
            np.testing.assert_array_equal(g, r)


def test_inv():
    for dtype in DTYPES:
        for n in SIZES:
            a = _general(n, dtype)
            ref = np.linalg.inv(a)
            for name, x in _layouts(a).items():
                assert runs_own(_nb(), "inv", x)
                got = xpmath.linalg.inv(x, backend="numba")
                assert got.dtype == ref.dtype and got.shape == x.shape, (dtype, n, name)
                _check_forward(got.reshape(ref.shape), ref, a, f"inv {np.dtype(dtype).name} n={n} {name}")


def test_inv_of_ill_conditioned_matrices_is_backward_stable():
    # cond 1e12 in float64, 1e5 in float32: the residual a @ x - I stays at rounding level of
    # |a| |x| (the adjugate formula's does not), and x is as close to NumPy's as cond allows
    for dtype, cond in ((np.float64, 1e12), (np.float32, 1e5)):
        for n in SIZES:
            a = _general(n, dtype, cond=cond)
            x = xpmath.linalg.inv(a, backend="numba")
            a64, x64 = a.astype(np.float64), x.astype(np.float64)
            resid = _per_matrix(a64 @ x64 - np.eye(n))
            scale = _per_matrix(a64) * _per_matrix(x64) * n
            assert np.all(resid <= 30 * n * _eps(dtype) * scale), (dtype, n, (resid / scale).max())
            _check_forward(x, np.linalg.inv(a), a, f"ill-conditioned inv n={n}")
            if dtype == np.float32:
                # computed in float64 and rounded, as NumPy's: within an ulp or two of NumPy's
                # whatever the condition (float32 arithmetic would be cond·eps off)
                ref = np.linalg.inv(a).astype(np.float64)
                err = _per_matrix(x64 - ref) / _per_matrix(ref)
                assert np.all(err <= 2 * _eps(np.float32)), (n, err.max())


def test_solve_every_shape_numpy_takes():
    for dtype in DTYPES:
        for n in SIZES:
            a = _general(n, dtype)
            r = np.random.default_rng(n)
            cases = {"b (count, n, 1)": (a, r.standard_normal((COUNT, n, 1))),
                     "b (count, n, 3)": (a, r.standard_normal((COUNT, n, 3))),
                     "b (count, n, 11)": (a, r.standard_normal((COUNT, n, 11))),
                     "b (n,)": (a, r.standard_normal(n)),
                     "b (n, 2)": (a, r.standard_normal((n, 2))),
                     "a (n, n), b (count, n, 2)": (a[0], r.standard_normal((COUNT, n, 2))),
                     "a (count/3, 1, n, n), b (3, n, 1)": (a[:COUNT // 3].reshape(COUNT // 3, 1, n, n), r.standard_normal((3, n, 1))),
                     "F-ordered": (np.asfortranarray(a), np.asfortranarray(r.standard_normal((COUNT, n, 2))))}
            for name, (x, b) in cases.items():
                b = b.astype(dtype)
                assert runs_own(_nb(), "solve", x, b), name
                got = xpmath.linalg.solve(x, b, backend="numba")
                ref = np.linalg.solve(x, b)
                assert got.dtype == ref.dtype and got.shape == ref.shape, (dtype, n, name)
                aa = np.broadcast_to(x, ref.shape[:-2] + (n, n) if b.ndim > 1 else x.shape)
                flat = ref.reshape((-1,) + ref.shape[-2:]) if b.ndim > 1 else ref.reshape(-1, n, 1)
                _check_forward(got.reshape(flat.shape), flat, np.ascontiguousarray(aa).reshape(-1, n, n),
                               f"solve {np.dtype(dtype).name} n={n} {name}")
    # float32 a with float64 b computes in float64, as NumPy's
    a, b = _general(3, np.float32), np.ones((COUNT, 3, 1))
    assert xpmath.linalg.solve(a, b, backend="numba").dtype == np.linalg.solve(a, b).dtype == np.float64


def test_det_and_slogdet():
    for dtype in DTYPES:
        for n in SIZES:
            a = _general(n, dtype)
            for name, x in _layouts(a).items():
                d = xpmath.linalg.det(x, backend="numba")
                s, ld = xpmath.linalg.slogdet(x, backend="numba")
                rd = np.linalg.det(x)
                rs, rld = np.linalg.slogdet(x)
                for g, r in ((d, rd), (s, rs), (ld, rld)):
                    assert g.dtype == r.dtype and g.shape == r.shape, (dtype, n, name)
                np.testing.assert_array_equal(s, rs)
                bound = 30 * n * _eps(dtype) * _cond(a).reshape(x.shape[:-2])
                assert np.all(np.abs(d - rd) <= bound * np.abs(rd)), (dtype, n, name)
                assert np.all(np.abs(ld - rld) <= bound), (dtype, n, name)
    # far beyond the float range on the way: the product of the pivots is renormalised
    a = np.tile(np.diag([1e300, 1e300, 1e-300, 1e-300, 3.0]), (COUNT, 1, 1))
    np.testing.assert_allclose(xpmath.linalg.det(a, backend="numba"), 3.0, rtol=1e-14)
    np.testing.assert_allclose(xpmath.linalg.slogdet(a, backend="numba")[1], np.log(3.0), rtol=1e-14)
    big = np.tile(np.diag([1e200, 1e200, 1.0]), (COUNT, 1, 1))
    with pytest.warns(RuntimeWarning, match="overflow encountered in det"):  # as NumPy's
        assert np.all(xpmath.linalg.det(big, backend="numba") == np.inf)
    np.testing.assert_allclose(xpmath.linalg.slogdet(big, backend="numba")[1], np.linalg.slogdet(big)[1], rtol=1e-15)


def test_cholesky():
    for dtype in DTYPES:
        for n in SIZES:
            a = _spd(n, dtype)
            # the triangle not read holds garbage: ignored, as by LAPACK's potrf
            lower_only = np.tril(a) + np.triu(np.full_like(a, 7.0), 1)
            upper_only = np.triu(a) + np.tril(np.full_like(a, -7.0), -1)
            for upper, x in ((False, lower_only), (True, upper_only)):
                ref = np.linalg.cholesky(x, upper=upper)
                for name, y in _layouts(x).items():
                    assert runs_own(_nb(), "cholesky", y, upper=upper)
                    got = xpmath.linalg.cholesky(y, upper=upper, backend="numba")
                    assert got.dtype == ref.dtype and got.shape == y.shape, (dtype, n, name)
                    got = got.reshape(ref.shape)
                    assert np.all((np.triu(got, 1) if not upper else np.tril(got, -1)) == 0)
                    err = _per_matrix(got.astype(np.float64) - ref) / _per_matrix(ref.astype(np.float64))
                    assert np.all(err <= 10 * n * _eps(dtype) * np.sqrt(_cond(a))), (dtype, n, upper, name, err.max())


def test_eigh_and_eigvalsh():
    for dtype in DTYPES:
        for n in SIZES:
            s = _general(n, np.float64)
            s = (s + s.transpose(0, 2, 1)).astype(dtype)
            garbage = {"L": np.tril(s) + np.triu(np.full_like(s, 5.0), 1),
                       "U": np.triu(s) + np.tril(np.full_like(s, -5.0), -1)}
            norm = np.linalg.norm(s.astype(np.float64), 2, axis=(1, 2))
            tol = 20 * n * _eps(dtype) * norm
            for uplo, x in garbage.items():
                rw = np.linalg.eigvalsh(x, UPLO=uplo)
                for name, y in _layouts(x).items():
                    assert runs_own(_nb(), "eigh", y, UPLO=uplo)
                    w, v = xpmath.linalg.eigh(y, UPLO=uplo, backend="numba")
                    w2 = xpmath.linalg.eigvalsh(y, UPLO=uplo, backend="numba")
                    assert w.dtype == rw.dtype and w.shape == y.shape[:-1] and v.shape == y.shape and w2.shape == w.shape
                    w, v, w2 = w.reshape(rw.shape), v.reshape(s.shape).astype(np.float64), w2.reshape(rw.shape)
                    assert np.all(np.diff(w, axis=1) >= 0), "ascending"
                    assert np.all(np.abs(w - rw).max(axis=1) <= tol), (dtype, n, uplo, name)
                    assert np.all(np.abs(w2 - rw).max(axis=1) <= tol), (dtype, n, uplo, name)
                    # the eigen-equation and orthonormality, as NumPy's own tests check them
                    resid = np.abs(s.astype(np.float64) @ v - v * w[:, None, :]).max(axis=(1, 2))
                    assert np.all(resid <= tol), (dtype, n, uplo, name)
                    assert np.abs(v.transpose(0, 2, 1) @ v - np.eye(n)).max() <= 20 * n * _eps(dtype)


def test_eigh_vectors_of_distinct_eigenvalues_are_numpys_up_to_sign():
    # eigenvalues 1, 2, ..., n (well apart): each eigenvector is unique up to its sign
    for n in SIZES:
        q = np.linalg.qr(_general(n, np.float64))[0]
        s = (q * np.arange(1.0, n + 1)) @ q.transpose(0, 2, 1)
        w, v = xpmath.linalg.eigh(s, backend="numba")
        rw, rv = np.linalg.eigh(s)
        np.testing.assert_allclose(w, rw, atol=50 * n * 2.2e-16 * n)
        dots = np.abs(np.einsum("bij,bij->bj", v, rv))
        np.testing.assert_allclose(dots, 1.0, atol=1e-12)


def test_eigh_of_matrices_far_from_one_and_degenerate():
    # huge and tiny entries (scaled by a power of 2 inside), a zero matrix, repeated eigenvalues
    for n in SIZES:
        s = _general(n, np.float64)
        s = s + s.transpose(0, 2, 1)
        for scale in (1e-200, 1e200):
            w, v = xpmath.linalg.eigh(s * scale, backend="numba")
            np.testing.assert_allclose(w / scale, np.linalg.eigvalsh(s), atol=1e-13 * np.abs(s).max())
        z = np.zeros((COUNT, n, n))
        w, v = xpmath.linalg.eigh(z, backend="numba")
        assert np.all(w == 0) and np.all(v == np.eye(n))
        ident = np.tile(2.0 * np.eye(n), (COUNT, 1, 1))
        w, v = xpmath.linalg.eigh(ident, backend="numba")
        assert np.all(w == 2.0) and np.abs(v.transpose(0, 2, 1) @ v - np.eye(n)).max() < 1e-15


def _numpy_error(fn, *args, **kw):
    with pytest.raises(Exception) as info:
        fn(*args, backend="numpy", **kw)
    return info.value


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_singular_matrices_anywhere_in_the_stack(dtype):
    for n in SIZES:
        for where in (0, COUNT // 2, COUNT - 1):
            # singular whatever the order of operations (an exact zero pivot in any elimination);
            # for a 2×2, a repeated row too. Which other matrices singular in exact arithmetic
            # meet an exactly zero pivot depends on the rounding of that order (getf2's here)
            for kind in ("zero row", "zero column") + (("repeated row",) if n == 2 else ()):
                a = _general(n, dtype)
                m = a[where]
                if kind == "zero row":
                    m[n // 2] = 0
                elif kind == "zero column":
                    m[:, -1] = 0
                else:
                    m[1] = m[0]
                b = np.ones((COUNT, n, 1), dtype)
                for fn, args in ((xpmath.linalg.inv, (a,)), (xpmath.linalg.solve, (a, b))):
                    ref = _numpy_error(fn, *args)
                    assert type(ref) is SingularMatrixError
                    with pytest.raises(SingularMatrixError) as got:
                        fn(*args, backend="numba")
                    assert str(got.value) == str(ref).replace("'numpy'", "'numba'"), (kind, n)
                    with pytest.raises(np.linalg.LinAlgError):  # NumPy's class too
                        fn(*args, backend="numba")
                d = xpmath.linalg.det(a, backend="numba")
                s, ld = xpmath.linalg.slogdet(a, backend="numba")
                assert d[where] == 0.0 and s[where] == 0.0 and ld[where] == -np.inf, (kind, n)
                assert np.all(d[np.arange(COUNT) != where] != 0)
                rs, rld = np.linalg.slogdet(a)
                assert rs[where] == 0.0 and rld[where] == -np.inf  # NumPy agrees for these matrices


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_cholesky_of_a_matrix_not_positive_definite_in_the_stack(dtype):
    for n in SIZES:
        for upper in (False, True):
            for where in (0, COUNT - 1):
                a = _spd(n, dtype)
                a[where, n - 1, n - 1] = -1.0  # not positive definite at the last pivot
                ref = _numpy_error(xpmath.linalg.cholesky, a, upper=upper)
                assert type(ref) is LinAlgError
                with pytest.raises(LinAlgError) as got:
                    xpmath.linalg.cholesky(a, upper=upper, backend="numba")
                assert str(got.value) == str(ref) == "cholesky: Matrix is not positive definite"
                semi = _spd(n, dtype)
                semi[where] = 1.0  # rank 1: a zero pivot after the first
                with pytest.raises(LinAlgError):
                    xpmath.linalg.cholesky(semi, upper=upper, backend="numba")


def test_nan_and_infinity_in_slogdet_and_cholesky_are_numpys():
    # the public layer lets them through (NumPy computes through them); the kernels hand those
    # matrices to NumPy, so the answers (and NumPy's warning) are NumPy's
    a = _general(4, np.float64)
    a[3, 1, 2], a[7, 0, 0], a[9, 3, 1] = np.nan, np.inf, -np.inf
    with pytest.warns(RuntimeWarning):
        s, ld = xpmath.linalg.slogdet(a, backend="numba")
    rs, rld = np.linalg.slogdet(a)
    np.testing.assert_array_equal(s[[3, 7, 9]], rs[[3, 7, 9]])
    np.testing.assert_array_equal(ld[[3, 7, 9]], rld[[3, 7, 9]])
    np.testing.assert_allclose(ld, rld, rtol=1e-10)
    c = _spd(4, np.float64)
    c[5, 3, 3] = np.inf  # read; LAPACK's answer has inf in it
    c[6, 0, 3] = np.nan  # in the upper triangle: not read for the lower factor
    got = xpmath.linalg.cholesky(c, backend="numba")
    ref = np.linalg.cholesky(c)
    np.testing.assert_array_equal(got[5:7], ref[5:7])
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    got = xpmath.linalg.cholesky(c, upper=True, backend="numba")  # the NaN is read now
    np.testing.assert_array_equal(got[5:7], np.linalg.cholesky(c, upper=True)[5:7])
    c[8, 2, 2] = np.nan  # NaN on a diagonal read: LAPACK does not flag it, and neither do the kernels
    np.testing.assert_array_equal(xpmath.linalg.cholesky(c, backend="numba")[8], np.linalg.cholesky(c)[8])


def test_empty_stacks_and_integer_input_are_numpys():
    # empty batches are NumPy's call (nothing to compute): its shapes and dtypes
    for shape in ((0, 3, 3), (0, 2, 4, 4), (COUNT, 0, 3, 3)):
        x = np.zeros(shape)
        for op in ("inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh"):
            assert not runs_own(_nb(), op, x)
            got, ref = getattr(xpmath.linalg, op)(x, backend="numba"), getattr(np.linalg, op)(x)
            for g, r in zip(*(v if isinstance(v, tuple) else (v,) for v in (got, ref))):
                assert g.shape == r.shape and g.dtype == r.dtype, (op, shape)
    # integer and bool stacks are computed in float64, as NumPy's (the kernels take the
    # converted stack): NumPy's dtype, and its values to rounding
    r = np.random.default_rng(1)
    ints = r.integers(-9, 10, (COUNT, 4, 4)) + 40 * np.eye(4, dtype=np.int64)
    spd = ints @ ints.transpose(0, 2, 1)
    for dt in (np.int64, np.int32, np.uint8):
        a = (ints if dt != np.uint8 else np.abs(ints)).astype(dt)
        for op, x in (("inv", a), ("det", a), ("cholesky", spd.astype(dt) if dt != np.uint8 else a),
                      ("eigvalsh", spd.astype(dt) if dt != np.uint8 else a)):
            if op in ("cholesky", "eigvalsh") and dt == np.uint8:
                continue
            assert runs_own(_nb(), op, x.astype(np.float64))  # what the public layer hands on
            got, ref = getattr(xpmath.linalg, op)(x, backend="numba"), getattr(np.linalg, op)(x)
            assert got.dtype == ref.dtype == np.float64 and got.shape == ref.shape, (op, dt)
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-14 * np.abs(ref).max(), err_msg=f"{op} {dt}")
    b = np.ones((COUNT, 4, 1), np.int64)
    np.testing.assert_allclose(xpmath.linalg.solve(ints, b, backend="numba"), np.linalg.solve(ints, b), rtol=1e-12)


@pytest.mark.parametrize("op", ["inv", "det", "eigh", "eigvalsh", "solve"])
def test_nan_and_infinity_raise_as_on_the_numpy_backend(op):
    # inv, solve, det, eigh and eigvalsh refuse non-finite input in the public layer (API.md §10):
    # the same error class and message on numba as on numpy, before any kernel runs
    a = _spd(3, np.float64)
    a[COUNT // 2, 1, 1] = np.nan
    args = (a, np.ones((COUNT, 3, 1))) if op == "solve" else (a,)
    ref = _numpy_error(getattr(xpmath.linalg, op), *args)
    with pytest.raises(type(ref)) as got:
        getattr(xpmath.linalg, op)(*args, backend="numba")
    assert type(got.value) is type(ref) and str(got.value) == str(ref)


def test_eigenvalues_are_numpys_to_1e12_relative():
    # float64, well-conditioned spectra: each eigenvalue within 1e-12 of NumPy's, relative to
    # the matrix's norm; degenerate pairs (a repeated eigenvalue) still give A v = λ v and an
    # orthonormal basis
    for n in SIZES:
        q = np.linalg.qr(_general(n, np.float64, seed=7))[0]
        lam = np.linspace(-3.0, 5.0, n)
        if n >= 4:
            lam[: n // 2] = lam[0]  # a repeated eigenvalue
        s = (q * lam) @ q.transpose(0, 2, 1)
        s = (s + s.transpose(0, 2, 1)) / 2
        w, v = xpmath.linalg.eigh(s, backend="numba")
        rw = np.linalg.eigvalsh(s)
        norm = np.abs(rw).max(axis=1, keepdims=True)
        assert np.all(np.abs(w - rw) <= 1e-12 * norm), n
        assert np.abs(s @ v - v * w[:, None, :]).max() <= 1e-12 * norm.max()
        assert np.abs(v.transpose(0, 2, 1) @ v - np.eye(n)).max() <= 1e-13
