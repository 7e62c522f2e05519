"""Arrays of other libraries run where they live (API.md §2a): every public operation, on
array-api-strict's ``device1`` (which refuses host copies and device mixing, as a GPU does), on JAX
(CPU, x64) and on PyTorch (CPU, where installed), and, marked ``gpu``, on PyTorch's CUDA device and
JAX's GPU where one is usable, gives that library's arrays on that device with NumPy's values, or
the contract's error class. Implicit conversion to NumPy is made to raise while
xpmath runs, so a silent host copy anywhere fails the test.
"""

from __future__ import annotations

import contextlib
import importlib.util
import warnings

import numpy as np
import pytest

import xpmath
from xpmath import errors

pytest.importorskip("array_api_compat")


class Lib:
    """One library under test: how to make its arrays, and how to forbid converting them to NumPy."""

    def __init__(self, name):
        self.name = name
        if name == "strict":
            import array_api_strict as xp

            self.xp, self.device = xp, xp.Device("device1")
            self.types = (type(xp.asarray(0.0)),)
            self.make = lambda a: xp.asarray(np.asarray(a), device=self.device)
        elif name == "jax":
            jax = pytest.importorskip("jax")
            jax.config.update("jax_enable_x64", True)
            import jax.numpy as jnp

            self.xp, self.device = jnp, jax.devices("cpu")[0]
            self.types = (jax.Array,)
            self.make = lambda a: jnp.asarray(np.asarray(a))
        elif name == "jax_gpu":
            jax = pytest.importorskip("jax")
            try:
                gpu = jax.devices("gpu")[0]
            except RuntimeError as exc:
                pytest.skip(f"JAX sees no GPU ({exc})")
            jax.config.update("jax_enable_x64", True)
            import jax.numpy as jnp

            self.xp, self.device = jnp, gpu
            self.types = (jax.Array,)
            self.make = lambda a: jax.device_put(np.asarray(a), gpu)
        else:
            torch = pytest.importorskip("torch")
            if name == "torch_cuda" and not torch.cuda.is_available():
                pytest.skip("PyTorch sees no CUDA device")
            self.xp, self.device = torch, torch.device("cpu")
            if name == "torch_cuda":
                self.device = torch.device("cuda", torch.cuda.current_device())  # cuda:N, as tensors name it
            self.types = (torch.Tensor,)
            self.make = lambda a: torch.asarray(np.asarray(a), device=self.device)

    def device_of(self, a):
        import array_api_compat

        return array_api_compat.device(a)

    @contextlib.contextmanager
    def no_host_copy(self):
        """``numpy.asarray`` of this library's arrays raises inside the block (as CuPy's does)."""
        cls = type(self.make([1.0]))

        def refuse(*args, **kwargs):
            raise RuntimeError(f"implicit conversion of a {cls.__name__} to NumPy")

        mp = pytest.MonkeyPatch()
        mp.setattr(cls, "__array__", refuse, raising=False)
        if self.name != "strict":
            mp.setattr(cls, "__dlpack__", refuse, raising=False)
        try:
            yield
        finally:
            mp.undo()


_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                            reason="PyTorch is not installed (optional: pip install torch)")
LIBS = ["strict", "jax", pytest.param("torch", marks=_torch),
        pytest.param("torch_cuda", marks=[pytest.mark.gpu, _torch]), pytest.param("jax_gpu", marks=pytest.mark.gpu)]


@pytest.fixture(params=LIBS)
def lib(request):
    return Lib(request.param)


rng = np.random.default_rng(7)
A = np.array([[4.0, 2.0], [2.0, 3.0]])
N = np.array([[2.0, -1.0], [1.0, 3.0]])  # complex eigenvalues
B = rng.normal(size=(5, 4))
hours = np.array([2.0, 3, 5, 4, 6, 7, 8, 3, 5, 9])
scores = np.array([50.0, 55, 70, 62, 75, 80, 90, 58, 72, 95])
M3 = rng.normal(size=(4, 6))
W = rng.integers(1, 4, size=6)
NANS = np.where(M3 > 0.8, np.nan, M3)  # a few NaNs; its last row NaN only
NANS[-1] = np.nan

