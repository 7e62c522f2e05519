"""The ``cupy`` backend: the whole API on a CUDA GPU, with cuBLAS / cuSOLVER and fused kernels of ours.

Imported only when the ``cupy`` backend is asked for (``import xpmath`` never imports CuPy).

* Arrays stay on the device: outputs are ``cupy.ndarray``; NumPy (or any host) input is copied to
  the device once, at the boundary, and each copy is logged at DEBUG on the ``xpmath`` logger.
* Exactly singular matrices raise :class:`~xpmath.SingularMatrixError`, as on the CPU: cuSOLVER's
  LU reports a zero pivot in ``devInfo``, which is checked (``cupyx.errstate(linalg="raise")``); so
  are a Cholesky factorisation of a matrix that is not positive definite and an SVD that does not
  converge, raised as :class:`~xpmath.LinAlgError`.
* Factorisations are cuSOLVER's through ``cupy.linalg`` (``svd`` batched by ``gesvdj`` for small
  matrices, ``qr`` and ``cholesky`` batched); what CuPy's functions lack of NumPy's keywords is
  computed from them on the device: ``svd(hermitian=True)`` from ``eigh``, ``cholesky(upper=True)``
  from the conjugate transpose, ``lstsq``, ``pinv``, ``matrix_rank`` and ``cond`` from the SVD with
  NumPy's rules (``rcond``, ``rtol``, ``tol``).
* ``eig`` uses ``cupy.linalg.eig`` (cuSOLVER's ``Xgeev``, CuPy 14 with CUDA 12.6 or newer); where the
  installed CuPy has none, it raises :class:`~xpmath.BackendError` saying so. Nothing runs on the CPU.
* var / std / zscore, the centring in cov / corrcoef, normal pdf / cdf are fused kernels; the
  models' gradient steps are one RawKernel pass over ``X`` (loss and gradient together), and the
  descent checks convergence on the host only every ``gd_check_every`` steps (``n_iter`` stays exact).
* float64 by default. TF32 tensor-core maths for float32 matrix products is OFF unless you opt in
  with the ``cupy_tf32`` setting (``xpmath.set_config(cupy_tf32=True)`` or ``XPMATH_CUPY_TF32=1``). It is set through CuPy's compute-type setting; the environment is only read.
* The RawKernels' CUDA sources ship beside this module, in ``cuda/*.cu``.
* Running out of device memory raises :class:`~xpmath.DeviceMemoryError` (a ``MemoryError``) that
  names the size asked for.
"""

from __future__ import annotations

import functools
import logging
import math
import warnings
from importlib import resources

import cupy
import cupyx
import numpy

from xpmath import _config
from xpmath._arrays import host
from xpmath._backend import BackendBase, not_supported
from xpmath._backend import reduced_axes as _axes
from xpmath._protocol import PRIMITIVES
from xpmath._reference import linalg as ref_linalg
from xpmath._reference import stats as ref_stats
from xpmath._validate import singular_error
from xpmath.errors import BackendError, DeviceMemoryError


_log = logging.getLogger("xpmath")


