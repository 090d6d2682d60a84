/**
 * The fused kernels as the core knows them: each kernel's reference composition of primitives,
 * how a backend's implementation of it runs and is differentiated, and the inputs the kernel
 * contract ({@code dev.vae.core.testkit.KernelContractSuite}) checks implementations on.
 * {@link dev.vae.core.kernel.Kernels} lists them; {@link dev.vae.core.autodiff.Engine#kernel} runs
 * them.
 */
package dev.vae.core.kernel;
