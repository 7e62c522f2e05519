"""Which backend a call runs on.

Precedence, first match wins: ``backend=`` > the innermost ``use_backend()`` block (a
ContextVar, reset by its token) > ``set_backend()`` (a process default under a lock) >
``XPMATH_BACKEND`` (read with the other settings, when first needed) > ``numpy``. The hot path is
a ContextVar read and, at most, one dict lookup. The process default is the ``backend`` setting of
:mod:`xpmath._config`: ``set_config(backend=...)`` and ``config_context(backend=...)`` come here.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from . import _config, _registry
from . import _auto
from ._arrays import _HOST, owner
from ._registry import AUTO
from ._reference import DIRECT, REFERENCE

if TYPE_CHECKING:
    from ._protocol import Backend

_log = logging.getLogger("xpmath")
_DEBUG = logging.DEBUG
_override = _config._override  # the innermost use_backend block's backend (a ContextVar)
_override_get = _override.get
_backend = _config.backend  # .default: the process default backend


def select(backend: str | Backend | None, fn: str, a: Any = None, b: Any = None, *rest: Any) -> Backend:
    """The backend that the public function ``fn`` runs on, given its array arguments; logs it at DEBUG.

    ``backend=`` and a ``use_backend`` block name the backend for every input (an array of another
    library is then copied there, as asked); else the library of a foreign array among the arrays
    ``a, b, *rest`` (:func:`xpmath._arrays.owner`); else the process default, for host data. Two
    named parameters, not ``*arrays``: host data (the common case) then costs two set look-ups.
    """
    if backend is None:
        be = _override_get()
        if be is None:
            be = _backend.default or _config.default_backend()
            if type(a) not in _HOST or type(b) not in _HOST or (rest and not _HOST.issuperset(map(type, rest))):
                be = owner((a, b, *rest)) or be
    elif type(backend) is str:
        be = _registry._instances.get(backend) or (AUTO if backend == "auto" else _registry.resolve(backend))
    else:
        be = _registry.resolve(backend)
    if be is AUTO:
        be = _per_call(fn, a, b, rest)
    if _log.isEnabledFor(_DEBUG):
        _log.debug("%s: backend=%s", fn, be.name)
    return be


def _per_call(fn: str, a: Any, b: Any, rest: tuple) -> Backend:
    """``auto``'s choice for one call: a foreign array's own library; else the fastest backend from
    the operation's crossover size (elements of the first array ``a``) on, numpy below it."""
    if type(a) not in _HOST or type(b) not in _HOST or (rest and not _HOST.issuperset(map(type, rest))):
        be = owner((a, b, *rest))
        if be is not None:
            return be
    fast = _fast[0] if _fast[1] == len(_registry._instances) else _fastest()
    numpy_be = _numpy[0]
    if fn[:7] == "random.":  # each backend has its own streams: auto draws NumPy's numbers
        return numpy_be
    if a is None:
        return fast  # no data to size (get_backend, namespace): the fastest backend
    if fast is numpy_be:
        return numpy_be
    limit = _auto.GPU_CROSSOVER if fast.name == "cupy" else (_auto._table or _auto.crossovers()).get(fn)
    if limit is None:
        return numpy_be
    return fast if _auto.call_size(a) >= limit else numpy_be


# auto's fast backend (the registry's choice), found again whenever another backend has started
_fast: list = [None, -1]  # [backend, how many backends had started when it was chosen]
_numpy: list = [None]


def _fastest() -> Backend:
    _numpy[0] = _registry.get("numpy")
    _fast[0] = _registry.auto()
    _fast[1] = len(_registry._instances)
    return _fast[0]


# backend object -> {op: the callable that runs op there}
_tables: dict[Backend, dict[str, Callable[..., Any]]] = {}


def impl(be: Backend, op: str) -> Callable[..., Any]:
    """The callable that runs ``op`` on backend ``be``: its own method where it has one (asked first
    through its ``can_run``, if it defines one), else the reference bound to ``be.xp``."""
    try:
        return _tables[be][op]
    except KeyError:
        return _build(be, op)


