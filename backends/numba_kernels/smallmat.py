"""Stacks of small square matrices (2 <= n <= 8): one chunk of matrices per parallel task.

NumPy's linalg calls LAPACK once per matrix of a stack, and for a 3x3 the call's set-up (copying
the matrix into a Fortran-ordered buffer, workspace handling) costs several times the arithmetic.
Here each op is compiled once per size n, its loops unrolled (generated as source: see
:func:`_compile`), its scratch on the stack (:func:`_scratch`) or in registers, and the loop over a chunk's matrices
compiled per size too, so that the size is dispatched once per chunk.

The algorithms are LAPACK's where an error depends on them:

- inv, solve, det, slogdet: LU with partial pivoting as ``getrf`` (the pivot of column k is the
  first row of largest ``|value|`` at or below k; a pivot exactly 0 makes the matrix singular),
  then the triangular solves of ``getrs``.
- cholesky: ``potrf``'s column by column factor of the lower (or upper) triangle; a diagonal
  value ``<= 0`` before its square root means not positive definite.
- eigh, eigvalsh: Householder tridiagonalisation of the lower triangle and the implicit QL
  method (EISPACK's ``tred2`` and ``tql2``), in float64, on the matrix scaled by a power of 2 so
  that nothing overflows; ascending eigenvalues, orthonormal eigenvectors.

The arithmetic is float64's for float32 input too (``one`` is a float64 1, and every scratch value
is of its type), as numpy.linalg computes: it calls LAPACK's double routines and casts the result
back, so that its exact zero pivots, and its answers to rounding, are double's.

Every kernel reports the matrices it did not finish (singular, not positive definite, a
non-finite value, no convergence): the backend raises NumPy's error or lets NumPy answer them.
"""

from __future__ import annotations

import math

import numpy as np
from numba import carray, njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

from ._common import OPTS, block, nblocks

NMIN, NMAX = 2, 8  # the sizes compiled
CHUNK = 256  # matrices per task: the scratch is set up once per task
#: exact IEEE arithmetic (no fast-math flag): the pivots and their exact zeros are LAPACK's
PARALLEL = dict(OPTS, parallel=True)
QL_ITERATIONS = 30  # per eigenvalue, as EISPACK's tql2
#: the functions made per size: closures over the size, not cached themselves but compiled into
#: the cached stack kernels that call them. The variants of one factory share a name and a code,
#: told apart in Numba's cache only by the pickles of their closures; cached on their own, a stale
#: cache of them has handed a stack kernel code that wrote past its arrays.
LOCAL = dict(OPTS, cache=False)


@intrinsic
def _scratch(typingctx, count, like):
    """A pointer to ``count`` (a constant) values of ``like``'s type (an array's dtype, or a
    scalar's type) on the stack of the calling function: scratch space without an allocation,
    which LLVM can keep in registers once the loops over it are unrolled."""
    if not isinstance(count, types.IntegerLiteral):
        return None
    dt = like.dtype if isinstance(like, types.Array) else types.unliteral(like)
    size = count.literal_value

    def codegen(context, builder, sig, args):
        return cgutils.alloca_once(builder, context.get_value_type(dt), size=size)

    return types.CPointer(dt)(count, like), codegen


def _by_size(make):
    """One jitted function ``f(n, *args)`` calling ``make(n)(*args)``, the variant compiled for
    the size ``n`` (NMIN <= n <= NMAX)."""
    f2, f3, f4, f5, f6, f7, f8 = (make(n) for n in range(NMIN, NMAX + 1))

    @njit(**LOCAL)
    def by_size(n, *args):
        if n == 2:
            return f2(*args)
        if n == 3:
            return f3(*args)
        if n == 4:
            return f4(*args)
        if n == 5:
            return f5(*args)
        if n == 6:
            return f6(*args)
        if n == 7:
            return f7(*args)
        return f8(*args)

    return by_size


# ---------------------------------------------------------------- LU: inv, solve, det, slogdet


