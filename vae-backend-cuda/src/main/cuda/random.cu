// Random numbers: the Philox4x32-10 stream that dev.vae.api.backend.Philox defines, bit for bit for
// uniforms, and its Box-Muller normals (double-precision libm, so within the last bits of Java's).
// Element i of a draw is element offset + i of the stream; each thread computes its own element.
#include "philox.cuh"

extern "C" __global__ void vae_uniform_f32(float* out, long long n, unsigned long long seed,
                                           unsigned long long offset) {
  VAE_GRID_LOOP(i, n) { out[i] = uniformFloat(seed, offset + (unsigned long long)i); }
}

extern "C" __global__ void vae_uniform_f64(double* out, long long n, unsigned long long seed,
                                           unsigned long long offset) {
  VAE_GRID_LOOP(i, n) { out[i] = uniformDouble(seed, offset + (unsigned long long)i); }
}

extern "C" __global__ void vae_normal_f32(float* out, long long n, unsigned long long seed,
                                          unsigned long long offset) {
  VAE_GRID_LOOP(i, n) { out[i] = __double2float_rn(normalDouble(seed, offset + (unsigned long long)i)); }
}

extern "C" __global__ void vae_normal_f64(double* out, long long n, unsigned long long seed,
                                          unsigned long long offset) {
  VAE_GRID_LOOP(i, n) { out[i] = normalDouble(seed, offset + (unsigned long long)i); }
}
