#!/usr/bin/env bash
# The suite and the benchmarks on a real CUDA device, in one call of at most 8 minutes, on a machine
# that can fetch nothing: run from the repository root as `bash benchmarks/gpu_proof.sh`.
#
# What it does, each stage under `timeout` and the whole inside GPU_PROOF_BUDGET seconds (480):
#   setup      the wheels in $GPU_PROOF_WHEELS (.whl) into a temporary --target dir on PYTHONPATH;
#              `pip install --no-deps --no-build-isolation --no-index -e .`, or, where that fails (a
#              setuptools older than pyproject's >=77) or GPU_PROOF_NO_INSTALL=1, no build at all:
#              xpmath -> src/xpmath and xpmath_backends -> backends symlinked into a directory on
#              PYTHONPATH (there is then no `xpmath` console script, so `python -m xpmath` is used and
#              test_backend_control's console-script test fails). Then nvidia-smi, CUDA, CuPy, torch,
#              JAX versions (env.json) and `python -m xpmath info`.
#   tests      XPMATH_TEST_BACKENDS=cupy pytest tests/ on the real CuPy (the backend-parametrised suite
#              and the gpu-marked tests), xdist, -x off, a per-test timeout (pytest-timeout), the numba
#              files left out (CPU only), JAX on its CPU as in CI (JAX_PLATFORMS=cpu)
#   foreign    tests/test_foreign_arrays.py on PyTorch's CUDA device and JAX's GPU (torch_cuda, jax_gpu)
#   crossover  numpy against cupy on host data, 64 ... 16.7 million elements: auto's GPU_CROSSOVER
#   bench      xpmath bench's workloads on cupy at large sizes (matmul 8192, inv/eigh 8192, var/median
#              1e8 and 1e9, the gd fits of 1e7 x 100, the estimators), numpy beside it where cheap:
#              cupy / numpy ratios, % of the measured copy bandwidth and of the data sheet's HBM
#   bench_gpu  benchmarks/bench_gpu.py: xpmath against CuPy direct at 8192, 1e9 float32 statistics, gd step
#   summary    a short table of all of it
# Without a usable CUDA device the tests stage runs the gpu-marked tests only (they skip, saying why),
# and the benchmarks are skipped with the reason; GPU_PROOF_CPU_REHEARSAL=1 then runs the crossover
# and bench drivers at tiny sizes on numba instead, to rehearse their code. Exit status 0 unless the
# setup failed: what failed is in the summary.
#
# Everything goes to $OUT as it is produced (8 files: proof.log, env.json, tests-cupy.xml,
# tests-foreign-gpu.xml, crossover.json, bench.json, bench_gpu.json, summary.txt), so a run cut off
# at its limit still returns what it has. Knobs: PYTHON (python3), GPU_PROOF_BUDGET (480),
# GPU_PROOF_STAGES (tests,foreign,crossover,bench,bench_gpu; setup and summary always run),
# GPU_PROOF_WORKERS (8), GPU_PROOF_TEST_TIMEOUT (per test, 120 s), GPU_PROOF_WHEELS (.whl),
# GPU_PROOF_TESTS (the tests stage's paths, tests/: a rerun can name the files a cut-off run missed).
#
# Preparing the wheels the device lacks (array-api-compat is a hard dependency of xpmath,
# array-api-strict a test one; dask + distributed, 3 MB with their missing needs, make the dask
# backend usable there, for the one test of Dask arrays of CuPy chunks; zarr is not needed), once,
# in the repository root of the checkout that the device tool sends:
#   echo /.whl/ >> "$(git rev-parse --git-common-dir)/info/exclude"
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
#     --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .whl \
#     array-api-compat==1.16.0 array-api-strict==2.6.1 \
#     dask==2026.8.0 distributed==2026.8.0 partd==1.4.2 locket==1.0.0 tblib==3.2.2 zict==3.0.0 tornado==6.6.1
# The device call (15 minutes of device time in all: about 1.5 to start, 8.5 for this, the rest for
# one rerun of the stages that failed on the warm machine, e.g. command
# "GPU_PROOF_STAGES=tests GPU_PROOF_BUDGET=200 bash benchmarks/gpu_proof.sh", timeout_s 230):
#   run(command="bash benchmarks/gpu_proof.sh", carry=[".whl"], timeout_s=520)
set -u -o pipefail
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
BUDGET=${GPU_PROOF_BUDGET:-480}
STAGES=",${GPU_PROOF_STAGES:-tests,foreign,crossover,bench,bench_gpu},"
WORKERS=${GPU_PROOF_WORKERS:-8}
WHEELS=${GPU_PROOF_WHEELS:-.whl}
read -r -a TESTS <<<"${GPU_PROOF_TESTS:-tests/}"
export PYTHONUNBUFFERED=1
export XLA_PYTHON_CLIENT_PREALLOCATE=false  # JAX would otherwise take 75% of the device in each process
exec > >(tee -a "$OUT/proof.log") 2>&1
START=$SECONDS
SUMMARY=""

