"""``xpmath bench``: every backend timed on large inputs against this machine's measured limits.

``workloads`` defines each operation once (data, call, FLOP and byte counts); the CLI, the
pytest-benchmark suite in ``benchmarks/`` and the backend scripts all share it.
"""