# The Cholesky variants are generated as source, one per size, every loop unrolled and every value
# a local that LLVM keeps in a register (Cholesky never indexes by data). Written as loops over N,
# LLVM unrolls only the smallest sizes. The LU variants stay loops over a constant N: their row
# swaps index by data, and unrolled into array accesses the 8×8 inverse took 31 s to compile.
# The generator lives in this file: Numba's cache of the kernels sees changes to it.


def _compile(src: str, name: str):
    """The jitted function ``name`` defined by the Python source ``src``."""
    ns = {"math": math, "np": np}
    exec(compile(src, f"<smallmat {name}>", "exec"), ns)  # noqa: S102 - source generated here
    return njit(**LOCAL)(ns[name])  # no file to cache it by: compiled into its callers


def _sum(terms) -> str:
    """``t0 + t1 + ...``: summed left to right, as a loop would (and a dot product does)."""
    return " + ".join(terms)


def _function(name: str, args: str, lines: list[str]) -> str:
    return f"def {name}({args}):\n" + "".join(f"    {line}\n" for line in lines)


def _make_lu(N):
    @njit(inline="always", **LOCAL)
    def lu(a, w, perm, one):
        """w <- the LU factors of a (P a = L U: L unit lower below the diagonal, U on and above),
        perm[i] <- the row of a that row i of w came from. Returns (info, swaps): info the
        1-based column of the first zero pivot (0 if none), as getrf's.

        Column by column in the order of OpenBLAS's getf2, which its getrf runs for n this
        small: column j's values are reduced by dot products with the columns before it, then
        its pivot is chosen (the first row of largest |value|, idamax's choice) and the column
        below it scaled by the pivot's reciprocal. Whether a pivot of a matrix singular in exact
        arithmetic comes out exactly 0 depends on that order: this one agreed with NumPy's on
        89 % of such matrices tried (zero or repeated rows and columns, integer rank-deficient
        products), the textbook elimination order on 74 %."""
        zero = one - one
        for i in range(N):
            for j in range(N):
                w[i, j] = a[i, j]
            perm[i] = i
        info = 0
        swaps = 0
        for j in range(N):
            for i in range(1, N):
                s = zero
                for m in range(min(i, j)):
                    s += w[i, m] * w[m, j]
                w[i, j] -= s
            # without a branch: which row wins is data, and a branch on it mispredicts
            p = j
            amax = abs(w[j, j])
            for i in range(j + 1, N):
                v = abs(w[i, j])
                better = v > amax
                amax = v if better else amax
                p = i if better else p
            if amax == 0:
                # the column at and below j is 0: nothing to scale; getrf goes on and reports
                # the first such column
                if info == 0:
                    info = j + 1
                continue
            swaps += p != j
            for k in range(N):  # unconditionally: row p may be row j
                t = w[j, k]
                w[j, k] = w[p, k]
                w[p, k] = t
            q = perm[j]
            perm[j] = perm[p]
            perm[p] = q
            r = one / w[j, j]
            for i in range(j + 1, N):
                w[i, j] *= r
        return info, swaps

    return lu


def _make_lu_solve(N):
    @njit(inline="always", **LOCAL)
    def lu_solve(w, x, k, one):
        """x[:, :k] <- U⁻¹ L⁻¹ x[:, :k] in place, x's rows already in the pivoted order, as getrs."""
        for i in range(1, N):
            for m in range(i):
                c = w[i, m]
                for j in range(k):
                    x[i, j] -= c * x[m, j]
        for i in range(N - 1, -1, -1):
            for m in range(i + 1, N):
                c = w[i, m]
                for j in range(k):
                    x[i, j] -= c * x[m, j]
            r = one / w[i, i]
            for j in range(k):
                x[i, j] *= r

    return lu_solve


_LU = {n: _make_lu(n) for n in range(NMIN, NMAX + 1)}
_LU_SOLVE = {n: _make_lu_solve(n) for n in range(NMIN, NMAX + 1)}
# each variant's scratch has a constant shape, so constant strides


