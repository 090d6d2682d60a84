// Linear algebra: a tiled matrix product with transposes and a batch axis (used when cuBLAS is not
// loaded), and the Cholesky factorization and triangular solve of small matrices, one thread block
// per matrix. Matrices are row-major and contiguous, batches stacked along the leading axis.
#include "common.cuh"

// ---- matrix product

// c[b] = op(a[b]) . op(b[b]) for b in [0, batch), with op(a) m x k and op(b) k x n. a is stored
// [aRows, aCols] (k x m when transposed), b is stored [bRows, bCols]. Blocks are TILE x TILE threads;
// grid x covers column tiles, y row tiles, z batches, each with a stride loop so that any grid
// within the device limits covers the whole product.
template <typename T>
__device__ void gemm(const T* a, const T* b, T* c, int batch, int m, int n, int k, int transA, int transB) {
  __shared__ T tileA[VAE_GEMM_TILE][VAE_GEMM_TILE + 1];
  __shared__ T tileB[VAE_GEMM_TILE][VAE_GEMM_TILE + 1];
  const int tx = threadIdx.x;
  const int ty = threadIdx.y;
  const int aCols = transA ? m : k;
  const int bCols = transB ? k : n;
  const int rowTiles = (m + VAE_GEMM_TILE - 1) / VAE_GEMM_TILE;
  const int colTiles = (n + VAE_GEMM_TILE - 1) / VAE_GEMM_TILE;
  for (int z = blockIdx.z; z < batch; z += gridDim.z) {
    const T* az = a + (long long)z * m * k;
    const T* bz = b + (long long)z * k * n;
    T* cz = c + (long long)z * m * n;
    for (int rowTile = blockIdx.y; rowTile < rowTiles; rowTile += gridDim.y) {
      for (int colTile = blockIdx.x; colTile < colTiles; colTile += gridDim.x) {
        const int row = rowTile * VAE_GEMM_TILE + ty;
        const int col = colTile * VAE_GEMM_TILE + tx;
        T sum = 0;
        for (int p0 = 0; p0 < k; p0 += VAE_GEMM_TILE) {
          // tileA[ty][tx] = op(a)[row][p0 + tx]; tileB[ty][tx] = op(b)[p0 + ty][col]
          int pa = p0 + tx;
          T va = 0;
          if (row < m && pa < k) {
            va = transA ? az[(long long)pa * aCols + row] : az[(long long)row * aCols + pa];
          }
          tileA[ty][tx] = va;
          int pb = p0 + ty;
          T vb = 0;
          if (pb < k && col < n) {
            vb = transB ? bz[(long long)col * bCols + pb] : bz[(long long)pb * bCols + col];
          }
          tileB[ty][tx] = vb;
          __syncthreads();
#pragma unroll
          for (int p = 0; p < VAE_GEMM_TILE; p++) {
            sum += tileA[ty][p] * tileB[p][tx];
          }
          __syncthreads();
        }
        if (row < m && col < n) {
          cz[(long long)row * n + col] = sum;
        }
      }
    }
  }
}

extern "C" __global__ void vae_gemm_f32(const float* a, const float* b, float* c, int batch, int m, int n, int k,
                                        int transA, int transB) {
  gemm(a, b, c, batch, m, n, k, transA, transB);
}
extern "C" __global__ void vae_gemm_f64(const double* a, const double* b, double* c, int batch, int m, int n, int k,
                                        int transA, int transB) {
  gemm(a, b, c, batch, m, n, k, transA, transB);
}

// ---- Cholesky

