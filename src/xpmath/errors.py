"""Every exception and warning xpmath raises.

Each class derives from :class:`XPMathError` (or :class:`XPMathWarning`) *and* from the
builtin or NumPy class a NumPy user already catches, so ``except ValueError`` and
``except numpy.linalg.LinAlgError`` keep working after porting code to xpmath.
"""

from __future__ import annotations

import threading as _threading

import numpy as _np

__all__ = [
    "XPMathError",
    "XPMathWarning",
    "BackendError",
    "ConfigError",
    "ShapeError",
    "AxisError",
    "SingularMatrixError",
    "LinAlgError",
    "NonFiniteError",
    "EmptyInputError",
    "XPMathTypeError",
    "NotFittedError",
    "DomainError",
    "DeviceMemoryError",
    "MissingFileError",
    "FileFormatError",
    "ZeroWeightsError",
    "DivergenceWarning",
    "ConvergenceWarning",
]


class XPMathError(Exception):
    """Base class of every error xpmath raises."""


class XPMathWarning(UserWarning):
    """Base class of every warning xpmath emits."""


_naming = _threading.local()  # set while a BackendError looks up the usable backends for its message


class BackendError(XPMathError, ValueError):
    """Unknown backend name, a backend that cannot run here, or an operation a backend cannot do.

    Its message ends with the backends usable here (``available_backends()``), whatever raised it
    (the registry, a backend, a lost Dask scheduler), unless the message lists them already."""

    def __str__(self) -> str:
        msg = super().__str__()
        if getattr(_naming, "active", False) or "usable here:" in msg or "Usable backends:" in msg:
            return msg
        _naming.active = True  # a backend probed for the list may itself fail with a BackendError
        try:
            from ._registry import available

            usable = available()
        except Exception:  # the registry unusable: the message as raised
            return msg
        finally:
            _naming.active = False
        return f"{msg.rstrip('. ')}. Usable backends: {', '.join(usable)}"


class ConfigError(XPMathError, ValueError):
    """An unknown setting, or a value a setting cannot take (from ``set_config``, ``config_context``
    or the environment variable behind it)."""


class ShapeError(XPMathError, _np.linalg.LinAlgError):
    """Shapes do not fit together, or a square matrix was needed."""


class AxisError(ShapeError, _np.exceptions.AxisError):
    """An ``axis`` argument is out of range for the array: also NumPy's ``AxisError`` (a ``ValueError``
    and an ``IndexError``), so ``except numpy.exceptions.AxisError`` keeps working."""

    def __init__(self, message: str):
        _np.exceptions.AxisError.__init__(self, message)

    def __str__(self) -> str:
        return _np.exceptions.AxisError.__str__(self)


class SingularMatrixError(XPMathError, _np.linalg.LinAlgError):
    """A matrix that had to be inverted is exactly singular (a zero pivot)."""


class LinAlgError(XPMathError, _np.linalg.LinAlgError):
    """A linear-algebra routine failed on its input, e.g. an SVD that did not converge."""


class NonFiniteError(XPMathError, ValueError):
    """NaN or infinity given to a linear-algebra routine or a model's ``fit``."""


class EmptyInputError(XPMathError, ValueError):
    """A statistic or a model was asked of an empty array."""


class DomainError(XPMathError, ValueError):
    """An argument outside its domain: a probability outside [0, 1], ``std <= 0``, ``scale < 0``..."""


class XPMathTypeError(XPMathError, TypeError):
    """Non-numeric input (strings, arbitrary objects)."""


_lock = _threading.Lock()


def _not_fitted_error() -> type:
    """Make :class:`NotFittedError`, once: its base is scikit-learn's class where scikit-learn is
    installed, so it is made the first time it is asked for (importing scikit-learn takes longer
    than importing xpmath)."""
    with _lock:
        cls = globals().get("NotFittedError")
        if cls is not None:
            return cls
        try:  # scikit-learn is optional; where it is installed, a model used unfitted raises its class too
            from sklearn.exceptions import NotFittedError as _SklearnNotFitted

            bases: tuple[type, ...] = (_SklearnNotFitted,)
        except ImportError:
            bases = (ValueError, AttributeError)
        cls = type("NotFittedError", (XPMathError, *bases), {
            "__doc__": "A model was used before ``fit``: scikit-learn's ``NotFittedError`` where scikit-learn "
                       "is installed, else a ``ValueError`` and an ``AttributeError`` as that class is.",
            "__module__": __name__,
            "__qualname__": "NotFittedError",
        })
        globals()["NotFittedError"] = cls
        return cls


def _convergence_warning() -> type:
    """Make :class:`ConvergenceWarning`, once: also scikit-learn's class where it is installed (so its
    filters and ``pytest.warns(sklearn.exceptions.ConvergenceWarning)`` catch it), else a ``UserWarning``."""
    with _lock:
        cls = globals().get("ConvergenceWarning")
        if cls is not None:
            return cls
        try:
            from sklearn.exceptions import ConvergenceWarning as _SklearnConvergence

            bases: tuple[type, ...] = (_SklearnConvergence,)
        except ImportError:
            bases = ()
        cls = type("ConvergenceWarning", (XPMathWarning, *bases), {
            "__doc__": "A solver stopped before its convergence test held (``max_iter`` reached, or a line "
                       "search that found no step): scikit-learn's ``ConvergenceWarning`` where it is installed.",
            "__module__": __name__,
            "__qualname__": "ConvergenceWarning",
        })
        globals()["ConvergenceWarning"] = cls
        return cls


def __getattr__(name: str) -> type:
    if name == "NotFittedError":
        return _not_fitted_error()
    if name == "ConvergenceWarning":
        return _convergence_warning()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"NotFittedError", "ConvergenceWarning"})


class DeviceMemoryError(XPMathError, MemoryError):
    """The accelerator ran out of memory; the message names the size asked for."""


class MissingFileError(XPMathError, FileNotFoundError):
    """A data file or store that does not exist (:func:`xpmath.open_array`); also a ``FileNotFoundError``."""


class FileFormatError(XPMathError, ValueError):
    """A data file that cannot be read as an array: not a ``.npy`` file or a Zarr array, truncated,
    or holding Python objects (:func:`xpmath.open_array`); a ``ValueError``, as NumPy's ``load`` raises."""


class ZeroWeightsError(XPMathError, ZeroDivisionError):
    """``average`` divides by zero (weights summing to zero along a slice): NumPy's ``ZeroDivisionError``."""


class DivergenceWarning(XPMathWarning, RuntimeWarning):
    """Gradient descent diverged: the iterates or the loss stopped being finite or grew without bound."""