def _make_inv(N):
    lu, lu_solve, NN, NP = _LU[N], _LU_SOLVE[N], N * N, N

    @njit(**LOCAL)
    def inv(a, out, one):
        """out <- a⁻¹; returns 1 (out unfinished) if a is singular, else 0."""
        w = carray(_scratch(NN, one), (N, N))
        x = carray(_scratch(NN, one), (N, N))
        perm = carray(_scratch(NP, 0), (N,))
        info, _ = lu(a, w, perm, one)
        if info:
            return 1
        zero = one - one
        for i in range(N):  # P, the identity's rows in the pivoted order
            for j in range(N):
                x[i, j] = one if perm[i] == j else zero
        lu_solve(w, x, N, one)
        for i in range(N):
            for j in range(N):
                out[i, j] = x[i, j]
        return 0

    return inv


def _make_solve(N):
    lu, NN, NP = _LU[N], N * N, N

    @njit(**LOCAL)
    def solve(a, b, one):
        """b (N, k) <- a⁻¹ b, one column at a time after one factorisation; returns 1 (b
        unfinished) if a is singular, else 0."""
        w = carray(_scratch(NN, one), (N, N))
        x = carray(_scratch(NP, one), (N,))
        perm = carray(_scratch(NP, 0), (N,))
        info, _ = lu(a, w, perm, one)
        if info:
            return 1
        for c in range(b.shape[1]):
            for i in range(N):
                x[i] = b[perm[i], c]
            for i in range(1, N):
                for m in range(i):
                    x[i] -= w[i, m] * x[m]
            for i in range(N - 1, -1, -1):
                for m in range(i + 1, N):
                    x[i] -= w[i, m] * x[m]
                x[i] *= one / w[i, i]
            for i in range(N):
                b[i, c] = x[i]
        return 0

    return solve


_LOG2 = 0.6931471805599453
_TINY, _HUGE = 2.0 ** -500, 2.0 ** 500


def _make_logdet(N):
    lu, NN, NP = _LU[N], N * N, N

    @njit(**LOCAL)
    def logdet(a, one):
        """(sign, m, e) with |det a| = m·2^e, from the LU factors; sign 0 for a singular matrix.
        The product of the pivots is renormalised whenever it leaves [2^-500, 2^500], so that it
        neither overflows nor underflows on the way."""
        w = carray(_scratch(NN, one), (N, N))
        perm = carray(_scratch(NP, 0), (N,))
        info, swaps = lu(a, w, perm, one)
        if info:
            return 0.0, 0.0, 0
        sign = -1.0 if swaps % 2 else 1.0
        m = 1.0
        e = 0
        for i in range(N):
            u = np.float64(w[i, i])
            if u < 0:
                sign = -sign
                u = -u
            m *= u
            if not _TINY <= m <= _HUGE:
                f, x = math.frexp(m)
                m = f
                e += x
        return sign, m, e

    return logdet


# The size is dispatched once per chunk, not once per matrix: each chunk loop below is compiled
# per size with its matrix's function inlined into it (a call per matrix through the dispatch cost
# more than a 3×3 Cholesky factor itself).


def _inv_chunk(N):
    inv = _make_inv(N)

    @njit(**LOCAL)
    def chunk(ab, ob, one):
        bad = 0
        for t in range(ab.shape[0]):
            bad += inv(ab[t], ob[t], one)
        return bad

    return chunk


def _solve_chunk(N):
    solve = _make_solve(N)

    @njit(**LOCAL)
    def chunk(ab, xb, one):
        bad = 0
        for t in range(ab.shape[0]):
            bad += solve(ab[t], xb[t], one)
        return bad

    return chunk


def _det_chunk(N):
    logdet = _make_logdet(N)

    @njit(**LOCAL)
    def chunk(ab, ob, one):
        for t in range(ab.shape[0]):
            s, m, e = logdet(ab[t], one)
            ob[t] = s * (m if e == 0 else math.ldexp(m, e))

    return chunk


