package dev.vae.core.kernel;

import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.backend.FusedKernel;
import dev.vae.core.autodiff.Engine;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One fused kernel as the core knows it: its reference composition of primitives, how a backend's
 * implementation of it is run and recorded with its gradient, and the inputs the kernel contract
 * checks implementations on. Each is listed once in {@link Kernels}.
 *
 * @param <K> the backend interface that implements it
 */
public interface KernelDefinition<K extends FusedKernel> {
  /** The backend interface, which also names the kernel. */
  Class<K> kind();

  /**
   * The kernel written with tensor primitives: what runs where a backend has no implementation,
   * and what the contract holds every implementation to. {@code inputs} are checked.
   */
  Tensor compose(List<Tensor> inputs);

  /**
   * The result of the backend's implementation, recorded so that gradients flow as through the
   * composition; empty where the backend has none or these inputs do not fit it. {@code inputs}
   * are checked.
   */
  Optional<Tensor> fused(Engine engine, List<Tensor> inputs);

  /** Fails, naming the kernel, unless the inputs are what it takes. */
  void check(List<Tensor> inputs);

  /** The input sets the kernel contract compares implementations and composition on. */
  List<List<KernelInput>> contractInputs(DType dtype, Random random);
}
