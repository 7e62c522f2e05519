"""Which backend a call runs on.

Precedence, first match wins: ``backend=`` > the innermost ``use_backend()`` block (a
ContextVar, reset by its token) > ``set_backend()`` (a process default under a lock) >
``XPMATH_BACKEND`` (read with the other settings, when first needed) > ``numpy``. The hot path is
a ContextVar read and, at most, one dict lookup. The process default is the ``backend`` setting of
:mod:`xpmath._config`: ``set_config(backend=...)`` and ``config_context(backend=...)`` come here.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from . import _config, _registry
from ._arrays import owner
from ._reference import DIRECT, REFERENCE
from .errors import BackendError

if TYPE_CHECKING:
    from ._protocol import Backend

_log = logging.getLogger("xpmath")
_DEBUG = logging.DEBUG
_override: contextvars.ContextVar[Backend | None] = contextvars.ContextVar("xpmath_backend", default=None)
_default_lock = threading.Lock()
_default: Backend | None = None  # the process default backend object, resolved lazily
ENV_VAR = "XPMATH_BACKEND"


def _resolve(name: str | Backend) -> Backend:
    """A backend object from a name, ``"auto"`` or an existing backend object."""
    if isinstance(name, str):
        if name == "auto":
            return _registry.auto()
        return _registry.get(name)
    if hasattr(name, "name") and hasattr(name, "xp"):
        return name
    raise BackendError(
        f"a backend must be given by name, one of {', '.join(_registry.names())} or 'auto'; "
        f"got {name!r}"
    )


def _process_default() -> Backend:
    global _default
    with _default_lock:
        if _default is None:
            # set_backend installs its backend at once, so an unresolved name came from the environment
            name = _config._settings()["backend"]
            try:
                _default = _resolve(name)
            except BackendError as exc:
                raise BackendError(f"{ENV_VAR}={name!r}: {exc}") from None
        return _default


def select(backend: str | Backend | None, fn: str, *arrays: Any) -> Backend:
    """The backend that the public function ``fn`` runs on, given its array arguments; logs it at DEBUG.

    ``backend=`` and a ``use_backend`` block name the backend for every input (an array of another
    library is then copied there, as asked); else the library of a foreign array among ``arrays``
    (:func:`xpmath._arrays.owner`); else the process default, for host data.
    """
    if backend is None:
        be = _override.get()
        if be is None:
            be = (owner(arrays) if arrays else None) or _default or _process_default()
    elif type(backend) is str:
        be = _registry._instances.get(backend) or _resolve(backend)
    else:
        be = _resolve(backend)
    if _log.isEnabledFor(_DEBUG):
        _log.debug("%s: backend=%s", fn, be.name)
    return be


# backend object -> {op: the callable that runs op there}
_tables: dict[Backend, dict[str, Callable[..., Any]]] = {}


def impl(be: Backend, op: str) -> Callable[..., Any]:
    """The callable that runs ``op`` on backend ``be``: its own method where it has one (asked first
    through its ``can_run``, if it defines one), else the reference bound to ``be.xp``."""
    try:
        return _tables[be][op]
    except KeyError:
        return _build(be, op)


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
    global _default
    be = _resolve(name)
    with _default_lock:
        _default = be
        _config.store_backend(name if isinstance(name, str) else be.name)


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
    token = _override.set(_resolve(name))
    try:
        yield _override.get()
    finally:
        _override.reset(token)


def _reset_for_tests() -> None:
    """Forget the process default and the settings so the environment is read again (tests only)."""
    global _default
    with _default_lock:
        _default = None
        _config._reset_for_tests()