def _slogdet_chunk(N):
    logdet = _make_logdet(N)

    @njit(**LOCAL)
    def chunk(ab, sb, lb, fb, one):
        nflag = 0
        for t in range(ab.shape[0]):
            m = ab[t]
            z = 0.0
            for i in range(N):
                for j in range(N):
                    z += m[i, j] * 0.0  # NaN if any value is NaN or infinite
            if z != 0.0:
                fb[t] = 1
                nflag += 1
                continue
            fb[t] = 0
            s, mant, e = logdet(m, one)
            sb[t] = s
            lb[t] = math.log(mant) + e * _LOG2 if s != 0 else -np.inf
        return nflag

    return chunk


_inv_n = _by_size(_inv_chunk)
_solve_n = _by_size(_solve_chunk)
_det_n = _by_size(_det_chunk)
_slogdet_n = _by_size(_slogdet_chunk)


@njit(**PARALLEL)
def inv_stack(a, out, one):
    """out[t] <- a[t]⁻¹ for a C-ordered (B, n, n) stack; returns how many matrices are singular
    (their ``out`` is left unfinished). ``one``: 1 in a's dtype."""
    B, n = a.shape[0], a.shape[1]
    bad = 0
    for c in prange(nblocks(B, CHUNK)):
        ab = block(a, c, CHUNK)
        ob = block(out, c, CHUNK)
        bad += _inv_n(n, ab, ob, one)
    return bad


@njit(**PARALLEL)
def solve_stack(a, x, one):
    """x[t] <- a[t]⁻¹ x[t] in place for C-ordered stacks a (B, n, n) and x (B, n, k); returns how
    many matrices are singular."""
    B, n = a.shape[0], a.shape[1]
    bad = 0
    for c in prange(nblocks(B, CHUNK)):
        ab = block(a, c, CHUNK)
        xb = block(x, c, CHUNK)
        bad += _solve_n(n, ab, xb, one)
    return bad


@njit(**PARALLEL)
def det_stack(a, out, one):
    """out[t] <- det(a[t]) for a C-ordered (B, n, n) stack: the product of the pivots, signed
    (0 for a singular matrix; inf or 0 where it overflows or underflows out's dtype)."""
    B, n = a.shape[0], a.shape[1]
    for c in prange(nblocks(B, CHUNK)):
        ab = block(a, c, CHUNK)
        ob = block(out, c, CHUNK)
        _det_n(n, ab, ob, one)


@njit(**PARALLEL)
def slogdet_stack(a, sign, logdet, flags, one):
    """(sign[t], logdet[t]) <- slogdet(a[t]) for a C-ordered (B, n, n) stack; a matrix holding NaN
    or infinity is left unfinished with flags[t] = 1. Returns how many were flagged."""
    B, n = a.shape[0], a.shape[1]
    nflag = 0
    for c in prange(nblocks(B, CHUNK)):
        ab = block(a, c, CHUNK)
        sb = block(sign, c, CHUNK)
        lb = block(logdet, c, CHUNK)
        fb = block(flags, c, CHUNK)
        nflag += _slogdet_n(n, ab, sb, lb, fb, one)
    return nflag


# ---------------------------------------------------------------- Cholesky


