// Reductions (SUM, REDUCE_MAX) over any set of axes, without moving data first: the host splits the
// axes into kept and reduced groups (see ReduceLayout) and picks one of two kernels. A sum over no
// elements is 0, a max over none is -inf; REDUCE_MAX propagates NaN.
#include "reduce_ops.cuh"

// One thread per output: for reductions over few elements.
template <typename T>
__device__ void reduceThread(const T* x, T* out, long long outputs, long long count, int keptRank, int reducedRank,
                             const ReduceLayout& layout, int op) {
  VAE_GRID_LOOP(o, outputs) {
    long long base = stridedOffset(o, keptRank, layout.keptDims, layout.keptStrides);
    T accumulated = reduceIdentity<T>(op);
    for (long long r = 0; r < count; r++) {
      accumulated = reduceStep(op, accumulated, x[base + stridedOffset(r, reducedRank, layout.reducedDims,
                                                                        layout.reducedStrides)]);
    }
    out[o] = accumulated;
  }
}

extern "C" __global__ void vae_reduce_thread_f32(const float* x, float* out, long long outputs, long long count,
                                                 int keptRank, int reducedRank, ReduceLayout layout, int op) {
  reduceThread(x, out, outputs, count, keptRank, reducedRank, layout, op);
}
extern "C" __global__ void vae_reduce_thread_f64(const double* x, double* out, long long outputs, long long count,
                                                 int keptRank, int reducedRank, ReduceLayout layout, int op) {
  reduceThread(x, out, outputs, count, keptRank, reducedRank, layout, op);
}

// One block of VAE_REDUCE_BLOCK threads per output (blocks stride over outputs): each thread
// reduces a strided share of the elements, then the block combines the shares in shared memory.
template <typename T>
__device__ void reduceBlock(const T* x, T* out, long long outputs, long long count, int keptRank, int reducedRank,
                            const ReduceLayout& layout, int op, T* shared) {
  for (long long o = blockIdx.x; o < outputs; o += gridDim.x) {
    long long base = stridedOffset(o, keptRank, layout.keptDims, layout.keptStrides);
    T accumulated = reduceIdentity<T>(op);
    for (long long r = threadIdx.x; r < count; r += blockDim.x) {
      accumulated = reduceStep(op, accumulated, x[base + stridedOffset(r, reducedRank, layout.reducedDims,
                                                                        layout.reducedStrides)]);
    }
    shared[threadIdx.x] = accumulated;
    __syncthreads();
    for (unsigned int width = VAE_REDUCE_BLOCK / 2; width > 0; width /= 2) {
      if (threadIdx.x < width) {
        shared[threadIdx.x] = reduceStep(op, shared[threadIdx.x], shared[threadIdx.x + width]);
      }
      __syncthreads();
    }
    if (threadIdx.x == 0) {
      out[o] = shared[0];
    }
    __syncthreads();
  }
}

extern "C" __global__ void __launch_bounds__(VAE_REDUCE_BLOCK)
vae_reduce_block_f32(const float* x, float* out, long long outputs, long long count, int keptRank, int reducedRank,
                     ReduceLayout layout, int op) {
  __shared__ float shared[VAE_REDUCE_BLOCK];
  reduceBlock(x, out, outputs, count, keptRank, reducedRank, layout, op, shared);
}
extern "C" __global__ void __launch_bounds__(VAE_REDUCE_BLOCK)
vae_reduce_block_f64(const double* x, double* out, long long outputs, long long count, int keptRank,
                     int reducedRank, ReduceLayout layout, int op) {
  __shared__ double shared[VAE_REDUCE_BLOCK];
  reduceBlock(x, out, outputs, count, keptRank, reducedRank, layout, op, shared);
}
