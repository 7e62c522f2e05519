"""numpy.linalg's array API products and norms on every backend against NumPy (docs/API.md §4):
outer, cross, tensordot, vecdot, multi_dot, matrix_transpose, diagonal, trace, vector_norm, matrix_norm."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath.testing import check_parity, tolerance

L = xpmath.linalg
NL = np.linalg

DTYPES = [np.int8, np.int64, np.uint8, np.bool_, np.float32, np.float64, np.complex128]


def _data(rng, shape, dt):
    dt = np.dtype(dt)
    if dt.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dt.kind in "iu":  # large enough that int8 products and sums wrap, as NumPy's do
        return rng.integers(0 if dt.kind == "u" else -60, 60, size=shape).astype(dt)
    a = rng.normal(size=shape)
    if dt.kind == "c":
        a = a + 1j * rng.normal(size=shape)
    return a.astype(dt)


def _tol(dt, scale=10.0):
    r, a = tolerance(np.result_type(dt, np.float32) if np.dtype(dt).kind in "biu" else dt)
    return dict(rtol=r * scale, atol=a * scale) if np.dtype(dt).kind in "fc" else {}


@pytest.mark.parametrize("dt", DTYPES)
def test_outer(backend, rng, dt):
    check_parity(backend, L.outer, NL.outer, _data(rng, 5, dt), _data(rng, 3, dt), **_tol(dt))


def test_outer_promotes_mixed_types(backend, rng):
    check_parity(backend, L.outer, NL.outer, _data(rng, 4, np.int8), _data(rng, 3, np.float32), **_tol(np.float32))


@pytest.mark.parametrize("dt", [np.int8, np.int64, np.float32, np.float64, np.complex128])
@pytest.mark.parametrize(("s1", "s2", "axis"), [
    ((3,), (3,), -1), ((4, 3), (3,), -1), ((2, 1, 3), (4, 3), -1), ((3, 5), (3, 5), 0),
    ((3, 4), (3,), 0), ((2, 3, 4), (2, 3, 4), 1), ((2, 3, 4), (3, 1), -2),
])
def test_cross_stacks_broadcast_and_axes(backend, rng, dt, s1, s2, axis):
    check_parity(backend, L.cross, NL.cross, _data(rng, s1, dt), _data(rng, s2, dt), axis=axis, **_tol(dt))


def test_cross_promotes_and_keeps_integers(backend, rng):
    check_parity(backend, L.cross, NL.cross, _data(rng, (4, 3), np.int8), _data(rng, (4, 3), np.uint8))
    check_parity(backend, L.cross, NL.cross, _data(rng, (4, 3), np.bool_), _data(rng, (4, 3), np.int16))
    check_parity(backend, L.cross, NL.cross, [1, 2, 3], [4, 5, 6])


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize(("s1", "s2", "axes"), [
    ((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2, 3), (4,), 0), ((3, 4), (4, 3), ([0, 1], [1, 0])),
    ((2, 3, 4), (4, 2), ((-1, 0), (0, 1))), ((2, 3), (3, 5), (1, 0)), ((2, 3), (2, 4), -1), ((), (2, 3), 0),
])
def test_tensordot(backend, rng, dt, s1, s2, axes):
    check_parity(backend, L.tensordot, NL.tensordot, _data(rng, s1, dt), _data(rng, s2, dt), axes=axes,
                 **_tol(dt, 100))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize(("s1", "s2", "axis"), [
    ((5,), (5,), -1), ((3, 5), (5,), -1), ((2, 1, 4), (3, 4), -1), ((4, 3), (4, 3), 0), ((3, 2), (3,), 0),
    ((2, 4, 3), (2, 4, 3), 1), ((0, 3), (3,), -1), ((2, 0), (2, 0), -1),
])
def test_vecdot(backend, rng, dt, s1, s2, axis):
    check_parity(backend, L.vecdot, NL.vecdot, _data(rng, s1, dt), _data(rng, s2, dt), axis=axis, **_tol(dt, 100))


def test_vecdot_conjugates_the_first_operand(backend, rng):
    a, b = _data(rng, (4, 3), np.complex64), _data(rng, (4, 3), np.complex64)
    r = check_parity(backend, L.vecdot, NL.vecdot, a, b, **_tol(np.complex64, 100))
    assert not np.allclose(xpmath.to_numpy(r), (a * b).sum(-1))  # a test that can tell conj from no conj


def _chain(rng, dims, dt, first_1d=False, last_1d=False):
    arrays = [_data(rng, (dims[i], dims[i + 1]), dt) for i in range(len(dims) - 1)]
    if first_1d:
        arrays[0] = arrays[0][0]
    if last_1d:
        arrays[-1] = arrays[-1][:, 0]
    return arrays


@pytest.mark.parametrize("dt", [np.int8, np.int64, np.bool_, np.float32, np.float64, np.complex128])
@pytest.mark.parametrize(("dims", "first_1d", "last_1d"), [
    ((4, 3), False, False), ((6, 2, 6, 2), False, False), ((2, 6, 2, 6), True, False),
    ((30, 35, 15, 5, 10, 20, 25), False, False), ((5, 10, 3, 12, 5, 50, 6), True, True), ((3, 4, 5, 1), False, True),
])
def test_multi_dot(backend, rng, dt, dims, first_1d, last_1d):
    arrays = _chain(rng, dims, dt, first_1d, last_1d)
    check_parity(backend, L.multi_dot, NL.multi_dot, arrays, **_tol(dt, 1000))


def test_multi_dot_two_arrays_as_dot(backend, rng):
    stack, matrix = _data(rng, (2, 3, 4), np.float64), _data(rng, (4, 5), np.float64)
    check_parity(backend, L.multi_dot, NL.multi_dot, [stack, matrix])
    check_parity(backend, L.multi_dot, NL.multi_dot, [_data(rng, 4, np.int64), _data(rng, 4, np.int64)])


def test_multi_dot_wraps_each_step_in_its_own_type(backend):
    # NumPy multiplies int8 matrices in int8 (wrapping) before the float one: each step's type counts
    a = np.full((2, 3), 100, dtype=np.int8)
    check_parity(backend, L.multi_dot, NL.multi_dot, [a, a.T, np.ones((2, 2)), np.ones((2, 1))])


@pytest.mark.parametrize("n", [2, 3, 5])
def test_multi_dot_out(backend, rng, n):
    arrays = _chain(rng, (3, 4, 2, 5, 3, 2)[: n + 1], np.float64)
    out = np.zeros((3, arrays[-1].shape[1]))
    r = L.multi_dot(arrays, out=out, backend=backend)
    assert r is out
    np.testing.assert_allclose(out, NL.multi_dot(arrays), rtol=1e-12)


@pytest.mark.parametrize("n", [2, 4])
def test_multi_dot_out_on_the_backend(backend, rng, n):
    arrays = _chain(rng, (3, 4, 2, 5, 2)[: n + 1], np.float64)
    out = xpmath.asarray(np.zeros((3, 2)), backend=backend)
    on = [xpmath.asarray(a, backend=backend) for a in arrays]
    r = L.multi_dot(on, out=out, backend=backend)
    assert r is out
    np.testing.assert_allclose(xpmath.to_numpy(out), NL.multi_dot(arrays), rtol=1e-12)


def test_multi_dot_out_of_a_vector_chain(backend, rng):
    arrays = _chain(rng, (1, 4, 2, 3), np.float64, first_1d=True)
    out = np.zeros((1, 3))
    r = xpmath.to_numpy(L.multi_dot(arrays, out=out, backend=backend))
    np.testing.assert_allclose(r, NL.multi_dot(arrays), rtol=1e-12)
    np.testing.assert_allclose(out[0], r, rtol=1e-12)


@pytest.mark.parametrize("out", [np.zeros((3, 2), np.float32), np.zeros((2, 3)), np.zeros(2), np.zeros((3, 2))[:, :1]])
def test_multi_dot_refuses_an_unfit_out(backend, rng, out):
    arrays = _chain(rng, (3, 4, 2, 2), np.float64)
    if out.shape == (3, 1):
        arrays = _chain(rng, (3, 4, 2, 1), np.float64)
    with pytest.raises(ValueError) as numpy_raised:
        NL.multi_dot(arrays, out=out)
    with pytest.raises(xpmath.DomainError) as raised:
        L.multi_dot(arrays, out=out, backend=backend)
    assert str(raised.value).startswith(f"multi_dot: {numpy_raised.value}")
    assert not out.any()


def test_chain_order_is_numpys():
    from numpy.linalg._linalg import _multi_dot_matrix_chain_order

    from xpmath._reference.linalg import matrix_chain_order

    rng = np.random.default_rng(3)
    for n in range(4, 9):
        dims = [int(d) for d in rng.integers(1, 40, size=n + 1)]
        s, m = _multi_dot_matrix_chain_order([np.empty((dims[i], dims[i + 1])) for i in range(n)], return_costs=True)
        split, cost = matrix_chain_order(dims)
        upper = np.triu_indices(n, 1)
        np.testing.assert_array_equal(np.array(split)[upper], s[upper])
        np.testing.assert_array_equal(np.array(cost)[upper], m[upper])


@pytest.mark.parametrize("dt", DTYPES)
def test_matrix_transpose(backend, rng, dt):
    check_parity(backend, L.matrix_transpose, NL.matrix_transpose, _data(rng, (2, 3, 4), dt))
    check_parity(backend, L.matrix_transpose, NL.matrix_transpose, _data(rng, (3, 1), dt))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("offset", [0, 1, -2, 5])
def test_diagonal_and_trace(backend, rng, dt, offset):
    x = _data(rng, (2, 3, 4), dt)
    check_parity(backend, L.diagonal, NL.diagonal, x, offset=offset)
    check_parity(backend, L.trace, NL.trace, x, offset=offset, **_tol(dt))


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.complex128, "int32"])
def test_trace_dtype(backend, rng, dtype):
    check_parity(backend, L.trace, NL.trace, _data(rng, (3, 4, 4), np.int16), dtype=dtype)


@pytest.mark.parametrize("dt", [np.int64, np.float16, np.float32, np.float64, np.complex64])
@pytest.mark.parametrize("ord", [2, 1, 0, np.inf, -np.inf, 3, 0.5, -1.5])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (2, 0, 1), ()])
def test_vector_norm(backend, rng, dt, ord, axis):
    x = _data(rng, (3, 4, 2), dt)
    if np.dtype(dt).kind in "iu":
        x[x == 0] = 1  # negative orders of a zero divide by zero (a warning in NumPy)
    tol = dict(rtol=5e-3, atol=5e-3) if dt == np.float16 else _tol(dt, 100)
    check_parity(backend, L.vector_norm, NL.vector_norm, x, axis=axis, ord=ord, **tol)
    check_parity(backend, L.vector_norm, NL.vector_norm, x, axis=axis, ord=ord, keepdims=True, **tol)


@pytest.mark.parametrize("ord", [2, 1, np.inf, -np.inf])
def test_vector_norm_of_nothing_and_of_a_scalar(backend, ord):
    check_parity(backend, L.vector_norm, NL.vector_norm, np.zeros(0), ord=ord)
    check_parity(backend, L.vector_norm, NL.vector_norm, np.zeros((2, 0)), axis=1, ord=ord)
    check_parity(backend, L.vector_norm, NL.vector_norm, np.float64(-3.0), ord=ord)


@pytest.mark.parametrize("dt", [np.int64, np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5), (2, 1, 3, 3)])
def test_matrix_norm(backend, rng, dt, ord, shape):
    x = _data(rng, shape, dt)
    check_parity(backend, L.matrix_norm, NL.matrix_norm, x, ord=ord, **_tol(dt, 100))
    check_parity(backend, L.matrix_norm, NL.matrix_norm, x, ord=ord, keepdims=True, **_tol(dt, 100))


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf, None, "f"])
@pytest.mark.parametrize("shape", [(0, 2), (2, 0), (0, 0), (0, 3, 3)])
def test_matrix_norm_of_empty_matrices(backend, ord, shape):
    check_parity(backend, L.matrix_norm, NL.matrix_norm, np.zeros(shape, np.int32), ord=ord)


def test_matrix_norm_of_nan_is_a_linalg_error(backend):
    x = np.array([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(xpmath.LinAlgError):
        xpmath.to_numpy(L.matrix_norm(x, ord=2, backend=backend))
    assert np.isnan(xpmath.to_numpy(L.matrix_norm(x, ord=1, backend=backend)))


B3 = np.ones((2, 3))
#: (function, NumPy's, args, kwargs): NumPy raises; xpmath raises that class too, on every backend
ERRORS = {
    "outer_2d": (L.outer, NL.outer, (B3, np.ones(3)), {}),
    "outer_0d": (L.outer, NL.outer, (np.float64(1.0), np.ones(3)), {}),
    "cross_length": (L.cross, NL.cross, (B3[:, :2], B3[:, :2]), {}),
    "cross_axis": (L.cross, NL.cross, (np.ones(3), np.ones(3)), {"axis": 1}),
    "cross_0d": (L.cross, NL.cross, (np.float64(1.0), np.ones(3)), {}),
    "cross_broadcast": (L.cross, NL.cross, (np.ones((3, 4)), np.ones((3, 5))), {"axis": 0}),
    "cross_bool": (L.cross, NL.cross, (np.ones(3, bool), np.ones(3, bool)), {}),
    "cross_float_axis": (L.cross, NL.cross, (B3, B3), {"axis": 1.0}),
    "tensordot_mismatch": (L.tensordot, NL.tensordot, (B3, B3), {"axes": 1}),
    "tensordot_too_many": (L.tensordot, NL.tensordot, (B3, B3.T), {"axes": 3}),
    "tensordot_out_of_range": (L.tensordot, NL.tensordot, (B3, B3.T), {"axes": ([5], [0])}),
    "tensordot_duplicate": (L.tensordot, NL.tensordot, (B3, B3), {"axes": ([1, 1], [1, 1])}),
    "tensordot_counts": (L.tensordot, NL.tensordot, (B3, B3), {"axes": ([1], [0, 1])}),
    "tensordot_float": (L.tensordot, NL.tensordot, (B3, B3.T), {"axes": 1.5}),
    "vecdot_0d": (L.vecdot, NL.vecdot, (np.float64(1.0), np.ones(3)), {}),
    "vecdot_length": (L.vecdot, NL.vecdot, (np.ones(3), np.ones(4)), {}),
    "vecdot_broadcast": (L.vecdot, NL.vecdot, (B3, np.ones((4, 3))), {}),
    "vecdot_axis": (L.vecdot, NL.vecdot, (B3, np.ones(3)), {"axis": 1}),
    "vecdot_float_axis": (L.vecdot, NL.vecdot, (B3, B3), {"axis": 1.0}),
    "multi_dot_one": (L.multi_dot, NL.multi_dot, ([B3],), {}),
    "multi_dot_none": (L.multi_dot, NL.multi_dot, ([],), {}),
    "multi_dot_3d": (L.multi_dot, NL.multi_dot, ([B3, np.ones((3, 3, 3)), B3.T],), {}),
    "multi_dot_0d": (L.multi_dot, NL.multi_dot, ([np.float64(1.0), np.ones((3, 3)), B3.T],), {}),
    "multi_dot_aligned": (L.multi_dot, NL.multi_dot, ([B3, np.ones((4, 3)), B3.T],), {}),
    "multi_dot_two_aligned": (L.multi_dot, NL.multi_dot, ([B3, B3],), {}),
    "multi_dot_generator": (L.multi_dot, NL.multi_dot, ((a for a in [B3, B3.T, B3]),), {}),
    "matrix_transpose_1d": (L.matrix_transpose, NL.matrix_transpose, (np.ones(3),), {}),
    "diagonal_1d": (L.diagonal, NL.diagonal, (np.ones(3),), {}),
    "diagonal_float_offset": (L.diagonal, NL.diagonal, (B3,), {"offset": 1.0}),
    "trace_1d": (L.trace, NL.trace, (np.ones(3),), {}),
    "trace_dtype": (L.trace, NL.trace, (B3,), {"dtype": "not a dtype"}),
    "vector_norm_fro": (L.vector_norm, NL.vector_norm, (B3,), {"ord": "fro"}),
    "vector_norm_repeated": (L.vector_norm, NL.vector_norm, (B3,), {"axis": (0, 0)}),
    "vector_norm_axis": (L.vector_norm, NL.vector_norm, (B3,), {"axis": 2}),
    "vector_norm_0d_axis": (L.vector_norm, NL.vector_norm, (np.float64(1.0),), {"axis": 0}),
    "vector_norm_min_of_nothing": (L.vector_norm, NL.vector_norm, (np.zeros((2, 0)),), {"ord": -np.inf}),
    "matrix_norm_1d": (L.matrix_norm, NL.matrix_norm, (np.ones(3),), {}),
    "matrix_norm_ord": (L.matrix_norm, NL.matrix_norm, (B3,), {"ord": 3}),
    "matrix_norm_string": (L.matrix_norm, NL.matrix_norm, (B3,), {"ord": "max"}),
    "matrix_norm_float16": (L.matrix_norm, NL.matrix_norm, (B3.astype(np.float16),), {"ord": 2}),
    "matrix_norm_min_of_nothing": (L.matrix_norm, NL.matrix_norm, (np.zeros((3, 0)),), {"ord": -1}),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_are_numpys_classes(backend, case):
    f, ref, args, kwargs = ERRORS[case]
    with pytest.raises(Exception):  # the case must be an error on NumPy, or it tests nothing
        ref(*args, **kwargs)
    check_parity(backend, f, ref, *args, **kwargs)


def test_non_numeric_input_is_a_type_error(backend):
    words = np.array(["a", "b", "c"])
    for f, ref, args in [(L.outer, NL.outer, (words, np.ones(3))), (L.cross, NL.cross, (words, np.ones(3))),
                         (L.vecdot, NL.vecdot, (words, np.ones(3)))]:
        with pytest.raises(TypeError):  # NumPy's ufuncs: a UFuncTypeError; xpmath's class is a TypeError too
            ref(*args)
        with pytest.raises(xpmath.XPMathTypeError):
            f(*args, backend=backend)


@pytest.mark.parametrize(("call", "message"), [
    (lambda b: L.outer(B3, np.ones(3), backend=b), r"^outer: .*one-dimensional.*\(2, 3\)"),
    (lambda b: L.cross(B3[:, :2], B3[:, :2], backend=b),
     r"^cross: .*input arrays must be \(arrays of\) 3-dimensional vectors.*\(2, 2\)"),
    (lambda b: L.tensordot(B3, B3, axes=1, backend=b), r"^tensordot: shape-mismatch for sum.*\(2, 3\)"),
    (lambda b: L.vecdot(np.ones(3), np.ones(4), backend=b), r"^vecdot: .*\(3,\) and \(4,\)"),
    (lambda b: L.multi_dot([B3, np.ones((4, 3)), B3.T], backend=b),
     r"^multi_dot: arrays\[0\] \(2, 3\) and arrays\[1\] \(4, 3\)"),
    (lambda b: L.matrix_transpose(np.ones(3), backend=b), r"^matrix_transpose: .*at least 2-dimensional.*\(3,\)"),
])
def test_shape_errors_name_the_function_and_shapes(backend, call, message):
    with pytest.raises(xpmath.ShapeError, match=message):
        call(backend)


def test_existing_products_and_norm_keep_working(backend, rng):
    a = _data(rng, (3, 4), np.float64)
    check_parity(backend, xpmath.dot, np.dot, a, a.T)
    check_parity(backend, xpmath.matmul, np.matmul, a, a.T)
    check_parity(backend, xpmath.transpose, np.transpose, a)
    check_parity(backend, xpmath.norm, NL.norm, a, ord="fro")
    assert np.isclose(xpmath.to_numpy(xpmath.cosine_similarity(a[0], a[0], backend=backend)), 1.0)


def test_dask_input_gives_lazy_results_without_a_compute():
    da = pytest.importorskip("dask.array")
    from dask.callbacks import Callback

    if "dask" not in xpmath.available_backends():
        pytest.skip("the dask backend is unusable here")
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(6, 3, 4)), rng.normal(size=(6, 3, 4))
    dx, dy = da.from_array(x, chunks=(2, 3, 4)), da.from_array(y, chunks=(2, 3, 4))
    calls = {
        "outer": (lambda: L.outer(dx[0, 0], dy[0, 0]), lambda: NL.outer(x[0, 0], y[0, 0])),
        "cross": (lambda: L.cross(dx[..., :3], dy[0, :, :3]), lambda: NL.cross(x[..., :3], y[0, :, :3])),
        "tensordot": (lambda: L.tensordot(dx, dy, axes=([0, 2], [0, 2])),
                      lambda: NL.tensordot(x, y, axes=([0, 2], [0, 2]))),
        "vecdot": (lambda: L.vecdot(dx, dy, axis=0), lambda: NL.vecdot(x, y, axis=0)),
        "multi_dot": (lambda: L.multi_dot([dx[0], dy[0].T, dx[1]]), lambda: NL.multi_dot([x[0], y[0].T, x[1]])),
        "matrix_transpose": (lambda: L.matrix_transpose(dx), lambda: NL.matrix_transpose(x)),
        "diagonal": (lambda: L.diagonal(dx, offset=1), lambda: NL.diagonal(x, offset=1)),
        "trace": (lambda: L.trace(dx), lambda: NL.trace(x)),
        "vector_norm": (lambda: L.vector_norm(dx, axis=(0, 2), ord=3), lambda: NL.vector_norm(x, axis=(0, 2), ord=3)),
        "matrix_norm": (lambda: L.matrix_norm(dx, ord=1), lambda: NL.matrix_norm(x, ord=1)),
        "matrix_norm_svd": (lambda: L.matrix_norm(dx, ord="nuc"), lambda: NL.matrix_norm(x, ord="nuc")),
    }

    class Count(Callback):
        n = 0

        def _start(self, dsk):
            Count.n += 1

    for name, (ours, ref) in calls.items():
        Count.n = 0
        with Count():
            r = ours()
        assert isinstance(r, da.Array), name
        assert Count.n == 0, f"{name} computed {Count.n} times"
        np.testing.assert_allclose(r.compute(), ref(), rtol=1e-12, atol=1e-12, err_msg=name)
