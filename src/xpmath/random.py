"""Random sampling: normal, uniform and Bernoulli, seeded and reproducible per backend.

``default_rng(seed)`` gives a generator bound to one backend; the module-level ``seed``,
``normal``, ``uniform`` and ``bernoulli`` use one generator per backend, for code written
against ``np.random.seed`` / ``np.random.normal``. On the ``numpy`` backend the module-level
functions draw NumPy's legacy stream, so ``seed(42); normal(70, 10, 10000)`` gives exactly what
``np.random.seed(42); np.random.normal(70, 10, 10000)`` gives, and ``default_rng(seed)`` draws
exactly what ``numpy.random.default_rng(seed)`` draws.
"""

from __future__ import annotations

import numbers
import threading

import numpy

from . import _arrays, _registry
from . import _validate as _v
from ._dispatch import impl, select

__all__ = ["Generator", "default_rng", "seed", "normal", "uniform", "bernoulli"]


def _dist_args(be, fn, size, **params):
    # parameters are checked, and handed to the generator, on the host: a device backend draws
    # there from host scalars or arrays (no round trip through the device for a loc of 70)
    size = _v.size(size, fn)
    owner = _arrays.owner(tuple(params.values()))
    if owner is not None and getattr(owner, "portable", False):
        impl(owner, "default_rng")()  # raises: the draws would need the parameters on the host
    arrays = {k: _v.real_float_array(_registry.get("numpy"), v, fn, k) for k, v in params.items()}
    shape = _v.broadcastable(fn, **arrays)
    if size is not None and shape:
        want = size if isinstance(size, tuple) else (size,)
        try:
            ok = numpy.broadcast_shapes(shape, want) == want
        except ValueError:
            ok = False
        if not ok:
            raise _v.ShapeError(f"{fn}: parameters of shape {shape} do not broadcast to size {want}")
    host = {k: (a[()] if a.ndim == 0 else a) for k, a in arrays.items()}
    return size, host


class Generator:
    """Random numbers on one backend. Make one with :func:`default_rng`.

    The draws are NumPy arrays (or NumPy scalars), as every result of host input, unless a
    parameter is the backend's own array (``loc=cupy.zeros(3)``): then they are the backend's arrays.

    Parameters
    ----------
    backend : Backend
        The backend object the draws are put on.
    raw : object
        The backend's raw generator, with ``normal``, ``uniform`` and ``bernoulli`` methods.
    legacy : bool, optional
        Follow NumPy's legacy ``RandomState`` rules (``uniform`` takes ``high < low``), as the
        module-level functions do.

    Examples
    --------
    >>> import xpmath
    >>> rng = xpmath.random.default_rng(42)
    >>> rng.normal(70, 10, size=3).shape
    (3,)
    """

    __slots__ = ("_be", "_raw", "_legacy")

    def __init__(self, backend, raw, legacy=False):
        self._be = backend
        self._raw = raw
        self._legacy = legacy  # the module-level generator: NumPy's legacy rules (uniform's high < low is allowed)

    @property
    def backend(self) -> str:
        """The name of the backend the draws are put on."""
        return self._be.name

    def normal(self, loc=0.0, scale=1.0, size=None, dtype=numpy.float64):
        """Samples of N(loc, scale²); ``scale < 0`` raises ValueError.

        Parameters
        ----------
        loc : float or array_like of floats, optional
            Mean of the distribution.
        scale : float or array_like of floats, optional
            Standard deviation, >= 0.
        size : int or tuple of ints, optional
            Output shape; the parameters must broadcast to it. None: one draw per element of the
            parameters' broadcast shape (a single number when they are scalars).
        dtype : {float64, float32}, optional
            The dtype of the samples.

        Returns
        -------
        float or ndarray
            The samples.

        Raises
        ------
        DomainError
            ``scale < 0`` or a negative ``size`` (a ``ValueError``).
        ShapeError
            Parameters that do not broadcast to ``size``.
        XPMathTypeError
            A ``dtype`` other than float32 or float64.

        Examples
        --------
        >>> import xpmath
        >>> xpmath.random.default_rng(0).normal(70, 10, size=(2, 3)).shape
        (2, 3)
        """
        fn = "random.normal"
        dt = _v.float_dtype(dtype, fn)
        size, p = _dist_args(self._be, fn, size, loc=loc, scale=scale)
        if numpy.any(p["scale"] < 0):
            raise _v.DomainError(f"{fn}: scale must be >= 0; got {p['scale']!r}")
        return _v.output(self._be, self._raw.normal(p["loc"], p["scale"], size, dt), loc, scale)

    def uniform(self, low=0.0, high=1.0, size=None, dtype=numpy.float64):
        """Samples of U[low, high).

        Parameters
        ----------
        low : float or array_like of floats, optional
            Lower bound (included), finite.
        high : float or array_like of floats, optional
            Upper bound (excluded), finite and >= ``low`` (the module-level :func:`uniform` takes
            ``high < low``, as NumPy's legacy generator does).
        size : int or tuple of ints, optional
            Output shape; the parameters must broadcast to it. None: one draw per element of the
            parameters' broadcast shape (a single number when they are scalars).
        dtype : {float64, float32}, optional
            The dtype of the samples.

        Returns
        -------
        float or ndarray
            The samples.

        Raises
        ------
        DomainError
            Bounds that are not finite, ``high - low`` that overflows, ``high < low`` or a negative
            ``size`` (a ``ValueError``).
        ShapeError
            Parameters that do not broadcast to ``size``.
        XPMathTypeError
            A ``dtype`` other than float32 or float64.

        Examples
        --------
        >>> import xpmath
        >>> u = xpmath.random.default_rng(0).uniform(2.0, 3.0, size=1000)
        >>> bool((u >= 2.0).all() and (u < 3.0).all())
        True
        """
        fn = "random.uniform"
        dt = _v.float_dtype(dtype, fn)
        size, p = _dist_args(self._be, fn, size, low=low, high=high)
        with numpy.errstate(over="ignore", invalid="ignore"):
            width = numpy.subtract(p["high"], p["low"])
        if not numpy.all(numpy.isfinite(width)):
            raise _v.DomainError(f"{fn}: low and high must be finite and high - low must not overflow")
        if not self._legacy and numpy.any(width < 0):
            raise _v.DomainError(f"{fn}: high must be >= low; got low={p['low']!r}, high={p['high']!r}")
        return _v.output(self._be, self._raw.uniform(p["low"], p["high"], size, dt), low, high)

    def bernoulli(self, p, size=None):
        """0/1 integers (int64), 1 with probability ``p``.

        Parameters
        ----------
        p : float or array_like of floats
            Probability of a 1, in [0, 1].
        size : int or tuple of ints, optional
            Output shape; the parameters must broadcast to it. None: one draw per element of the
            parameters' broadcast shape (a single number when they are scalars).

        Returns
        -------
        int or ndarray of int64
            The samples.

        Raises
        ------
        DomainError
            ``p`` outside [0, 1] or NaN, or a negative ``size`` (a ``ValueError``).
        ShapeError
            ``p`` that does not broadcast to ``size``.

        Examples
        --------
        >>> import xpmath
        >>> xpmath.random.default_rng(0).bernoulli(0.5, size=4).dtype
        dtype('int64')
        """
        fn = "random.bernoulli"
        size, prm = _dist_args(self._be, fn, size, p=p)
        pr = prm["p"]
        if numpy.any((pr < 0) | (pr > 1) | numpy.isnan(pr)):
            raise _v.DomainError(f"{fn}: p must lie in [0, 1]; got {pr!r}")
        return _v.output(self._be, self._raw.bernoulli(pr, size), p)

    def __repr__(self) -> str:
        return f"<xpmath.random.Generator on {self._be.name!r}>"


