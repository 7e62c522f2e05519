"""Portable probability. The standard has no error function, so the normal CDF is a rational
approximation written here: Cephes' (S. L. Moshier) ``ndtr``, the one SciPy's ``ndtr`` uses, accurate
to a few units in the last place of a double."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .._reference.probability import bayes, total_probability  # the standard's arithmetic already
from ._common import as_float, astype, wide

__all__ = ["total_probability", "bayes", "normal_pdf", "normal_cdf", "count_within"]


def normal_pdf(xp: Any, x: Any, mean: Any = 0.0, std: Any = 1.0) -> Any:
    x = as_float(xp, x)
    z = (x - mean) / std
    return astype(xp, xp.exp(-0.5 * z * z) / (std * math.sqrt(2 * math.pi)), x.dtype)


# Cephes' coefficients: erf on |x| < 1 (T/U), erfc on 1 <= x < 8 (P/Q) and beyond (R/S)
_T = (9.60497373987051638749e0, 9.00260197203842689217e1, 2.23200534594684319226e3,
      7.00332514112805075473e3, 5.55923013010394962768e4)
_U = (1.0, 3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3,
      2.26290000613890934246e4, 4.92673942608635921086e4)
_P = (2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687e0,
      4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
      9.34528527171957607540e2, 1.02755188689515710272e3, 5.57535335369399327526e2)
_Q = (1.0, 1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2,
      9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
      1.65666309194161350182e3, 5.57535340817727675546e2)
_R = (5.64189583547755073984e-1, 1.27536670759978104416e0, 5.01905042251180477414e0,
      6.16021097993053585195e0, 7.40974269950448939160e0, 2.97886665372100240670e0)
_S = (1.0, 2.26052863220117276590e0, 9.39603524938001434673e0, 1.20489539808096656605e1,
      1.70814450747565897222e1, 9.60896809063285878198e0, 3.36907645100081516050e0)


def _poly(x: Any, coefs: tuple[float, ...]) -> Any:
    r = coefs[0] + 0 * x
    for c in coefs[1:]:
        r = r * x + c
    return r


def _ndtr(xp: Any, a: Any) -> Any:
    """The standard normal CDF of float64 ``a``, elementwise (both branches computed, one kept)."""
    x = a * math.sqrt(0.5)
    z = xp.abs(x)
    zz = x * x
    small = 0.5 + 0.5 * (x * _poly(zz, _T) / _poly(zz, _U))
    zc = xp.maximum(z, xp.ones_like(z))  # the erfc branch is only kept where |x| >= 1
    ratio = xp.where(zc < 8.0, _poly(zc, _P) / _poly(zc, _Q), _poly(zc, _R) / _poly(zc, _S))
    tail = 0.5 * xp.exp(-zc * zc) * ratio
    big = xp.where(x > 0, 1.0 - tail, tail)
    return xp.where(z < 1.0, small, big)


def normal_cdf(xp: Any, x: Any, mean: Any = 0.0, std: Any = 1.0) -> Any:
    x = as_float(xp, x)
    dt = wide(xp, x.dtype)
    z = (astype(xp, x, dt) - mean) / std
    return astype(xp, _ndtr(xp, z), x.dtype)


def count_within(xp: Any, x: Any, bounds: Iterable[tuple[Any, Any]]) -> Any:
    return xp.stack([xp.count_nonzero((x >= lo) & (x <= hi)) for lo, hi in bounds])
