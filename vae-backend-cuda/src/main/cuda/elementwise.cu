// Elementwise kernels: fill, cast, unary, binary (with broadcasting), select, strided copy,
// row gather and scatter-add, and the fused softplus and Adam update.
//
// Every kernel walks its index space with a grid-stride loop, so the host may launch any grid.
// Results follow the reference backend: IEEE special values, NaN-propagating MAX and MIN, C99 pow.
#include "ops.cuh"

// ---- fill and cast

template <typename T>
__device__ void fill(T* out, long long n, T value) {
  VAE_GRID_LOOP(i, n) { out[i] = value; }
}

extern "C" __global__ void vae_fill_f32(float* out, long long n, float value) { fill(out, n, value); }
extern "C" __global__ void vae_fill_f64(double* out, long long n, double value) { fill(out, n, value); }

extern "C" __global__ void vae_cast_f32_f64(const float* x, double* out, long long n) {
  VAE_GRID_LOOP(i, n) { out[i] = (double)x[i]; }
}

// Rounds to nearest, ties to even.
extern "C" __global__ void vae_cast_f64_f32(const double* x, float* out, long long n) {
  VAE_GRID_LOOP(i, n) { out[i] = __double2float_rn(x[i]); }
}

// ---- unary

template <typename T>
__device__ void unary(const T* x, T* out, long long n, int op) {
  VAE_GRID_LOOP(i, n) { out[i] = unaryOp(op, x[i]); }
}

extern "C" __global__ void vae_unary_f32(const float* x, float* out, long long n, int op) { unary(x, out, n, op); }
extern "C" __global__ void vae_unary_f64(const double* x, double* out, long long n, int op) { unary(x, out, n, op); }

// ---- binary and comparisons

template <typename T>
__device__ void binary(const T* a, const T* b, T* out, long long n, int rank, const Layout& layout, int op) {
  VAE_GRID_LOOP(i, n) {
    long long offsets[2];
    layoutOffsets<2>(i, rank, layout, offsets);
    out[i] = binaryOp(op, a[offsets[0]], b[offsets[1]]);
  }
}

extern "C" __global__ void vae_binary_f32(const float* a, const float* b, float* out, long long n, int rank,
                                          Layout layout, int op) {
  binary(a, b, out, n, rank, layout, op);
}
extern "C" __global__ void vae_binary_f64(const double* a, const double* b, double* out, long long n, int rank,
                                          Layout layout, int op) {
  binary(a, b, out, n, rank, layout, op);
}

// ---- select

// a where condition is non-zero (NaN counts as non-zero), else b.
template <typename T>
__device__ void where(const T* condition, const T* a, const T* b, T* out, long long n, int rank,
                      const Layout& layout) {
  VAE_GRID_LOOP(i, n) {
    long long offsets[3];
    layoutOffsets<3>(i, rank, layout, offsets);
    out[i] = selectOp(condition[offsets[0]], a[offsets[1]], b[offsets[2]]);
  }
}

extern "C" __global__ void vae_where_f32(const float* condition, const float* a, const float* b, float* out,
                                         long long n, int rank, Layout layout) {
  where(condition, a, b, out, n, rank, layout);
}
extern "C" __global__ void vae_where_f64(const double* condition, const double* a, const double* b, double* out,
                                         long long n, int rank, Layout layout) {
  where(condition, a, b, out, n, rank, layout);
}

// ---- strided copy: permute, slice, broadcast and each part of a concat

// out[firstOut + offset_1(i)] = x[firstIn + offset_0(i)] for every i of the layout's index space.
template <typename T>
__device__ void copyStrided(const T* x, T* out, long long n, int rank, const Layout& layout, long long firstIn,
                            long long firstOut) {
  VAE_GRID_LOOP(i, n) {
    long long offsets[2];
    layoutOffsets<2>(i, rank, layout, offsets);
    out[firstOut + offsets[1]] = x[firstIn + offsets[0]];
  }
}

extern "C" __global__ void vae_copy_strided_f32(const float* x, float* out, long long n, int rank, Layout layout,
                                                long long firstIn, long long firstOut) {
  copyStrided(x, out, n, rank, layout, firstIn, firstOut);
}
extern "C" __global__ void vae_copy_strided_f64(const double* x, double* out, long long n, int rank, Layout layout,
                                                long long firstIn, long long firstOut) {
  copyStrided(x, out, n, rank, layout, firstIn, firstOut);
}

// ---- gather and scatter-add over rows of axis 0

template <typename T>
__device__ void gatherRows(const T* x, const int* rows, T* out, long long count, long long rowLength) {
  VAE_GRID_LOOP(i, count * rowLength) {
    long long r = i / rowLength;
    long long j = i - r * rowLength;
    out[i] = x[(long long)rows[r] * rowLength + j];
  }
}

extern "C" __global__ void vae_gather_rows_f32(const float* x, const int* rows, float* out, long long count,
                                               long long rowLength) {
  gatherRows(x, rows, out, count, rowLength);
}
extern "C" __global__ void vae_gather_rows_f64(const double* x, const int* rows, double* out, long long count,
                                               long long rowLength) {
  gatherRows(x, rows, out, count, rowLength);
}

// plan = [starts (rows + 1 entries) | sources]: output row r sums the update rows
// sources[starts[r] .. starts[r + 1]) in that (ascending) order, so the result is deterministic
// and needs no atomics.
template <typename T>
__device__ void scatterAdd(const T* updates, const int* plan, T* out, long long rows, long long rowLength) {
  const int* sources = plan + rows + 1;
  VAE_GRID_LOOP(i, rows * rowLength) {
    long long r = i / rowLength;
    long long j = i - r * rowLength;
    T sum = 0;
    for (int s = plan[r]; s < plan[r + 1]; s++) {
      sum += updates[(long long)sources[s] * rowLength + j];
    }
    out[i] = sum;
  }
}

extern "C" __global__ void vae_scatter_add_f32(const float* updates, const int* plan, float* out, long long rows,
                                               long long rowLength) {
  scatterAdd(updates, plan, out, rows, rowLength);
}
extern "C" __global__ void vae_scatter_add_f64(const double* updates, const int* plan, double* out, long long rows,
                                               long long rowLength) {
  scatterAdd(updates, plan, out, rows, rowLength);
}

// ---- fused kernels

template <typename T>
__device__ void softplus(const T* x, T* out, long long n) {
  VAE_GRID_LOOP(i, n) { out[i] = softplusOf(x[i]); }
}

extern "C" __global__ void vae_softplus_f32(const float* x, float* out, long long n) { softplus(x, out, n); }
extern "C" __global__ void vae_softplus_f64(const double* x, double* out, long long n) { softplus(x, out, n); }

// One Adam / AdamW step in place on every element (see adamStep).
template <typename T>
__device__ void adam(T* param, const T* grad, T* m, T* v, long long n, double lr, double beta1, double beta2,
                     double eps, double weightDecay, double correction1, double correction2) {
  VAE_GRID_LOOP(i, n) {
    adamStep(param[i], grad[i], m[i], v[i], lr, beta1, beta2, eps, weightDecay, correction1, correction2);
  }
}

extern "C" __global__ void vae_adam_f32(float* param, const float* grad, float* m, float* v, long long n,
                                        double lr, double beta1, double beta2, double eps, double weightDecay,
                                        double correction1, double correction2) {
  adam(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, correction1, correction2);
}
extern "C" __global__ void vae_adam_f64(double* param, const double* grad, double* m, double* v, long long n,
                                        double lr, double beta1, double beta2, double eps, double weightDecay,
                                        double correction1, double correction2) {
  adam(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, correction1, correction2);
}
