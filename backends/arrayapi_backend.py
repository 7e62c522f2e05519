"""Any array API library's arrays, where they live: the portable reference on their own namespace.

A PyTorch tensor, a JAX array, an array-api-strict array (or any other library's that follows the
Python array API standard) given to xpmath runs here, in its own library and on its own device; the
results are that library's arrays on that device. One backend object exists per (namespace,
device); :func:`xpmath._arrays.owner` makes them as arrays appear, so they are not in the registry
by name. Every operation is the portable reference (``xpmath._portable``), written in the standard's
functions; nothing is copied to the host unless the caller asks for it (``xpmath.to_numpy``).
"""

from __future__ import annotations

from typing import Any

import numpy

from xpmath._arrays import astype, describe, device_of, is_foreign, kind
from xpmath._backend import BackendBase
from xpmath.errors import BackendError


class ArrayAPIBackend(BackendBase):
    """The arrays of one array API namespace on one device."""

    #: dispatch binds the portable reference (the standard's functions), not the NumPy-named one
    portable = True

    def __init__(self, xp: Any, array_type: type, device: Any):
        library = xp.__name__.replace("array_api_compat.", "")
        set_ = object.__setattr__
        set_(self, "xp", xp)
        set_(self, "array_type", array_type)
        set_(self, "device", device)
        set_(self, "library", library)
        set_(self, "name", f"{library}:{device}")
        # JAX dispatches asynchronously: a host check of convergence every step would wait on each one
        set_(self, "gd_check_every", 10 if library.startswith("jax") else 1)

    def config(self) -> dict:
        return {"library": f"{self.library} {getattr(self.xp, '__version__', '')}".strip(),
                "device": str(self.device)}

    def __repr__(self) -> str:
        return f"<xpmath backend for {self.library} arrays on {self.device}>"

    def asarray(self, x: Any, dtype: Any = None) -> Any:
        """``x`` on this namespace and device: its own arrays as they are, host data copied to the device."""
        xp = self.xp
        if isinstance(x, self.array_type):
            dev = device_of(x)
            if dev != self.device:
                raise BackendError(f"arrays on two devices in one call: {self.library} on {self.device} and on {dev}")
            return x if dtype is None else self._cast(x, dtype)
        if is_foreign(x):
            raise BackendError(
                f"arrays of two libraries in one call: {self.library} on {self.device} and {describe(x)}"
            )
        h = x if isinstance(x, numpy.ndarray) else numpy.asarray(x)
        if h.dtype.kind not in "biufc":
            raise TypeError(f"non-numeric dtype {h.dtype}")
        if not h.dtype.isnative:
            h = h.astype(h.dtype.newbyteorder("="))
        a = xp.asarray(h, device=self.device)
        return a if dtype is None else self._cast(a, dtype)

    def _cast(self, a: Any, dtype: Any) -> Any:
        return astype(self.xp, a, self.dtype(dtype))

    def dtype(self, dt: Any) -> Any:
        """The namespace's dtype of NumPy's ``dt`` (by name: ``float64``, ``int32``, ``bool``…)."""
        if not isinstance(dt, (numpy.dtype, type, str)):
            return dt  # already the namespace's own
        name = numpy.dtype(dt).name
        got = getattr(self.xp, name, None)
        if got is None:
            raise TypeError(f"{self.library} has no dtype {name}")
        return got

    def to_numpy(self, x: Any) -> numpy.ndarray:
        from xpmath._arrays import to_numpy

        return to_numpy(x)

    def all_finite(self, a: Any) -> bool:
        xp = self.xp
        if kind(a.dtype) not in "fc":
            return True
        return bool(xp.all(xp.isfinite(a)))

