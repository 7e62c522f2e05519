"""pytest-benchmark suite over xpmath's benchmark workloads (shared with ``xpmath bench``).

Run:  .venv/bin/python -m pytest benchmarks/ --benchmark-only
      (XPMATH_BENCH_BACKENDS=numpy,numba  XPMATH_BENCH_SIZE=small|default  to narrow it)
"""
