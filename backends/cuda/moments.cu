// Mean and variance in one read of the data, for the cupy backend (xpmath_backends.cupy_backend).
//
// Each thread sums d = x - k and d^2 in double, where k is the slice's first value (0 where that is
// not finite): a large common offset would otherwise cost digits. A warp-shuffle block sum follows,
// and the backend's _moment_partials merges the per-chunk partials s1, s2 by Chan's formula.
// Entry points: xp_moments_{rows,cols}_{f32,f64}.

template<typename T>
__device__ __forceinline__ double xp_shift(T v) { double d = (double)v; return isfinite(d) ? d : 0.0; }

__device__ __forceinline__ void xp_block_sum2(double& a, double& q) {
    __shared__ double sa[32], sq[32];
    for (int off = 16; off > 0; off >>= 1) {
        a += __shfl_down_sync(0xffffffff, a, off);
        q += __shfl_down_sync(0xffffffff, q, off);
    }
    const int lane = threadIdx.x & 31, wid = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    if (lane == 0) { sa[wid] = a; sq[wid] = q; }
    __syncthreads();
    if (wid == 0) {
        a = lane < nw ? sa[lane] : 0.0;
        q = lane < nw ? sq[lane] : 0.0;
        for (int off = 16; off > 0; off >>= 1) {
            a += __shfl_down_sync(0xffffffff, a, off);
            q += __shfl_down_sync(0xffffffff, q, off);
        }
    }
}

// x viewed as (outer, R) C-ordered, reduced over R: block b sums chunk b % chunks of row b / chunks
template<typename T>
__device__ void xp_moments_rows(const T* __restrict__ x, const long long R, const long long chunks,
                                const long long per, double* __restrict__ s1, double* __restrict__ s2) {
    const long long b = blockIdx.x;
    const long long o = b / chunks, c = b % chunks;
    const long long lo = c * per;
    const long long hi = lo + per < R ? lo + per : R;
    const T* row = x + o * R;
    const double k = xp_shift(row[0]);
    const long long step = blockDim.x;
    double a = 0.0, q = 0.0;
    long long r = lo + threadIdx.x;
    for (; r + 3 * step < hi; r += 4 * step) {  // four loads in flight per thread
        const double d0 = (double)row[r] - k, d1 = (double)row[r + step] - k;
        const double d2 = (double)row[r + 2 * step] - k, d3 = (double)row[r + 3 * step] - k;
        a += (d0 + d1) + (d2 + d3);
        q += (d0 * d0 + d1 * d1) + (d2 * d2 + d3 * d3);
    }
    for (; r < hi; r += step) {
        const double d = (double)row[r] - k;
        a += d;
        q += d * d;
    }
    xp_block_sum2(a, q);
    if (threadIdx.x == 0) { s1[b] = a; s2[b] = q; }
}

// x viewed as (outer, R, inner) C-ordered, reduced over R: thread t owns (o, chunk, i), i fastest,
// so a warp reads consecutive addresses
template<typename T>
__device__ void xp_moments_cols(const T* __restrict__ x, const long long R, const long long inner,
                                const long long chunks, const long long per, const long long total,
                                double* __restrict__ s1, double* __restrict__ s2) {
    for (long long t = (long long)blockIdx.x * blockDim.x + threadIdx.x; t < total;
         t += (long long)gridDim.x * blockDim.x) {
        const long long i = t % inner, rem = t / inner;
        const long long c = rem % chunks, o = rem / chunks;
        const long long lo = c * per;
        const long long hi = lo + per < R ? lo + per : R;
        const T* base = x + o * R * inner + i;
        const double k = xp_shift(base[0]);
        double a = 0.0, q = 0.0;
        for (long long r = lo; r < hi; ++r) {
            const double d = (double)base[r * inner] - k;
            a += d;
            q += d * d;
        }
        s1[t] = a;
        s2[t] = q;
    }
}

extern "C" __global__ void xp_moments_rows_f32(const float* x, long long R, long long chunks, long long per,
        double* s1, double* s2) { xp_moments_rows<float>(x, R, chunks, per, s1, s2); }
extern "C" __global__ void xp_moments_rows_f64(const double* x, long long R, long long chunks, long long per,
        double* s1, double* s2) { xp_moments_rows<double>(x, R, chunks, per, s1, s2); }
extern "C" __global__ void xp_moments_cols_f32(const float* x, long long R, long long inner, long long chunks,
        long long per, long long total, double* s1, double* s2) { xp_moments_cols<float>(x, R, inner, chunks, per, total, s1, s2); }
extern "C" __global__ void xp_moments_cols_f64(const double* x, long long R, long long inner, long long chunks,
        long long per, long long total, double* s1, double* s2) { xp_moments_cols<double>(x, R, inner, chunks, per, total, s1, s2); }
