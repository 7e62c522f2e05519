"""Random sampling is not in the array API standard, and libraries' generators differ (JAX's take
explicit keys): draws with another library's array as a parameter raise, naming the host route."""

from __future__ import annotations

from typing import Any

from ..errors import BackendError

__all__ = ["default_rng", "legacy_rng"]


def _refuse(xp: Any) -> BackendError:
    lib = xp.__name__.replace("array_api_compat.", "")
    return BackendError(
        f"random: xpmath draws on its own backends, not in {lib} (the array API standard has no random "
        f"sampling); pass the parameters as Python or NumPy numbers (xpmath.to_numpy) and move the draws "
        f"with {lib}'s asarray, or name a backend with backend="
    )


def default_rng(xp: Any, seed: Any = None) -> Any:
    raise _refuse(xp)


def legacy_rng(xp: Any, seed: Any = None) -> Any:
    raise _refuse(xp)
