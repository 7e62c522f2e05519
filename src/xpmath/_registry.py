"""One registry of backends: built-ins named by import string, plugins by entry point.

Nothing here imports a backend's library until that backend is asked for; plugins from the
``xpmath.backends`` entry-point group are read the first time an unknown name is looked up or
the list of backends is asked for. Each backend is built once (an immutable singleton); a backend
found unusable is remembered with its reason until :func:`recheck` forgets it.
"""

from __future__ import annotations

import importlib
import threading
import warnings
from typing import TYPE_CHECKING

from .errors import BackendError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from ._protocol import Backend

BUILTIN: dict[str, str] = {
    "numpy": "xpmath_backends.numpy_backend:NumpyBackend",
    "numba": "xpmath_backends.numba_backend:NumbaBackend",
    "cupy": "xpmath_backends.cupy_backend:CupyBackend",
    "dask": "xpmath_backends.dask_backend:DaskBackend",
}
EXTRAS: dict[str, str] = {"numba": "xpmath[numba]", "cupy": "xpmath[cupy]", "dask": "xpmath[dask]"}
ENTRY_POINT_GROUP = "xpmath.backends"

_lock = threading.RLock()
_specs: dict[str, str | EntryPoint] = dict(BUILTIN)  # name -> import string or entry point
_plugins_read = False
_instances: dict[str, Backend] = {}  # name -> usable backend singleton
_unusable: dict[str, str] = {}  # name -> why it cannot run here


def _read_plugins() -> None:
    global _plugins_read
    if _plugins_read:
        return
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if _specs.get(ep.name) == ep:  # read before, by an earlier look
            continue
        if ep.name in _specs:
            warnings.warn(
                f"xpmath: ignoring the entry point {ep.value!r}: the backend name {ep.name!r} "
                "is already registered",
                stacklevel=3,
            )
            continue
        _specs[ep.name] = ep
    _plugins_read = True


def names() -> list[str]:
    """Every registered backend name, usable here or not, ``numpy`` first."""
    with _lock:
        _read_plugins()
        return list(_specs)


def _load_class(spec: str | EntryPoint) -> type:
    if isinstance(spec, str):
        module, _, attr = spec.partition(":")
        return getattr(importlib.import_module(module), attr)
    return spec.load()


def _unknown(name: str) -> BackendError:
    return BackendError(
        f"unknown backend {name!r}; valid names are {', '.join(names())} "
        f"(usable here: {', '.join(available())}), or 'auto'"
    )


def status(name: str) -> tuple[Backend | None, str]:
    """Return ``(backend, "")`` when ``name`` can run here, else ``(None, reason)``."""
    with _lock:
        be = _instances.get(name)
        if be is not None:
            return be, ""
        if name in _unusable:
            return None, _unusable[name]
        if name not in _specs:
            _read_plugins()
            if name not in _specs:
                raise _unknown(name)
        try:
            cls = _load_class(_specs[name])
            be = cls()
            ok, reason = be.is_available()
        except ImportError as exc:
            ok, reason = False, f"its library is not installed ({exc})"
        except Exception as exc:  # a broken install must not break xpmath itself
            ok, reason = False, f"it failed to start ({type(exc).__name__}: {exc})"
        if ok:
            _instances[name] = be
            return be, ""
        _unusable[name] = reason
        return None, reason


def get(name: str) -> Backend:
    """The backend singleton named ``name``; BackendError when unknown or unusable here."""
    be = _instances.get(name)
    if be is not None:
        return be
    if not isinstance(name, str):
        raise BackendError(f"a backend name must be a string, not {type(name).__name__}")
    be, reason = status(name)
    if be is None:
        extra = EXTRAS.get(name)
        hint = f"; install it with pip install '{extra}'" if extra else ""
        raise BackendError(
            f"backend {name!r} cannot run here: {reason}{hint}. "
            f"Usable backends: {', '.join(available())}"
        )
    return be


def available() -> list[str]:
    """Names of the backends usable in this process, ``numpy`` first."""
    return [n for n in names() if status(n)[0] is not None]


def recheck(name: str | None = None) -> None:
    """Forget why ``name`` (or every backend, when None) was found unusable, so the next look tries
    it again; with None, the plugins' entry points are read again too.

    A library installed, or a device freed, after the first look is then found. Usable backends stay
    the singletons they are.
    """
    global _plugins_read
    with _lock:
        if name is None:
            _unusable.clear()
            _plugins_read = False
        else:
            _unusable.pop(name, None)
        importlib.invalidate_caches()  # a package installed since is found by the next import


def auto() -> Backend:
    """The fastest backend usable here: cupy if a CUDA device works, else numba, else numpy."""
    for name in ("cupy", "numba"):
        be, _ = status(name)
        if be is not None:
            return be
    return get("numpy")


class _Auto:
    """``auto``: dispatch chooses per call (``xpmath._auto``); never the backend a call runs on."""

    name = "auto"

    def __repr__(self) -> str:
        return "<xpmath backend 'auto': numpy below each operation's crossover size, the fastest above>"


AUTO = _Auto()


def resolve(name: str | Backend) -> Backend:
    """A backend object from a name, ``"auto"`` (the :data:`AUTO` marker) or an existing backend object."""
    if isinstance(name, str):
        if name == "auto":
            return AUTO
        return get(name)
    if (hasattr(name, "name") and hasattr(name, "xp")) or name is AUTO:
        return name
    raise BackendError(
        f"a backend must be given by name, one of {', '.join(names())} or 'auto'; "
        f"got {name!r}"
    )


def available_backends(refresh: bool = False) -> list[str]:
    """Names of the backends usable in this process, ``"numpy"`` first.

    A backend found unusable is remembered with its reason; ``refresh=True`` looks again at those
    (after installing a library, or once a device is free), and at the plugins' entry points.
    Backends already usable stay as they are.

    Parameters
    ----------
    refresh : bool, optional
        Look again at the backends found unusable, and at the plugins' entry points, first.

    Returns
    -------
    list of str
        The usable backends' names, ``"numpy"`` first, then the others in registration order.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.available_backends()[0]
    'numpy'
    """
    if refresh:
        recheck()
    return available()