#: name -> f(make) calling xpmath; the same f(numpy.asarray) is the NumPy reference
OPERATIONS = {
    "dot": lambda m: xpmath.dot(m(hours), m(scores)),
    "dot_matrix": lambda m: xpmath.dot(m(B), m(B.T)),
    "matmul": lambda m: xpmath.matmul(m(B), m(B.T)),
    "transpose": lambda m: xpmath.transpose(m(M3)),
    "transpose_axes": lambda m: xpmath.transpose(m(M3[None]), axes=(2, 0, 1)),
    "norm": lambda m: xpmath.norm(m(B)),
    "norm_ord2": lambda m: xpmath.linalg.norm(m(B), ord=2),
    "norm_nuc": lambda m: xpmath.linalg.norm(m(B), ord="nuc"),
    "norm_inf_axis": lambda m: xpmath.linalg.norm(m(B), ord=np.inf, axis=1),
    "norm_keepdims": lambda m: xpmath.linalg.norm(m(M3[None]), axis=(1, 2), keepdims=True),
    "cosine": lambda m: xpmath.cosine_similarity(m(hours), m(scores)),
    "cosine_rows": lambda m: xpmath.cosine_similarity(m(B)),
    "inv": lambda m: xpmath.linalg.inv(m(A)),
    "solve": lambda m: xpmath.linalg.solve(m(A), m([1.0, 2.0])),
    "solve_matrix": lambda m: xpmath.linalg.solve(m(A), m(np.eye(2))),
    "det": lambda m: xpmath.linalg.det(m(A)),
    "inv_int": lambda m: xpmath.linalg.inv(m(np.array([[4, 7], [2, 6]]))),  # integers compute in float64
    "eigh_int": lambda m: xpmath.linalg.eigvalsh(m(np.array([[4, 2], [2, 3]]))),
    "eig_values": lambda m: xpmath.linalg.eig(m(N)).eigenvalues,
    "eigvals": lambda m: xpmath.linalg.eigvals(m(A)),
    "eigh_values": lambda m: xpmath.linalg.eigh(m(A)).eigenvalues,
    "eigvalsh_upper": lambda m: xpmath.linalg.eigvalsh(m(np.triu(A)), UPLO="U"),
    "outer": lambda m: xpmath.linalg.outer(m(hours[:4]), m(scores[:3])),
    "outer_int_bool": lambda m: xpmath.linalg.outer(m(W), m(W > 1)),
    "cross": lambda m: xpmath.linalg.cross(m(M3[:, :3]), m(M3[0, 3:])),
    "cross_axis0": lambda m: xpmath.linalg.cross(m(M3[:3]), m(M3[:3, 0]), axis=0),
    "tensordot": lambda m: xpmath.linalg.tensordot(m(B), m(M3), axes=1),
    "tensordot_pairs": lambda m: xpmath.linalg.tensordot(m(M3[None]), m(B.T[:, :, None]), axes=([1], [0])),
    "tensordot_int": lambda m: xpmath.linalg.tensordot(m(W), m(W), axes=1),
    "vecdot": lambda m: xpmath.linalg.vecdot(m(B), m(B[0])),
    "vecdot_axis0_complex": lambda m: xpmath.linalg.vecdot(m(B + 1j * B[::-1]), m(B[:, :1]), axis=0),
    "vecdot_bool": lambda m: xpmath.linalg.vecdot(m(M3 > 0), m(M3[0] > 0)),
    "multi_dot": lambda m: xpmath.linalg.multi_dot([m(B), m(M3), m(M3.T), m(B.T)]),
    "multi_dot_vectors": lambda m: xpmath.linalg.multi_dot([m(B[:, 0]), m(B), m(M3), m(M3[0])]),
    "multi_dot_int": lambda m: xpmath.linalg.multi_dot([m(W[None]), m(np.outer(W, W)), m(W[:, None])]),
    "matrix_transpose": lambda m: xpmath.linalg.matrix_transpose(m(M3[None])),
    "diagonal": lambda m: xpmath.linalg.diagonal(m(M3), offset=1),
    "trace": lambda m: xpmath.linalg.trace(m(M3[None]), offset=-1),
    "trace_int": lambda m: xpmath.linalg.trace(m(np.arange(12, dtype=np.int32).reshape(3, 4))),
    "trace_bool_dtype": lambda m: xpmath.linalg.trace(m(M3 > 0), dtype=np.float32),
    "vector_norm": lambda m: xpmath.linalg.vector_norm(m(M3)),
    "vector_norm_axes": lambda m: xpmath.linalg.vector_norm(m(M3[None]), axis=(0, 2), ord=3, keepdims=True),
    "vector_norm_inf_int": lambda m: xpmath.linalg.vector_norm(m(W), ord=np.inf),
    "vector_norm_count": lambda m: xpmath.linalg.vector_norm(m(np.round(M3)), axis=1, ord=0),
    "matrix_norm": lambda m: xpmath.linalg.matrix_norm(m(B)),
    "matrix_norm_nuc": lambda m: xpmath.linalg.matrix_norm(m(np.stack([B, -B])), ord="nuc"),
    "matrix_norm_inf_keepdims": lambda m: xpmath.linalg.matrix_norm(m(M3), ord=-np.inf, keepdims=True),
    "mean": lambda m: xpmath.mean(m(hours)),
    "mean_axis": lambda m: xpmath.mean(m(M3), axis=1, keepdims=True),
    "mean_int": lambda m: xpmath.mean(m(np.arange(6))),
    "mean_where": lambda m: xpmath.mean(m(M3), axis=0, where=m(M3 > 0)),
    "var": lambda m: xpmath.var(m(hours), ddof=1),
    "var_axis_tuple": lambda m: xpmath.var(m(M3[None]), axis=(0, 2)),
    "std": lambda m: xpmath.std(m(M3), axis=0),
    "std_correction": lambda m: xpmath.std(m(hours), correction=1),
    "median": lambda m: xpmath.median(m(hours)),
    "median_axis": lambda m: xpmath.median(m(M3), axis=1),
    "median_nan": lambda m: xpmath.median(m([1.0, np.nan, 2.0])),
    "median_complex": lambda m: xpmath.median(m(np.array([[3 + 1j, 1 + 5j, 1 + 2j, 2], [1j, -1, 1 - 1j, 1]])), axis=1),
    # averages, ranges, quantiles and the NaN-ignoring reductions
    "average": lambda m: xpmath.average(m(M3), axis=1),
    "average_weights": lambda m: xpmath.average(m(M3), axis=1, weights=m(W)),
    "average_returned": lambda m: xpmath.average(m(M3 > 0), axis=(0, 1), weights=m(np.abs(M3)), returned=True)[1],
    "average_int_keepdims": lambda m: xpmath.average(m(W[None] * W[:, None]), axis=0, keepdims=True),
    "ptp": lambda m: xpmath.ptp(m(M3), axis=0),
    "ptp_int8_wraps": lambda m: xpmath.ptp(m(np.array([-100, 100], dtype=np.int8))),
    "quantile": lambda m: xpmath.quantile(m(M3), 0.3, axis=1),
    "quantile_hazen": lambda m: xpmath.quantile(m(M3), m([0.1, 0.9]), method="hazen"),
    "quantile_nearest_axes": lambda m: xpmath.quantile(m(M3[None]), m([0.1, 0.9]), axis=(0, 2), method="nearest"),
    "quantile_interpolated_inverted_cdf": lambda m: xpmath.quantile(m(M3), 0.7, method="interpolated_inverted_cdf"),
    "quantile_int_lower": lambda m: xpmath.quantile(m(W), [0.25, 0.5], method="lower"),
    "quantile_weighted": lambda m: xpmath.quantile(m(M3), 0.4, axis=1, method="inverted_cdf", weights=m(W)),
    "percentile_keepdims": lambda m: xpmath.percentile(m(M3), m([5.0, 50.0]), axis=0, keepdims=True),
    "nanquantile": lambda m: xpmath.nanquantile(m(NANS), [0.2, 0.8], axis=1, method="weibull"),
    "nanpercentile_weighted": lambda m: xpmath.nanpercentile(m(NANS), 60, axis=0, method="inverted_cdf",
                                                             weights=m(np.abs(NANS[:, :1]) + 1 + 0 * NANS)),
    "nanmedian": lambda m: xpmath.nanmedian(m(NANS), axis=0),
    "nanmedian_all_nan_row": lambda m: xpmath.nanmedian(m(NANS), axis=1),
    "nanmean": lambda m: xpmath.nanmean(m(NANS), axis=0),
    "nanmean_where": lambda m: xpmath.nanmean(m(NANS), axis=1, where=m(M3 > -1)),
    "nanvar_ddof": lambda m: xpmath.nanvar(m(NANS), axis=1, ddof=1),
    "nanstd_mean": lambda m: xpmath.nanstd(m(NANS), axis=0, mean=m(np.nanmean(NANS, axis=0, keepdims=True))),
    "nanstd_complex": lambda m: xpmath.nanstd(m(NANS + 1j * M3), correction=1),
    "nansum": lambda m: xpmath.nansum(m(NANS), axis=1),
    "nansum_int_initial": lambda m: xpmath.nansum(m(W), initial=5),
    "nanmin": lambda m: xpmath.nanmin(m(NANS), axis=0),
    "nanmax_where_initial": lambda m: xpmath.nanmax(m(NANS), axis=1, where=m(M3 > 0), initial=-9.0),
    "cov": lambda m: xpmath.cov(m(hours), m(scores)),
    "cov_weights": lambda m: xpmath.cov(m(M3), fweights=m(W), aweights=m(W * 0.5)),
    "cov_rowvar": lambda m: xpmath.cov(m(B), rowvar=False, bias=True),
    "corrcoef": lambda m: xpmath.corrcoef(m(hours), m(scores)),
    "mode": lambda m: xpmath.mode(m([1, 2, 2, 3, 3])).mode,
    "mode_count_axis": lambda m: xpmath.mode(m(np.round(M3)), axis=1).count,
    "zscore": lambda m: xpmath.zscore(m(hours)),
    "zscore_omit": lambda m: xpmath.zscore(m([1.0, np.nan, 3.0, 4.0]), nan_policy="omit"),
    "normal_pdf": lambda m: xpmath.normal_pdf(m(hours), 5.0, 2.0),
    "normal_cdf": lambda m: xpmath.normal_cdf(m(np.linspace(-9, 9, 37)), 0.5, 1.5),
    "bayes": lambda m: xpmath.bayes(m(0.8), 0.3, p_b_given_not_a=0.01),
    "total_probability": lambda m: xpmath.total_probability(m([0.8, 0.5]), 0.3, 0.01),
    "derivative": lambda m: xpmath.derivative(lambda t: (t - 3) ** 2, m(hours)),
    "partial_derivative": lambda m: xpmath.partial_derivative(lambda t: t[0] ** 2 * t[1], m([1.0, 2.0]), 1),
    "gradient": lambda m: xpmath.gradient(lambda t: (t[0] - 1) ** 2 + (t[1] + 2) ** 2, m([0.0, 0.0])),
    "gradient_descent": lambda m: xpmath.gradient_descent(lambda t: 2 * (t - 3), m(10.0), lr=0.1).x,
    "gd_history": lambda m: xpmath.gradient_descent(lambda t: 2 * (t - 3), m(10.0), lr=0.1,
                                                    f=lambda t: (t - 3) ** 2).loss_history,
    "asarray": lambda m: xpmath.asarray(m(hours), dtype="float32"),
    # factorisations: what their solvers' sign choices leave unique (values, moduli, products)
    "svd_values": lambda m: xpmath.linalg.svd(m(B)).S,
    "svd_product": lambda m: (lambda u, s, vh: xpmath.matmul(u * s, vh))(*xpmath.linalg.svd(m(B), full_matrices=False)),
    "svd_complete_u": lambda m: abs(xpmath.linalg.svd(m(B)).U[:, :4]),
    "svdvals": lambda m: xpmath.linalg.svdvals(m(M3)),
    "svd_hermitian": lambda m: xpmath.linalg.svd(m(A - 3 * np.eye(2)), hermitian=True).S,
    "svd_empty": lambda m: xpmath.linalg.svd(m(np.zeros((3, 0)))).U,
    "qr_r": lambda m: abs(xpmath.linalg.qr(m(B), mode="r")),
    "qr_product": lambda m: xpmath.matmul(*xpmath.linalg.qr(m(B))),
    "qr_complete": lambda m: abs(xpmath.linalg.qr(m(B), mode="complete").R),
    "qr_raw_h": lambda m: xpmath.linalg.qr(m(B), mode="raw")[0],
    "qr_raw_tau": lambda m: xpmath.linalg.qr(m(B + 1j * B[::-1]), mode="raw")[1],
    "qr_raw_stack": lambda m: xpmath.linalg.qr(m(np.stack([B, 2 * B[::-1]])), mode="raw")[0],
    "cholesky": lambda m: xpmath.linalg.cholesky(m(A)),
    "cholesky_upper_triangle_read": lambda m: xpmath.linalg.cholesky(m(np.triu(A) + 9 * np.tril(A, -1)), upper=True),
    "lstsq": lambda m: xpmath.linalg.lstsq(m(B), m(hours[:5]))[0],
    "lstsq_residuals": lambda m: xpmath.linalg.lstsq(m(B), m(np.stack([hours[:5], scores[:5]], 1)))[1],
    "lstsq_rank": lambda m: xpmath.linalg.lstsq(m(B), m(hours[:5]))[2],
    "lstsq_wide_min_norm": lambda m: xpmath.linalg.lstsq(m(B.T), m(hours[:4]))[0],
    "lstsq_rank_deficient": lambda m: xpmath.linalg.lstsq(m(np.ones((4, 2))), m(hours[:4]))[0],
    "pinv": lambda m: xpmath.linalg.pinv(m(B)),
    "pinv_hermitian_rtol": lambda m: xpmath.linalg.pinv(m(A), hermitian=True, rtol=None),
    "slogdet": lambda m: xpmath.linalg.slogdet(m(N)).logabsdet,
    "slogdet_sign_complex": lambda m: xpmath.linalg.slogdet(m(N + 1j * A)).sign,
    "matrix_rank": lambda m: xpmath.linalg.matrix_rank(m(np.outer(hours, scores))),
    "matrix_rank_stack_tol": lambda m: xpmath.linalg.matrix_rank(m(np.stack([A, np.ones((2, 2))])), tol=0.5),
    "cond": lambda m: xpmath.linalg.cond(m(A)),
    "cond_fro": lambda m: xpmath.linalg.cond(m(A), "fro"),
    "cond_singular": lambda m: xpmath.linalg.cond(m(np.ones((2, 2))), 1),
    "matrix_power": lambda m: xpmath.linalg.matrix_power(m(N), 5),
    "matrix_power_inverse": lambda m: xpmath.linalg.matrix_power(m(A), -2),
    "matrix_power_int": lambda m: xpmath.linalg.matrix_power(m(np.array([[1, 1], [0, 1]])), 7),
    "matrix_power_zero": lambda m: xpmath.linalg.matrix_power(m(A), 0),
    "tensorinv": lambda m: xpmath.linalg.tensorinv(m(np.eye(6).reshape(6, 2, 3) + 0.1), ind=1),
    "tensorsolve": lambda m: xpmath.linalg.tensorsolve(m(np.eye(6).reshape(2, 3, 6) + 0.1), m(M3[:2, :3])),
}


