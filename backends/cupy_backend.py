"""The ``cupy`` backend: the whole API on a CUDA GPU, with cuBLAS / cuSOLVER and fused kernels of ours.

Imported only when the ``cupy`` backend is asked for (``import xpmath`` never imports CuPy).

* Arrays stay on the device: outputs are ``cupy.ndarray``; NumPy (or any host) input is copied to
  the device once, at the boundary, and each copy is logged at DEBUG on the ``xpmath`` logger.
* Exactly singular matrices raise :class:`~xpmath.SingularMatrixError`, as on the CPU: cuSOLVER's
  LU reports a zero pivot in ``devInfo``, which is checked (``cupyx.errstate(linalg="raise")``).
* ``eig`` uses ``cupy.linalg.eig`` (cuSOLVER's ``Xgeev``, CuPy 14 with CUDA 12.6 or newer); where the
  installed CuPy has none, it raises :class:`~xpmath.BackendError` saying so. Nothing runs on the CPU.
* var / std / zscore, the centring in cov / corrcoef, normal pdf / cdf are fused kernels; the
  models' gradient steps are one RawKernel pass over ``X`` (loss and gradient together), and the
  descent checks convergence on the host only every ``gd_check_every`` steps (``n_iter`` stays exact).
* float64 by default. TF32 tensor-core maths for float32 matrix products is OFF unless you opt in
  with ``XPMATH_CUPY_TF32=1`` (or CuPy's own ``CUPY_TF32=1``) before the backend is first used.
* Running out of device memory raises :class:`~xpmath.DeviceMemoryError` (a ``MemoryError``) that
  names the size asked for.
"""

from __future__ import annotations

import logging
import math
import os

import numpy

from xpmath._backend import Backend, EigResult, not_supported, singular_error
from xpmath.errors import BackendError, DeviceMemoryError


def _parse_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    v = raw.strip().lower()
    if v in ("1", "true", "yes", "on"):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise BackendError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


TF32 = _parse_bool("XPMATH_CUPY_TF32", False) or os.environ.get("CUPY_TF32") == "1"
os.environ["CUPY_TF32"] = "1" if TF32 else "0"  # read by CuPy when it is imported, just below

import cupy  # noqa: E402
import cupyx  # noqa: E402

_log = logging.getLogger("xpmath")

# ------------------------------------------------------------------ fused kernels
_sqdev = cupy.ReductionKernel(
    "T x, T m", "T y", "(x - m) * (x - m)", "a + b", "y = a", "0", "xpmath_sqdev"
)
_zscore = cupy.ElementwiseKernel(
    "T x, T m, T s", "T z", "z = (s == (T)0) ? (T)0 : (x - m) / s", "xpmath_zscore"
)
_centre = cupy.ElementwiseKernel("T x, T m", "T y", "y = x - m", "xpmath_centre")
_pdf = cupy.ElementwiseKernel(
    "T x, T m, T s", "T y",
    "T z = (x - m) / s; y = exp((T)-0.5 * z * z) / (s * (T)2.5066282746310002)", "xpmath_normal_pdf",
)
_cdf = cupy.ElementwiseKernel(
    "T x, T m, T s", "T y", "y = (T)0.5 * erfc(-(x - m) / (s * (T)1.4142135623730951))", "xpmath_normal_cdf"
)

