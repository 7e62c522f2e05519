"""The Backend protocol and the reference implementation of every operation, written once against ``xp``.

A backend is an immutable singleton with a ``name``, an array module ``xp`` and one method per
public operation. :class:`Backend` implements every operation against ``self.xp`` (the
reference: NumPy's backend is this class with ``xp = numpy``); faster backends subclass it and
override the operations they speed up. Inputs reaching these methods were already validated
and converted by the public layer (``_validate``), so nothing here re-checks them; the one
check a kernel must make itself is a zero pivot, raised as :class:`SingularMatrixError`.
"""

from __future__ import annotations

import cmath
import logging
import math
from typing import Any, NamedTuple

import numpy

from .errors import BackendError, SingularMatrixError

_log = logging.getLogger("xpmath")

SINGULAR_HINT = "pass alpha= (ridge regularisation) to a model, or check the matrix's rank"


def singular_error(fn: str, backend: str) -> SingularMatrixError:
    return SingularMatrixError(
        f"{fn}: the matrix is exactly singular (a zero pivot in its LU factorisation) on the "
        f"{backend!r} backend; {SINGULAR_HINT}"
    )


class EigResult(NamedTuple):
    """``(eigenvalues, eigenvectors)``, as NumPy's ``EigResult`` / ``EighResult``."""

    eigenvalues: Any
    eigenvectors: Any


class GDState(NamedTuple):
    """What a model's gradient-descent loop returns to the public layer."""

    w: Any  # (d,) or (d, k) weights
    b: Any  # () or (k,) intercepts
    n_iter: int
    loss_history: Any  # backend array of n_iter + 1 losses
    converged: bool
    diverged: bool


class BackendBase:
    """Conversion members of :class:`xpmath._protocol.Backend` for a NumPy-like namespace ``xp``.

    A backend subclasses this, sets ``name``, ``xp`` and ``array_type``, and adds the primitives it
    speeds up; everything else runs the reference on its arrays.
    """

    name: str = "reference"
    xp: Any = numpy
    array_type: type = numpy.ndarray
    gd_check_every: int = 1

    def is_available(self) -> tuple[bool, str]:
        return True, ""

    def config(self) -> dict:
        return {"library": f"{self.xp.__name__} {self.xp.__version__}"}

    def __repr__(self) -> str:
        return f"<xpmath backend {self.name!r}>"

    def __setattr__(self, key, value):  # immutable singletons
        raise AttributeError(f"xpmath backends are immutable; cannot set {key!r}")

    def asarray(self, x, dtype=None):
        """Put ``x`` on this backend (copying foreign device arrays to the host)."""
        xp = self.xp
        if not isinstance(x, xp.ndarray):
            x = host_array(x)
        return xp.asarray(x, dtype=dtype)

    def to_numpy(self, x) -> numpy.ndarray:
        return numpy.asarray(x)

    def all_finite(self, a) -> bool:
        if type(a) is numpy.ndarray and a.size <= 64:
            return tiny_finite(a)
        return bool(self.xp.isfinite(a).all())

    def all_finite_each(self, *arrays) -> tuple:
        return tuple(self.all_finite(a) for a in arrays)


def host_array(x):
    """A device (CuPy), lazy (Dask) or DLPack-only array as something NumPy can read; other input as is."""
    if hasattr(x, "__cuda_array_interface__") and hasattr(x, "get"):
        _log.debug("device -> host copy of %s %s", getattr(x, "shape", ""), getattr(x, "dtype", ""))
        return x.get()
    if hasattr(x, "compute") and hasattr(x, "dask"):
        return x.compute()
    if hasattr(x, "__dlpack__") and not hasattr(x, "__array__") and not hasattr(x, "__array_interface__"):
        return numpy.from_dlpack(x)
    return x


def tiny_finite(a: numpy.ndarray) -> bool:
    """Whether a small NumPy array is finite, in Python: a ufunc plus a reduction costs ~2 µs, several
    times this. A sum of finite numbers minus itself is 0 (NaN if any is NaN or inf); should the sum
    overflow, each element is looked at."""
    vals = a.ravel().tolist()
    s = sum(vals)
    if s - s == 0:
        return True
    fin = cmath.isfinite if a.dtype.kind == "c" else math.isfinite
    return all(map(fin, vals))