def _host(lib, r):
    return xpmath.to_numpy(r) if isinstance(r, lib.types) else np.asarray(r)


@pytest.mark.parametrize("op", sorted(OPERATIONS))
def test_operation_stays_in_its_library_with_numpys_values(lib, op):
    f = OPERATIONS[op]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.asarray(f(np.asarray))
        with lib.no_host_copy():
            r = f(lib.make)
    assert isinstance(r, lib.types), f"{op} returned {type(r).__name__}"
    assert str(lib.device_of(r)) == str(lib.device)
    got = _host(lib, r)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype, f"{op}: {got.dtype} != NumPy's {expected.dtype}"
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12, equal_nan=True)


def test_eigenpairs_satisfy_a_v_equals_v_w(lib):
    with lib.no_host_copy():
        w, v = xpmath.linalg.eig(lib.make(N))
        wh, vh = xpmath.linalg.eigh(lib.make(A))
    w, v, wh, vh = (_host(lib, a) for a in (w, v, wh, vh))
    np.testing.assert_allclose(N @ v, v * w, atol=1e-12)
    np.testing.assert_allclose(A @ vh, vh * wh, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(v, axis=0), 1.0)


def test_empirical_rule_gives_python_floats(lib):
    x = np.random.default_rng(0).normal(70, 10, 1000)
    with lib.no_host_copy():
        got = xpmath.empirical_rule(lib.make(x))
    assert got == xpmath.empirical_rule(x)