def _quiet(f, *args, **kwargs):
    """``f`` with RuntimeWarnings held back: NumPy's are given instead, where NumPy gives them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args, **kwargs)

# ------------------------------------------------------------------ fused kernels
def _cuda_source(name: str) -> str:
    """The text of ``cuda/<name>``, shipped with this package, for NVRTC (CuPy compiles and caches it)."""
    return resources.files(__package__).joinpath("cuda").joinpath(name).read_text(encoding="utf-8")


_moments_module = cupy.RawModule(code=_cuda_source("moments.cu"))
THREADS = 256
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

MAXCOLS = 256  # the widest X of the fused gradient step: each lane holds MAXCOLS / 32 of a row
_gd_module = cupy.RawModule(code=_cuda_source("gd_step.cu"), options=(f"-DXP_MAXCOLS={MAXCOLS}",))
_modules = {"moments": _moments_module, "gd": _gd_module}


#: CuPy 14 factorises stacks of matrices in one qr call (earlier versions take one matrix)
_BATCHED_QR = int(cupy.__version__.split(".")[0]) >= 14


@functools.lru_cache(maxsize=None)
def _sm_count(device_id: int) -> int:
    return cupy.cuda.runtime.getDeviceProperties(device_id)["multiProcessorCount"]


@functools.lru_cache(maxsize=None)
def _kernel(module: str, name: str):
    return _modules[module].get_function(name)


def _oom(exc, what: str) -> DeviceMemoryError:
    return DeviceMemoryError(
        f"{what}: the GPU ran out of memory ({exc}); pool in use: "
        f"{cupy.get_default_memory_pool().used_bytes() / 2**30:.2f} GiB. Use smaller inputs, float32, or "
        "the dask backend for data larger than the device"
    )


class _Generator:
    """CuPy's generators behind the raw-generator interface of ``xpmath._reference.random.NumpyGeneratorAdapter``.

    Parameters arrive on the host (NumPy scalars or arrays); samples are drawn on the device as
    standard draws of the broadcast shape, then scaled there, so array parameters work as NumPy's.
    """

    __slots__ = ("_g", "_legacy")

    def __init__(self, g, legacy):
        self._g = g
        self._legacy = legacy

    @staticmethod
    def _shape(size, *params):
        if size is not None:
            return size
        return numpy.broadcast_shapes(*(numpy.shape(p) for p in params))

    def _std_normal(self, shape, dtype):
        return self._g.standard_normal(shape, dtype=dtype)

    def _random(self, shape, dtype):
        return self._g.random_sample(shape, dtype=dtype) if self._legacy else self._g.random(shape, dtype=dtype)

    def normal(self, loc, scale, size, dtype):
        z = self._std_normal(self._shape(size, loc, scale), dtype)
        return z * cupy.asarray(scale, dtype) + cupy.asarray(loc, dtype)

    def uniform(self, low, high, size, dtype):
        u = self._random(self._shape(size, low, high), dtype)
        lo = cupy.asarray(low, dtype)
        return lo + (cupy.asarray(high, dtype) - lo) * u

    def bernoulli(self, p, size):
        u = self._random(self._shape(size, p), numpy.float64)
        return (u < cupy.asarray(p, numpy.float64)).astype(cupy.int64)


def _with_device_memory_errors(cls):
    """Every operation of the backend turns CuPy's out-of-memory error into DeviceMemoryError."""
    for name in sorted(PRIMITIVES | {"asarray", "all_finite"}):
        fn = getattr(cls, name, None)
        if fn is None:
            continue

        def wrap(fn=fn, name=name):
            @functools.wraps(fn)
            def method(self, *args, **kwargs):
                try:
                    return fn(self, *args, **kwargs)
                except cupy.cuda.memory.OutOfMemoryError as exc:
                    raise _oom(exc, name) from exc

            return method

        setattr(cls, name, wrap())
    return cls


def tf32_default() -> bool:
    """Whether float32 matrix products use TF32: the ``cupy_tf32`` setting (``XPMATH_CUPY_TF32``, or
    CuPy's own ``CUPY_TF32``), read through :func:`xpmath.get_config`; the environment is never written."""
    return bool(_config.value("cupy_tf32"))


def apply_tf32(enabled: bool) -> None:
    """Switch TF32 tensor-core maths for float32 and complex64 matrix products on or off.

    Sets CuPy's compute type for single precision, process-wide, from the next product on; the
    environment is left as it is. The backend applies :func:`tf32_default` when it starts.

    Parameters
    ----------
    enabled : bool
        True for TF32 (about 10 bits of mantissa in the products, faster on compute capability 8.0
        and newer), False for full float32 maths.

    Raises
    ------
    BackendError
        ``enabled`` is True and the installed CuPy has no compute-type setting.
    """
    try:
        from cupy._core import _routines_linalg as rl

        set_compute_type, tf32, default = rl.set_compute_type, rl.COMPUTE_TYPE_TF32, rl.COMPUTE_TYPE_DEFAULT
    except (ImportError, AttributeError) as exc:
        if enabled:
            raise BackendError(f"CuPy {cupy.__version__} has no compute-type setting to switch TF32 on") from exc
        return  # nothing to switch off: such a CuPy uses TF32 only where CUPY_TF32 asks for it
    set_compute_type(numpy.float32, tf32 if enabled else default)  # float32 and complex64 share one setting


