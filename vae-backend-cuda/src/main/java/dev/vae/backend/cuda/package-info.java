/**
 * The backend SPI on NVIDIA GPUs through JCuda's binding of the CUDA driver API.
 *
 * <p>{@link dev.vae.backend.cuda.CudaBackendProvider} registers the backend as {@code "cuda"};
 * {@link dev.vae.backend.cuda.CudaBackend} implements it with the kernels of
 * {@code src/main/cuda}, shipped as PTX that the driver compiles for the GPU at hand, and cuBLAS
 * for matrix products where it loads. A machine needs the NVIDIA driver, not the CUDA toolkit; see
 * the module's README for versions and for which parts have run where.
 */
package dev.vae.backend.cuda;