def default_rng(seed=None, *, backend: str | None = None) -> Generator:
    """A new :class:`Generator` on the chosen backend; the same seed gives the same numbers there.

    On the ``numpy`` backend it draws exactly what ``numpy.random.default_rng(seed)`` draws.

    Parameters
    ----------
    seed : int, sequence of ints or numpy.random.SeedSequence, optional
        What ``numpy.random.default_rng`` takes: a non-negative integer, a sequence of them or a
        ``SeedSequence``; None (the default) seeds from the operating system's entropy.
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    Generator
        A generator bound to that backend.

    Raises
    ------
    DomainError
        A negative seed (a ``ValueError``, as NumPy's).
    XPMathTypeError
        A seed that is not an integer or a sequence of them, a float included (a ``TypeError``, as NumPy's).

    Examples
    --------
    >>> import xpmath
    >>> a = xpmath.random.default_rng(7).uniform(size=4)
    >>> b = xpmath.random.default_rng(7).uniform(size=4)
    >>> bool((a == b).all())
    True
    """
    be = select(backend, "random.default_rng")
    return Generator(be, impl(be, "default_rng")(_seed_value(seed)))


def _seed_value(s):
    """``default_rng``'s seed as NumPy reads it (``numpy.random.SeedSequence``'s rules, its error
    classes): None, a non-negative int, or a ``SeedSequence`` (which a sequence of ints becomes)."""
    if s is None or isinstance(s, numpy.random.SeedSequence):
        return s
    try:
        seq = numpy.random.SeedSequence(s)
    except TypeError as exc:
        raise _v.XPMathTypeError(f"random.default_rng: a seed must be an integer, a sequence of integers, "
                                 f"a SeedSequence or None; got {s!r} ({exc})") from None
    except ValueError as exc:
        raise _v.DomainError(f"random.default_rng: a seed must be non-negative; got {s!r} ({exc})") from None
    # an int stays one (each backend's generator takes it); a sequence goes as its SeedSequence,
    # from which NumPy's default_rng draws exactly what it draws from the sequence itself
    return int(s) if isinstance(s, numbers.Integral) else seq


