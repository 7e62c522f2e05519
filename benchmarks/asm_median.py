"""The machine code of the numba backend's median kernels, for this machine and for other x86-64 targets.

    .venv/bin/python benchmarks/asm_median.py [--cpus host,znver3,skylake-avx512] [--dtype float64]
                                              [--show] [--asm-dir DIR]

The median of a 1-D array (``xpmath_backends.numba_kernels.median``) is a histogram selection:
``_minmax_nan`` finds the range, ``_histogram`` counts the values in 4096 bins, ``_gather`` copies
the values of the median's bin and ``_bin_extreme`` finds the largest or smallest value of a bin.
This script compiles those four kernels with the argument types the backend passes (a C-ordered
1-D array, float64 ``lo`` and ``scale``, int64 ``nchunks`` and bin, an int64 offsets array, a
bool ``want_max``) for each target CPU in turn, and reads their hot loop in the machine code.

Numba reads ``NUMBA_CPU_NAME`` when it is imported, so each target compiles in a new process
(``host``: whatever Numba picks for this machine), with an empty ``NUMBA_CACHE_DIR`` (code loaded
from the cache cannot be inspected). Targets that this LLVM does not know are dropped, with a
note. The targets compile one after another, at a lowered priority: several seconds each
(about a minute for the six default targets).
No kernel runs, so AVX-512 targets can be inspected on a machine without AVX-512.

For each kernel, the hot loop is the innermost loop (a block ending in a backward branch to a
label) of the kernel's ``prange`` body (the ``__numba_parfor_gufunc`` function Numba makes of it,
not those of its ``np.zeros`` or final ``.min()``) that reads the most input elements per
iteration: the unrolled or vectorised main loop rather than its remainder.
One table, a row per target and kernel:

    vec      vectorised: the input is read with packed loads (otherwise one element at a time)
    reg      the widest vector register the loop touches (xmm is also what scalar code uses)
    elt/it   input elements read per iteration (the unroll factor times the vector lanes)
    insns    instructions in the loop, as laid out (a rarely taken block inside the loop counts)
    ins/elt  insns / elt/it: the instructions per input element
    hot/elt  the same on the usual path: taking every conditional branch inside the loop, which in
             these kernels skips the rare code (the clamp of the top bin, a value in the wanted bin)
    br       conditional branches in the loop
    st       instructions that write memory (stores, and read-modify-writes such as ``incq (mem)``)
    cvt      the float-to-int conversions (``vcvttsd2si``: scalar; ``vcvttpd2qq``: AVX-512DQ packed)
    gat/sct  gather / scatter instructions in the loop (in parentheses, when they differ: in all of
             the kernel's parallel loop-body code)
    cd       AVX-512CD conflict detection (``vpconflict``): what a vectorised histogram needs
    loops    innermost loops that read the input (the hot one and its remainders or unswitched copies)

``--show`` prints each hot loop's instructions after the table; ``--asm-dir`` keeps the whole
listing of each kernel (``DIR/<target>/<kernel>.s``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

CPUS = ["host", "znver3", "znver4", "skylake-avx512", "icelake-server", "sapphirerapids"]
KERNELS = ["_histogram", "_minmax_nan", "_gather", "_bin_extreme"]

# compiles the kernels in the child process and prints {kernel: assembly} as JSON
_CHILD = r"""
import json, sys
import llvmlite.binding as ll
from numba import types as T
from xpmath_backends.numba_kernels import median as M
dt = getattr(T, sys.argv[1])
f8, i8 = T.float64, T.int64
v = T.Array(dt, 1, "C")
sigs = {"_histogram": (v, f8, f8, i8),
        "_minmax_nan": (v,),
        "_gather": (v, f8, f8, i8, i8, T.Array(i8, 1, "C"), v),
        "_bin_extreme": (v, f8, f8, i8, T.boolean)}