# stage NAME SECONDS CMD...: CMD under timeout (SIGINT first, so pytest still writes its XML), cut
# to what is left of the budget less 20 s for the summary
stage() {
    local name=$1 limit=$2 left rc t0 status
    shift 2
    left=$((BUDGET - (SECONDS - START) - 20))
    ((limit > left)) && limit=$left
    if ((limit < 10)); then
        echo "=== $name: not run, ${left}s of the budget left"
        SUMMARY+="$name|not run: out of time|0;"
        return
    fi
    echo "=== $name (limit ${limit}s) $(date +%T)"
    t0=$SECONDS
    timeout -s INT -k 20 "$limit" "$@"
    rc=$?
    case $rc in
        0) status=ok ;;
        124 | 137) status="cut off at ${limit}s" ;;
        *) status="exit $rc" ;;
    esac
    echo "=== $name: $status, $((SECONDS - t0))s"
    SUMMARY+="$name|$status|$((SECONDS - t0));"
}
skip() {
    echo "=== $1: skipped: $2"
    SUMMARY+="$1|skipped|0;"
}
want() { [[ $STAGES == *",$1,"* ]]; }

# ---------------------------------------------------------------------------------------- setup
echo "=== setup $(date -u +%FT%TZ) in $ROOT, python: $(command -v "$PY") ($($PY --version 2>&1))"
SITE=$(mktemp -d /tmp/xpmath-proof-site.XXXX)
if compgen -G "$WHEELS/*.whl" >/dev/null; then
    echo "installing $(ls "$WHEELS"/*.whl | wc -l) wheels from $WHEELS into $SITE/wheels"
    timeout 120 "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target "$SITE/wheels" "$WHEELS"/*.whl || echo "WARNING: the wheels did not install"
    export PYTHONPATH="$SITE/wheels${PYTHONPATH:+:$PYTHONPATH}"
else
    echo "no wheels in $WHEELS: array-api-compat and array-api-strict must already be installed"
fi
INSTALL="" WHY="GPU_PROOF_NO_INSTALL is set"
if [[ -z ${GPU_PROOF_NO_INSTALL:-} ]]; then
    if timeout 180 "$PY" -m pip install -q --no-deps --no-build-isolation --no-index -e . ; then
        INSTALL="editable (pip install -e .)"
    else
        WHY="pip install -e . failed"
        echo "$WHY: falling back to the checkout on PYTHONPATH"
    fi
fi
if [[ -z $INSTALL ]]; then
    mkdir -p "$SITE/src"
    ln -sfn "$ROOT/src/xpmath" "$SITE/src/xpmath"
    ln -sfn "$ROOT/backends" "$SITE/src/xpmath_backends"
    export PYTHONPATH="$SITE/src${PYTHONPATH:+:$PYTHONPATH}"
    INSTALL="checkout on PYTHONPATH, no build ($WHY)"
fi
export GPU_PROOF_INSTALL=$INSTALL
echo "install: $INSTALL; PYTHONPATH=${PYTHONPATH:-}"
if ! where=$("$PY" -c "import xpmath, os; print(os.path.realpath(xpmath.__file__))"); then
    echo "setup failed: xpmath does not import"
    exit 1