def _tf32_in_force() -> bool:
    try:
        from cupy._core import _routines_linalg as rl

        return rl.get_compute_type(numpy.float32) == rl.COMPUTE_TYPE_TF32
    except (ImportError, AttributeError):
        return tf32_default()


def _geev_available() -> tuple[bool, str]:
    """Whether cupy.linalg.eig can run here: CuPy 14+ on cuSOLVER 11.7+ (CUDA 12.6+), for Xgeev."""
    if not hasattr(cupy.linalg, "eig"):
        return False, f"CuPy {cupy.__version__} has no cupy.linalg.eig (it needs CuPy 14)"
    try:
        from cupyx import cusolver

        if cusolver.check_availability("geev"):
            return True, ""
    except Exception:  # an older CuPy that does not know the name
        pass
    rt = cupy.cuda.runtime.runtimeGetVersion()
    return False, (f"cuSOLVER's Xgeev is not available with CUDA {rt // 1000}.{rt % 1000 // 10} "
                   "(it needs CUDA 12.6 or newer)")


@_with_device_memory_errors
class CupyBackend(BackendBase):
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
        apply_tf32(tf32_default())
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
            "gpu": f"{name} (device {dev.id}, compute capability {dev.compute_capability[:-1]}.{dev.compute_capability[-1]})",
            "cuda_runtime": f"{rt // 1000}.{rt % 1000 // 10}",
            "cuda_driver": f"{drv // 1000}.{drv % 1000 // 10}",
            "device_memory": f"{(total - free) / 2**30:.1f} of {total / 2**30:.1f} GiB in use",
            "memory_pool": f"{pool.used_bytes() / 2**20:.1f} MiB used, {pool.total_bytes() / 2**20:.1f} MiB held",
            "tf32": "on" if _tf32_in_force() else "off (opt in with XPMATH_CUPY_TF32=1)",
            "eig": "cupy.linalg.eig (cuSOLVER Xgeev)" if _geev_available()[0] else f"unavailable: {_geev_available()[1]}",
        }

    # ---------------------------------------------------------------- arrays
    def asarray(self, x, dtype=None):
        if isinstance(x, cupy.ndarray):
            return x if dtype is None else x.astype(dtype, copy=False)
        if hasattr(x, "__cuda_array_interface__"):
            return cupy.asarray(x, dtype=dtype)
        if hasattr(x, "__dlpack__") and not isinstance(x, numpy.ndarray) and hasattr(x, "__dlpack_device__") \
                and x.__dlpack_device__()[0] != 1:  # 1 = CPU: a device DLPack capsule stays on the device
            d = cupy.from_dlpack(x)
            return d if dtype is None else d.astype(dtype, copy=False)
        if hasattr(x, "compute") and hasattr(x, "dask"):
            x = x.compute()
            if isinstance(x, cupy.ndarray):  # a Dask array of CuPy chunks is already on the device
                return x if dtype is None else x.astype(dtype, copy=False)
        h = numpy.asarray(host(x), dtype=dtype)
        if h.dtype.kind not in "biufc":
            raise TypeError(f"non-numeric dtype {h.dtype}")
        _log.debug("host -> device copy of %s %s (%.1f MB)", h.shape, h.dtype, h.nbytes / 1e6)
        try:
            return cupy.asarray(h)
        except cupy.cuda.memory.OutOfMemoryError as exc:
            raise _oom(exc, f"copying an array of {h.nbytes} bytes to the GPU") from exc

    def to_numpy(self, x):
        return cupy.asnumpy(x)

    def all_finite(self, a) -> bool:
        return bool(cupy.isfinite(a).all())

    def can_run(self, op, /, *args, **kw):
        """The kernels take real floating data and NumPy's default keywords; anything else runs
        CuPy's own functions through the reference."""
        a = args[0]
        if op in ("mean", "var", "std"):
            return (self._fast(a, kw.get("axis")) and kw.get("dtype") is None and kw.get("out") is None
                    and kw.get("where", True) is True and kw.get("mean") is None and kw.get("correction") is None)
        if op == "zscore":
            return self._fast(a, kw.get("axis", 0)) and kw.get("nan_policy") != "omit"
        if op == "median":
            return a.size > 0 and kw.get("out") is None
        if op in ("nanmean", "nanvar", "nanstd"):  # CuPy's own take no where=, mean=, correction=, float ddof
            return (a.dtype in (cupy.float32, cupy.float64) and a.size > 0 and kw.get("where", True) is True
                    and kw.get("dtype") is None and kw.get("out") is None and kw.get("mean") is None
                    and kw.get("correction") is None and float(kw.get("ddof", 0)).is_integer())
        if op in ("cov", "corrcoef"):
            y = args[1] if len(args) > 1 else kw.get("y")
            return (a.dtype.kind != "c" and (y is None or y.dtype.kind != "c") and kw.get("dtype") is None
                    and not kw.get("bias") and kw.get("fweights") is None and kw.get("aweights") is None)
        if op in ("linear_gd_step", "logistic_gd_step"):
            X, y = args[0], args[1]  # the logistic kernel weighs rows; the linear one does not
            return (y.ndim == 1 and X.shape[1] <= MAXCOLS and X.dtype in (cupy.float32, cupy.float64)
                    and X.flags.c_contiguous and (op == "logistic_gd_step" or kw.get("sample_weight") is None))
        if op in ("column_means", "centred_gram"):
            return a.dtype.kind == "f" and a.ndim == 2 and a.size > 0 and kw.get("sample_weight") is None
        return True

    # ---------------------------------------------------------------- linear algebra
    def _lapack(self, fn, func, *args):
        """cuSOLVER's getrf reports a zero pivot as devInfo > 0; CuPy raises it only when asked."""
        try:
            with cupyx.errstate(linalg="raise"):
                return func(*args)
        except numpy.linalg.LinAlgError as exc:
            raise singular_error(fn, self.name) from exc

    def inv(self, a):
        return self._lapack("inv", cupy.linalg.inv, a)

    def solve(self, a, b):
        # CuPy's solve neither broadcasts nor reads a 1-D b as NumPy 2 does: both operands are given
        # the same batch shape and b a column, so its matrix right-hand-side branch applies
        vec = b.ndim == 1
        b2 = b[:, None] if vec else b
        batch = numpy.broadcast_shapes(a.shape[:-2], b2.shape[:-2])
        a2 = cupy.broadcast_to(a, batch + a.shape[-2:])
        b2 = cupy.broadcast_to(b2, batch + b2.shape[-2:])
        dt = cupy.result_type(a, b)
        x = self._lapack("solve", cupy.linalg.solve, a2.astype(dt, copy=False), b2.astype(dt, copy=False))
        return x[..., 0] if vec else x

    # ---------------------------------------------------------------- factorisations and least squares
    def _svd(self, a, full_matrices=True, compute_uv=True, hermitian=False):
        if hermitian:
            return ref_linalg.svd_by_eigh(cupy, cupy.linalg.eigh, cupy.linalg.eigvalsh, a, compute_uv)
        try:
            with cupyx.errstate(linalg="raise"):
                return cupy.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
        except numpy.linalg.LinAlgError as exc:
            raise numpy.linalg.LinAlgError("SVD did not converge") from exc

    def svd(self, a, full_matrices=True, compute_uv=True, hermitian=False):
        return self._svd(a, full_matrices, compute_uv, hermitian)

    def svdvals(self, x):
        return self._svd(x, True, False, False)

    def qr(self, a, mode="reduced"):
        if a.ndim > 2 and not _BATCHED_QR:  # CuPy before 14 factorises one matrix a call
            parts = [self.qr(m, mode) for m in a.reshape((-1,) + a.shape[-2:])]
            if mode == "r":
                return cupy.stack(parts).reshape(a.shape[:-2] + parts[0].shape) if parts else \
                    cupy.empty(a.shape[:-2] + (min(a.shape[-2:]), a.shape[-1]), a.dtype)
            if not parts:
                return ref_linalg.qr(numpy, numpy.empty(a.shape, a.dtype), mode)  # shapes only: no data
            return tuple(cupy.stack([p[i] for p in parts]).reshape(a.shape[:-2] + parts[0][i].shape) for i in (0, 1))
        with cupyx.errstate(linalg="raise"):
            r = cupy.linalg.qr(a, mode=mode)
        if mode == "raw":  # CuPy gives raw in double whatever the input; NumPy in the input's precision
            return tuple(x.astype(a.dtype, copy=False) for x in r)
        return r

    def cholesky(self, a, upper=False):
        if a.size == 0:
            return cupy.empty(a.shape, a.dtype)
        # CuPy factorises the lower triangle only: the upper factor is that of the conjugate transpose
        x = a.swapaxes(-1, -2).conj() if upper else a
        try:
            with cupyx.errstate(linalg="raise"):
                low = cupy.linalg.cholesky(x)
        except numpy.linalg.LinAlgError as exc:  # potrf's devInfo > 0
            raise numpy.linalg.LinAlgError("Matrix is not positive definite") from exc
        return low.swapaxes(-1, -2).conj() if upper else low

    def lstsq(self, a, b, rcond=None):
        return ref_linalg.lstsq_by_svd(cupy, self._svd, a, b, rcond)

    def pinv(self, a, rcond=None, hermitian=False, rtol=ref_linalg.NoValue):
        return ref_linalg.pinv_by_svd(cupy, self._svd, a, ref_linalg.pinv_cutoff(rcond, rtol, a.shape, a.dtype),
                                      hermitian)

    def matrix_rank(self, A, tol=None, hermitian=False, rtol=None):
        return ref_linalg.rank_by_svd(cupy, self._svd, A, tol, hermitian, rtol)

    def cond(self, x, p=None):
        def inv(m):  # NumPy's cond ignores a failed inversion (the ratio is then infinite)
            try:
                with cupyx.errstate(linalg="ignore"):
                    return cupy.linalg.inv(m)
            except numpy.linalg.LinAlgError:  # a CuPy that raises nonetheless: matrix by matrix, NaN where singular
                flat = m.reshape((-1,) + m.shape[-2:])
                out = cupy.full(flat.shape, cupy.nan, dtype=m.dtype)
                for i in range(flat.shape[0]):
                    try:
                        out[i] = cupy.linalg.inv(flat[i])
                    except numpy.linalg.LinAlgError:
                        pass
                return out.reshape(m.shape)

        return ref_linalg.cond_by(cupy, self._svd, inv, x, p)

    def slogdet(self, a):
        if a.shape[-1] == 0 or a.size == 0:  # NumPy's determinant of no data: 1
            real = numpy.finfo(a.dtype).dtype
            return cupy.ones(a.shape[:-2], a.dtype), cupy.zeros(a.shape[:-2], real)
        return tuple(cupy.linalg.slogdet(a))

    def matrix_power(self, a, n):
        return ref_linalg.power_by_squaring(cupy, self.inv, a, n)

    def tensorinv(self, a, ind=2):
        return ref_linalg.tensorinv_by(self.inv, a, ind)

    def tensorsolve(self, a, b, axes=None):
        return ref_linalg.tensorsolve_by(self.solve, a, b, axes)

    def _geev(self, op):
        ok, why = _geev_available()
        if not ok:
            raise not_supported(self.name, op, f"{why}; use eigh for symmetric matrices")

    def eig(self, a):
        self._geev("eig")
        return ref_linalg.eig(cupy, a.astype(ref_linalg.complex_dtype(cupy, a)))

    def eigvals(self, a):
        self._geev("eigvals")
        return ref_linalg.eigvals(cupy, a.astype(ref_linalg.complex_dtype(cupy, a)))

    # ---------------------------------------------------------------- statistics
    @staticmethod
    def _kernel_dtype(x):
        """float32 / float64 as they are; float16 read as float32 (the kernels' types)."""
        return x.astype(cupy.float32) if x.dtype == cupy.float16 else x

    def _moments(self, x, axis):
        """(mean, M2) in float64 shaped as the reduction with keepdims, and the count: one read of real ``x``."""
        x = self._kernel_dtype(x)
        nd = x.ndim
        red = _axes(axis, nd)
        kept = tuple(1 if i in red else s for i, s in enumerate(x.shape))
        flip = nd > 1 and x.flags.f_contiguous and not x.flags.c_contiguous
        if flip:  # a Fortran-ordered array is the C-ordered buffer of its transpose
            x = x.T
            red = tuple(sorted(nd - 1 - a for a in red))
        kept1 = tuple(1 if i in red else s for i, s in enumerate(x.shape))  # in the frame of x now
        if red != tuple(range(red[0], red[-1] + 1)):  # reduced axes not adjacent: move them last (a copy)
            keep = tuple(i for i in range(nd) if i not in red)
            x = cupy.transpose(x, keep + red)
            red = tuple(range(len(keep), nd))
        x = cupy.ascontiguousarray(x)
        shape = x.shape
        outer = math.prod(shape[: red[0]])
        R = math.prod(shape[red[0]: red[-1] + 1])
        inner = math.prod(shape[red[-1] + 1:])
        m, q = self._moment_partials(x, outer, R, inner)
        # (outer, inner) in C order is kept1's order: the kept axes keep their order, the rest are 1
        m, q = m.reshape(kept1), q.reshape(kept1)
        if flip:
            m, q = m.T, q.T
        return m.reshape(kept), q.reshape(kept), R

    def _moment_partials(self, x, outer, R, inner):
        """Per-chunk shifted sums by the RawKernels, merged by Chan's formula: (mean, M2), each (outer, inner)."""
        sms = _sm_count(cupy.cuda.Device().id)
        sfx = "f32" if x.dtype == cupy.float32 else "f64"
        if inner == 1:
            chunks = max(1, min(-(-R // 1024), -(-8 * sms // outer)))
        else:
            chunks = max(1, min(-(-R // 16), -(-8 * sms * THREADS // (outer * inner))))
        per = -(-R // chunks)
        chunks = -(-R // per)  # no empty chunk
        s1 = cupy.empty(outer * chunks * inner, dtype=cupy.float64)
        s2 = cupy.empty_like(s1)
        if inner == 1:
            _kernel("moments", f"xp_moments_rows_{sfx}")(
                (outer * chunks,), (THREADS,), (x, numpy.int64(R), numpy.int64(chunks), numpy.int64(per), s1, s2))
        else:
            total = outer * chunks * inner
            blocks = int(min(-(-total // THREADS), 32 * sms))
            _kernel("moments", f"xp_moments_cols_{sfx}")(
                (blocks,), (THREADS,), (x, numpy.int64(R), numpy.int64(inner), numpy.int64(chunks), numpy.int64(per),
                                        numpy.int64(total), s1, s2))
        s1 = s1.reshape(outer, chunks, inner)
        s2 = s2.reshape(outer, chunks, inner)
        cnt = cupy.asarray(numpy.minimum(per, R - per * numpy.arange(chunks)).astype(numpy.float64))[None, :, None]
        k = x.reshape(outer, R, inner)[:, 0, :].astype(cupy.float64)
        k = cupy.where(cupy.isfinite(k), k, 0.0)
        mb = s1 / cnt
        mean_s = s1.sum(axis=1) / R
        m2 = (s2 - s1 * mb).sum(axis=1) + (cnt * (mb - mean_s[:, None, :]) ** 2).sum(axis=1)
        return k + mean_s, m2

    def _reduced(self, v, x, axis, keepdims):
        v = v.astype(x.dtype if x.dtype.kind != "c" else x.real.dtype, copy=False)
        if keepdims:
            return v
        return v.reshape(tuple(s for i, s in enumerate(x.shape) if i not in _axes(axis, x.ndim)))

    @staticmethod
    def _fast(x, axis):
        return x.dtype.kind == "f" and x.ndim > 0 and x.size > 0 and axis != ()

    def mean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        m, _, _ = self._moments(a, axis)
        return self._reduced(m, a, axis, keepdims)

    def var(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        _, q, n = self._moments(a, axis)
        return self._reduced(q / max(n - ddof, 0) if n - ddof > 0 else q / 0.0, a, axis, keepdims)

    def std(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None, correction=None):
        return cupy.sqrt(self.var(a, axis, ddof=ddof, keepdims=keepdims))

    def zscore(self, a, axis=0, ddof=0, nan_policy="propagate"):
        m, q, n = self._moments(a, axis)  # a constant slice sums exactly 0: its std is exactly 0
        s = cupy.sqrt(q / max(n - ddof, 0)) if n - ddof > 0 else cupy.sqrt(q / 0.0)
        xk = self._kernel_dtype(a)
        return _zscore(xk, m.astype(xk.dtype), s.astype(xk.dtype)).astype(a.dtype, copy=False)

    def column_means(self, X):
        return self._moments(X, 0)[0].reshape(-1).astype(X.dtype)

    # ---------------------------------------------------------------- NaN-ignoring moments: CuPy's own reductions
    # with NumPy's answers where a slice has no numbers (or too few for ddof) and NumPy's warnings; the
    # counts are taken only when a result is not finite (CuPy divides by zero there)
    def nanmean(self, a, axis=None, dtype=None, out=None, keepdims=False, where=True):
        r = _quiet(cupy.nanmean, a, axis=axis, keepdims=keepdims)
        if bool(cupy.isnan(r).any()) and bool((self._numbers(a, axis, keepdims) == 0).any()):
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=4)
        return r

    def nanvar(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
               correction=None):
        return self._nan_moment(cupy.nanvar, a, axis, int(ddof), keepdims)

    def nanstd(self, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, mean=None,
               correction=None):
        return self._nan_moment(cupy.nanstd, a, axis, int(ddof), keepdims)

    def _nan_moment(self, f, a, axis, ddof, keepdims):
        r = _quiet(f, a, axis=axis, ddof=ddof, keepdims=keepdims)
        if not bool(cupy.isfinite(r).all()):  # NumPy's nanvar: NaN where the degrees of freedom are none
            bad = self._numbers(a, axis, keepdims) - ddof <= 0
            if bool(bad.any()):
                r = cupy.where(bad, cupy.nan, r).astype(r.dtype, copy=False)
                warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=4)
        return r

    @staticmethod
    def _numbers(a, axis, keepdims):
        """How many numbers (not NaN) each slice holds."""
        return (~cupy.isnan(a)).sum(axis=axis, keepdims=keepdims)

    def median(self, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        x = ref_stats.as_float(cupy, a)
        m = cupy.median(x, axis=axis, keepdims=keepdims)
        bad = cupy.isnan(x).any(axis=axis, keepdims=keepdims)  # NumPy's median propagates NaN
        return cupy.where(bad, cupy.nan, m).astype(x.dtype, copy=False)

    def centred_gram(self, X, y=None, centre=True, sample_weight=None):
        """The means by the moments kernel (summed in double, one read), fused centring, one cuBLAS product."""
        Xk = self._kernel_dtype(X)
        xm = self.column_means(Xk) if centre else cupy.zeros(X.shape[1], dtype=Xk.dtype)
        xc = _centre(Xk, xm) if centre else Xk
        G = xc.T @ xc.conj()
        if y is None:
            return xm.astype(X.dtype), G.astype(X.dtype, copy=False), None, None
        ym = ref_stats.column_means(cupy, y) if centre else cupy.zeros(y.shape[1], dtype=y.dtype)
        return xm.astype(X.dtype), G.astype(X.dtype, copy=False), ym, xc.T @ (y - ym if centre else y)

    def cov(self, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
        return ref_stats.cov_by_gram(cupy, self.centred_gram, m, y, rowvar, ddof).squeeze()

    def corrcoef(self, x, y=None, rowvar=True, dtype=None):
        return ref_stats.corrcoef_from_cov(cupy, ref_stats.cov_by_gram(cupy, self.centred_gram, x, y, rowvar))

    # ---------------------------------------------------------------- probability
    def _density(self, kernel, x, mean, std):
        x = ref_stats.as_float(cupy, x)
        xk = self._kernel_dtype(x)
        return kernel(xk, cupy.asarray(mean, xk.dtype), cupy.asarray(std, xk.dtype)).astype(x.dtype, copy=False)

    def normal_pdf(self, x, mean=0.0, std=1.0):
        return self._density(_pdf, x, mean, std)

    def normal_cdf(self, x, mean=0.0, std=1.0):
        return self._density(_cdf, x, mean, std)

    # ---------------------------------------------------------------- models
    def _fused_step(self, kind, X, y, w, b, alpha, fit_intercept, sample_weight=None):
        """Loss and gradient in one RawKernel pass over ``X``, rows weighted or not (its ``can_run``
        sends several targets, very wide or strided X to cuBLAS products instead)."""
        n, d = X.shape
        dt = X.dtype
        weighted = sample_weight is not None
        kern = _kernel("gd", f"gd_{kind}{'_w' if weighted else ''}_{'f32' if dt == cupy.float32 else 'f64'}")
        g = cupy.zeros(d, dtype=dt)
        out = cupy.zeros(2, dtype=dt)
        yy = cupy.ascontiguousarray(y, dtype=dt)  # the kernel reads y[i] as contiguous
        ww = cupy.ascontiguousarray(w, dtype=dt)
        bb = cupy.asarray(b, dtype=dt).reshape(1)  # by pointer: no host round trip for the intercept
        sms = _sm_count(cupy.cuda.Device().id)
        blocks = int(min(8 * sms, max(1, (n * 32 + THREADS - 1) // THREADS)))
        rows = (X, yy) + ((cupy.ascontiguousarray(sample_weight, dtype=dt),) if weighted else ())
        kern((blocks,), (THREADS,), (*rows, ww, bb, numpy.int64(n), numpy.int32(d), g, out))
        total = sample_weight.sum() if weighted else n
        loss = (out[0] + 0.5 * alpha * (ww * ww).sum()) / total
        gw = (g + alpha * ww) / total
        gb = out[1] / total if fit_intercept else None
        return loss, gw, gb

    # the fused kernel computes the loss and the gradient in one pass whatever grad asks (the
    # gradient's sums add no memory traffic); the gradient is dropped when not asked for
    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        r = self._fused_step("linear", X, y, w, b, alpha, fit_intercept)
        return r if grad else (r[0], None, None)

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept, sample_weight=None, grad=True):
        r = self._fused_step("logistic", X, y, w, b, alpha, fit_intercept, sample_weight)
        return r if grad else (r[0], None, None)

    # ---------------------------------------------------------------- random
    def default_rng(self, seed=None):
        if isinstance(seed, numpy.random.SeedSequence):  # CuPy's generators take an integer
            seed = int(seed.generate_state(1, numpy.uint64)[0])
        return _Generator(cupy.random.default_rng(seed), legacy=False)

    def legacy_rng(self, seed=None):
        if isinstance(seed, tuple):  # CuPy's RandomState takes one integer: a sequence is folded into one
            seed = int(numpy.random.SeedSequence(seed).generate_state(1)[0])
        return _Generator(cupy.random.RandomState(seed), legacy=True)
