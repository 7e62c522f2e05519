"""This machine's limits, measured in the same run as the results they judge.

Bandwidth probes run on arrays well beyond the last-level cache (at least ``LLC_FACTOR`` times
its size and at least ``MIN_PROBE_BYTES``): a probe that fits in cache measures the cache, and
every memory-bound result would then look slow against it, or fast against a probe that is
partly cached. The read probe sums blocks in parallel, each block a slice indexed from 0 (an
index offset by the block start keeps NumPy's negative-index wrap-around on every access, which
vectorises into gathers); the copy probe is the better of a parallel blocked copy and
``np.copyto`` (glibc's ``memcpy`` streams around the cache on large copies).
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import time

import numpy as np

LLC_FACTOR = 8
MIN_PROBE_BYTES = 256 * 2**20
FULL_PROBE_BYTES = 1024 * 2**20
PROBE_BLOCK = 1 << 16  # elements per parallel block: 512 KiB of float64, well above the fork cost
ASSUMED_LLC = 64 * 2**20  # where no source reports one: larger than most desktop and server L3s per socket


def _best_time(fn, repeat: int) -> float:
    """The fastest of ``repeat`` calls: a limit is what the machine can do, and on a shared
    machine every slower call measured a neighbour as well."""
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return min(ts)


_UNITS = {
    "": 1,
    "B": 1,
    "K": 2**10,
    "KB": 2**10,
    "KIB": 2**10,
    "M": 2**20,
    "MB": 2**20,
    "MIB": 2**20,
    "G": 2**30,
    "GB": 2**30,
    "GIB": 2**30,
}


def _parse_size(text: str) -> int | None:
    m = re.match(r"\s*([\d.]+)\s*([KMG]?I?B?)\s*$", text.strip(), re.IGNORECASE)
    if not m:
        return None
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def _llc_sysfs() -> int | None:
    """Sum of the distinct highest-level data caches that serve the CPUs this process may run on:
    threads on several sockets (or AMD core complexes) each fill their own."""
    try:
        cpus = os.sched_getaffinity(0)
    except (AttributeError, OSError):
        cpus = set(range(os.cpu_count() or 1))
    seen: dict[str, tuple[int, int]] = {}  # shared_cpu_list -> (level, bytes)
    for cpu in sorted(cpus):
        for d in glob.glob(f"/sys/devices/system/cpu/cpu{cpu}/cache/index*"):
            try:
                with open(f"{d}/type") as f:
                    if f.read().strip() == "Instruction":
                        continue
                with open(f"{d}/level") as f:
                    level = int(f.read())
                with open(f"{d}/size") as f:
                    size = _parse_size(f.read())
                with open(f"{d}/shared_cpu_list") as f:
                    shared = f.read().strip()
            except (OSError, ValueError):
                continue
            if size:
                seen[f"{level}:{shared}"] = (level, size)
    if not seen:
        return None
    top = max(level for level, _ in seen.values())
    return sum(size for level, size in seen.values() if level == top)


def _llc_sysconf() -> int | None:
    """glibc's figure, through ``os.sysconf`` where Python knows the name, else ``getconf``."""
    for name in ("LEVEL4_CACHE_SIZE", "LEVEL3_CACHE_SIZE", "LEVEL2_CACHE_SIZE"):
        try:
            v = os.sysconf(f"SC_{name}")
        except (ValueError, OSError, AttributeError):
            try:
                out = subprocess.run(["getconf", name], capture_output=True, text=True, timeout=5, check=False).stdout
                v = int(out.strip() or 0)
            except (OSError, ValueError, subprocess.SubprocessError):
                continue
        if v and v > 0:
            return int(v)
    return None


def _llc_sysctl() -> int | None:
    """macOS: the largest cache level it reports (Apple silicon has no L3, its L2 is shared)."""
    for key in ("hw.l3cachesize", "hw.l2cachesize"):
        try:
            out = subprocess.run(["sysctl", "-n", key], capture_output=True, text=True, timeout=5, check=False).stdout
            v = int(out.strip() or 0)
        except (OSError, ValueError, subprocess.SubprocessError):
            continue
        if v > 0:
            return v
    return None