fi
[[ $where == "$ROOT"/* ]] || echo "WARNING: xpmath imports from $where, not from this checkout"
command -v nvidia-smi >/dev/null && timeout 30 nvidia-smi || echo "nvidia-smi: not here"
timeout 90 "$PY" benchmarks/gpu_proof.py env --json "$OUT/env.json"
timeout 90 "$PY" -m xpmath info
SUMMARY+="setup|$INSTALL|$((SECONDS - START));"

GPU_WHY=$("$PY" benchmarks/gpu_proof.py gpu-ok) && GPU=1 || GPU=""
[[ -n $GPU ]] && echo "cupy backend: usable" || echo "$GPU_WHY"
PYTEST=("$PY" -m pytest -q -rfE -p no:cacheprovider)  # skip reasons: in the summary, from the XML
if "$PY" -c "import pytest_timeout" 2>/dev/null; then
    PYTEST+=("--timeout=${GPU_PROOF_TEST_TIMEOUT:-120}")
else
    echo "pytest-timeout is not installed: no per-test timeout, only the stage's"
fi
XDIST=()
"$PY" -c "import xdist" 2>/dev/null && XDIST=(-n "$WORKERS")

# ---------------------------------------------------------------------------------------- tests
if want tests; then
    if [[ -n $GPU ]]; then
        stage tests 160 env JAX_PLATFORMS=cpu XPMATH_TEST_BACKENDS=cupy "${PYTEST[@]}" "${XDIST[@]}" "${TESTS[@]}" \
            --ignore=tests/test_numba_backend.py --ignore=tests/test_numba_asm.py \
            -k "not torch_cuda and not jax_gpu" --junitxml="$OUT/tests-cupy.xml"
    else  # only what needs the device: every test skips, with the reason
        stage tests 160 env XPMATH_TEST_BACKENDS=cupy "${PYTEST[@]}" "${XDIST[@]}" "${TESTS[@]}" -m gpu \
            --ignore=tests/test_numba_backend.py --ignore=tests/test_numba_asm.py \
            -k "not torch_cuda and not jax_gpu" --junitxml="$OUT/tests-cupy.xml"
    fi
fi
if want foreign; then
    stage foreign 60 "${PYTEST[@]}" "${XDIST[@]}" tests/test_foreign_arrays.py -k "torch_cuda or jax_gpu" \
        --junitxml="$OUT/tests-foreign-gpu.xml"
fi

# ----------------------------------------------------------------------------------- benchmarks
FAST=cupy TINY=()
if [[ -z $GPU && -n ${GPU_PROOF_CPU_REHEARSAL:-} ]]; then
    FAST=numba TINY=(--tiny)
    echo "no CUDA device: rehearsing the benchmark drivers on numba at tiny sizes"
fi
if [[ -n $GPU || -n ${GPU_PROOF_CPU_REHEARSAL:-} ]]; then
    want crossover && stage crossover 40 "$PY" benchmarks/gpu_proof.py crossover --fast "$FAST" "${TINY[@]}" \
        --json "$OUT/crossover.json"
    want bench && stage bench 110 "$PY" benchmarks/gpu_proof.py bench --fast "$FAST" "${TINY[@]}" \
        --json "$OUT/bench.json"
else
    for s in crossover bench; do want $s && skip $s "$GPU_WHY"; done
fi
if want bench_gpu; then
    if [[ -n $GPU ]]; then
        stage bench_gpu 80 "$PY" benchmarks/bench_gpu.py --repeat 5 --json "$OUT/bench_gpu.json"
    else
        skip bench_gpu "$GPU_WHY"
    fi
fi

# -------------------------------------------------------------------------------------- summary
timeout 30 "$PY" benchmarks/gpu_proof.py summary --out "$OUT" --stages "$SUMMARY"
echo "=== done in $((SECONDS - START))s; $OUT: $(ls "$OUT" | tr '\n' ' ')"
exit 0