class Backend:
    """Reference backend: every operation written against the array namespace ``xp``.

    Subclasses set ``name`` and ``xp`` and override what they speed up. Method signatures are
    the protocol: ``tests/test_protocol.py`` holds every backend to them.
    """

    name: str = "reference"
    xp: Any = numpy
    #: The backend's own array type; the public layer skips conversion for it.
    array_type: type = numpy.ndarray
    #: How many gradient-descent steps may pass between two host checks of convergence.
    gd_check_every: int = 1

    # ------------------------------------------------------------------ life cycle
    def is_available(self) -> tuple[bool, str]:
        """``(True, "")`` when this backend can run here, else ``(False, why)``."""
        return True, ""

    def config(self) -> dict:
        """Versions, threads and devices, for ``show_config``."""
        return {"library": f"{self.xp.__name__} {self.xp.__version__}"}

    def __repr__(self) -> str:
        return f"<xpmath backend {self.name!r}>"

    def __setattr__(self, key, value):  # immutable singletons
        raise AttributeError(f"xpmath backends are immutable; cannot set {key!r}")

    # ------------------------------------------------------------------ arrays
    def asarray(self, x, dtype=None):
        """Put ``x`` on this backend (copying foreign device arrays to the host)."""
        xp = self.xp
        if not isinstance(x, xp.ndarray):
            if hasattr(x, "__cuda_array_interface__") and hasattr(x, "get"):
                _log.debug("device -> host copy of %s %s", getattr(x, "shape", ""), getattr(x, "dtype", ""))
                x = x.get()
            elif hasattr(x, "compute") and hasattr(x, "dask"):
                x = x.compute()
            elif hasattr(x, "__dlpack__") and not hasattr(x, "__array__") and not hasattr(x, "__array_interface__"):
                x = numpy.from_dlpack(x)
        return xp.asarray(x, dtype=dtype)

    def to_numpy(self, x):
        return numpy.asarray(x)

    def all_finite(self, a) -> bool:
        if type(a) is numpy.ndarray and a.size <= 64:
            # a ufunc plus a reduction costs ~2 µs; on tiny arrays Python is several times cheaper:
            # a sum of finite numbers minus itself is 0 (NaN if any is NaN or inf); should the sum
            # overflow, each element is looked at
            vals = a.ravel().tolist()
            s = sum(vals)
            if s - s == 0:
                return True
            fin = cmath.isfinite if a.dtype.kind == "c" else math.isfinite
            return all(map(fin, vals))
        return bool(self.xp.isfinite(a).all())

    def all_finite_each(self, *arrays) -> tuple:
        """``all_finite`` of each array; a lazy backend computes them together."""
        return tuple(self.all_finite(a) for a in arrays)

    def float_dtype(self, a):
        """The floating dtype ``a`` computes in: its own if inexact, else float64."""
        return a.dtype if a.dtype.kind in "fc" else numpy.dtype(numpy.float64)

    def as_float(self, a):
        return a if a.dtype.kind in "fc" else a.astype(self.xp.float64)

    # ------------------------------------------------------------------ linear algebra
    def dot(self, a, b):
        return self.xp.dot(a, b)

    def matmul(self, a, b):
        return self.xp.matmul(a, b)

    def transpose(self, a, axes=None):
        return self.xp.transpose(a, axes)

    def norm(self, x, ord=None, axis=None, keepdims=False):
        return self.xp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)

    def cosine_similarity(self, a, b=None):
        xp = self.xp
        a = self.as_float(a)
        b = a if b is None else self.as_float(b)
        if a.ndim == 1 and b.ndim == 1:
            na = xp.linalg.norm(a)
            nb = xp.linalg.norm(b)
            den = na * nb
            return xp.where(den == 0, 0, xp.dot(a, b) / xp.where(den == 0, 1, den))[()]
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(1, -1) if b.ndim == 1 else b
        out = self._unit_rows(a2) @ self._unit_rows(b2).T
        if a.ndim == 1:
            out = out[0]
        elif b.ndim == 1:
            out = out[:, 0]
        return out

    def _unit_rows(self, m):
        xp = self.xp
        n = xp.linalg.norm(m, axis=1, keepdims=True)
        return m / xp.where(n == 0, 1, n)

    def _linalg_call(self, fn, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except numpy.linalg.LinAlgError as exc:
            if "singular" in str(exc).lower():
                raise singular_error(fn, self.name) from exc
            raise

    def inv(self, a):
        try:  # not through _linalg_call: on a 2x2 the extra frame is a tenth of the dispatch budget
            return self.xp.linalg.inv(a)
        except numpy.linalg.LinAlgError as exc:
            if "singular" in str(exc).lower():
                raise singular_error("inv", self.name) from exc
            raise

    def solve(self, a, b):
        return self._linalg_call("solve", self.xp.linalg.solve, a, b)

    def det(self, a):
        return self.xp.linalg.det(a)

    def _sort_eig(self, w, v=None):
        """Sort eigenpairs by descending real part, then descending imaginary part.

        Real parts within sqrt(eps)·max|w| of each other count as equal, so a conjugate pair
        (whose real parts LAPACK's complex and real drivers round differently) always comes out
        with the positive imaginary part first, on every backend.
        """
        xp = self.xp
        if w.shape[-1] == 0:
            return w if v is None else (w, v)
        eps = numpy.finfo(w.real.dtype).eps
        tol = math.sqrt(eps) * xp.abs(w).max(axis=-1, keepdims=True)
        o1 = xp.argsort(-w.real, axis=-1, kind="stable")
        rs = xp.take_along_axis(w.real, o1, -1)
        step = (rs[..., :-1] - rs[..., 1:]) > tol
        gid = xp.concatenate([xp.zeros(step.shape[:-1] + (1,), dtype=xp.int64), xp.cumsum(step, axis=-1)], axis=-1)
        o2 = xp.argsort(-xp.take_along_axis(w.imag, o1, -1), axis=-1, kind="stable")
        o3 = xp.argsort(xp.take_along_axis(gid, o2, -1), axis=-1, kind="stable")
        order = xp.take_along_axis(o1, xp.take_along_axis(o2, o3, -1), -1)
        w = xp.take_along_axis(w, order, -1)
        if v is None:
            return w
        return w, xp.take_along_axis(v, order[..., None, :], -1)

    def _complex_dtype(self, a):
        return self.xp.complex64 if a.dtype in (self.xp.float32, self.xp.complex64) else self.xp.complex128

    def eig(self, a):
        w, v = self.xp.linalg.eig(a)
        ct = self._complex_dtype(a)
        w, v = self._sort_eig(w.astype(ct, copy=False), v.astype(ct, copy=False))
        return EigResult(w, v)

    def eigvals(self, a):
        w = self.xp.linalg.eigvals(a)
        return self._sort_eig(w.astype(self._complex_dtype(a), copy=False))

    def eigh(self, a, UPLO="L"):
        w, v = self.xp.linalg.eigh(a, UPLO=UPLO)
        return EigResult(w, v)

    def eigvalsh(self, a, UPLO="L"):
        return self.xp.linalg.eigvalsh(a, UPLO=UPLO)

    # ------------------------------------------------------------------ statistics
    def mean(self, x, axis=None, keepdims=False):
        return self.xp.mean(x, axis=axis, dtype=self.float_dtype(x), keepdims=keepdims)

    def median(self, x, axis=None, keepdims=False):
        return self.xp.median(self.as_float(x), axis=axis, keepdims=keepdims)

    def _moment_dtype(self, x):
        # only integer and bool input needs a dtype: NumPy's var of complex data is real, but
        # its var with dtype=complex128 would be complex
        return None if x.dtype.kind in "fc" else numpy.float64

    def var(self, x, axis=None, ddof=0, keepdims=False):
        return self.xp.var(x, axis=axis, dtype=self._moment_dtype(x), ddof=ddof, keepdims=keepdims)

    def std(self, x, axis=None, ddof=0, keepdims=False):
        return self.xp.std(x, axis=axis, dtype=self._moment_dtype(x), ddof=ddof, keepdims=keepdims)

    def _stat_dtype(self, *arrays):
        xp = self.xp
        dts = [self.float_dtype(a) for a in arrays if a is not None]
        return xp.result_type(*dts)

    def _wide_dtype(self, dt):
        """Double (or complex double) for single-precision data: what NumPy computes cov in."""
        return self.xp.result_type(dt, self.xp.float64)

    def cov(self, m, y=None, rowvar=True, ddof=None):
        # NumPy upcasts float32 here; its dtype=float32 path sums the means in single precision
        # (sequentially along a strided axis), which loses every digit of a large offset
        dt = self._stat_dtype(m, y)
        return self.xp.cov(m, y, rowvar=rowvar, ddof=ddof, dtype=self._wide_dtype(dt)).astype(dt, copy=False)

    def corrcoef(self, x, y=None, rowvar=True):
        dt = self._stat_dtype(x, y)
        return self.xp.corrcoef(x, y, rowvar=rowvar, dtype=self._wide_dtype(dt)).astype(dt, copy=False)

    def mode(self, x, axis=None):
        xp = self.xp
        x = self.as_float(x)
        if axis is None:
            x, axis = x.reshape(-1), 0
        s = xp.sort(xp.moveaxis(x, axis, -1), axis=-1)
        n = s.shape[-1]
        idx = xp.arange(n)
        starts = xp.ones(s.shape, dtype=bool)
        starts[..., 1:] = s[..., 1:] != s[..., :-1]
        run_start = xp.maximum.accumulate(xp.where(starts, idx, 0), axis=-1)
        run_len = idx - run_start
        # argmax takes the first maximum: in sorted order that is the smallest of a tie.
        best = xp.argmax(run_len, axis=-1)[..., None]
        out = xp.take_along_axis(s, best, -1)[..., 0]
        has_nan = xp.isnan(s[..., -1])  # NaNs sort last; propagate them as scipy does
        out = xp.where(has_nan, xp.nan, out)
        return out[()] if out.ndim == 0 else out

    def zscore(self, x, axis=0, ddof=0):
        xp = self.xp
        x = self.as_float(x)
        m = xp.mean(x, axis=axis, keepdims=True)
        s = xp.std(x, axis=axis, ddof=ddof, keepdims=True)
        # a constant slice has std 0, but its computed mean can be off by a rounding, leaving a
        # std of 1e-17 that would turn noise into z-scores of ±1: the slice's range decides
        zero = (s == 0) | (xp.max(x, axis=axis, keepdims=True) == xp.min(x, axis=axis, keepdims=True))
        return xp.where(zero, 0, (x - m) / xp.where(zero, 1, s)).astype(x.dtype, copy=False)

    # ------------------------------------------------------------------ probability
    def _common(self, *arrays):
        """The arrays in their common result dtype, so every product rounds once, in that dtype."""
        dt = self.xp.result_type(*arrays)
        return [a.astype(dt, copy=False) for a in arrays]

    def total_probability(self, p_b_given_a, p_a, p_b_given_not_a):
        a, pa, c = self._common(p_b_given_a, p_a, p_b_given_not_a)
        return a * pa + c * (1 - pa)

    def bayes(self, p_b_given_a, p_a, p_b):
        a, pa, pb = self._common(p_b_given_a, p_a, p_b)
        return a * pa / pb

    def _ndtr(self, z):
        import scipy.special

        return scipy.special.ndtr(z)

    def normal_pdf(self, x, mean=0.0, std=1.0):
        xp = self.xp
        x = self.as_float(x)
        z = (x - mean) / std
        out = xp.exp(-0.5 * z * z) / (std * math.sqrt(2 * math.pi))
        return out.astype(x.dtype, copy=False) if hasattr(out, "astype") else out

    def normal_cdf(self, x, mean=0.0, std=1.0):
        x = self.as_float(x)
        out = self._ndtr((x - mean) / std)
        return out.astype(x.dtype, copy=False) if hasattr(out, "astype") else out

    def empirical_bounds(self, x, mean=None, std=None):
        """The intervals [mean - k·std, mean + k·std], k = 1, 2, 3, in ``x``'s dtype (sample moments by default)."""
        xp = self.xp
        dt = x.dtype
        m = xp.mean(x) if mean is None else xp.asarray(mean, dtype=dt)
        s = xp.std(x) if std is None else xp.asarray(std, dtype=dt)
        return [(m - k * s, m + k * s) for k in (1, 2, 3)]

    def empirical_rule(self, x, mean=None, std=None):
        xp = self.xp
        x = self.as_float(x)
        # bounds compared as the chapter's (x >= m - k*s) & (x <= m + k*s), not |x - m| <= k*s:
        # the two round differently at the edges
        bounds = self.empirical_bounds(x, mean, std)
        counts = [xp.count_nonzero((x >= lo) & (x <= hi)) for lo, hi in bounds]
        # NaN propagates, as in every statistic: a NaN mean or std (a NaN in the data) gives NaNs
        fr = xp.where(xp.isnan(bounds[0][0] - bounds[0][1]), xp.nan, xp.stack(counts) / x.size)
        return tuple(float(f) for f in self.to_numpy(fr))

    # ------------------------------------------------------------------ random
    def default_rng(self, seed=None):
        """A raw generator for ``xpmath.random.Generator``: ``normal``, ``uniform``, ``bernoulli``."""
        return NumpyGeneratorAdapter(numpy.random.default_rng(seed), self.asarray)

    def legacy_rng(self, seed=None):
        """The module-level generator of ``xpmath.random.seed`` (NumPy's legacy stream on numpy)."""
        return NumpyGeneratorAdapter(numpy.random.RandomState(seed), self.asarray)

    # ------------------------------------------------------------------ calculus
    def _step(self, x, h):
        xp = self.xp
        if h is None:
            h = numpy.finfo(x.dtype).eps ** (1 / 3) * xp.maximum(1.0, xp.abs(x))
        h = xp.asarray(h, dtype=x.dtype)
        return (x + h) - x  # exactly representable step

    def derivative(self, f, x, h=None):
        x = self.as_float(x)
        h = self._step(x, h)
        return (f(x + h) - f(x - h)) / (2 * h)

    def partial_derivative(self, f, x, i, h=None):
        xp = self.xp
        x = self.as_float(x)
        hi = self._step(x[i], h)
        e = xp.zeros_like(x)
        e[i] = hi
        return (f(x + e) - f(x - e)) / (2 * hi)

    def gradient(self, f, x, h=None):
        xp = self.xp
        x = self.as_float(x)
        return xp.stack([xp.asarray(self.partial_derivative(f, x, i, h)) for i in range(x.shape[0])])

    # ------------------------------------------------------------------ optimisation
    def gradient_descent(self, grad, x0, lr, max_iter, tol, f=None, callback=None):
        """Plain gradient descent ``x <- x - lr·grad(x)``; returns ``(x, n_iter, converged, diverged, history, losses)``.

        Converged when ``lr·‖grad(x)‖ < tol``. Diverged when an iterate, gradient or loss is not
        finite, or when the iterates (or the loss, given ``f``) grow past 1e8 times their start.
        """
        # The state lives on the backend (gd_xp) and the host looks only every gd_check_every
        # steps (each step without a callback): a step taken after the stop is masked out and not
        # counted, so n_iter and the history are exact however rarely the host looks.
        xp = self.gd_xp()
        x = self.as_float(x0)
        if xp is not self.xp:
            x = xp.asarray(self.to_numpy(x))
        every = 1 if callback is not None else max(1, int(self.gd_check_every))
        start = xp.linalg.norm(x) + 1.0
        history = [x]  # the iterates as they come (no max_iter-long buffer up front)
        losses = loss_ref = None
        if f is not None:
            losses = [xp.asarray(f(x), dtype=x.dtype).reshape(())]
            loss_ref = xp.abs(losses[0]) + 1.0
        done = xp.zeros((), dtype=bool)
        converged = xp.zeros((), dtype=bool)
        diverged = xp.zeros((), dtype=bool)
        n = xp.zeros((), dtype=xp.int64)
        for k in range(max_iter):
            g = xp.asarray(grad(x), dtype=x.dtype)
            gn = xp.linalg.norm(g)
            g_bad = ~xp.isfinite(gn)
            conv = (lr * gn < tol) & ~g_bad
            active = ~done
            diverged |= active & g_bad
            converged |= active & conv
            move = active & ~g_bad & ~conv
            x = xp.where(move, x - lr * g, x)
            n += move
            history.append(x)
            xn = xp.linalg.norm(x)
            blew = ~xp.isfinite(xn) | (xn > 1e8 * start)
            if f is not None:
                loss = xp.asarray(f(x), dtype=x.dtype).reshape(())
                losses.append(loss)
                blew |= ~xp.isfinite(loss) | (xp.abs(loss) > 1e8 * loss_ref)
            blew &= move
            diverged |= blew
            done = done | g_bad | conv | blew
            if callback is not None and bool(move & ~blew) and callback(x) is True:
                done = xp.ones((), dtype=bool)
            if (k + 1) % every == 0 and bool(done):
                break
        n = int(n)
        hist = xp.stack(history[: n + 1])
        loss_hist = None if f is None else xp.stack(losses[: n + 1])
        if xp is not self.xp:
            hist, x = self.asarray(hist), self.asarray(x)
            loss_hist = None if loss_hist is None else self.asarray(loss_hist)
        converged, diverged = bool(converged), bool(diverged)
        return x, n, converged, diverged, hist, loss_hist

    # ------------------------------------------------------------------ models
    def lstsq_normal(self, X, y, alpha=0.0, fit_intercept=True):
        """Solve (XᵀX + αI)w = Xᵀy by a factorisation, the intercept unpenalised.

        Returns ``(coef, intercept)`` with ``coef`` shaped like ``y``'s trailing axes, ``(d,)``
        or ``(d, k)``.
        """
        X, y = self.as_float(X), self.as_float(y)
        if fit_intercept:
            xm = self._column_means(X)
            ym = self._column_means(y)
            Xc = X - xm
            yc = y - ym
        else:
            Xc, yc = X, y
        return self.lstsq_normal_from_gram(
            Xc.T @ Xc, Xc.T @ yc, alpha, xm if fit_intercept else None, ym if fit_intercept else None, y.shape[1:], X.dtype
        )

    def _column_means(self, X):
        """Means over the rows, summed in double and returned in ``X``'s dtype (a float32 sum down a
        strided axis would lose a large offset's digits)."""
        return self.xp.mean(X, axis=0, dtype=self._wide_dtype(X.dtype)).astype(X.dtype, copy=False)

    def lstsq_normal_from_gram(self, G, r, alpha, xm, ym, yshape, dtype):
        """Solve (G + αI)w = r; the intercept is ``ym - xm·w`` (zero when ``xm`` is None)."""
        xp = self.xp
        if alpha:
            G = G + alpha * xp.eye(G.shape[0], dtype=G.dtype)
        w = self._linalg_call("LinearRegression.fit", xp.linalg.solve, G, r)
        b = (ym - xm @ w) if xm is not None else xp.zeros(yshape, dtype=dtype)
        return w, b

    def linear_gd_step(self, X, y, w, b, alpha, fit_intercept):
        """One pass over ``X``: the loss and gradient of ½‖Xw + b − y‖²/n + ½α‖w‖²/n."""
        n = X.shape[0]
        r = X @ w + b - y
        loss = (0.5 / n) * ((r * r).sum() + alpha * (w * w).sum())
        gw = (X.T @ r + alpha * w) / n
        gb = r.sum(axis=0) / n if fit_intercept else None
        return loss, gw, gb

    def logistic_gd_step(self, X, y, w, b, alpha, fit_intercept):
        """One pass over ``X``: the mean log-loss plus ½α‖w‖²/n and its gradient."""
        xp = self.xp
        n = X.shape[0]
        t = X @ w + b
        # log(1 + e^t) - y t, computed without overflow
        loss = (xp.logaddexp(0, t) - y * t).sum() / n + (0.5 * alpha / n) * (w * w).sum()
        r = self._sigmoid(t) - y
        gw = (X.T @ r + alpha * w) / n
        gb = r.sum(axis=0) / n if fit_intercept else None
        return loss, gw, gb

    def _sigmoid(self, t):
        xp = self.xp
        e = xp.exp(-xp.abs(t))
        return xp.where(t >= 0, 1 / (1 + e), e / (1 + e))

    def sigmoid(self, t):
        return self._sigmoid(self.as_float(t))

    def gd_xp(self):
        """The namespace the descent keeps its weights in (the data's own, except on dask: NumPy)."""
        return self.xp

    def unique(self, a):
        """The sorted distinct values of ``a``, with a known length."""
        return self.xp.unique(a)

    def gd_fit(self, kind, X, y, alpha, fit_intercept, lr, max_iter, tol):
        """Gradient descent for ``kind`` in ``{"linear", "logistic"}``; returns a :class:`GDState`.

        The loop never waits on the device between host checks: a step whose gradient already
        satisfied ``lr·‖g‖ < tol`` (or that diverged) leaves the weights unchanged and is not
        counted, so ``n_iter`` is exact however rarely the host looks (``gd_check_every``).
        """
        xp = self.gd_xp()
        X, y = self.as_float(X), self.as_float(y)
        step = self.linear_gd_step if kind == "linear" else self.logistic_gd_step
        dt = X.dtype
        w = xp.zeros((X.shape[1],) + y.shape[1:], dtype=dt)
        b = xp.zeros(y.shape[1:], dtype=dt)
        losses = xp.zeros(max_iter + 1, dtype=dt)
        n_iter = xp.zeros((), dtype=xp.int64)
        done = xp.zeros((), dtype=bool)
        bad = xp.zeros((), dtype=bool)
        loss0 = None
        every = max(1, int(self.gd_check_every))
        for k in range(max_iter):
            loss, gw, gb = step(X, y, w, b, alpha, fit_intercept)
            if loss0 is None:
                loss0 = loss
            gn2 = (gw * gw).sum() + ((gb * gb).sum() if gb is not None else 0)
            conv = lr * xp.sqrt(gn2) < tol
            blew = ~xp.isfinite(loss) | ~xp.isfinite(gn2) | (loss > 1e8 * (xp.abs(loss0) + 1))
            losses[k] = loss  # the loss of iterate k; entries past n_iter are cut off below
            stop = done | conv | blew
            bad |= blew & ~done
            move = ~stop
            w = xp.where(move, w - lr * gw, w)
            if gb is not None:
                b = xp.where(move, b - lr * gb, b)
            n_iter += move
            done = stop
            if (k + 1) % every == 0 and bool(done):
                break
        n = int(n_iter)
        converged = bool(done) and not bool(bad)
        if not bool(done):  # ran out of steps: one more pass for the final iterate's loss
            loss, _, _ = step(X, y, w, b, alpha, fit_intercept)
            losses[n] = loss
        return GDState(w, b, n, losses[: n + 1], converged, bool(bad))

    def pca_fit(self, X, n_components):
        """Eigen-decomposition of the covariance; returns mean, components, variances, ratios, all variances."""
        X = self.as_float(X)
        mean = self._column_means(X)
        Xc = X - mean
        C = (Xc.T @ Xc) / (X.shape[0] - 1)
        return self.pca_from_cov(mean, C, n_components)

    def pca_from_cov(self, mean, C, n_components):
        xp = self.xp
        w, v = xp.linalg.eigh(C)
        w, v = w[::-1], v[:, ::-1]
        w = xp.maximum(w, 0)
        comps = v.T
        # sign: each component's largest-magnitude entry is positive (scikit-learn's svd_flip)
        big = xp.argmax(xp.abs(comps), axis=1)
        signs = xp.sign(xp.take_along_axis(comps, big[:, None], 1))
        comps = comps * xp.where(signs == 0, 1, signs)
        total = w.sum()
        ratio = w / total if float(total) > 0 else xp.zeros_like(w)
        return mean, comps[:n_components], w[:n_components], ratio[:n_components], w


class NumpyGeneratorAdapter:
    """A NumPy ``Generator`` or ``RandomState`` behind the raw-generator interface."""

    __slots__ = ("_g", "_out")

    def __init__(self, gen, out=numpy.asarray):
        self._g = gen
        self._out = out

    def _wrap(self, v, size):
        return v if size is None else self._out(v)

    def normal(self, loc, scale, size, dtype):
        g = self._g
        if numpy.dtype(dtype) == numpy.float64:
            return self._wrap(g.normal(loc, scale, size), size)
        z = g.standard_normal(size, dtype=dtype) if hasattr(g, "integers") else g.standard_normal(size).astype(dtype)
        return self._wrap(numpy.asarray(z * numpy.asarray(scale, dtype) + numpy.asarray(loc, dtype), dtype)[()], size)

    def uniform(self, low, high, size, dtype):
        v = self._g.uniform(low, high, size)
        if numpy.dtype(dtype) != numpy.float64:
            v = numpy.asarray(v).astype(dtype)[()]
        return self._wrap(v, size)

    def bernoulli(self, p, size):
        u = self._g.random_sample(size) if not hasattr(self._g, "integers") else self._g.random(size)
        return self._wrap((numpy.asarray(u) < p).astype(numpy.int64)[()], size)


def reduced_axes(axis, ndim: int) -> tuple:
    """``axis`` (None, an int or a tuple, already validated) as the sorted tuple of non-negative axes it reduces."""
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(int(a) % ndim for a in (axis if isinstance(axis, tuple) else (axis,))))


def not_supported(backend: str, op: str, why: str) -> BackendError:
    """The error an operation raises on a backend that cannot do it."""
    return BackendError(f"{op}: the {backend!r} backend cannot do this: {why}")