out = {"host_cpu": ll.get_host_cpu_name()}
for name in sys.argv[2:]:
    disp = getattr(M, name)
    disp.compile(sigs[name])
    out[name] = disp.inspect_asm(sigs[name])
    # the gufuncs of the kernel's own prange loops, not those Numba makes of np.zeros or .min()
    diag = disp.get_metadata(sigs[name]).get("parfor_diagnostics")
    out[name + ":prange"] = [hex(hash(p)).replace("-", "_") for p in getattr(diag, "initial_parfors", [])
                             if any(pat[:2] == ("prange", "user") for pat in p.patterns)]
print(json.dumps(out))
"""

# which CPU names this LLVM knows: LLVM warns on stderr for an unknown one
_PROBE = r"""
import sys
import llvmlite.binding as ll
ll.initialize_native_target(); ll.initialize_native_asmprinter()
t = ll.Target.from_default_triple()
for cpu in sys.argv[1:]:
    sys.stderr.write("@@" + cpu + "\n"); sys.stderr.flush()
    t.create_target_machine(cpu=cpu)
"""


def _lower_priority():
    os.nice(10)


def known_cpus(cpus: list[str]) -> tuple[list[str], list[str]]:
    """(the targets LLVM accepts, those it rejects); ``host`` is always accepted."""
    named = [c for c in cpus if c != "host"]
    if not named:
        return cpus, []
    r = subprocess.run([sys.executable, "-c", _PROBE, *named], capture_output=True, text=True, check=False)
    bad = set()
    for part in r.stderr.split("@@")[1:]:
        cpu, _, rest = part.partition("\n")
        if "not a recognized processor" in rest:
            bad.add(cpu)
    return [c for c in cpus if c not in bad], [c for c in cpus if c in bad]


def compile_for(cpu: str, dtype: str, kernels: list[str]) -> dict:
    """{kernel: assembly, "host_cpu": name} compiled in a new process targeting ``cpu``."""
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES")}
    env["NUMBA_NUM_THREADS"] = "1"  # nothing runs; no thread pool needed
    if cpu != "host":
        env["NUMBA_CPU_NAME"] = cpu
    with tempfile.TemporaryDirectory(prefix="asm_median_") as cache:
        env["NUMBA_CACHE_DIR"] = cache
        r = subprocess.run([sys.executable, "-c", _CHILD, dtype, *kernels], env=env, capture_output=True,
                           text=True, check=False, preexec_fn=_lower_priority if hasattr(os, "nice") else None)
    if r.returncode:
        raise RuntimeError(f"{cpu}: compiling failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- reading the assembly

_LABEL = re.compile(r"^([.\w$@]+):\s*(#.*)?$")
_BRANCH = re.compile(r"^j[a-z]+$")
_REG = re.compile(r"%([xyz])mm\d+")


def _operands(text: str) -> list[str]:
    """AT&T operands, split on the commas outside parentheses and braces."""
    ops, depth, cur = [], 0, ""
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            ops.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        ops.append(cur.strip())
    return ops


def functions(asm: str) -> dict[str, list[tuple]]:
    """{function name: items}, each item ("label", name) or ("insn", mnemonic, operands, text)."""
    names = set(re.findall(r"\.type\s+\"?([^\",]+)\"?,\s*@function", asm))
    out, cur = {}, None
    for raw in asm.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = _LABEL.match(line)
        if m:
            if m.group(1) in names:
                cur = out.setdefault(m.group(1), [])
            elif m.group(1).startswith(".Lfunc_end"):
                cur = None
            elif cur is not None:
                cur.append(("label", m.group(1)))
        elif cur is not None and not line.startswith("."):
            mnem, rest = (re.split(r"\s+", line, maxsplit=1) + [""])[:2]
            cur.append(("insn", mnem, _operands(rest), line))
    return out


def loops(items: list[tuple]) -> list[tuple[int, int]]:
    """Innermost loops as (index of the header label, index of the last backward branch to it)."""
    where = {it[1]: i for i, it in enumerate(items) if it[0] == "label"}
    ends = {}
    for i, it in enumerate(items):
        if it[0] == "insn" and _BRANCH.match(it[1]) and it[2]:
            q = where.get(it[2][0])
            if q is not None and q < i:
                ends[q] = max(ends.get(q, i), i)
    spans = sorted(ends.items())
    return [(q, p) for q, p in spans
            if not any((q2, p2) != (q, p) and q <= q2 and p2 <= p for q2, p2 in spans)]


def _hot(items: list[tuple], q: int, p: int) -> int:
    """Instructions of loop (q, p) on the path where each conditional branch inside it is taken:
    without the blocks a forward branch skips, nor what follows a conditional branch back to the
    header (the rarely run clamp or bin-match code of these kernels)."""
    where = {it[1]: i for i, it in enumerate(items) if it[0] == "label"}
    cold = set()
    for i in range(q, p + 1):
        it = items[i]
        if it[0] == "insn" and _BRANCH.match(it[1]) and it[1] != "jmp" and it[2]:
            t = where.get(it[2][0])
            if t is not None and i < t <= p:
                cold.update(range(i + 1, t))
            elif t == q:
                cold.update(range(i + 1, p + 1))
    return sum(1 for i in range(q, p + 1) if items[i][0] == "insn" and i not in cold)


def _is_mem(op: str) -> bool:
    return "(" in op


def _lanes(mnem: str, dest: str, elt: str) -> int:
    """Input elements one FP load reads: 1 for a scalar, else the vector register's lanes."""
    scalar = {"d": ("sd", "vmovsd", "vbroadcastsd", "movsd"), "s": ("ss", "vmovss", "vbroadcastss", "movss")}[elt]
    if mnem.startswith(scalar[1:]) or (mnem.endswith(scalar[0]) and "gather" not in mnem):
        return 1
    m = _REG.search(dest)
    bits = {"x": 128, "y": 256, "z": 512}[m.group(1)] if m else 128
    return bits // (64 if elt == "d" else 32)