# One pass over X per gradient step: each warp takes rows in turn, computes t = x·w + b with a warp
# reduction, then accumulates the loss and r·x in registers; one atomicAdd per warp at the end.
_GD_SOURCE = r"""
template<typename T, int KIND>
__device__ void gd_step(const T* __restrict__ X, const T* __restrict__ y, const T* __restrict__ w,
                        const T* __restrict__ bp, const long long n, const int d, T* __restrict__ g, T* __restrict__ out) {
    const int lane = threadIdx.x & 31;
    const long long warp = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const long long nwarps = ((long long)gridDim.x * blockDim.x) >> 5;
    T acc[MAXCOLS / 32];
    #pragma unroll
    for (int k = 0; k < MAXCOLS / 32; ++k) acc[k] = 0;
    const T b = bp[0];
    T loss = 0, gb = 0;
    for (long long i = warp; i < n; i += nwarps) {
        const T* row = X + i * (long long)d;
        T part = 0;
        #pragma unroll
        for (int k = 0; k < MAXCOLS / 32; ++k) {
            int j = lane + 32 * k;
            if (j < d) part += row[j] * w[j];
        }
        for (int off = 16; off > 0; off >>= 1) part += __shfl_xor_sync(0xffffffff, part, off);
        T t = part + b;
        T r;
        if (KIND == 0) {            // linear: r = t - y, loss = r^2 / 2
            r = t - y[i];
            loss += (T)0.5 * r * r;
        } else {                    // logistic: loss = log(1 + e^t) - y t, r = sigmoid(t) - y
            T e = exp(-fabs(t));
            loss += (t > 0 ? t : (T)0) + log1p(e) - y[i] * t;
            T p = t >= 0 ? (T)1 / ((T)1 + e) : e / ((T)1 + e);
            r = p - y[i];
        }
        gb += r;
        #pragma unroll
        for (int k = 0; k < MAXCOLS / 32; ++k) {
            int j = lane + 32 * k;
            if (j < d) acc[k] += r * row[j];
        }
    }
    #pragma unroll
    for (int k = 0; k < MAXCOLS / 32; ++k) {
        int j = lane + 32 * k;
        if (j < d) atomicAdd(&g[j], acc[k]);
    }
    if (lane == 0) {
        atomicAdd(&out[0], loss);
        atomicAdd(&out[1], gb);
    }
}

extern "C" __global__ void gd_linear_f32(const float* X, const float* y, const float* w, const float* b,
        const long long n, const int d, float* g, float* out) { gd_step<float, 0>(X, y, w, b, n, d, g, out); }
extern "C" __global__ void gd_linear_f64(const double* X, const double* y, const double* w, const double* b,
        const long long n, const int d, double* g, double* out) { gd_step<double, 0>(X, y, w, b, n, d, g, out); }
extern "C" __global__ void gd_logistic_f32(const float* X, const float* y, const float* w, const float* b,
        const long long n, const int d, float* g, float* out) { gd_step<float, 1>(X, y, w, b, n, d, g, out); }
extern "C" __global__ void gd_logistic_f64(const double* X, const double* y, const double* w, const double* b,
        const long long n, const int d, double* g, double* out) { gd_step<double, 1>(X, y, w, b, n, d, g, out); }
"""
MAXCOLS = 256
_gd_module = cupy.RawModule(
    code=_GD_SOURCE.replace("MAXCOLS", str(MAXCOLS)),
)


def _oom(exc, what: str) -> DeviceMemoryError:
    return DeviceMemoryError(
        f"{what}: the GPU ran out of memory ({exc}); pool in use: "
        f"{cupy.get_default_memory_pool().used_bytes() / 2**30:.2f} GiB. Use smaller inputs, float32, or "
        "the dask backend for data larger than the device"
    )


class _Generator:
    """CuPy's generators behind the raw-generator interface of ``xpmath._backend.NumpyGeneratorAdapter``.

    Parameters arrive on the host (NumPy scalars or arrays); samples are made on the device.
    """

    __slots__ = ("_g", "_legacy")

    def __init__(self, g, legacy):
        self._g = g
        self._legacy = legacy

    def normal(self, loc, scale, size, dtype):
        if self._legacy:
            return self._g.normal(loc, scale, size, dtype=dtype)
        z = self._g.standard_normal(size, dtype=dtype)
        return z * cupy.asarray(scale, dtype) + cupy.asarray(loc, dtype)

    def uniform(self, low, high, size, dtype):
        if self._legacy:
            return self._g.uniform(low, high, size, dtype=dtype)
        u = self._g.random(size, dtype=dtype)
        return cupy.asarray(low, dtype) + (cupy.asarray(high, dtype) - cupy.asarray(low, dtype)) * u

    def bernoulli(self, p, size):
        u = self._g.random_sample(size) if self._legacy else self._g.random(size)
        return (u < cupy.asarray(p)).astype(cupy.int64)


