"""The wheel's contents as pyproject.toml declares them: every package directory and the CUDA sources.

setuptools installs only the packages listed in ``[tool.setuptools] packages`` (the ``backends``
folder is mapped to ``xpmath_backends``, so discovery cannot be used); a subpackage left out of the
list works in an editable install and is missing from a built wheel.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_directory_is_listed():
    cfg = _setuptools()
    found = set()
    for top, where in cfg["package-dir"].items():
        base = ROOT / where
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base)
            found.add(".".join((top, *rel.parts)))
    assert found - set(cfg["packages"]) == set()


def test_package_data_matches_the_cuda_sources():
    cfg = _setuptools()
    globs = cfg["package-data"]["xpmath_backends.cuda"]
    assert "xpmath_backends.cuda" in cfg["packages"]
    cuda = ROOT / cfg["package-dir"]["xpmath_backends"] / "cuda"
    matched = {p.name for g in globs for p in cuda.glob(g)}
    assert matched == {p.name for p in cuda.glob("*.cu")} and matched