def _legacy_seed(s):
    """``seed``'s argument as NumPy's legacy generator reads it (``RandomState``'s rules, its error
    classes): None, an int or a tuple of ints, each from 0 to 2**32 - 1."""
    if s is None:
        return None
    try:
        numpy.random.RandomState(s)
    except TypeError as exc:
        raise _v.XPMathTypeError(f"random.seed: a seed must be an integer, a sequence of integers or None; "
                                 f"got {s!r} ({exc})") from None
    except ValueError as exc:
        raise _v.DomainError(f"random.seed: the seed must be between 0 and 2**32 - 1; got {s!r} ({exc})") from None
    a = numpy.asarray(s)
    return int(a) if a.ndim == 0 else tuple(int(v) for v in a.ravel())


_module_lock = threading.Lock()
_module_gens: dict[str, Generator] = {}
_module_seed: list = [None]


def _module_gen(backend, fn, *params) -> Generator:
    be = select(backend, fn, *params)
    g = _module_gens.get(be.name)
    if g is None:
        with _module_lock:
            g = _module_gens.get(be.name)
            if g is None:
                g = _module_gens[be.name] = Generator(be, impl(be, "legacy_rng")(_module_seed[0]), legacy=True)
    return g


def seed(s=None, /) -> None:
    """Seed the module-level generators of every backend, as ``np.random.seed``.

    Parameters
    ----------
    s : int or sequence of ints, optional
        What ``numpy.random.seed`` takes: an integer from 0 to 2**32 - 1, or a sequence of them;
        None (the default) seeds from the operating system's entropy.

    Raises
    ------
    DomainError
        A seed out of range (a ``ValueError``, as NumPy's).
    XPMathTypeError
        A seed that is not an integer or a sequence of them, a float included (a ``TypeError``, as NumPy's).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.random.seed(42)
    >>> round(float(xpmath.random.normal(70, 10)), 4)
    74.9671
    """
    v = _legacy_seed(s)
    with _module_lock:
        _module_seed[0] = v
        _module_gens.clear()


def normal(loc=0.0, scale=1.0, size=None, *, dtype=numpy.float64, backend: str | None = None):
    """Normal samples from the module-level generator (see :func:`seed`).

    On the ``numpy`` backend these are NumPy's legacy stream: after ``seed(s)`` they equal
    ``numpy.random.seed(s); numpy.random.normal(...)``.

    Parameters
    ----------
    loc : float or array_like of floats, optional
        Mean of the distribution.
    scale : float or array_like of floats, optional
        Standard deviation, >= 0.
    size : int or tuple of ints, optional
        Output shape; the parameters must broadcast to it. None: one draw per element of the
        parameters' broadcast shape (a single number when they are scalars).
    dtype : {float64, float32}, optional
        The dtype of the samples (keyword-only).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    float or ndarray
        The samples.

    Raises
    ------
    DomainError, ShapeError, XPMathTypeError
        As :meth:`Generator.normal`.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.random.normal(size=(2, 2)).shape
    (2, 2)
    """
    return _module_gen(backend, "random.normal", loc, scale).normal(loc, scale, size, dtype)


def uniform(low=0.0, high=1.0, size=None, *, dtype=numpy.float64, backend: str | None = None):
    """Uniform samples on [low, high) from the module-level generator.

    As NumPy's legacy ``uniform``, ``high < low`` is taken (the samples then lie in (high, low]).

    Parameters
    ----------
    low : float or array_like of floats, optional
        Lower bound, finite.
    high : float or array_like of floats, optional
        Upper bound, finite.
    size : int or tuple of ints, optional
        Output shape; the parameters must broadcast to it. None: one draw per element of the
        parameters' broadcast shape (a single number when they are scalars).
    dtype : {float64, float32}, optional
        The dtype of the samples (keyword-only).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    float or ndarray
        The samples.

    Raises
    ------
    DomainError, ShapeError, XPMathTypeError
        As :meth:`Generator.uniform` (except for ``high < low``).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.random.uniform(0.0, 1.0, size=3).shape
    (3,)
    """
    return _module_gen(backend, "random.uniform", low, high).uniform(low, high, size, dtype)


def bernoulli(p, size=None, *, backend: str | None = None):
    """0/1 samples, 1 with probability ``p``, from the module-level generator.

    Parameters
    ----------
    p : float or array_like of floats
        Probability of a 1, in [0, 1].
    size : int or tuple of ints, optional
        Output shape; the parameters must broadcast to it. None: one draw per element of the
        parameters' broadcast shape (a single number when they are scalars).
    backend : str, optional
        The backend to run on (see :func:`xpmath.use_backend`).

    Returns
    -------
    int or ndarray of int64
        The samples.

    Raises
    ------
    DomainError, ShapeError
        As :meth:`Generator.bernoulli`.

    Examples
    --------
    >>> import xpmath
    >>> sorted(set(xpmath.random.bernoulli(0.5, size=100).tolist()))
    [0, 1]
    """
    return _module_gen(backend, "random.bernoulli", p).bernoulli(p, size)