class CupyBackend(Backend):
    """CuPy on the current CUDA device (``cupy.cuda.Device()``)."""

    name = "cupy"
    xp = cupy
    array_type = cupy.ndarray
    gd_check_every = 50

    def is_available(self):
        try:
            n = cupy.cuda.runtime.getDeviceCount()
        except Exception as exc:  # no driver, no device
            return False, f"no usable CUDA device ({type(exc).__name__}: {exc})"
        if n < 1:
            return False, "no CUDA device found"
        try:
            int((cupy.arange(3) + 1).sum())
        except Exception as exc:
            return False, f"a CUDA device is present but a kernel failed ({type(exc).__name__}: {exc})"
        return True, ""

    def config(self):
        dev = cupy.cuda.Device()
        props = cupy.cuda.runtime.getDeviceProperties(dev.id)
        pool = cupy.get_default_memory_pool()
        free, total = cupy.cuda.runtime.memGetInfo()
        rt = cupy.cuda.runtime.runtimeGetVersion()
        drv = cupy.cuda.runtime.driverGetVersion()
        name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
        return {
            "library": f"cupy {cupy.__version__}",
            "gpu": f"{name} (device {dev.id}, compute capability {dev.compute_capability})",
            "cuda_runtime": f"{rt // 1000}.{rt % 1000 // 10}",
            "cuda_driver": f"{drv // 1000}.{drv % 1000 // 10}",
            "device_memory": f"{(total - free) / 2**30:.1f} of {total / 2**30:.1f} GiB in use",
            "memory_pool": f"{pool.used_bytes() / 2**20:.1f} MiB used, {pool.total_bytes() / 2**20:.1f} MiB held",
            "tf32": "on" if TF32 else "off (opt in with XPMATH_CUPY_TF32=1)",
            "eig": "cupy.linalg.eig" if hasattr(cupy.linalg, "eig") else "unavailable in this CuPy",
        }

    # ---------------------------------------------------------------- arrays
    def asarray(self, x, dtype=None):
        if isinstance(x, cupy.ndarray):
            return x if dtype is None else x.astype(dtype, copy=False)
        try:
            if hasattr(x, "__cuda_array_interface__"):
                return cupy.asarray(x, dtype=dtype)
            if hasattr(x, "__dlpack__") and not isinstance(x, numpy.ndarray) and hasattr(x, "__dlpack_device__") \
                    and x.__dlpack_device__()[0] != 1:  # 1 = CPU
                return cupy.from_dlpack(x)
            if hasattr(x, "compute") and hasattr(x, "dask"):
                x = x.compute()
            h = numpy.asarray(x, dtype=dtype)
            if h.dtype.kind not in "biufc":
                raise TypeError(f"non-numeric dtype {h.dtype}")
            _log.debug("host -> device copy of %s %s (%.1f MB)", h.shape, h.dtype, h.nbytes / 1e6)
            return cupy.asarray(h)
        except cupy.cuda.memory.OutOfMemoryError as exc:
            raise _oom(exc, f"copying an array of {numpy.asarray(x).nbytes} bytes to the GPU") from exc

    def to_numpy(self, x):
        return cupy.asnumpy(x)

    def all_finite(self, a) -> bool:
        return bool(cupy.isfinite(a).all())

    # ---------------------------------------------------------------- linear algebra
    def _linalg_call(self, fn, func, *args, **kwargs):
        try:
            with cupyx.errstate(linalg="raise"):
                return func(*args, **kwargs)
        except numpy.linalg.LinAlgError as exc:
            # cuSOLVER's getrf reports a zero pivot as devInfo > 0: the matrix is exactly singular
            raise singular_error(fn, self.name) from exc
        except cupy.cuda.memory.OutOfMemoryError as exc:
            raise _oom(exc, fn) from exc

    def _sort_eig(self, w, v=None):
        if w.shape[-1] == 0:
            return w if v is None else (w, v)
        eps = numpy.finfo(w.real.dtype).eps
        tol = math.sqrt(eps) * cupy.abs(w).max(axis=-1, keepdims=True)
        # CuPy's argsort is a stable radix sort
        o1 = cupy.argsort(-w.real, axis=-1)
        rs = cupy.take_along_axis(w.real, o1, -1)
        step = (rs[..., :-1] - rs[..., 1:]) > tol
        gid = cupy.concatenate([cupy.zeros(step.shape[:-1] + (1,), dtype=cupy.int64), cupy.cumsum(step, axis=-1)], axis=-1)
        o2 = cupy.argsort(-cupy.take_along_axis(w.imag, o1, -1), axis=-1)
        o3 = cupy.argsort(cupy.take_along_axis(gid, o2, -1), axis=-1)
        order = cupy.take_along_axis(o1, cupy.take_along_axis(o2, o3, -1), -1)
        w = cupy.take_along_axis(w, order, -1)
        if v is None:
            return w
        return w, cupy.take_along_axis(v, order[..., None, :], -1)

    def eig(self, a):
        if not hasattr(cupy.linalg, "eig"):
            raise not_supported(self.name, "eig", f"CuPy {cupy.__version__} has no cupy.linalg.eig (it needs CuPy 14 "
                                "with CUDA 12.6+ for cuSOLVER's Xgeev); use eigh for symmetric matrices")
        ct = self._complex_dtype(a)
        w, v = cupy.linalg.eig(a.astype(ct))
        w, v = self._sort_eig(w.astype(ct, copy=False), v.astype(ct, copy=False))
        return EigResult(w, v)

    def eigvals(self, a):
        if not hasattr(cupy.linalg, "eigvals"):
            raise not_supported(self.name, "eigvals", f"CuPy {cupy.__version__} has no cupy.linalg.eigvals")
        ct = self._complex_dtype(a)
        return self._sort_eig(cupy.linalg.eigvals(a.astype(ct)).astype(ct, copy=False))

    # ---------------------------------------------------------------- statistics
    def _moments(self, x, axis, ddof):
        """(mean with keepdims, variance with keepdims) by two fused passes, no temporary array."""
        m = cupy.mean(x, axis=axis, keepdims=True)
        q = _sqdev(x, m, axis=axis, keepdims=True)
        n = x.size if axis is None else numpy.prod([x.shape[a] for a in (axis if isinstance(axis, tuple) else (axis,))])
        return m, q / x.dtype.type(max(n - ddof, 0)) if n - ddof > 0 else q / x.dtype.type(0)

    def var(self, x, axis=None, ddof=0, keepdims=False):
        x = self.as_float(x)
        if x.dtype.kind == "c":
            return super().var(x, axis, ddof, keepdims)
        _, v = self._moments(x, axis, ddof)
        return v if keepdims else (v.reshape(()) if axis is None else cupy.squeeze(v, axis=axis))

    def std(self, x, axis=None, ddof=0, keepdims=False):
        return cupy.sqrt(self.var(x, axis, ddof, keepdims))

    def zscore(self, x, axis=0, ddof=0):
        x = self.as_float(x)
        m, v = self._moments(x, axis, ddof)
        return _zscore(x, m, cupy.sqrt(v))

    def median(self, x, axis=None, keepdims=False):
        x = self.as_float(x)
        m = cupy.median(x, axis=axis, keepdims=keepdims)
        bad = cupy.isnan(x).any(axis=axis, keepdims=keepdims)  # NumPy's median propagates NaN
        return cupy.where(bad, cupy.nan, m).astype(x.dtype, copy=False)

    def mode(self, x, axis=None):
        x = self.as_float(x)
        if axis is None:
            x, axis = x.reshape(-1), 0
        s = cupy.sort(cupy.moveaxis(x, axis, -1), axis=-1)
        lead, n = s.shape[:-1], s.shape[-1]
        s2 = s.reshape(-1, n)
        starts = cupy.ones(s2.shape, dtype=bool)
        starts[:, 1:] = s2[:, 1:] != s2[:, :-1]
        run_id = cupy.cumsum(starts.reshape(-1)) - 1  # runs never cross rows: each row starts one
        run_len = cupy.bincount(run_id)[run_id].reshape(s2.shape)
        best = cupy.argmax(run_len, axis=-1)  # first maximum: the smallest value of a tie
        out = cupy.take_along_axis(s2, best[:, None], -1)[:, 0]
        out = cupy.where(cupy.isnan(s2[:, -1]), cupy.nan, out).reshape(lead)
        return out

    def _observations(self, m, y, rowvar):
        dt = self._stat_dtype(m, y)
        X = cupy.atleast_2d(m).astype(dt, copy=False)
        if not rowvar and m.ndim != 1:  # NumPy's rule for m; y keeps the older one below
            X = X.T
        if y is not None:
            Y = cupy.atleast_2d(y).astype(dt, copy=False)
            if not rowvar and Y.shape[0] != 1:
                Y = Y.T
            X = cupy.concatenate((X, Y), axis=0)
        return X.T, dt  # observations in rows

    def _cov(self, m, y, rowvar, ddof):
        obs, dt = self._observations(m, y, rowvar)
        n = obs.shape[0]
        mu = cupy.mean(obs, axis=0, keepdims=True)
        xc = _centre(obs, mu)  # fused centring, then one cuBLAS product
        c = xc.T @ xc.conj()
        fact = n - (1 if ddof is None else ddof)
        return (c / dt.type(fact) if fact > 0 else c / dt.type(0)).astype(dt, copy=False)

    def cov(self, m, y=None, rowvar=True, ddof=None):
        if m.dtype.kind == "c" or (y is not None and y.dtype.kind == "c"):
            return super().cov(m, y, rowvar, ddof)
        return self._cov(m, y, rowvar, ddof).squeeze()

    def corrcoef(self, x, y=None, rowvar=True):
        if x.dtype.kind == "c" or (y is not None and y.dtype.kind == "c"):
            return super().corrcoef(x, y, rowvar)
        c = self._cov(x, y, rowvar, None)
        if c.size == 1:
            return (c / c).reshape(())
        d = cupy.sqrt(cupy.diag(c))
        c = c / d[:, None] / d[None, :]
        return cupy.clip(c, -1, 1)

    # ---------------------------------------------------------------- probability
    def normal_pdf(self, x, mean=0.0, std=1.0):
        x = self.as_float(x)
        return _pdf(x, cupy.asarray(mean, x.dtype), cupy.asarray(std, x.dtype))

    def normal_cdf(self, x, mean=0.0, std=1.0):
        x = self.as_float(x)
        return _cdf(x, cupy.asarray(mean, x.dtype), cupy.asarray(std, x.dtype))

    def _ndtr(self, z):
        import cupyx.scipy.special

        return cupyx.scipy.special.ndtr(z)

    # ---------------------------------------------------------------- models
    def _fused_step(self, kind, X, y, w, b, alpha, fit_intercept):
        """Loss and gradient in one RawKernel pass over ``X``; None where the kernel does not apply."""
        n, d = X.shape
        if y.ndim != 1 or d > MAXCOLS or X.dtype not in (cupy.float32, cupy.float64) or not X.flags.c_contiguous:
            return None  # several targets, very wide or strided X: cuBLAS products (two passes) instead
        dt = X.dtype
        kern = _gd_module.get_function(f"gd_{kind}_{'f32' if dt == cupy.float32 else 'f64'}")
        g = cupy.zeros(d, dtype=dt)
        out = cupy.zeros(2, dtype=dt)
        yy = y.astype(dt, copy=False)
        ww = cupy.ascontiguousarray(w.astype(dt, copy=False))
        bb = cupy.asarray(b, dtype=dt).reshape(1)  # by pointer: no host round trip for the intercept
        threads = 256
        sms = cupy.cuda.Device().attributes["MultiProcessorCount"]
        blocks = int(min(8 * sms, max(1, (n * 32 + threads - 1) // threads)))
        kern((blocks,), (threads,), (X, yy, ww, bb, numpy.int64(n), numpy.int32(d), g, out))
        loss = (out[0] + 0.5 * alpha * (ww @ ww)) / n
        gw = (g + alpha * ww) / n
        gb = out[1] / n if fit_intercept else None
        return loss, gw, gb

    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept):
        return self._fused_step("linear", X, y, w, b, alpha, fit_intercept) or super().linear_gd_step(
            X, y, w, b, alpha, fit_intercept)

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept):
        return self._fused_step("logistic", X, y, w, b, alpha, fit_intercept) or super().logistic_gd_step(
            X, y, w, b, alpha, fit_intercept)

    # ---------------------------------------------------------------- random
    def default_rng(self, seed=None):
        return _Generator(cupy.random.default_rng(seed), legacy=False)

    def legacy_rng(self, seed=None):
        return _Generator(cupy.random.RandomState(seed), legacy=True)

