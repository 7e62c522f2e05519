// One pass over X per gradient step of linear / logistic regression, for the cupy backend
// (xpmath_backends.cupy_backend): loss and gradient together.
//
// Each warp takes rows in turn, computes t = x.w + b with a warp reduction, then accumulates the
// loss and r.x in registers; one atomicAdd per warp and column at the end. A row is held as
// XP_MAXCOLS / 32 values per lane, so X may have at most XP_MAXCOLS columns; the backend passes
// -DXP_MAXCOLS=<its MAXCOLS> and uses cuBLAS products for wider X.
// Entry points: gd_{linear,logistic}_{f32,f64}; gd_logistic_w_{f32,f64} weigh each row's loss and
// residual by its sample weight sw[i].

#ifndef XP_MAXCOLS
#error "XP_MAXCOLS (the widest X the kernel takes, a multiple of 32) must be defined by the launcher"
#endif
static_assert(XP_MAXCOLS % 32 == 0, "XP_MAXCOLS must be a multiple of the warp size");

template<typename T, int KIND, bool WEIGHTED>
__device__ void gd_step(const T* __restrict__ X, const T* __restrict__ y, const T* __restrict__ sw, const T* __restrict__ w,
                        const T* __restrict__ bp, const long long n, const int d, T* __restrict__ g, T* __restrict__ out) {
    const int lane = threadIdx.x & 31;
    const long long warp = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const long long nwarps = ((long long)gridDim.x * blockDim.x) >> 5;
    T acc[XP_MAXCOLS / 32];
    #pragma unroll
    for (int k = 0; k < XP_MAXCOLS / 32; ++k) acc[k] = 0;
    const T b = bp[0];
    T loss = 0, gb = 0;
    for (long long i = warp; i < n; i += nwarps) {
        const T* row = X + i * (long long)d;
        T part = 0;
        #pragma unroll
        for (int k = 0; k < XP_MAXCOLS / 32; ++k) {
            int j = lane + 32 * k;
            if (j < d) part += row[j] * w[j];
        }
        for (int off = 16; off > 0; off >>= 1) part += __shfl_xor_sync(0xffffffff, part, off);
        T t = part + b;
        T r, li;
        if (KIND == 0) {            // linear: r = t - y, loss = r^2 / 2
            r = t - y[i];
            li = (T)0.5 * r * r;
        } else {                    // logistic: loss = log(1 + e^t) - y t, r = sigmoid(t) - y
            T e = exp(-fabs(t));
            li = (t > 0 ? t : (T)0) + log1p(e) - y[i] * t;
            T p = t >= 0 ? (T)1 / ((T)1 + e) : e / ((T)1 + e);
            r = p - y[i];
        }
        if (WEIGHTED) {
            const T s = sw[i];
            li *= s;
            r *= s;
        }
        loss += li;
        gb += r;
        #pragma unroll
        for (int k = 0; k < XP_MAXCOLS / 32; ++k) {
            int j = lane + 32 * k;
            if (j < d) acc[k] += r * row[j];
        }
    }
    #pragma unroll
    for (int k = 0; k < XP_MAXCOLS / 32; ++k) {
        int j = lane + 32 * k;
        if (j < d) atomicAdd(&g[j], acc[k]);
    }
    if (lane == 0) {
        atomicAdd(&out[0], loss);
        atomicAdd(&out[1], gb);
    }
}

extern "C" __global__ void gd_linear_f32(const float* X, const float* y, const float* w, const float* b,
        const long long n, const int d, float* g, float* out) { gd_step<float, 0, false>(X, y, nullptr, w, b, n, d, g, out); }
extern "C" __global__ void gd_linear_f64(const double* X, const double* y, const double* w, const double* b,
        const long long n, const int d, double* g, double* out) { gd_step<double, 0, false>(X, y, nullptr, w, b, n, d, g, out); }
extern "C" __global__ void gd_logistic_f32(const float* X, const float* y, const float* w, const float* b,
        const long long n, const int d, float* g, float* out) { gd_step<float, 1, false>(X, y, nullptr, w, b, n, d, g, out); }
extern "C" __global__ void gd_logistic_f64(const double* X, const double* y, const double* w, const double* b,
        const long long n, const int d, double* g, double* out) { gd_step<double, 1, false>(X, y, nullptr, w, b, n, d, g, out); }
extern "C" __global__ void gd_logistic_w_f32(const float* X, const float* y, const float* sw, const float* w,
        const float* b, const long long n, const int d, float* g, float* out) {
    gd_step<float, 1, true>(X, y, sw, w, b, n, d, g, out);
}
extern "C" __global__ void gd_logistic_w_f64(const double* X, const double* y, const double* sw, const double* w,
        const double* b, const long long n, const int d, double* g, double* out) {
    gd_step<double, 1, true>(X, y, sw, w, b, n, d, g, out);
}