def _is_fp_load(mnem: str, ops: list[str], elt: str) -> bool:
    """An instruction reading a float of the input's type from memory (a load or a folded operand)."""
    if len(ops) < 2 or not any(_is_mem(o) for o in ops[:-1]):
        return False
    if "gather" in mnem:
        return mnem.endswith("p" + elt)
    base = mnem.removeprefix("v")
    return base.endswith(("sd", "pd") if elt == "d" else ("ss", "ps")) and not base.startswith("cvt")


def analyse(asm: str, elt: str = "d", prange: list[str] | None = None) -> dict:
    """The hot loop of the kernel's parallel loop body, summarised (see the module docstring).
    ``prange``: the ids of the gufuncs made of the kernel's ``prange`` loops (else all gufuncs)."""
    fns = {n: its for n, its in functions(asm).items() if "numba_parfor_gufunc" in n}
    own = {n: its for n, its in fns.items() if any(f"numba_parfor_gufunc_{h}B" in n for h in prange or [])}
    fns = own or fns
    all_gat = sum(it[1].startswith(("vgather", "vpgather")) for its in fns.values() for it in its if it[0] == "insn")
    all_sct = sum(it[1].startswith(("vscatter", "vpscatter")) for its in fns.values() for it in its if it[0] == "insn")
    cands = []
    for fname, its in fns.items():
        for q, p in loops(its):
            body = [it for it in its[q:p + 1] if it[0] == "insn"]
            addrs = {}
            for _, mnem, ops, _ in body:
                if _is_fp_load(mnem, ops, elt):
                    mem = next(o for o in ops[:-1] if _is_mem(o))
                    addrs[mem] = max(addrs.get(mem, 0), _lanes(mnem, ops[-1], elt))
            if addrs:
                cands.append((sum(addrs.values()), -len(body), fname, q, p, body, max(addrs.values()),
                              _hot(its, q, p)))
    if not cands:
        return {"found": False, "gathers_all": all_gat, "scatters_all": all_sct}
    cands.sort(key=lambda c: (c[0], c[1]), reverse=True)
    elts, _, fname, q, p, body, lanes, hot = cands[0]
    regs = {m.group(1) for it in body for m in _REG.finditer(it[3])}
    widest = "zmm" if "z" in regs else "ymm" if "y" in regs else "xmm" if "x" in regs else "-"
    return {
        "found": True,
        "vec": lanes > 1,
        "reg": widest,
        "elt_per_iter": elts,
        "insns": len(body),
        "hot": hot,
        "branches": sum(1 for it in body if _BRANCH.match(it[1]) and it[1] != "jmp"),
        "stores": sum(1 for it in body if it[2] and _is_mem(it[2][-1]) and not _BRANCH.match(it[1])
                      and not it[1].startswith(("cmp", "test", "vucomi", "vcomi", "prefetch"))),
        "cvt": sorted({it[1] for it in body if "cvt" in it[1]}),
        "gathers": sum(it[1].startswith(("vgather", "vpgather")) for it in body),
        "scatters": sum(it[1].startswith(("vscatter", "vpscatter")) for it in body),
        "gathers_all": all_gat,
        "scatters_all": all_sct,
        "conflict": sum(it[1].startswith("vpconflict") for it in body),
        "loops": len(cands),
        "listing": [it[3] if it[0] == "insn" else it[1] + ":" for it in fns[fname][q:p + 1]],
    }


