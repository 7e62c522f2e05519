"""xpmath's settings, and what the backends report about themselves.

One configuration, as scikit-learn's: :func:`get_config`, :func:`set_config` and
:func:`config_context`. Each setting starts from an environment variable, read once, the first time
any setting is needed; after that xpmath neither reads the environment for its settings again nor
writes it. :func:`set_config` changes the process-wide values (every thread sees them);
:func:`config_context` overrides them inside its ``with`` block only, context-locally — a
``contextvars.ContextVar``, as :func:`~xpmath.use_backend` — so the block is isolated across threads and
asyncio tasks, and a thread started inside it sees the process-wide values.

``backend`` is the same thing as :func:`~xpmath.set_backend` (``set_config``) and
:func:`~xpmath.use_backend` (``config_context``): one value, kept where the dispatch reads it.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import operator
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy

from . import _registry
from .errors import BackendError, ConfigError

if TYPE_CHECKING:
    from ._protocol import Backend

_UNSET = object()
# every value Numba's NUMBA_THREADING_LAYER accepts
_LAYERS = ("default", "safe", "threadsafe", "forksafe", "omp", "tbb", "workqueue")
# the sizes dask.utils.parse_bytes reads ("2GB", "512 MiB", "1e9"), checked here without importing Dask
_BYTES = re.compile(r"\s*(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*([kmgtp]i?)?b?\s*", re.IGNORECASE)
_ADDRESS = re.compile(r"(\w+://)?[^\s/]+:\d+|\w+://\S+")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _numba_max_threads() -> int:
    """The size of Numba's thread pool: what it has started, or the rule it will start by."""
    numba_config = getattr(sys.modules.get("numba"), "config", None)
    if numba_config is not None:
        return int(numba_config.NUMBA_NUM_THREADS)
    raw = os.environ.get("NUMBA_NUM_THREADS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity masks on this platform
        return max(1, os.cpu_count() or 1)


def _omp_layer_shipped() -> str:
    """``"omp"`` where the installed Numba ships its OpenMP layer, else ``"default"`` (Numba's own choice).

    Looked up on disk, so that reading the settings never imports Numba.
    """
    try:
        spec = importlib.util.find_spec("numba")
    except (ImportError, ValueError):
        return "default"
    for where in (spec and spec.submodule_search_locations) or ():
        ufunc = os.path.join(where, "np", "ufunc")
        if os.path.isdir(ufunc) and any(f.startswith("omppool") for f in os.listdir(ufunc)):
            return "omp"
    return "default"


# ------------------------------------------------------------------ checks: value -> normalised value
def _check_backend(v: object) -> object:
    if isinstance(v, str):
        return v.strip().lower()
    if hasattr(v, "name") and hasattr(v, "xp"):
        return v
    raise ConfigError(f"backend must be a backend name or 'auto'; got {v!r}")


def _check_output(v: object) -> str:
    if v not in ("input", "backend"):
        raise ConfigError(f"output must be 'input' (results follow the input's type) or 'backend'; got {v!r}")
    return v


def _check_threads(v: object) -> int | None:
    if v is None:
        return None
    try:
        n = operator.index(v)
    except TypeError:
        n = 0
    most = _numba_max_threads()
    if isinstance(v, bool) or not 1 <= n <= most:
        raise ConfigError(
            f"numba_threads must be None (all of Numba's {most} threads) or an integer from 1 to {most}; got {v!r}"
        )
    return n


def _check_layer(v: object) -> str:
    if v not in _LAYERS:
        raise ConfigError(f"numba_threading_layer must be one of {', '.join(map(repr, _LAYERS))}; got {v!r}")
    return v


def _check_dir(v: object) -> str:
    try:
        return os.fspath(v)
    except TypeError:
        raise ConfigError(f"numba_cache_dir must be a path, or '' for the automatic place; got {v!r}") from None


def _check_bool(v: object) -> bool:
    if isinstance(v, (bool, numpy.bool_)):
        return bool(v)
    raise ConfigError(f"cupy_tf32 must be True or False; got {v!r}")


def _check_scheduler(v: object) -> str:
    if isinstance(v, str) and (v in ("", "local") or _ADDRESS.fullmatch(v)):
        return v
    raise ConfigError(
        "dask_scheduler must be '' (Dask's default scheduler in this process), 'local' (a LocalCluster "
        f"started on first use) or a scheduler address such as 'tcp://host:8786'; got {v!r}"
    )


def _check_memory(v: object) -> object:
    if v is None or v == "auto" or (isinstance(v, str) and _BYTES.fullmatch(v)):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
        return v
    if isinstance(v, float) and 0 < v <= 1:
        return v
    raise ConfigError(
        "dask_memory_limit must be 'auto', a size ('2GB', '512MiB', bytes as an int), a fraction of the "
        f"machine's memory in (0, 1], or None (no limit); got {v!r}"
    )


def _seconds(name: str) -> Callable[[object], float]:
    def check(v: object) -> float:
        try:
            t = float(v) if not isinstance(v, (bool, numpy.bool_, str)) else -1.0
        except (TypeError, ValueError):
            t = -1.0
        if not 0 < t < float("inf"):
            raise ConfigError(f"{name} must be a number of seconds > 0; got {v!r}")
        return t

    return check


_check_timeout = _seconds("dask_connect_timeout")


# ------------------------------------------------------------------ environment: raw text -> value
def _env_bool(name: str, raw: str) -> bool:
    v = raw.strip().lower()
    if v in _TRUE or v in _FALSE:
        return v in _TRUE
    raise ValueError("not a boolean; use 1/0, true/false, yes/no or on/off")


def _env_cupy_tf32(name: str, raw: str) -> bool:
    if name == "CUPY_TF32":  # CuPy's own rule for its own variable
        try:
            return int(raw or "0") > 0
        except ValueError:
            return False
    return _env_bool(name, raw)


def _env_int(name: str, raw: str) -> int | None:
    return int(raw) if raw.strip() else None


def _env_text(name: str, raw: str) -> str:
    return raw.strip()


def _env_float(name: str, raw: str) -> float:
    return float(raw)


@dataclass(frozen=True)
class _Setting:
    env: tuple[str, ...]  # the variables it starts from, first one set wins
    default: Callable[[], object]
    check: Callable[[object], object]
    parse: Callable[[str, str], object] = _env_text


SETTINGS: dict[str, _Setting] = {
    "backend": _Setting(("XPMATH_BACKEND",), lambda: "numpy", _check_backend),
    "output": _Setting(("XPMATH_OUTPUT",), lambda: "input", _check_output),
    "numba_threads": _Setting(("XPMATH_NUMBA_THREADS",), lambda: None, _check_threads, _env_int),
    "numba_threading_layer": _Setting(("NUMBA_THREADING_LAYER",), _omp_layer_shipped, _check_layer),
    "numba_cache_dir": _Setting(("NUMBA_CACHE_DIR",), lambda: "", _check_dir, lambda n, raw: raw),
    "cupy_tf32": _Setting(("XPMATH_CUPY_TF32", "CUPY_TF32"), lambda: False, _check_bool, _env_cupy_tf32),
    "dask_scheduler": _Setting(("XPMATH_DASK_SCHEDULER",), lambda: "", _check_scheduler),
    "dask_memory_limit": _Setting(("XPMATH_DASK_MEMORY_LIMIT",), lambda: "auto", _check_memory),
    "dask_connect_timeout": _Setting(("XPMATH_DASK_CONNECT_TIMEOUT",), lambda: 5.0, _check_timeout, _env_float),
    "dask_timeout": _Setting(("XPMATH_DASK_TIMEOUT",), lambda: 30.0, _seconds("dask_timeout"), _env_float),
}

_lock = threading.RLock()
_global: dict[str, object] | None = None  # the process-wide values, read from the environment once
# a block's values: a new dict per block, never changed once set (a plain dict reads fastest)
_local: contextvars.ContextVar[dict[str, object]] = contextvars.ContextVar("xpmath_config", default={})
_frozen: dict[str, object] = {}  # settings a library has already started with, and their values


def _from_environment() -> dict[str, object]:
    out = {}
    for key, s in SETTINGS.items():
        for name in s.env:
            raw = os.environ.get(name)
            if raw is not None and raw.strip() != "":
                try:
                    out[key] = s.check(s.parse(name, raw))
                except (ValueError, ConfigError) as exc:
                    raise ConfigError(f"{name}={raw!r}: {exc}") from None
                break
        else:
            out[key] = s.default()
    return out


def _settings() -> dict[str, object]:
    """The process-wide values (read from the environment the first time)."""
    global _global
    s = _global
    if s is None:
        with _lock:
            if _global is None:
                _global = _from_environment()
            s = _global
    return s


def value(key: str) -> object:
    """One setting as it stands in this context: the cheap read the backends make per call."""
    v = _local.get().get(key, _UNSET)
    if v is _UNSET:
        v = (_global or _settings())[key]
    return v


def freeze(**started: object) -> None:
    """Record settings a library has started with and cannot change afterwards (Numba's threading
    layer and cache directory): asking for another value then raises instead of being ignored."""
    with _lock:
        _frozen.update(started)


def _checked(settings: Mapping[str, object]) -> dict[str, object]:
    """Every value checked before any is applied, so a bad one changes nothing."""
    out = {}
    for key, v in settings.items():
        if key not in SETTINGS:
            raise ConfigError(f"unknown setting {key!r}; the settings are {', '.join(SETTINGS)}")
        v = SETTINGS[key].check(v)
        if key == "backend":
            _registry.resolve(v)  # BackendError, a ValueError, for a name that cannot run here
        elif key in _frozen and v != _frozen[key]:
            raise ConfigError(
                f"{key} is fixed once the numba backend has started (it started with {_frozen[key]!r}); "
                "set it before the first numba call, or in the environment"
            )
        out[key] = v
    return out


def _apply_cupy_tf32(enabled: bool) -> None:
    """CuPy's compute type is one process-wide setting: it changes at once where the cupy backend is
    loaded; a backend loaded later starts with the value in force then."""
    apply = getattr(sys.modules.get("xpmath_backends.cupy_backend"), "apply_tf32", None)
    if apply is not None:
        apply(enabled)


def _changed(keys) -> None:
    if "cupy_tf32" in keys:
        _apply_cupy_tf32(bool(value("cupy_tf32")))


def get_config() -> dict:
    """The settings in force here and now, as a new dict.

    Returns
    -------
    dict
        ``backend`` (a name or ``"auto"``), ``output``, ``numba_threads``, ``numba_threading_layer``,
        ``numba_cache_dir``, ``cupy_tf32``, ``dask_scheduler``, ``dask_memory_limit``,
        ``dask_connect_timeout`` and ``dask_timeout``; see
        :func:`set_config`. Inside a :func:`config_context` or :func:`~xpmath.use_backend` block, the
        block's values.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.get_config()["output"]
    'input'
    """
    cfg = dict(_settings())
    cfg.update(_local.get())
    be = _override.get()
    if be is not None:
        cfg["backend"] = be.name
    return cfg


def set_config(**settings: object) -> None:
    """Change settings for the whole process (every thread); the others keep their values.

    A :func:`config_context` block's own values still win inside that block. Each value is checked
    before any is applied. Every setting starts from an environment variable, read once, the first
    time a setting is needed.

    Parameters
    ----------
    **settings
        The settings to change, by name; each is one of those below.
    backend : str or backend
        The process default backend (``XPMATH_BACKEND``; ``"numpy"``): ``"numpy"``, ``"numba"``,
        ``"cupy"``, ``"dask"``, a plugin's name, or ``"auto"``. The same as :func:`~xpmath.set_backend`.
    output : {"input", "backend"}
        ``"input"`` (``XPMATH_OUTPUT``; the default): results follow the input's type, NumPy in,
        NumPy out; ``"backend"``: always the backend's own arrays.
    numba_threads : int or None
        Threads the numba kernels use (``XPMATH_NUMBA_THREADS``); None: all of Numba's pool
        (``NUMBA_NUM_THREADS``, by default the cores this process may run on).
    numba_threading_layer : str
        Numba's threading layer (``NUMBA_THREADING_LAYER``; ``"omp"`` where Numba ships it, else
        ``"default"``). Fixed once the numba backend has started.
    numba_cache_dir : str or path
        Where compiled kernels are cached (``NUMBA_CACHE_DIR``); ``""``: beside the kernels, or
        ``~/.cache/xpmath/numba`` where the install is read-only. Fixed once the numba backend has started.
    cupy_tf32 : bool
        TF32 tensor-core maths for float32 matrix products on the GPU (``XPMATH_CUPY_TF32``, or CuPy's
        own ``CUPY_TF32``; False). Process-wide in CuPy, applied at once if the cupy backend is loaded.
    dask_scheduler : str
        ``""`` (``XPMATH_DASK_SCHEDULER``; the default): Dask's default scheduler in this process;
        ``"local"``: a ``distributed.LocalCluster`` started on first use; else a scheduler address.
    dask_memory_limit : str, int, float or None
        Each local worker's memory limit (``XPMATH_DASK_MEMORY_LIMIT``; ``"auto"``), as ``distributed``
        takes it: ``"2GB"``, bytes, a fraction of the machine's memory, or None for none.
    dask_connect_timeout : float
        Seconds to wait for the scheduler at a ``dask_scheduler`` address (``XPMATH_DASK_CONNECT_TIMEOUT``;
        5): one that does not answer in time is a :class:`~xpmath.BackendError` naming it.
    dask_timeout : float
        Seconds a computation on a distributed scheduler waits for that scheduler to answer
        (``XPMATH_DASK_TIMEOUT``; 30): a scheduler that stops answering (hung, or its machine gone)
        is a :class:`~xpmath.BackendError` naming its address after this long; one whose connection
        closes is one at once (after ``dask_connect_timeout`` for the next call, the reconnection window).

    Raises
    ------
    ConfigError
        An unknown setting or a value it cannot take (a ``ValueError``).
    BackendError
        A backend unknown or unusable here (a ``ValueError``).

    Examples
    --------
    >>> import xpmath
    >>> xpmath.set_config(output="backend")
    >>> xpmath.get_config()["output"]
    'backend'
    >>> xpmath.set_config(output="input")
    """
    values = _checked(settings)
    if "backend" in values:
        _set_default(values.pop("backend"))
    with _lock:
        _settings().update(values)
    _changed(values)


@contextlib.contextmanager
def config_context(**settings: object) -> Iterator[None]:
    """Change settings inside a ``with`` block only; leaving it restores exactly what was there.

    Context-local, as :func:`~xpmath.use_backend` (a ``contextvars.ContextVar``): other threads and
    asyncio tasks keep their values, and a thread started inside the block sees the process-wide
    ones. ``backend=`` is :func:`~xpmath.use_backend`. ``cupy_tf32`` is one process-wide switch in
    CuPy, so while the block runs it holds for every thread.

    Parameters
    ----------
    **settings
        The settings to change inside the block, by name: the keys and values :func:`set_config`
        takes (``backend``, ``output``, ``numba_threads``, ``numba_threading_layer``,
        ``numba_cache_dir``, ``cupy_tf32``, ``dask_scheduler``, ``dask_memory_limit``,
        ``dask_connect_timeout``, ``dask_timeout``).

    Yields
    ------
    None

    Raises
    ------
    ConfigError
        An unknown setting or a value it cannot take (a ``ValueError``), before the block runs.
    BackendError
        A backend unknown or unusable here (a ``ValueError``), before the block runs.

    Examples
    --------
    >>> import xpmath
    >>> with xpmath.config_context(output="backend"):
    ...     xpmath.get_config()["output"]
    'backend'
    >>> xpmath.get_config()["output"]
    'input'
    """
    values = _checked(settings)
    with contextlib.ExitStack() as stack:
        if "backend" in values:
            stack.enter_context(backend_block(values.pop("backend")))
        if values:
            stack.callback(_changed, values)  # runs after the reset below: callbacks unwind last-in first
            stack.callback(_local.reset, _local.set({**_local.get(), **values}))
            _changed(values)
        yield


def _reset_for_tests() -> None:
    """Forget the process-wide values and default backend so the environment is read again (tests only)."""
    global _global
    with _lock:
        _global = None
        backend.default = None


# ------------------------------------------------------------------ the backend a call uses
# The backend setting is held as the resolved backend object too: a block's in a ContextVar (reset by
# its token), the process default under the lock; _dispatch.select reads both on every call.
_override: contextvars.ContextVar[Backend | None] = contextvars.ContextVar("xpmath_backend", default=None)
class _Backends:
    """The process default backend object (resolved lazily), read by dispatch on every call."""

    __slots__ = ("default",)

    def __init__(self) -> None:
        self.default: Backend | None = None


backend = _Backends()
ENV_VAR = "XPMATH_BACKEND"


def default_backend() -> Backend:
    """The process default backend, resolved from the ``backend`` setting the first time it is needed."""
    with _lock:
        if backend.default is None:
            # set_config installs its backend at once, so an unresolved name came from the environment
            name = _settings()["backend"]
            try:
                backend.default = _registry.resolve(name)
            except BackendError as exc:
                raise BackendError(f"{ENV_VAR}={name!r}: {exc}") from None
        return backend.default


def _set_default(name: object) -> None:
    be = _registry.resolve(name)
    with _lock:
        backend.default = be
        _settings()["backend"] = name if isinstance(name, str) else be.name


@contextlib.contextmanager
def backend_block(name: object) -> Iterator[Backend]:
    """Inside the block, calls without ``backend=`` run on ``name``'s backend (context-local)."""
    be = _registry.resolve(name)
    token = _override.set(be)
    try:
        yield _registry.auto() if be is _registry.AUTO else be
    finally:
        _override.reset(token)
