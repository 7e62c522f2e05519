"""The stand-in's device array: a NumPy array held where NumPy cannot reach it, with CuPy's rules.

* ``numpy.asarray(x)`` raises TypeError (``__array__`` refuses, as CuPy's); ``x.get()``,
  ``cupy.asnumpy(x)``, ``x.item()``, ``x.tolist()`` and ``bool/int/float/complex`` of one element
  are the explicit ways to the host.
* A ``numpy.ndarray`` (0-d included) given where CuPy wants a device array — an operand, an array
  argument of a ``cupy`` function, a kernel argument — raises CuPy's TypeError
  ``Unsupported type <class 'numpy.ndarray'>``. Python and NumPy scalars mix freely, as in CuPy.
* Reductions and integer indexing give 0-d device arrays, never NumPy scalars.
* NumPy's functions and ufuncs given a device array dispatch to the ``cupy`` function of the same
  name (``__array_function__`` / ``__array_ufunc__``), as CuPy's arrays do.
"""

from __future__ import annotations

import warnings

import numpy as np

_SCALARS = (bool, int, float, complex, np.generic)
# NumPy members with no CuPy counterpart that would hand out host memory or host files
_HOST_ONLY = frozenset({"ctypes", "data", "tofile", "tobytes", "dump", "dumps", "byteswap", "setflags",
                        "getfield", "setfield", "itemset", "resize"})


def unsupported(x) -> TypeError:
    return TypeError(f"Unsupported type {type(x)}")


def unwrap(v, seen: dict, strict: bool = True):
    """``v`` with each device array replaced by its host buffer (recorded in ``seen`` by id, so a result
    that *is* an argument's buffer comes back as that argument). ``strict``: a NumPy array is refused."""
    t = type(v)
    if t is ndarray:
        seen[id(v._a)] = v
        return v._a
    if isinstance(v, np.ndarray):
        if strict:
            raise unsupported(v)
        return v
    if t is list or t is tuple:
        return t(unwrap(i, seen, strict) for i in v)
    return v


def wrap(v, seen: dict | None = None):
    """A NumPy result as device arrays: arrays and NumPy scalars become device arrays (0-d for a scalar)."""
    if isinstance(v, np.ndarray):
        return seen[id(v)] if seen and id(v) in seen else ndarray._of(v)
    if isinstance(v, np.generic):
        return ndarray._of(np.asarray(v))
    if type(v) is tuple or type(v) is list:
        return type(v)(wrap(i, seen) for i in v)
    if isinstance(v, tuple) and hasattr(v, "_fields"):  # NumPy's named results (EighResult, ...)
        return type(v)(*(wrap(i, seen) for i in v))
    return v


# functions whose Python-scalar answer CuPy gives as a 0-d device array
_DEVICE_SCALAR = frozenset({"count_nonzero", "allclose", "array_equal", "array_equiv"})
# CuPy's reductions (functions and methods) take axis, dtype, out, keepdims (ddof): none of NumPy's
# newer keywords
_REDUCTIONS = frozenset({"sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "any", "all", "ptp",
                         "nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin"})
_NOT_IN_CUPY = frozenset({"where", "initial", "mean", "correction"})


def _keywords(name: str, kwargs: dict) -> None:
    if name in _REDUCTIONS and not _NOT_IN_CUPY.isdisjoint(kwargs):
        bad = sorted(_NOT_IN_CUPY.intersection(kwargs))[0]
        raise TypeError(f"{name}() got an unexpected keyword argument {bad!r}")


def device_function(f, name: str | None = None):
    """NumPy's ``f`` as a ``cupy`` function: device arrays in (host arrays refused), device arrays out."""
    name = name or getattr(f, "__name__", "")
    scalar = name in _DEVICE_SCALAR

    def call(*args, **kwargs):
        _keywords(name, kwargs)
        seen: dict = {}
        a = unwrap(args, seen)
        k = {key: unwrap(v, seen) for key, v in kwargs.items()}
        r = f(*a, **k)
        if scalar and isinstance(r, (bool, int, float)):
            r = np.asarray(r)
        return wrap(r, seen)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"The stand-in's ``cupy.{name}``: NumPy's on the host buffers of device arrays."
    return call


def metadata_function(f):
    """A function of dtypes and shapes (``result_type``, ``ndim``...): CuPy reads a device array's
    metadata and takes host arrays too."""

    def call(*args, **kwargs):
        return f(*unwrap(args, {}, strict=False), **{k: unwrap(v, {}, strict=False) for k, v in kwargs.items()})

    call.__name__ = getattr(f, "__name__", "")
    return call


class Ufunc:
    """A NumPy ufunc as CuPy's: called, or its ``reduce``/``outer``/``accumulate``/``at``, on device arrays."""

    def __init__(self, u):
        self._u = u
        self.__name__ = u.__name__
        self._call = device_function(u)

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)

    def __getattr__(self, name):
        v = getattr(self._u, name)
        return device_function(v, f"{self.__name__}.{name}") if callable(v) else v


def _rebuild(host):
    return ndarray._of(host)


def _binary(name: str):
    def op(self, other):
        if type(other) is ndarray:
            o = other._a
        elif isinstance(other, np.ndarray):
            raise unsupported(other)
        elif isinstance(other, _SCALARS):
            o = other
        else:
            return NotImplemented
        r = getattr(self._a, name)(o)
        if r is NotImplemented:
            return r
        if name.startswith("__i"):  # in place: the device array itself
            return self
        return wrap(r)

    op.__name__ = name
    return op