def runs_own(be: Backend, op: str, *args: Any, **kwargs: Any) -> bool:
    """Whether :func:`impl` runs the backend's own method for this call (it has one, and its
    ``can_run``, if any, takes the call), not the reference: the rule of :func:`_build`'s wrapper."""
    if getattr(be, op, None) is None:
        return False
    can = getattr(be, "can_run", None)
    return can is None or bool(can(op, *args, **kwargs))


def _build(be: Backend, op: str) -> Callable[..., Any]:
    xp = be.xp
    if getattr(be, "portable", False):  # an array API namespace: the reference in the standard's functions
        from ._portable import PORTABLE

        reference = functools.partial(PORTABLE[op], xp)
    else:
        direct = DIRECT.get(op)
        reference = (direct(xp) if direct else None) or functools.partial(REFERENCE[op], xp)
    own = getattr(be, op, None)
    can = getattr(be, "can_run", None)
    if own is None:
        _log.debug("%s: no %s.%s; the reference runs on %s arrays", op, type(be).__name__, op, be.name)
        f = reference
    elif can is None:
        f = own
    else:

        def f(*args: Any, **kwargs: Any) -> Any:
            if can(op, *args, **kwargs):
                return own(*args, **kwargs)
            if _log.isEnabledFor(_DEBUG):
                _log.debug("%s: the %s backend's kernel does not take this call; the reference runs", op, be.name)
            return reference(*args, **kwargs)

    _tables.setdefault(be, {})[op] = f
    return f


def get_backend() -> Backend:
    """The backend object a call with no ``backend=`` would use here and now.

    The innermost :func:`use_backend` block's backend, else the process default
    (:func:`set_backend`, else ``XPMATH_BACKEND``, else ``numpy``).

    Returns
    -------
    Backend
        The backend object: ``.name`` is its name (``"numpy"``…), ``.xp`` its array module.

    Raises
    ------
    BackendError
        ``XPMATH_BACKEND`` names a backend unknown or unusable here.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.get_backend().name  # doctest: +SKIP
    'numpy'
    """
    return select(None, "get_backend")


def set_backend(name: str | Backend) -> None:
    """Set the process-wide default backend (``"numpy"``, ``"numba"``, ``"cupy"``, ``"dask"``, ``"auto"``).

    A ``use_backend`` block or a ``backend=`` keyword still takes precedence. The same as
    ``set_config(backend=name)``: ``get_config()["backend"]`` gives the name back.

    Parameters
    ----------
    name : str or Backend
        A backend name (a plugin's too), ``"auto"`` for the fastest usable here (``cupy`` if a CUDA
        device works, else ``numba`` if installed, else ``numpy``), or a backend object.

    Raises
    ------
    BackendError
        A backend unknown or unusable here (a ``ValueError``); the default is then left as it was.

    Examples
    --------
    >>> import xpmath
    >>> before = xpmath.get_config()["backend"]
    >>> xpmath.set_backend("numpy")
    >>> xpmath.get_config()["backend"]
    'numpy'
    >>> xpmath.set_backend(before)
    """
    _config.set_config(backend=name)


@contextlib.contextmanager
def use_backend(name: str | Backend) -> Iterator[Backend]:
    """Run the calls inside the ``with`` block on ``name``'s backend.

    The choice is context-local (a ``contextvars.ContextVar``): it is safe across threads and
    asyncio tasks, a thread started inside the block does not inherit it, and leaving the block
    restores exactly what was there before.

    Parameters
    ----------
    name : str or Backend
        A backend name, ``"auto"`` or a backend object, as :func:`set_backend` takes.

    Yields
    ------
    Backend
        The backend object the block runs on.

    Raises
    ------
    BackendError
        A backend unknown or unusable here (a ``ValueError``), before the block runs.

    Examples
    --------
    >>> import xpmath
    >>> with xpmath.use_backend("numpy"):
    ...     float(xpmath.mean([1.0, 2.0, 3.0]))
    2.0
    """
    with _config.backend_block(name) as be:
        yield be


def _reset_for_tests() -> None:
    """Forget the process default and the settings so the environment is read again (tests only)."""
    _config._reset_for_tests()