// l[b] = the lower Cholesky factor of a[b] (n x n), reading only the lower triangle and writing
// zeros above the diagonal. Column j's pivot is a[j][j] - sum_p l[j][p]^2, summed in the reference's
// order by one thread; the rest of column j is filled in parallel. When a pivot is not > 0 (NaN
// included) info[b] = j + 1 and pivots[b] = that pivot, and the factor is left unfinished;
// otherwise info[b] = 0. One block per matrix; blocks stride over the batch.
template <typename T>
__device__ void cholesky(const T* a, T* l, int batches, int n, int* info, T* pivots) {
  __shared__ int failed;
  for (int batch = blockIdx.x; batch < batches; batch += gridDim.x) {
    const T* ab = a + (long long)batch * n * n;
    T* lb = l + (long long)batch * n * n;
    for (long long e = threadIdx.x; e < (long long)n * n; e += blockDim.x) {
      int i = (int)(e / n);
      int j = (int)(e - (long long)i * n);
      if (j > i) {
        lb[e] = 0;
      }
    }
    if (threadIdx.x == 0) {
      failed = 0;
      info[batch] = 0;
    }
    __syncthreads();
    for (int j = 0; j < n; j++) {
      if (threadIdx.x == 0) {
        T pivot = ab[(long long)j * n + j];
        for (int p = 0; p < j; p++) {
          T v = lb[(long long)j * n + p];
          pivot -= v * v;
        }
        if (!(pivot > T(0))) {
          failed = 1;
          info[batch] = j + 1;
          pivots[batch] = pivot;
        } else {
          lb[(long long)j * n + j] = vSqrt(pivot);
        }
      }
      __syncthreads();
      if (failed) {
        break;
      }
      T diagonal = lb[(long long)j * n + j];
      for (int i = j + 1 + threadIdx.x; i < n; i += blockDim.x) {
        T sum = ab[(long long)i * n + j];
        for (int p = 0; p < j; p++) {
          sum -= lb[(long long)i * n + p] * lb[(long long)j * n + p];
        }
        lb[(long long)i * n + j] = sum / diagonal;
      }
      __syncthreads();
    }
    __syncthreads();
  }
}

extern "C" __global__ void vae_cholesky_f32(const float* a, float* l, int batches, int n, int* info, float* pivots) {
  cholesky(a, l, batches, n, info, pivots);
}
extern "C" __global__ void vae_cholesky_f64(const double* a, double* l, int batches, int n, int* info,
                                            double* pivots) {
  cholesky(a, l, batches, n, info, pivots);
}

// ---- triangular solve

// x[b] with op(a[b]) x[b] = rhs[b]: a is n x n, lower or upper, op transposes when asked; rhs and x
// are n x k. Only the named triangle of a is read; a zero on the diagonal gives infinities or NaN.
// One block per matrix (blocks stride over the batch), one thread per right-hand side column, each
// substituting in the reference's order.
template <typename T>
__device__ void triangularSolve(const T* a, const T* rhs, T* x, int batches, int n, int k, int lower, int transA) {
  // op(a) is lower triangular exactly when a is lower and not transposed, or upper and transposed.
  const bool forward = (lower != 0) != (transA != 0);
  for (int batch = blockIdx.x; batch < batches; batch += gridDim.x) {
    const T* ab = a + (long long)batch * n * n;
    const T* bb = rhs + (long long)batch * n * k;
    T* xb = x + (long long)batch * n * k;
    for (int col = threadIdx.x; col < k; col += blockDim.x) {
      for (int step = 0; step < n; step++) {
        int i = forward ? step : n - 1 - step;
        T sum = bb[(long long)i * k + col];
        for (int other = 0; other < step; other++) {
          int p = forward ? other : n - 1 - other;
          T opA = transA ? ab[(long long)p * n + i] : ab[(long long)i * n + p];
          sum -= opA * xb[(long long)p * k + col];
        }
        xb[(long long)i * k + col] = sum / ab[(long long)i * n + i];
      }
    }
  }
}

extern "C" __global__ void vae_triangular_solve_f32(const float* a, const float* rhs, float* x, int batches, int n,
                                                    int k, int lower, int transA) {
  triangularSolve(a, rhs, x, batches, n, k, lower, transA);
}
extern "C" __global__ void vae_triangular_solve_f64(const double* a, const double* rhs, double* x, int batches, int n,
                                                    int k, int lower, int transA) {
  triangularSolve(a, rhs, x, batches, n, k, lower, transA);
}
