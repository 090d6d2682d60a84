// Just enough of CUDA's C++ dialect for the kernels of src/main/cuda to compile with a host C++
// compiler, and a model of its thread hierarchy to run them: blocks run one after another; the
// threads of a block run one after another too, unless the kernel synchronises (__syncthreads),
// in which case each thread is a fiber (ucontext) that runs until it reaches the barrier, and the
// block moves on when all have. __shared__ variables become function statics, which all threads
// of the (single running) block share.
//
// This is a test tool (kernel_emulator.cpp includes it first); nothing here reaches the PTX.
#pragma once

#include <cmath>
#include <math.h>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static

struct dim3 {
  unsigned int x = 1;
  unsigned int y = 1;
  unsigned int z = 1;
};

struct uint4 {
  unsigned int x;
  unsigned int y;
  unsigned int z;
  unsigned int w;
};

inline uint4 make_uint4(unsigned int x, unsigned int y, unsigned int z, unsigned int w) { return {x, y, z, w}; }

// Float conversion rounds to nearest even on the host as on the device.
inline float __double2float_rn(double x) { return (float)x; }

static dim3 threadIdx;
static dim3 blockIdx;
static dim3 blockDim;
static dim3 gridDim;

// Parks the running fiber at the block's barrier (defined by the emulator's scheduler).
void __syncthreads();