def _make_cholesky(N):
    """cholesky(a, out, upper, one): out <- the Cholesky factor of the lower triangle of a (of
    its upper one, giving the upper factor, if ``upper``), zeros elsewhere, in the order of
    OpenBLAS's potf2 (for column j a dot product, the square root, then the column below scaled
    by its reciprocal). Returns 1 if a is not positive definite, 2 if the triangle read holds
    NaN or infinity (out then unfinished), else 0. Every value is a local (w_i_j)."""
    tri = [(i, j) for i in range(N) for j in range(i + 1)]
    L = ["zero = one - one", "if upper:"] + [f"    w{i}_{j} = a[{j}, {i}] * one" for i, j in tri]
    L += ["else:"] + [f"    w{i}_{j} = a[{i}, {j}] * one" for i, j in tri]
    # NaN if any value read is NaN or infinite
    L += ["z = " + _sum(f"w{i}_{j} * zero" for i, j in tri), "if z != zero:", "    return 2"]
    for j in range(N):
        L.append(f"d = w{j}_{j} - ({_sum(f'w{j}_{k} * w{j}_{k}' for k in range(j))})" if j else f"d = w{j}_{j}")
        L += ["if d <= zero:", "    return 1", f"w{j}_{j} = math.sqrt(d)", f"r = one / w{j}_{j}"]
        for i in range(j + 1, N):
            dot = _sum(f"w{i}_{k} * w{j}_{k}" for k in range(j))
            L.append(f"w{i}_{j} = (w{i}_{j} - ({dot})) * r" if j else f"w{i}_{j} = w{i}_{j} * r")
    L += ["if upper:"] + [f"    out[{i}, {j}] = " + (f"w{j}_{i}" if j >= i else "zero") for i in range(N) for j in range(N)]
    L += ["else:"] + [f"    out[{i}, {j}] = " + (f"w{i}_{j}" if j <= i else "zero") for i in range(N) for j in range(N)]
    L.append("return 0")
    return _compile(_function("cholesky", "a, out, upper, one", L), "cholesky")


def _cholesky_chunk(N):
    cholesky = _make_cholesky(N)

    @njit(**LOCAL)
    def chunk(ab, ob, upper, fb, one):
        nflag = 0
        for t in range(ab.shape[0]):
            f = cholesky(ab[t], ob[t], upper, one)
            fb[t] = f
            nflag += f != 0
        return nflag

    return chunk


_cholesky_n = _by_size(_cholesky_chunk)


@njit(**PARALLEL)
def cholesky_stack(a, out, upper, flags, one):
    """out[t] <- cholesky(a[t]) for C-ordered (B, n, n) stacks; flags[t] <- 1 where a[t] is not
    positive definite, 2 where the triangle read holds NaN or infinity (out[t] unfinished).
    Returns how many matrices were flagged."""
    B, n = a.shape[0], a.shape[1]
    nflag = 0
    for c in prange(nblocks(B, CHUNK)):
        ab = block(a, c, CHUNK)
        ob = block(out, c, CHUNK)
        fb = block(flags, c, CHUNK)
        nflag += _cholesky_n(n, ab, ob, upper, fb, one)
    return nflag


# ---------------------------------------------------------------- the symmetric eigenproblem


@njit(**OPTS)
def _exponent(amax):
    """0 where values of magnitude up to amax (> 0) and their sums of squares neither overflow nor
    underflow (amax within [2^-500, 2^500]), else amax's binary exponent: the eigh variants
    divide the matrix by 2^exponent (exactly) and multiply the eigenvalues back."""
    return 0 if _TINY <= amax <= _HUGE else math.frexp(amax)[1]


@njit(**OPTS)
def _times2(x, e):
    """x·2^e, exactly: the common case e = 0 without a call to libm's ldexp."""
    return x if e == 0 else math.ldexp(x, e)


@njit(**OPTS)
def _eigh2(a, upper, vecs, w, v):
    """The 2×2 case of the eigh variants: one Jacobi rotation diagonalises the matrix (Golub and
    Van Loan, the symmetric Schur decomposition), backward stable, its columns orthonormal to
    rounding. Always converges: returns 0."""
    x = np.float64(a[0, 0])
    y = np.float64(a[0, 1] if upper else a[1, 0])
    z = np.float64(a[1, 1])
    amax = max(abs(x), abs(y), abs(z))
    ex = _exponent(amax) if amax > 0.0 else 0
    x, y, z = _times2(x, -ex), _times2(y, -ex), _times2(z, -ex)
    if y == 0.0:
        c, s, lo, hi = 1.0, 0.0, x, z
    else:
        tau = (z - x) / (2.0 * y)
        # a tiny y makes tau huge and tau² overflow: t = 0 then, the rotation the identity
        t = 1.0 / (abs(tau) + math.sqrt(1.0 + tau * tau))
        t = -t if tau < 0.0 else t
        c = 1.0 / math.sqrt(1.0 + t * t)
        s = t * c
        lo, hi = x - t * y, z + t * y
    # the columns (c, -s) for lo and (s, c) for hi; ascending order
    swap = lo > hi
    w[0] = _times2(hi if swap else lo, ex)
    w[1] = _times2(lo if swap else hi, ex)
    if vecs:
        v[0, 0], v[1, 0] = (s, c) if swap else (c, -s)
        v[0, 1], v[1, 1] = (c, -s) if swap else (s, c)
    return 0


