// The Philox4x32-10 stream of dev.vae.api.backend.Philox: uniforms bit for bit, Box-Muller normals
// in double precision. Compiles for the device and the host (VAE_HD), so host tests can compare it
// with the Java definition.
#pragma once

#include "common.cuh"

#define VAE_PHILOX_M0 0xD2511F53u
#define VAE_PHILOX_M1 0xCD9E8D57u
#define VAE_PHILOX_W0 0x9E3779B9u
#define VAE_PHILOX_W1 0xBB67AE85u

// The high 32 bits of a 32 x 32-bit product.
VAE_HD __forceinline__ unsigned int mulHigh(unsigned int a, unsigned int b) {
#ifdef __CUDA_ARCH__
  return __umulhi(a, b);
#else
  return (unsigned int)(((unsigned long long)a * b) >> 32);
#endif
}

// The 4-word block for the 128-bit counter (counterHigh, counterLow), keyed by the seed's halves.
VAE_HD __forceinline__ uint4 philoxBlock(unsigned long long seed, unsigned long long counterLow,
                                         unsigned long long counterHigh) {
  unsigned int k0 = (unsigned int)seed;
  unsigned int k1 = (unsigned int)(seed >> 32);
  unsigned int c0 = (unsigned int)counterLow;
  unsigned int c1 = (unsigned int)(counterLow >> 32);
  unsigned int c2 = (unsigned int)counterHigh;
  unsigned int c3 = (unsigned int)(counterHigh >> 32);
#pragma unroll
  for (int round = 0; round < 10; round++) {
    unsigned int hi0 = mulHigh(VAE_PHILOX_M0, c0);
    unsigned int lo0 = VAE_PHILOX_M0 * c0;
    unsigned int hi1 = mulHigh(VAE_PHILOX_M1, c2);
    unsigned int lo1 = VAE_PHILOX_M1 * c2;
    unsigned int n0 = hi1 ^ c1 ^ k0;
    unsigned int n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += VAE_PHILOX_W0;
    k1 += VAE_PHILOX_W1;
  }
  return make_uint4(c0, c1, c2, c3);
}

VAE_HD __forceinline__ unsigned int lane(const uint4& block, int index) {
  switch (index) {
    case 0: return block.x;
    case 1: return block.y;
    case 2: return block.z;
    default: return block.w;
  }
}

// Float32 uniform element i: lane i % 4 of the block at counter (i / 4, 0), top 24 bits.
VAE_HD __forceinline__ float uniformFloat(unsigned long long seed, unsigned long long i) {
  uint4 block = philoxBlock(seed, i >> 2, 0ull);
  return (float)(lane(block, (int)(i & 3)) >> 8) * 0x1.0p-24f;
}

// Float64 uniform from the two lanes (hi, lo): 27 + 26 bits.
VAE_HD __forceinline__ double uniformDoubleFrom(unsigned int hi, unsigned int lo) {
  return ((double)(hi >> 5) * 67108864.0 + (double)(lo >> 6)) * 0x1.0p-53;
}

// Float64 uniform element i: lanes 2(i % 2) and 2(i % 2) + 1 of the block at counter (i / 2, 1).
VAE_HD __forceinline__ double uniformDouble(unsigned long long seed, unsigned long long i) {
  uint4 block = philoxBlock(seed, i >> 1, 1ull);
  return (i & 1) == 0 ? uniformDoubleFrom(block.x, block.y) : uniformDoubleFrom(block.z, block.w);
}

// Normal element i: Box-Muller on the float64 uniforms 2(i/2) and 2(i/2) + 1, which are the two
// halves of one block; even i takes the cosine, odd i the sine.
VAE_HD __forceinline__ double normalDouble(unsigned long long seed, unsigned long long i) {
  uint4 block = philoxBlock(seed, i >> 1, 1ull);
  double u1 = uniformDoubleFrom(block.x, block.y);
  double u2 = uniformDoubleFrom(block.z, block.w);
  double r = sqrt(-2.0 * log1p(-u1));
  double angle = 6.283185307179586 * u2;
  return (i & 1) == 0 ? r * cos(angle) : r * sin(angle);
}
