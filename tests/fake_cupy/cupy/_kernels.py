"""NumPy emulations of the cupy backend's kernels: the same arguments, what the CUDA code computes.

The emulations work on the host buffers of the device arrays they are given (and write their
outputs into them); ``cupy.ElementwiseKernel`` and :class:`RawFunction` unwrap and check the arguments.
"""

import functools
import re

import numpy as np
import scipy.special


def _zscore(x, m, s):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s == 0, 0, (x - m) / np.where(s == 0, 1, s)).astype(x.dtype)


ELEMENTWISE = {
    "xpmath_zscore": _zscore,
    "xpmath_centre": lambda x, m: (x - m).astype(x.dtype),
    "xpmath_normal_pdf": lambda x, m, s: (np.exp(-0.5 * ((x - m) / s) ** 2) / (s * 2.5066282746310002)).astype(x.dtype),
    "xpmath_normal_cdf": lambda x, m, s: (0.5 * scipy.special.erfc(-(x - m) / (s * 1.4142135623730951))).astype(x.dtype),
}


def _shift(v):
    v = v.astype(np.float64)
    return np.where(np.isfinite(v), v, 0.0)


def _moments_rows(x, R, chunks, per, s1, s2):
    rows = np.asarray(x).reshape(-1, R)
    for b in range(rows.shape[0] * chunks):
        o, c = divmod(b, chunks)
        d = rows[o, c * per: min(R, c * per + per)].astype(np.float64) - _shift(rows[o, 0])
        s1[b], s2[b] = d.sum(), (d * d).sum()


def _moments_cols(x, R, inner, chunks, per, total, s1, s2):
    x3 = np.asarray(x).reshape(-1, R, inner)
    k = _shift(x3[:, 0, :])
    out1 = s1.reshape(x3.shape[0], chunks, inner)
    out2 = s2.reshape(x3.shape[0], chunks, inner)
    for c in range(chunks):
        d = x3[:, c * per: min(R, c * per + per), :].astype(np.float64) - k[:, None, :]
        out1[:, c, :], out2[:, c, :] = d.sum(axis=1), (d * d).sum(axis=1)


def _gd(kind, X, y, w, b, n, d, g, out, sw=None):
    t = X @ w + b[0]
    if kind == "linear":
        r = t - y
        loss = 0.5 * r * r
    else:
        e = np.exp(-np.abs(t))
        loss = np.maximum(t, 0) + np.log1p(e) - y * t
        r = np.where(t >= 0, 1 / (1 + e), e / (1 + e)) - y
    if sw is not None:
        loss, r = sw * loss, sw * r
    g += X.T @ r
    out[0] += loss.sum()
    out[1] += r.sum()


def _gd_weighted(X, y, sw, w, b, n, d, g, out):
    _gd("logistic", X, y, w, b, n, d, g, out, sw=sw)


# keyed by the entry points of backends/cuda/*.cu; the suffix is the type of the first argument
RAW = {
    "xp_moments_rows_f32": _moments_rows,
    "xp_moments_rows_f64": _moments_rows,
    "xp_moments_cols_f32": _moments_cols,
    "xp_moments_cols_f64": _moments_cols,
    "gd_linear_f32": functools.partial(_gd, "linear"),
    "gd_linear_f64": functools.partial(_gd, "linear"),
    "gd_logistic_f32": functools.partial(_gd, "logistic"),
    "gd_logistic_f64": functools.partial(_gd, "logistic"),
    "gd_logistic_w_f32": _gd_weighted,
    "gd_logistic_w_f64": _gd_weighted,
}
_SUFFIX_DTYPE = {"f32": np.dtype(np.float32), "f64": np.dtype(np.float64)}


def entry_points(code: str) -> frozenset:
    """The kernel names a CUDA source exports; every one must have an emulation here."""
    names = frozenset(re.findall(r'extern\s+"C"\s+__global__\s+void\s+(\w+)\s*\(', code))
    missing = names - RAW.keys()
    if missing:
        raise NotImplementedError(f"tests/fake_cupy has no emulation of {sorted(missing)}")
    return names


class RawFunction:
    def __init__(self, name):
        self.name = name
        self._f = RAW[name]

    def __call__(self, grid, block, args):
        from ._array import unwrap

        host = unwrap(tuple(args), {})  # device arrays and scalars only: a NumPy array is CuPy's TypeError
        want = _SUFFIX_DTYPE[self.name.rsplit("_", 1)[1]]
        if host[0].dtype != want:  # the CUDA code would read the buffer as the wrong type
            raise TypeError(f"{self.name} takes {want} data, got {host[0].dtype}")
        self._f(*[int(a) if isinstance(a, np.integer) else a for a in host])
