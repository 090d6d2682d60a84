// Shared definitions of the vae CUDA kernels: operation codes, launch constants and the
// by-value layouts that carry shapes and strides into a kernel.
//
// Every number defined here has a twin on the Java side (dev.vae.backend.cuda.KernelAbi); a host
// test reads this file and fails if the two disagree.
#pragma once

#include <math.h>
#include <stdint.h>

// Functions marked VAE_HD compile for the device and for the host; the host build is what the
// module's host tests run to check the per-element arithmetic against the reference backend.
#define VAE_HD __host__ __device__

// ---- launch constants

// Axes a layout can describe after the host has merged every axis it can.
#define VAE_MAX_RANK 8
// Threads of a block-per-output reduction (a power of two; the shared buffer has this size).
#define VAE_REDUCE_BLOCK 256
// Side of the square tile of the matrix-product kernel; its blocks are VAE_GEMM_TILE^2 threads.
#define VAE_GEMM_TILE 16

// ---- unary operation codes
#define VAE_NEG 0
#define VAE_EXP 1
#define VAE_LOG 2
#define VAE_LOG1P 3
#define VAE_EXPM1 4
#define VAE_SQRT 5
#define VAE_TANH 6
#define VAE_SIGMOID 7
#define VAE_ABS 8
#define VAE_SIGN 9
#define VAE_LGAMMA 10
#define VAE_DIGAMMA 11
#define VAE_TRIGAMMA 12

// ---- binary and comparison operation codes
#define VAE_ADD 0
#define VAE_SUB 1
#define VAE_MUL 2
#define VAE_DIV 3
#define VAE_POW 4
#define VAE_MAX 5
#define VAE_MIN 6
#define VAE_EQ 7
#define VAE_LT 8
#define VAE_LE 9

// ---- reduction codes
#define VAE_REDUCE_SUM 0
#define VAE_REDUCE_MAX 1

// An elementwise walk over a row-major index space of `rank` axes of sizes dims[], where operand k
// sits at element offset sum(index[d] * strides[k][d]). Broadcast axes have stride 0.
struct Layout {
  long long dims[VAE_MAX_RANK];
  long long strides[3][VAE_MAX_RANK];
};

// A reduction: each output (row-major over the kept axes) reduces the elements over the reduced
// axes; both groups are given with their input strides.
struct ReduceLayout {
  long long keptDims[VAE_MAX_RANK];
  long long keptStrides[VAE_MAX_RANK];
  long long reducedDims[VAE_MAX_RANK];
  long long reducedStrides[VAE_MAX_RANK];
};

// The offsets of linear index i (row-major over layout.dims) for the first `operands` operands.
template <int operands>
VAE_HD __forceinline__ void layoutOffsets(long long i, int rank, const Layout& layout, long long* offsets) {
#pragma unroll
  for (int k = 0; k < operands; k++) {
    offsets[k] = 0;
  }
  for (int d = rank - 1; d >= 0; d--) {
    long long size = layout.dims[d];
    long long index = i % size;
    i /= size;
#pragma unroll
    for (int k = 0; k < operands; k++) {
      offsets[k] += index * layout.strides[k][d];
    }
  }
}

// The offset of linear index i over `rank` axes of the given sizes and strides.
VAE_HD __forceinline__ long long stridedOffset(long long i, int rank, const long long* dims,
                                                  const long long* strides) {
  long long offset = 0;
  for (int d = rank - 1; d >= 0; d--) {
    long long size = dims[d];
    offset += (i % size) * strides[d];
    i /= size;
  }
  return offset;
}

// NaN test that needs no library: NaN is the one value unequal to itself (no fast math here).
template <typename T>
VAE_HD __forceinline__ bool isNaN(T x) {
  return x != x;
}

// Grid-stride loop over [0, n): any grid size covers every index.
#define VAE_GRID_LOOP(i, n)                                                         \
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n);     \
       i += (long long)blockDim.x * gridDim.x)

// Precision-specific spellings of the libm functions, so templates pick float or double math.
VAE_HD __forceinline__ float vExp(float x) { return expf(x); }
VAE_HD __forceinline__ double vExp(double x) { return exp(x); }
VAE_HD __forceinline__ float vLog(float x) { return logf(x); }
VAE_HD __forceinline__ double vLog(double x) { return log(x); }
VAE_HD __forceinline__ float vLog1p(float x) { return log1pf(x); }
VAE_HD __forceinline__ double vLog1p(double x) { return log1p(x); }
VAE_HD __forceinline__ float vExpm1(float x) { return expm1f(x); }
VAE_HD __forceinline__ double vExpm1(double x) { return expm1(x); }
VAE_HD __forceinline__ float vSqrt(float x) { return sqrtf(x); }
VAE_HD __forceinline__ double vSqrt(double x) { return sqrt(x); }
VAE_HD __forceinline__ float vTanh(float x) { return tanhf(x); }
VAE_HD __forceinline__ double vTanh(double x) { return tanh(x); }
VAE_HD __forceinline__ float vAbs(float x) { return fabsf(x); }
VAE_HD __forceinline__ double vAbs(double x) { return fabs(x); }
VAE_HD __forceinline__ float vPow(float x, float y) { return powf(x, y); }
VAE_HD __forceinline__ double vPow(double x, double y) { return pow(x, y); }