def _llc_lscpu() -> int | None:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    best = None
    for line in out.splitlines():
        m = re.match(r"\s*L([234]) cache:\s*([\d.]+\s*[KMG]i?B?)", line, re.IGNORECASE)
        if m:  # "L3 cache: 32 MiB (1 instance)": the total over instances
            size = _parse_size(m.group(2))
            if size and (best is None or int(m.group(1)) >= best[0]):
                best = (int(m.group(1)), size)
    return best[1] if best else None


def llc_bytes() -> tuple[int, str]:
    """(bytes, source) of the last-level cache the process's CPUs share among them, summed over
    instances: Linux's sysfs cache topology, else glibc's ``sysconf``, else ``lscpu``, else
    macOS's ``sysctl``."""
    for how, fn in (("sysfs", _llc_sysfs), ("sysconf", _llc_sysconf), ("lscpu", _llc_lscpu), ("sysctl", _llc_sysctl)):
        v = fn()
        if v:
            return v, how
    return ASSUMED_LLC, f"assumed ({ASSUMED_LLC // 2**20} MiB; no source reported one)"


def probe_bytes(quick: bool, llc: int) -> int:
    """Array size for the bandwidth probes: beyond the cache however fast the mode, and at most
    an eighth of physical memory (the copy holds two such arrays)."""
    want = max(LLC_FACTOR * llc, MIN_PROBE_BYTES if quick else FULL_PROBE_BYTES)
    return min(want, _phys_bytes() // 8) // 8 * 8


def _phys_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2**62


def _numba():
    """Numba, loaded through the numba backend where it is usable (same threading layer and
    ``OMP_WAIT_POLICY`` as the kernels being judged), else None."""
    from xpmath import _registry

    be, _ = _registry.status("numba")
    if be is None:
        return None
    from xpmath_backends import numba_backend

    numba_backend._kernels()
    return numba_backend._state["numba"]


_probes: dict = {}


def _probe_kernels():
    if "read" in _probes:
        return _probes["read"], _probes["copy"]
    numba = _numba()
    if numba is None:
        return None, None
    prange = numba.prange

    @numba.njit(parallel=True, fastmath={"reassoc"}, cache=True, nogil=True)
    def read(x, block):
        n = x.size
        nb = (n + block - 1) // block
        sums = np.empty(nb)
        for b in prange(nb):
            xb = x[b * block : min((b + 1) * block, n)]
            s = 0.0
            for i in range(xb.size):
                s += xb[i]
            sums[b] = s
        return sums.sum()

    @numba.njit(parallel=True, cache=True, nogil=True)
    def copy(src, dst, block):
        n = src.size
        nb = (n + block - 1) // block
        for b in prange(nb):
            s = src[b * block : min((b + 1) * block, n)]
            d = dst[b * block : min((b + 1) * block, n)]
            for i in range(s.size):
                d[i] = s[i]

    _probes.update(read=read, copy=copy, numba=numba)
    return read, copy


class _threads:
    """Numba's thread count set for a block, restored after."""

    def __init__(self, numba, n: int | None):
        self.numba, self.n = numba, n

    def __enter__(self):
        if self.numba is not None and self.n is not None:
            self.old = self.numba.get_num_threads()
            self.numba.set_num_threads(self.n)

    def __exit__(self, *exc):
        if self.numba is not None and self.n is not None:
            self.numba.set_num_threads(self.old)


def read_bandwidth(nbytes: int = MIN_PROBE_BYTES, repeat: int = 5, threads: int | None = None) -> tuple[float, str]:
    """(GB/s, how) of a parallel read of ``nbytes`` on ``threads`` threads (all by default): a
    Numba blocked sum, or ``np.sum`` on one thread where Numba is not usable."""
    x = np.random.default_rng(1).random(nbytes // 8)
    read, _ = _probe_kernels()
    if read is None:
        t = _best_time(lambda: x.sum(), repeat)
        return x.nbytes / t / 1e9, "numpy sum (one thread)"
    numba = _probes["numba"]
    with _threads(numba, threads):
        read(x, PROBE_BLOCK)
        t = _best_time(lambda: read(x, PROBE_BLOCK), repeat)
        n = numba.get_num_threads()
    return x.nbytes / t / 1e9, f"numba blocked sum, {n} thread{'s' * (n > 1)}"


def copy_bandwidth(nbytes: int = MIN_PROBE_BYTES, repeat: int = 5, threads: int | None = None) -> tuple[float, str]:
    """(GB/s, how) of a large copy, counting bytes read plus bytes written: the better of
    ``np.copyto`` (one thread) and a Numba blocked copy on ``threads`` threads."""
    src = np.random.default_rng(0).random(nbytes // 8)
    dst = np.empty_like(src)
    np.copyto(dst, src)  # the destination's pages are faulted in outside the clock
    best = (2 * src.nbytes / _best_time(lambda: np.copyto(dst, src), repeat) / 1e9, "np.copyto (one thread)")
    _, copy = _probe_kernels()
    if copy is not None:
        numba = _probes["numba"]
        with _threads(numba, threads):
            copy(src, dst, PROBE_BLOCK)
            t = _best_time(lambda: copy(src, dst, PROBE_BLOCK), repeat)
            n = numba.get_num_threads()
        best = max(best, (2 * src.nbytes / t / 1e9, f"numba blocked copy, {n} thread{'s' * (n > 1)}"))
    return best


def gemm_peak(n: int = 2048, dtype=np.float64, repeat: int = 3) -> float:
    """GFLOP/s of the BLAS's own n×n matrix product (NumPy's BLAS)."""
    rng = np.random.default_rng(2)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    a @ b
    t = _best_time(lambda: a @ b, repeat)
    return 2.0 * n**3 / t / 1e9


def gpu_limits() -> dict:
    """The device's copy bandwidth and cuBLAS GEMM rate, timed with CUDA events (cupy only)."""
    import cupy as cp

    out = {}
    x = cp.random.random(2**27)  # 1 GiB of float64
    y = cp.empty_like(x)
    start, stop = cp.cuda.Event(), cp.cuda.Event()
    cp.copyto(y, x)
    start.record()
    for _ in range(10):
        cp.copyto(y, x)
    stop.record()
    stop.synchronize()
    out["gpu_copy_GBps"] = 10 * 2 * x.nbytes / (cp.cuda.get_elapsed_time(start, stop) / 1e3) / 1e9
    for dt in ("float32", "float64"):
        a = cp.random.random((8192, 8192)).astype(dt)
        a @ a
        start.record()
        for _ in range(3):
            a @ a
        stop.record()
        stop.synchronize()
        out[f"gpu_gemm_{dt}_GFLOPs"] = 3 * 2 * 8192**3 / (cp.cuda.get_elapsed_time(start, stop) / 1e3) / 1e9
    return out


def measure(quick: bool, dtype=np.float64, gemm: bool = True) -> dict:
    """Every CPU limit the reports judge against, with how each was measured.

    ``read_GBps`` and ``copy_GBps`` use all threads; ``read_1t_GBps`` one (what a single-threaded
    library can reach at most); ``llc_bytes`` is the cache size that decides which results are
    reported as in cache rather than as a share of these.
    """
    llc, llc_how = llc_bytes()
    size = probe_bytes(quick, llc)
    repeat = 3 if quick else 5
    rb, how = read_bandwidth(size, repeat)
    rb1, how1 = read_bandwidth(size, repeat, threads=1)
    cb, chow = copy_bandwidth(size, repeat)
    lim = {
        "llc_bytes": llc,
        "llc_how": llc_how,
        "probe_bytes": size,
        "read_GBps": rb,
        "read_how": how,
        "read_1t_GBps": rb1,
        "read_1t_how": how1,
        "copy_GBps": cb,
        "copy_how": chow,
    }
    if gemm:
        n = 1024 if quick else 2048
        lim["gemm_GFLOPs"] = gemm_peak(n, dtype)
        lim["gemm_how"] = f"numpy matmul n={n} {np.dtype(dtype).name}"
    return lim


RATES = ("read_GBps", "read_1t_GBps", "copy_GBps", "gemm_GFLOPs")


def best_of(*measured: dict) -> dict:
    """Limits measured several times in one run, each rate the highest seen (with its ``how``)."""
    out = dict(measured[0])
    for m in measured[1:]:
        for key in RATES:
            if key in m and m[key] > out.get(key, 0):
                out[key] = m[key]
                how = key.replace("_GBps", "_how").replace("_GFLOPs", "_how")
                if how in m:
                    out[how] = m[how]
    out["measured_times"] = len(measured)
    return out