def _unary(name: str):
    def op(self):
        return wrap(getattr(self._a, name)())

    op.__name__ = name
    return op


class ndarray:
    """A device array of the stand-in: a host NumPy buffer behind CuPy's rules (see the module's docstring)."""

    __slots__ = ("_a",)
    __hash__ = None
    __array_priority__ = 100.0

    def __init__(self, shape, dtype=float, memptr=None, strides=None, order="C"):
        self._a = np.empty(shape, dtype=dtype, order=order)

    @classmethod
    def _of(cls, host: np.ndarray) -> ndarray:
        self = object.__new__(cls)
        self._a = host
        return self

    # ------------------------------------------------------------ what CuPy refuses
    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. "
            "Please use `.get()` to construct a NumPy array explicitly."
        )

    def __getattr__(self, name):
        # dunders (__array_interface__, __array_struct__, the buffer protocol...) stay NumPy's secret
        if name.startswith("__") or name in _HOST_ONLY or name == "_a":
            raise AttributeError(f"'cupy.ndarray' object has no attribute {name!r}")
        v = getattr(self._a, name)
        if not callable(v):
            return wrap(v)

        def method(*args, **kwargs):
            _keywords(name, kwargs)
            seen = {id(self._a): self}
            r = v(*unwrap(args, seen), **{k: unwrap(x, seen) for k, x in kwargs.items()})
            return wrap(r, seen)

        method.__name__ = name
        return method

    # ------------------------------------------------------------ attributes
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: ndarray._of(self._a.T))
    mT = property(lambda self: ndarray._of(self._a.mT))
    real = property(lambda self: ndarray._of(self._a.real))
    imag = property(lambda self: ndarray._of(self._a.imag))

    @property
    def device(self):
        from cupy import cuda

        return cuda.Device(0)

    @property
    def __cuda_array_interface__(self) -> dict:
        ai = self._a.__array_interface__
        return {"shape": ai["shape"], "typestr": ai["typestr"], "descr": ai["descr"], "data": ai["data"],
                "strides": ai["strides"], "version": 3}

    def __dlpack_device__(self):
        return (2, 0)  # kDLCUDA, device 0

    # ------------------------------------------------------------ explicit ways to the host
    def get(self, stream=None, order="C", out=None, blocking=True) -> np.ndarray:
        h = np.array(self._a, order=order, copy=True)
        if out is None:
            return h
        out[...] = h
        return out

    def __bool__(self):
        if self._a.size == 0:
            warnings.warn("The truth value of an empty array is ambiguous. Returning False, but in future this "
                          "will result in an error. Use `array.size > 0` to check that an array is not empty.",
                          DeprecationWarning, stacklevel=2)
            return False
        if self._a.size == 1:
            return bool(self._a.reshape(()))
        raise ValueError("The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")

    def __int__(self):
        return int(self.get())

    def __float__(self):
        return float(self.get())

    def __complex__(self):
        return complex(self.get())

    def __repr__(self):
        return repr(self.get())

    def __str__(self):
        return str(self.get())

    def __format__(self, spec):
        return format(self.get(), spec)

    def __reduce__(self):  # pickled as its host copy, rebuilt on the device
        return _rebuild, (self.get(),)

    # ------------------------------------------------------------ containers
    def __len__(self):
        if self._a.ndim == 0:
            raise TypeError("len() of unsized object")
        return len(self._a)

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self._a)))

    def __getitem__(self, key):  # CuPy copies NumPy index arrays to the device itself
        return wrap(self._a[unwrap(key, {}, strict=False)])

    def __setitem__(self, key, value):  # ... and a NumPy value too (a host-to-device copy)
        self._a[unwrap(key, {}, strict=False)] = unwrap(value, {}, strict=False)

    # ------------------------------------------------------------ NumPy's protocols, as CuPy answers them
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        for x in inputs + tuple(kwargs.get("out", ())):
            if not (type(x) is ndarray or isinstance(x, (np.ndarray, *_SCALARS)) or x is None):
                return NotImplemented
        seen: dict = {}
        args = unwrap(inputs, seen)
        kw = {k: unwrap(v, seen) for k, v in kwargs.items()}
        return wrap(getattr(ufunc, method)(*args, **kw), seen)

    def __array_function__(self, func, types, args, kwargs):
        import cupy

        mod = cupy
        for part in func.__module__.split(".")[1:]:
            mod = getattr(mod, part, None)
        f = getattr(mod, func.__name__, None) if mod is not None else None
        if f is None or f is func or not all(issubclass(t, (ndarray, np.ndarray)) for t in types):
            return NotImplemented
        return f(*args, **kwargs)


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
              "lshift", "rshift", "divmod"):
    setattr(ndarray, f"__{_name}__", _binary(f"__{_name}__"))
    setattr(ndarray, f"__r{_name}__", _binary(f"__r{_name}__"))
    if _name != "divmod":
        setattr(ndarray, f"__i{_name}__", _binary(f"__i{_name}__"))
for _name in ("lt", "le", "eq", "ne", "gt", "ge"):
    setattr(ndarray, f"__{_name}__", _binary(f"__{_name}__"))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(ndarray, f"__{_name}__", _unary(f"__{_name}__"))
ndarray.__module__ = "cupy"
