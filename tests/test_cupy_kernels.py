"""The cupy backend's CUDA sources: shipped with the package, compiled for Hopper (sm_90) wherever
nvcc is installed (GPU or not), and emulated kernel for kernel by tests/fake_cupy.

Not marked ``gpu``: nvcc needs no device, so CI (which has the CUDA toolkit but no GPU) checks
that the kernels the backend hands to NVRTC at least compile, with no registers spilled.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backends" / "cupy_backend.py"
SOURCES = ("moments.cu", "gd_step.cu")  # what cupy_backend loads through _cuda_source
_ENTRY = re.compile(r'extern\s+"C"\s+__global__\s+void\s+(\w+)\s*\(')


def _text(name: str) -> str:
    return resources.files("xpmath_backends").joinpath("cuda").joinpath(name).read_text(encoding="utf-8")


def _nvrtc_options() -> list[str]:
    """The macros the backend defines for NVRTC: the gradient step's MAXCOLS."""
    m = re.search(r"^MAXCOLS = (\d+)", BACKEND.read_text(), re.M)
    assert m, "cupy_backend.py no longer sets MAXCOLS at module level"
    return [f"-DXP_MAXCOLS={m.group(1)}"]


def test_sources_are_package_resources_the_backend_names():
    loaded = set(re.findall(r'_cuda_source\("([\w.]+)"\)', BACKEND.read_text()))
    assert loaded == set(SOURCES)
    shipped = {p.name for p in resources.files("xpmath_backends").joinpath("cuda").iterdir() if p.name.endswith(".cu")}
    assert shipped == set(SOURCES)
    for name in SOURCES:
        assert _ENTRY.search(_text(name)), f"{name} exports no kernel"


def test_fake_cupy_emulates_exactly_the_exported_kernels():
    path = ROOT / "tests" / "fake_cupy" / "cupy" / "_kernels.py"
    spec = importlib.util.spec_from_file_location("_fake_cupy_kernels", path)
    fake = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fake)
    exported = {k for name in SOURCES for k in _ENTRY.findall(_text(name))}
    assert set(fake.RAW) == exported


def test_backend_starts_on_the_stand_in():
    """With tests/fake_cupy on the path the backend must start, or the whole cupy run would only skip."""
    spec = importlib.util.find_spec("cupy")
    if spec is None or "fake_cupy" not in (spec.origin or ""):
        pytest.skip("tests/fake_cupy is not on PYTHONPATH")
    from xpmath import _registry

    be, why = _registry.status("cupy")
    assert be is not None, why


@pytest.mark.parametrize("name", SOURCES)
def test_kernels_compile_for_hopper_without_spills(tmp_path, name):
    nvcc = shutil.which("nvcc")
    if nvcc is None:
        pytest.skip("nvcc is not installed here")
    cu = tmp_path / name
    cu.write_text(_text(name))
    out = subprocess.run([nvcc, "-arch=sm_90", *_nvrtc_options(), "-c", str(cu), "-o", str(tmp_path / "k.o"),
                          "-Xptxas", "-v"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    compiled = re.findall(r"Compiling entry function '(\w+)'", out.stderr)
    assert sorted(compiled) == sorted(_ENTRY.findall(cu.read_text())), out.stderr
    spills = [int(b) for b in re.findall(r"(\d+) bytes spill (?:stores|loads)", out.stderr)]
    assert len(spills) == 2 * len(compiled), out.stderr  # ptxas reported stores and loads of each
    assert not any(spills), out.stderr
