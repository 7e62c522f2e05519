"""The dask backend under faults: a worker killed mid-computation, a scheduler killed or hung.

A worker is killed (SIGKILL, by its process id) while it runs one chosen task: the task writes its
process id to a file and then waits, so the kill always lands mid-computation, with no guessing at
timing. Dask recomputes what the lost worker held, so the result must equal the undisturbed one. A
scheduler killed or stopped the same way must give a :class:`xpmath.BackendError` naming its address,
for the call in flight and for the next one, within the timeouts (never a hang).
"""

from __future__ import annotations

import contextvars
import inspect
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import xpmath
from xpmath import _registry
from xpmath.testing import assert_close, backend_marks

pytestmark = [*backend_marks("dask"), pytest.mark.xdist_group("dask-faults")]

if _registry.status("dask")[0] is not None:
    import dask.array as da
    from distributed import Client, LocalCluster

HANG_GUARD = 60  # seconds: any wait longer than this is a hang, and fails the test


def _gate(where, nth):
    """A ``map_blocks`` function that passes its block through. Once ``where/armed`` exists, the first
    block's task, the ``nth`` time it runs from then on (counted across processes in ``where/count``),
    writes its process id to ``where/started`` and waits for a kill (or for ``where/release``), at most
    HANG_GUARD s; every later run passes. A local function: Dask ships it by value (cloudpickle), so
    worker processes need not import this file."""

    def gate(block, block_info=None):
        if (block_info is not None and not any(block_info[0]["chunk-location"])
                and os.path.exists(os.path.join(where, "armed"))):
            with open(os.path.join(where, "count"), "a") as f:
                f.write(".")
            if os.path.getsize(os.path.join(where, "count")) == nth:
                tmp = os.path.join(where, "started.tmp")
                with open(tmp, "w") as f:
                    f.write(str(os.getpid()))
                os.replace(tmp, os.path.join(where, "started"))
                end = time.monotonic() + HANG_GUARD
                while time.monotonic() < end and not os.path.exists(os.path.join(where, "release")):
                    time.sleep(0.01)
        return block

    return gate


def _submit(pool, fn, *args):
    """``fn(*args)`` in ``pool``'s thread, under this thread's settings (config_context is context-local)."""
    return pool.submit(contextvars.copy_context().run, fn, *args)


def _arm(where):
    open(os.path.join(where, "armed"), "w").close()


def _started(where, call):
    """The process id the gated task wrote, once it has (``call``, the computation's future, must
    still be running: an early failure is raised instead of waited on)."""
    path = os.path.join(where, "started")
    end = time.monotonic() + HANG_GUARD
    while not os.path.exists(path):
        if call.done():
            call.result()
            pytest.fail("the computation ended before the gated task ran")
        assert time.monotonic() < end, "the gated task never started"
        time.sleep(0.01)
    with open(path) as f:
        return int(f.read())


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, each under a nanny that restarts it when it dies."""
    from xpmath_backends import dask_backend

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=50) as cl, Client(cl, set_as_default=False) as c:
        yield cl, c
        mine = dask_backend._client.pop(cl.scheduler_address, None)  # xpmath's client, before its cluster
        if mine is not None:
            mine.close()


@pytest.fixture
def on_cluster(cluster, tmp_path):
    """The dask_scheduler setting pointing at the cluster, both workers up; yields the gate's directory."""
    cl, c = cluster
    c.wait_for_workers(2, timeout=HANG_GUARD)
    with xpmath.config_context(dask_scheduler=cl.scheduler_address):
        yield str(tmp_path), c


def _with_worker_killed(where, c, fn, *args):
    """``fn(*args)`` in a thread, the worker running the gated task killed once it runs."""
    workers = set(c.run(os.getpid).values())
    _arm(where)
    with ThreadPoolExecutor(1) as pool:
        call = _submit(pool, fn, *args)
        pid = _started(where, call)
        assert pid in workers and pid != os.getpid()
        os.kill(pid, signal.SIGKILL)
        return call.result(timeout=HANG_GUARD)


def _data(rng, n=4000, d=5):
    X = rng.standard_normal((n, d)) * np.arange(1, d + 1) + np.arange(d)
    y = X @ np.linspace(-1, 1, d) + 0.5 + 0.1 * rng.standard_normal(n)
    return X, y


def _same(got, calm):
    """The recomputed result against the undisturbed one: equal but for rounding (a chunk recomputed
    elsewhere sits at another memory alignment, where NumPy's and BLAS's vector loops may add in
    another order)."""
    assert_close(got, calm, rtol=1e-12, atol=1e-15)


def _gated(where, a, chunks, nth):
    return da.from_array(a, chunks=chunks).map_blocks(_gate(where, nth), dtype=a.dtype)


def test_var_survives_a_lost_worker(on_cluster, rng):
    where, c = on_cluster
    X, _ = _data(rng)

    def var():
        return xpmath.to_numpy(xpmath.var(_gated(where, X, (250, 5), 1), axis=0, ddof=1, backend="dask"))

    calm = var()  # not armed: no kill
    got = _with_worker_killed(where, c, var)
    _same(got, calm)
    assert_close(got, np.var(X, axis=0, ddof=1))


def test_cov_survives_a_lost_worker(on_cluster, rng):
    where, c = on_cluster
    X, _ = _data(rng)

    def cov():
        return xpmath.to_numpy(xpmath.cov(_gated(where, X, (250, 5), 1), rowvar=False, backend="dask"))

    calm = cov()
    got = _with_worker_killed(where, c, cov)
    _same(got, calm)
    assert_close(got, np.cov(X, rowvar=False))


