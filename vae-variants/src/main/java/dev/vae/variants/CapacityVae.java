package dev.vae.variants;

import com.google.auto.service.AutoService;
import dev.vae.api.Tensor;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Capacity control (Burgess et al. 2018): minimise −E_q[log p(x|z)] + γ |KL − C(t)|, the batch
 * mean KL pulled towards a target capacity C(t) that rises linearly from 0 to C over
 * {@code capacity-steps} steps and then stays; outside training C(t) = C.
 */
public final class CapacityVae implements Variant {
  public static final String NAME = "capacity";

  private final double gamma;
  private final double capacity;
  private final long capacitySteps;

  public CapacityVae(double gamma, double capacity, long capacitySteps) {
    if (!(gamma > 0) || !(capacity >= 0) || capacitySteps < 1 || Double.isInfinite(gamma + capacity)) {
      throw new IllegalArgumentException("capacity needs gamma > 0, capacity >= 0 (nats) and capacity-steps >= 1, got "
          + "gamma=" + gamma + ", capacity=" + capacity + ", capacity-steps=" + capacitySteps);
    }
    this.gamma = gamma;
    this.capacity = capacity;
    this.capacitySteps = capacitySteps;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** C(t), in nats. */
  public double target(TrainingClock clock) {
    return clock.isEvaluation() ? capacity : capacity * Math.min(1.0, (double) clock.step() / capacitySteps);
  }

  @Override
  public Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    double target = target(clock);
    Tensor meanKl = terms.kl().mean();
    Tensor loss = meanKl.sub(target).abs().mul(gamma).sub(terms.reconstruction().mean());
    return new Objective(loss, Map.of("capacity", meanKl.fullLike(target)));
  }

  @Override
  public List<String> warnings(long totalSteps) {
    return capacitySteps <= totalSteps ? List.of() : List.of(String.format(Locale.ROOT,
        "capacity-steps %d is longer than the run's %d steps: the capacity ends at %.3f nats, not %.3f",
        capacitySteps, totalSteps, capacity * totalSteps / capacitySteps, capacity));
  }

  /** Registers capacity control under "capacity". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "capacity control: gamma·|KL − C(t)|, C rising to capacity (nats) over capacity-steps",
          options -> new CapacityVae(options.getDouble("gamma", 1000), options.getDouble("capacity", 25),
          options.getInt("capacity-steps", 100_000)));
    }
  }
}