# ----------------------------------------------------------------------------- the table

def row(target: str, kernel: str, a: dict) -> str:
    if not a["found"]:
        return f"{target:<22} {kernel:<13} (no loop reading the input found)"
    cvt = ",".join(a["cvt"]) or "-"
    gs = f"{a['gathers']}/{a['scatters']}"
    if (a["gathers_all"], a["scatters_all"]) != (a["gathers"], a["scatters"]):
        gs += f" ({a['gathers_all']}/{a['scatters_all']})"
    return (f"{target:<22} {kernel:<13} {'yes' if a['vec'] else 'no':<4} {a['reg']:<4} {a['elt_per_iter']:>6} "
            f"{a['insns']:>6} {a['insns'] / a['elt_per_iter']:>8.2f} {a['hot'] / a['elt_per_iter']:>8.2f} "
            f"{a['branches']:>3} {a['stores']:>3} "
            f"{cvt:<21} {gs:<9} {a['conflict']:>3} {a['loops']:>5}")


HEADER = (f"{'target':<22} {'kernel':<13} {'vec':<4} {'reg':<4} {'elt/it':>6} {'insns':>6} {'ins/elt':>8} {'hot/elt':>8} "
          f"{'br':>3} {'st':>3} {'cvt':<21} {'gat/sct':<9} {'cd':>3} {'loops':>5}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cpus", default=",".join(CPUS), help="comma-separated LLVM CPU names ('host': this machine)")
    ap.add_argument("--kernels", default=",".join(KERNELS))
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"], help="the data's dtype")
    ap.add_argument("--show", action="store_true", help="print each hot loop's instructions")
    ap.add_argument("--asm-dir", help="write each kernel's whole listing to DIR/<target>/<kernel>.s")
    args = ap.parse_args(argv)
    kernels = args.kernels.split(",")
    cpus, rejected = known_cpus(args.cpus.split(","))
    import llvmlite
    import numba
    print(f"numba {numba.__version__}, llvmlite {llvmlite.__version__}, "
          f"LLVM {'.'.join(map(str, __import__('llvmlite.binding').binding.llvm_version_info))}; "
          f"data {args.dtype}")
    if rejected:
        print("targets this LLVM does not know (dropped): " + ", ".join(rejected))
    print()
    print(HEADER)
    print("-" * len(HEADER))
    shown = []
    for cpu in cpus:
        asm = compile_for(cpu, args.dtype, kernels)
        target = f"host ({asm['host_cpu']})" if cpu == "host" else cpu
        for k in kernels:
            a = analyse(asm[k], "d" if args.dtype == "float64" else "s", asm.get(k + ":prange"))
            print(row(target, k, a), flush=True)
            if args.show and a["found"]:
                shown.append((target, k, a["listing"]))
            if args.asm_dir:
                d = os.path.join(args.asm_dir, cpu)
                os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, k + ".s"), "w") as f:
                    f.write(asm[k])
    for target, k, listing in shown:
        print(f"\n--- {target} {k}: hot loop")
        print("\n".join(("" if s.endswith(":") else "    ") + s for s in listing))


if __name__ == "__main__":
    main()