def _make_eigh(N):
    if N == 2:
        return _eigh2
    NN, NP = N * N, N

    @njit(**LOCAL)
    def eigh(a, upper, vecs, w, v):
        """w <- the eigenvalues of the symmetric matrix whose lower triangle is a's (a's upper
        one transposed, if ``upper``), ascending; v's columns <- the eigenvectors (if ``vecs``).
        Returns 1 if QL did not converge (w, v unfinished), else 0."""
        z = carray(_scratch(NN, 0.0), (N, N))
        q = carray(_scratch(NN, 0.0), (N, N))
        d = carray(_scratch(NP, 0.0), (N,))
        e = carray(_scratch(NP, 0.0), (N,))
        # far from 1, the matrix is scaled by a power of 2 (exact) so that nothing overflows or
        # underflows in the sums of squares below
        amax = 0.0
        for i in range(N):
            for j in range(i + 1):
                amax = max(amax, abs(np.float64(a[j, i] if upper else a[i, j])))
        if amax == 0.0:
            for i in range(N):
                w[i] = 0.0
                if vecs:
                    for j in range(N):
                        v[i, j] = 1.0 if i == j else 0.0
            return 0
        ex = _exponent(amax)
        for i in range(N):
            for j in range(i + 1):
                z[i, j] = _times2(np.float64(a[j, i] if upper else a[i, j]), -ex)
        # tred2: Householder reduction to tridiagonal form, d the diagonal, e[i] the value
        # left of it; z's lower triangle holds the reflectors
        for i in range(N - 1, 0, -1):
            h = 0.0
            if i > 1:
                scale = 0.0
                for k in range(i):
                    scale += abs(z[i, k])
                if scale == 0.0:
                    e[i] = z[i, i - 1]
                else:
                    rs = 1.0 / scale
                    for k in range(i):
                        z[i, k] *= rs
                        h += z[i, k] * z[i, k]
                    f = z[i, i - 1]
                    g = -math.sqrt(h) if f >= 0.0 else math.sqrt(h)
                    e[i] = scale * g
                    h -= f * g
                    z[i, i - 1] = f - g
                    rh = 1.0 / h
                    f = 0.0
                    for j in range(i):
                        z[j, i] = z[i, j] * rh
                        g = 0.0
                        for k in range(j + 1):
                            g += z[j, k] * z[i, k]
                        for k in range(j + 1, i):
                            g += z[k, j] * z[i, k]
                        e[j] = g * rh
                        f += e[j] * z[i, j]
                    hh = f / (h + h)
                    for j in range(i):
                        f = z[i, j]
                        g = e[j] - hh * f
                        e[j] = g
                        for k in range(j + 1):
                            z[j, k] -= f * e[k] + g * z[i, k]
            else:
                e[i] = z[i, i - 1]
            d[i] = h
        d[0] = 0.0
        e[0] = 0.0
        for i in range(N):
            if vecs:
                if d[i] != 0.0:  # accumulate the reflectors: z becomes the orthogonal Q
                    for j in range(i):
                        g = 0.0
                        for k in range(i):
                            g += z[i, k] * z[k, j]
                        for k in range(i):
                            z[k, j] -= g * z[k, i]
                d[i] = z[i, i]
                z[i, i] = 1.0
                for j in range(i):
                    z[j, i] = 0.0
                    z[i, j] = 0.0
            else:
                d[i] = z[i, i]
        if vecs:
            for i in range(N):  # q's rows are Q's columns: the QL rotations then run along rows
                for k in range(N):
                    q[i, k] = z[k, i]
        # tql2: the implicit QL method with Wilkinson's shift
        for i in range(1, N):
            e[i - 1] = e[i]
        e[N - 1] = 0.0
        for l in range(N):
            it = 0
            while True:
                m = l
                while m < N - 1:
                    dd = abs(d[m]) + abs(d[m + 1])
                    if abs(e[m]) + dd == dd:
                        break
                    m += 1
                if m == l:
                    break
                if it == QL_ITERATIONS:
                    return 1
                it += 1
                g = (d[l + 1] - d[l]) / (2.0 * e[l])
                r = math.sqrt(g * g + 1.0)
                g = d[m] - d[l] + e[l] / (g + (r if g >= 0.0 else -r))
                s = 1.0
                c = 1.0
                p = 0.0
                i = m - 1
                underflow = False
                while i >= l:
                    f = s * e[i]
                    b = c * e[i]
                    r = math.sqrt(f * f + g * g)
                    e[i + 1] = r
                    if r == 0.0:  # recover from underflow
                        d[i + 1] -= p
                        e[m] = 0.0
                        underflow = True
                        break
                    rr = 1.0 / r
                    s = f * rr
                    c = g * rr
                    g = d[i + 1] - p
                    r = (d[i] - g) * s + 2.0 * c * b
                    p = s * r
                    d[i + 1] = g + p
                    g = c * r - b
                    if vecs:
                        for k in range(N):
                            f = q[i + 1, k]
                            q[i + 1, k] = s * q[i, k] + c * f
                            q[i, k] = c * q[i, k] - s * f
                    i -= 1
                if underflow:
                    continue
                d[l] -= p
                e[l] = g
                e[m] = 0.0
        # ascending order (insertion sort: a stable order for equal values), then undo the scaling
        for i in range(1, N):
            x = d[i]
            j = i
            while j > 0 and d[j - 1] > x:
                d[j] = d[j - 1]
                j -= 1
            d[j] = x
            if vecs and j != i:
                for k in range(N):
                    y = q[i, k]
                    for m in range(i, j, -1):
                        q[m, k] = q[m - 1, k]
                    q[j, k] = y
        for i in range(N):
            w[i] = _times2(d[i], ex)
        if vecs:
            for i in range(N):
                for k in range(N):
                    v[k, i] = q[i, k]
        return 0

    return eigh