def test_solve_survives_a_lost_worker(on_cluster, rng):
    where, c = on_cluster
    n = 240
    A = rng.standard_normal((n, n)) + n * np.eye(n)
    b = rng.standard_normal(n)

    def solve():
        return xpmath.to_numpy(xpmath.linalg.solve(_gated(where, A, (60, 60), 1), b, backend="dask"))

    calm = solve()  # a blocked LU on 4×4 blocks
    got = _with_worker_killed(where, c, solve)
    _same(got, calm)
    assert_close(got, np.linalg.solve(A, b))


def _descent(cls, **kw):
    """``cls(**kw)`` with the keywords its constructor takes (``solver="gd"`` where it has solvers)."""
    params = inspect.signature(cls).parameters
    return cls(**{k: v for k, v in kw.items() if k in params}, backend="dask")


@pytest.mark.parametrize("model", ["LinearRegression", "LogisticRegression"])
def test_gradient_descent_fit_survives_a_lost_worker(on_cluster, rng, model):
    where, c = on_cluster
    X, y = _data(rng)
    if model == "LogisticRegression":
        y = (y > np.median(y)).astype(np.float64)
    cls = getattr(xpmath, model)

    def fit():
        dX = _gated(where, X, (1000, 5), 3)  # the 3rd pass over X: steps into the fit
        m = _descent(cls, solver="gd", lr=0.01, max_iter=8, tol=0.0).fit(dX, da.from_array(y, chunks=1000))
        return xpmath.to_numpy(m.coef_), xpmath.to_numpy(m.intercept_)

    calm = fit()
    got = _with_worker_killed(where, c, fit)
    for g, k in zip(got, calm):
        _same(g, k)
    ref = _descent(cls, solver="gd", lr=0.01, max_iter=8, tol=0.0).fit(X, y)
    assert_close(got[0], xpmath.to_numpy(ref.coef_), rtol=1e-9, atol=1e-9)


SCHEDULER = textwrap.dedent(
    """
    import os, sys, time
    from distributed import LocalCluster

    cl = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                      dashboard_address=":0", silence_logs=50)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(cl.scheduler_address)
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        time.sleep(3600)
    """
)


@pytest.fixture
def scheduler(tmp_path):
    """A scheduler and its worker (threads) in one child process: ``(address, process, gate dir)``."""
    where = tmp_path / "gate"
    where.mkdir()
    addr_file = tmp_path / "address"
    proc = subprocess.Popen([sys.executable, "-c", SCHEDULER, str(addr_file)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + HANG_GUARD
        while not addr_file.exists():
            assert proc.poll() is None and time.monotonic() < end, "the scheduler did not start"
            time.sleep(0.02)
        yield addr_file.read_text(), proc, str(where)
    finally:
        proc.kill()
        proc.wait()
        from xpmath_backends import dask_backend

        for target, c in list(dask_backend._client.items()):
            if target.startswith("tcp://") and c.status != "running":
                dask_backend._discard(target, c)


def _fails_naming(addr, fn, *args):
    with ThreadPoolExecutor(1) as pool:
        call = _submit(pool, fn, *args)
        with pytest.raises(xpmath.BackendError, match=addr.replace(".", r"\.")) as info:
            call.result(timeout=HANG_GUARD)
    assert str(info.value).endswith("Usable backends: " + ", ".join(xpmath.available_backends()))
    return info.value


def test_a_killed_scheduler_is_a_backend_error_for_the_call_in_flight_and_the_next(scheduler, rng):
    addr, proc, where = scheduler
    X, _ = _data(rng, n=2000)
    with xpmath.config_context(dask_scheduler=addr, dask_connect_timeout=1.0, dask_timeout=5.0):
        assert_close(xpmath.to_numpy(xpmath.mean(X, axis=0, backend="dask")), X.mean(axis=0))
        _arm(where)
        with ThreadPoolExecutor(1) as pool:
            call = _submit(pool, lambda: xpmath.to_numpy(xpmath.var(_gated(where, X, (200, 5), 1), backend="dask")))
            assert _started(where, call) == proc.pid  # the task runs in the scheduler's process
            proc.kill()
            with pytest.raises(xpmath.BackendError, match=addr.replace(".", r"\.") + ".*cancelled"):
                call.result(timeout=HANG_GUARD)
        # the next call: the client's reconnection fails within dask_connect_timeout
        err = _fails_naming(addr, lambda: xpmath.to_numpy(xpmath.var(da.from_array(X), backend="dask")))
        assert "dask_timeout" in str(err)
        # and the one after that connects afresh: unreachable
        err = _fails_naming(addr, lambda: xpmath.mean(X, backend="dask"))
        assert "unreachable" in str(err)


def test_a_hung_scheduler_is_a_backend_error_within_dask_timeout(scheduler, rng):
    addr, proc, where = scheduler
    X, _ = _data(rng, n=2000)
    with xpmath.config_context(dask_scheduler=addr, dask_connect_timeout=1.0, dask_timeout=1.0):
        _arm(where)
        with ThreadPoolExecutor(1) as pool:
            call = _submit(pool, lambda: xpmath.to_numpy(xpmath.var(_gated(where, X, (200, 5), 1), backend="dask")))
            assert _started(where, call) == proc.pid
            os.kill(proc.pid, signal.SIGSTOP)  # alive, connections open, answering nothing
            try:
                with pytest.raises(xpmath.BackendError, match=addr.replace(".", r"\.") + ".*no answer within 1 s"):
                    call.result(timeout=HANG_GUARD)
            finally:
                os.kill(proc.pid, signal.SIGCONT)
