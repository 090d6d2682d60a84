package dev.vae.core.kernel;

import dev.vae.api.Shape;
import dev.vae.api.backend.FusedKernel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/** Every fused kernel the core has a composition of: the one list a new kernel joins. */
public final class Kernels {
  /** The kernels, each once. */
  public static final List<KernelDefinition<?>> ALL = List.of(new SoftplusKernel(), new BernoulliLogLikelihoodKernel());

  private Kernels() {}

  private static final Map<Class<? extends FusedKernel>, KernelDefinition<?>> BY_KIND = ALL.stream()
      .collect(Collectors.toUnmodifiableMap(KernelDefinition::kind, k -> k));

  /** The definition of a kernel, if the core has one. */
  public static Optional<KernelDefinition<?>> of(Class<? extends FusedKernel> kind) {
    return Optional.ofNullable(BY_KIND.get(kind));
  }

  static double[] uniform(Random random, Shape shape, double lo, double hi) {
    double[] values = new double[shape.sizeAsInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = lo + (hi - lo) * random.nextDouble();
    }
    return values;
  }
}