def _eigh_chunk(N):
    eigh = _make_eigh(N)

    @njit(**LOCAL)
    def chunk(ab, upper, vecs, wb, vb, fb):
        nflag = 0
        for t in range(ab.shape[0]):
            # without vectors, a[t] stands in for v[t]: the same type, never written
            f = eigh(ab[t], upper, vecs, wb[t], vb[t] if vecs else ab[t])
            fb[t] = f
            nflag += f
        return nflag

    return chunk


_eigh_n = _by_size(_eigh_chunk)


@njit(**PARALLEL)
def eigh_stack(a, upper, w, v, flags):
    """w[t] (ascending) and, if v has matrices, v[t]'s columns <- the eigenpairs of the symmetric
    a[t] read from its lower triangle (upper, if ``upper``), for a C-ordered (B, n, n) stack; v
    of shape (0, n, n) for eigenvalues only. flags[t] <- 1 where QL did not converge (w[t] and
    v[t] unfinished); returns how many."""
    B, n = a.shape[0], a.shape[1]
    vecs = v.shape[0] != 0
    nflag = 0
    for c in prange(nblocks(B, CHUNK)):
        ab = block(a, c, CHUNK)
        wb = block(w, c, CHUNK)
        fb = block(flags, c, CHUNK)
        vb = block(v, c, CHUNK) if vecs else v
        nflag += _eigh_n(n, ab, upper, vecs, wb, vb, fb)
    return nflag
