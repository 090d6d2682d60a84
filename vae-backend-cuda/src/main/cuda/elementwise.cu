// Elementwise kernels: fill, cast, unary, binary (with broadcasting), select, strided copy,
// row gather and scatter-add, image patches (unfold and fold), and the fused softplus and Adam update.
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

// ---- image patches: unfold (im2col) and its adjoint fold, one thread per output element

// Images [n, channels, height, width]; patches [n, outHeight * outWidth, channels * kernelHeight *
// kernelWidth]. Window position o, tap k reads input coordinate o * stride - padding + k * dilation
// along each axis (dev.vae.api.ConvGeometry); outside the image it reads zero.
template <typename T>
__device__ void unfold(const T* x, T* out, long long n, int channels, int height, int width, int outHeight,
                       int outWidth, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                       int paddingHeight, int paddingWidth, int dilationHeight, int dilationWidth) {
  long long taps = (long long)kernelHeight * kernelWidth;
  long long columns = channels * taps;
  long long positions = (long long)outHeight * outWidth;
  VAE_GRID_LOOP(i, n) {
    long long row = i / columns;
    long long column = i - row * columns;
    long long image = row / positions;
    int position = (int)(row - image * positions);
    int c = (int)(column / taps);
    int tap = (int)(column - c * taps);
    int y = position / outWidth * strideHeight - paddingHeight + tap / kernelWidth * dilationHeight;
    int xx = position % outWidth * strideWidth - paddingWidth + tap % kernelWidth * dilationWidth;
    bool inside = y >= 0 && y < height && xx >= 0 && xx < width;
    out[i] = inside ? x[((image * channels + c) * height + y) * width + xx] : T(0);
  }
}

// The window position along one axis whose tap k reads input coordinate i, or -1 where none does.
__device__ __forceinline__ int windowPosition(int i, int k, int stride, int padding, int dilation, int positions) {
  int shifted = i + padding - k * dilation;
  if (shifted < 0 || shifted % stride != 0 || shifted / stride >= positions) {
    return -1;
  }
  return shifted / stride;
}

// Each pixel gathers the patch elements that unfold read from it, so no atomics are needed; taps
// are visited in descending order, which sums in ascending window positions as the reference does.
template <typename T>
__device__ void fold(const T* patches, T* out, long long n, int channels, int height, int width, int outHeight,
                     int outWidth, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                     int paddingHeight, int paddingWidth, int dilationHeight, int dilationWidth) {
  long long columns = (long long)channels * kernelHeight * kernelWidth;
  VAE_GRID_LOOP(i, n) {
    int xx = (int)(i % width);
    long long rest = i / width;
    int y = (int)(rest % height);
    rest /= height;
    int c = (int)(rest % channels);
    long long image = rest / channels;
    T sum = 0;
    for (int ky = kernelHeight - 1; ky >= 0; ky--) {
      int oy = windowPosition(y, ky, strideHeight, paddingHeight, dilationHeight, outHeight);
      if (oy < 0) {
        continue;
      }
      for (int kx = kernelWidth - 1; kx >= 0; kx--) {
        int ox = windowPosition(xx, kx, strideWidth, paddingWidth, dilationWidth, outWidth);
        if (ox >= 0) {
          sum += patches[((image * outHeight + oy) * outWidth + ox) * columns + ((long long)c * kernelHeight + ky)
                         * kernelWidth + kx];
        }
      }
    }
    out[i] = sum;
  }
}

extern "C" __global__ void vae_unfold_f32(const float* x, float* out, long long n, int channels, int height,
                                          int width, int outHeight, int outWidth, int kernelHeight, int kernelWidth,
                                          int strideHeight, int strideWidth, int paddingHeight, int paddingWidth,
                                          int dilationHeight, int dilationWidth) {
  unfold(x, out, n, channels, height, width, outHeight, outWidth, kernelHeight, kernelWidth, strideHeight,
         strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth);
}
extern "C" __global__ void vae_unfold_f64(const double* x, double* out, long long n, int channels, int height,
                                          int width, int outHeight, int outWidth, int kernelHeight, int kernelWidth,
                                          int strideHeight, int strideWidth, int paddingHeight, int paddingWidth,
                                          int dilationHeight, int dilationWidth) {
  unfold(x, out, n, channels, height, width, outHeight, outWidth, kernelHeight, kernelWidth, strideHeight,
         strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth);
}
extern "C" __global__ void vae_fold_f32(const float* patches, float* out, long long n, int channels, int height,
                                        int width, int outHeight, int outWidth, int kernelHeight, int kernelWidth,
                                        int strideHeight, int strideWidth, int paddingHeight, int paddingWidth,
                                        int dilationHeight, int dilationWidth) {
  fold(patches, out, n, channels, height, width, outHeight, outWidth, kernelHeight, kernelWidth, strideHeight,
       strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth);
}
extern "C" __global__ void vae_fold_f64(const double* patches, double* out, long long n, int channels, int height,
                                        int width, int outHeight, int outWidth, int kernelHeight, int kernelWidth,
                                        int strideHeight, int strideWidth, int paddingHeight, int paddingWidth,
                                        int dilationHeight, int dilationWidth) {
  fold(patches, out, n, channels, height, width, outHeight, outWidth, kernelHeight, kernelWidth, strideHeight,
       strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth);
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
