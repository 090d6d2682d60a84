/**
 * Persistence on the host, independent of any backend: the safetensors format ({@link
 * dev.vae.core.io.SafeTensors}), crash-safe file replacement ({@link dev.vae.core.io.AtomicFiles}),
 * training checkpoints ({@link dev.vae.core.io.Checkpoint}, {@link
 * dev.vae.core.io.CheckpointStore}) whose tensors are plain Java arrays ({@link
 * dev.vae.core.io.HostTensor}), and a trained VAE's checkpoint under the names and layouts of the
 * equivalent PyTorch modules ({@link dev.vae.core.io.PyTorchExport}). Nothing here touches a
 * backend; the trainer copies parameters and optimizer slots to and from host tensors.
 */
package dev.vae.core.io;
