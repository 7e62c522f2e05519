"""Draws inside jitted code: Numba's own seeded legacy stream, or NumPy's ``Generator`` passed in."""

from __future__ import annotations

import numpy as np
from numba import njit

from ._common import OPTS


@njit(**OPTS)
def seed_legacy(s):
    np.random.seed(s)


@njit(**OPTS)
def legacy_normal(loc, scale, n):
    return np.random.normal(loc, scale, n)


@njit(**OPTS)
def legacy_random(n):
    return np.random.random(n)


@njit(**OPTS)
def gen_normal(rng, loc, scale, n):
    return rng.normal(loc, scale, n)


@njit(**OPTS)
def gen_random(rng, n):
    return rng.random(n)