def test_host_data_beside_a_foreign_array_joins_it(lib):
    with lib.no_host_copy():
        r = xpmath.dot(lib.make(hours), scores)  # a NumPy array beside a device array
        s = xpmath.normal_pdf(lib.make(hours), np.float64(5.0), 2)
    assert isinstance(r, lib.types) and isinstance(s, lib.types)
    assert float(_host(lib, r)) == pytest.approx(np.dot(hours, scores))


def test_backend_named_for_the_call_copies_to_the_host(lib):
    r = xpmath.mean(lib.make(hours), backend="numpy")
    assert isinstance(r, np.floating) and r == np.mean(hours)
    with xpmath.use_backend("numpy"):
        assert isinstance(xpmath.var(lib.make(hours)), np.floating)


@pytest.mark.parametrize("models", ["linear", "linear_positive", "linear_gd", "logistic", "softmax", "pca",
                                    "pca_whiten", "pca_randomized"])
def test_models_keep_fitted_attributes_and_results_in_the_library(lib, models):
    X = np.random.default_rng(1).normal(size=(60, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.25
    labels = (X[:, 0] > 0).astype(float) + (models == "softmax") * (X[:, 1] > 0)
    make = {
        "linear": lambda: (xpmath.LinearRegression(), y),
        "linear_gd": lambda: (xpmath.LinearRegression(solver="gd", lr=0.1, max_iter=200), y),
        "logistic": lambda: (xpmath.LogisticRegression(max_iter=200), labels),
        "softmax": lambda: (xpmath.LogisticRegression(max_iter=200, class_weight="balanced"), labels),
        "pca": lambda: (xpmath.PCA(n_components=0.9), None),
        "linear_positive": lambda: (xpmath.LinearRegression(positive=True), y),
        "pca_whiten": lambda: (xpmath.PCA(n_components=2, whiten=True, svd_solver="full"), None),
        "pca_randomized": lambda: (xpmath.PCA(n_components=2, svd_solver="randomized", power_iteration_normalizer="QR",
                                              random_state=0), None),
    }
    ref_model, target = make[models]()
    model, _ = make[models]()
    ref_model.fit(X, target) if target is not None else ref_model.fit(X)
    with lib.no_host_copy():
        if target is None:
            model.fit(lib.make(X))
            out = model.transform(lib.make(X))
        else:
            model.fit(lib.make(X), lib.make(target))
            out = model.predict(lib.make(X))
            score = model.score(lib.make(X), lib.make(target))
    attr = "components_" if models.startswith("pca") else "coef_"
    assert isinstance(getattr(model, attr), lib.types) and isinstance(out, lib.types)
    np.testing.assert_allclose(_host(lib, getattr(model, attr)), getattr(ref_model, attr), rtol=1e-8, atol=1e-10)
    ref_out = ref_model.transform(X) if target is None else ref_model.predict(X)
    np.testing.assert_allclose(_host(lib, out), ref_out, rtol=1e-8, atol=1e-10)
    if target is not None:
        assert score == pytest.approx(ref_model.score(X, target))


#: name -> (f(make), the XPMathError class every library must raise)
ERRORS = {
    "singular_inv": (lambda m: xpmath.linalg.inv(m([[1.0, 2.0], [2.0, 4.0]])), errors.SingularMatrixError),
    "singular_solve": (lambda m: xpmath.linalg.solve(m([[1.0, 2.0], [2.0, 4.0]]), m([1.0, 2.0])),
                       errors.SingularMatrixError),
    "nan_inv": (lambda m: xpmath.linalg.inv(m([[1.0, np.nan], [2.0, 4.0]])), errors.NonFiniteError),
    "axis": (lambda m: xpmath.mean(m(M3), axis=2), errors.AxisError),
    "shapes": (lambda m: xpmath.matmul(m(B), m(B)), errors.ShapeError),
    "not_square": (lambda m: xpmath.linalg.det(m(B)), errors.ShapeError),
    "outer_2d": (lambda m: xpmath.linalg.outer(m(B), m(hours)), errors.ShapeError),
    "cross_length": (lambda m: xpmath.linalg.cross(m(B), m(B)), errors.ShapeError),
    "cross_bool": (lambda m: xpmath.linalg.cross(m(M3[:, :3] > 0), m(M3[:, :3] > 0)), errors.XPMathTypeError),
    "tensordot_mismatch": (lambda m: xpmath.linalg.tensordot(m(B), m(B), axes=1), errors.ShapeError),
    "vecdot_axis": (lambda m: xpmath.linalg.vecdot(m(B), m(B), axis=2), errors.AxisError),
    "multi_dot_aligned": (lambda m: xpmath.linalg.multi_dot([m(B), m(B), m(B)]), errors.ShapeError),
    "matrix_transpose_1d": (lambda m: xpmath.linalg.matrix_transpose(m(hours)), errors.ShapeError),
    "matrix_norm_ord": (lambda m: xpmath.linalg.matrix_norm(m(B), ord=3), errors.DomainError),
    "matrix_norm_1d": (lambda m: xpmath.linalg.matrix_norm(m(hours)), errors.AxisError),
    "probability": (lambda m: xpmath.bayes(m(1.5), 0.3, 0.5), errors.DomainError),
    "std_negative": (lambda m: xpmath.normal_pdf(m(hours), 0.0, m(-1.0)), errors.DomainError),
    "nan_policy": (lambda m: xpmath.zscore(m([1.0, np.nan]), nan_policy="raise"), errors.DomainError),
    "quantile_q": (lambda m: xpmath.quantile(m(M3), m([0.5, 1.5])), errors.DomainError),
    "quantile_complex": (lambda m: xpmath.quantile(m(M3 + 1j), 0.5), errors.XPMathTypeError),
    "quantile_weights_method": (lambda m: xpmath.quantile(m(M3), 0.5, axis=1, weights=m(W)), errors.DomainError),
    "quantile_weights_negative": (lambda m: xpmath.nanquantile(m(M3), 0.5, axis=1, weights=m(W - 2),
                                                               method="inverted_cdf"), errors.DomainError),
    "quantile_weights_shape": (lambda m: xpmath.quantile(m(M3), 0.5, axis=0, weights=m(W),
                                                         method="inverted_cdf"), errors.ShapeError),
    "average_zero_weights": (lambda m: xpmath.average(m(hours[:2]), weights=m([1.0, -1.0])),
                             errors.ZeroWeightsError),
    "nanmin_empty": (lambda m: xpmath.nanmin(m(np.zeros((0, 3))), axis=0), errors.DomainError),
    "nanvar_ddof_and_correction": (lambda m: xpmath.nanvar(m(M3), ddof=1, correction=1), errors.DomainError),
    "ptp_bool": (lambda m: xpmath.ptp(m(M3 > 0)), errors.XPMathTypeError),
    "random": (lambda m: xpmath.random.normal(m(70.0), 10.0, size=3), errors.BackendError),
    "fit_samples": (lambda m: xpmath.LinearRegression().fit(m(np.ones((4, 2))), m(np.ones(3))), errors.ShapeError),
    "cholesky_not_positive_definite": (lambda m: xpmath.linalg.cholesky(m([[1.0, 2.0], [2.0, 1.0]])), errors.LinAlgError),
    "svd_nan": (lambda m: xpmath.linalg.svd(m([[1.0, np.nan], [0.0, 1.0]])), errors.LinAlgError),
    "svdvals_nan": (lambda m: xpmath.linalg.svdvals(m([[1.0, np.nan], [0.0, 1.0]])), errors.LinAlgError),
    "lstsq_infinity": (lambda m: xpmath.linalg.lstsq(m([[1.0, np.inf], [0.0, 1.0]]), m([1.0, 1.0])), errors.LinAlgError),
    "lstsq_rows": (lambda m: xpmath.linalg.lstsq(m(B), m(hours)), errors.ShapeError),
    "matrix_power_singular": (lambda m: xpmath.linalg.matrix_power(m(np.ones((2, 2))), -1), errors.SingularMatrixError),
    "tensorinv_singular": (lambda m: xpmath.linalg.tensorinv(m(np.ones((2, 2))), ind=1), errors.SingularMatrixError),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_are_the_contracts_classes(lib, case):
    f, cls = ERRORS[case]
    with pytest.raises(Exception) as numpy_raised:
        f(np.asarray) if case != "random" else (_ for _ in ()).throw(cls("random"))
    with lib.no_host_copy(), pytest.raises(cls):
        f(lib.make)
    assert isinstance(numpy_raised.value, cls)


def test_two_libraries_in_one_call_are_a_backend_error(lib):
    other = Lib("strict" if lib.name != "strict" else "jax")
    with pytest.raises(errors.BackendError, match="two libraries"):
        xpmath.dot(lib.make(hours), other.make(scores))


def test_two_devices_in_one_call_are_a_backend_error():
    import array_api_strict as xp

    a = xp.asarray([1.0, 2.0], device=xp.Device("device1"))
    b = xp.asarray([1.0, 2.0], device=xp.Device("device2"))
    with pytest.raises(errors.BackendError, match="device1.*device2|device2.*device1"):
        xpmath.dot(a, b)


def test_seed_chapter_numbers_with_the_librarys_own_arrays(lib):
    """The chapter's computations with arrays built by the library's asarray print NumPy's numbers."""
    def chapter(m):
        marks, weights = m([85.0, 90.0, 78.0]), m([0.4, 0.35, 0.25])
        X = m([[2.0, 50.0], [5.0, 80.0], [8.0, 95.0]])
        w, _ = xpmath.linalg.eig(m([[4.0, 2.0], [2.0, 3.0]]))
        r = xpmath.gradient_descent(lambda x: 2 * (x - 3), m(10.0), lr=0.1)
        return [
            f"{float(xpmath.dot(marks, weights)):.2f}", f"{float(xpmath.linalg.norm(marks)):.2f}",
            f"{float(xpmath.cosine_similarity(m([85.0, 90.0, 78.0]), m([82.0, 88.0, 80.0]))):.4f}",
            np.array2string(_host(lib, xpmath.matmul(xpmath.transpose(X), X)) if m is not np.asarray
                            else xpmath.matmul(xpmath.transpose(X), X)),
            f"{float(xpmath.linalg.det(m([[4.0, 7.0], [2.0, 6.0]]))):.4f}",
            np.array2string(np.real(_host(lib, w) if m is not np.asarray else w), precision=4),
            f"{float(r.x):.6f} {r.n_iter} {r.converged}",
            f"{float(xpmath.bayes(m(0.80), 0.30, p_b_given_not_a=0.01)):.4f}",
            f"{float(xpmath.normal_cdf(m(95.0), mean=70, std=10)):.4f}",
            f"{float(xpmath.mean(m(hours))):.2f} {float(xpmath.median(m(hours))):.2f} "
            f"{float(xpmath.var(m(hours))):.2f} {float(xpmath.std(m(hours))):.4f}",
            f"{float(xpmath.corrcoef(m(hours), m(scores))[0, 1]):.4f}",
            f"{float(xpmath.cov(m(hours), m(scores))[0, 1]):.2f}",
            np.array2string(_host(lib, xpmath.zscore(m(hours))) if m is not np.asarray else xpmath.zscore(hours),
                            precision=4),
        ]

    with lib.no_host_copy():
        got = chapter(lib.make)
    assert got == chapter(np.asarray)
