package dev.vae.variants;

import com.google.auto.service.AutoService;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;
import java.util.List;
import java.util.Map;

/**
 * beta-VAE (Higgins et al. 2017): maximise E_q[log p(x|z)] − β(t) KL(q(z|x) ‖ p(z)), where β(t) is
 * β times a {@link KlWeightSchedule} (constant, linear warm-up or cyclical). β &gt; 1 trades
 * reconstruction for a posterior closer to the prior; β &lt; 1 the reverse.
 */
public final class BetaVae implements Variant {
  public static final String NAME = "beta";

  private final double beta;
  private final KlWeightSchedule schedule;

  public BetaVae(double beta, KlWeightSchedule schedule) {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
    }
    this.beta = beta;
    this.schedule = schedule;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The KL weight at this point of training: β times the schedule's weight. */
  public double beta(TrainingClock clock) {
    return beta * schedule.weight(clock);
  }

  @Override
  public Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    double weight = beta(clock);
    return new Objective(WeightedElbo.loss(terms, weight), Map.of("beta", terms.kl().fullLike(weight).mean()));
  }

  @Override
  public List<String> warnings(long totalSteps) {
    List<String> warnings = new java.util.ArrayList<>(schedule.warning(totalSteps).stream().toList());
    if (beta < 1) {
      warnings.add("beta = " + beta + " < 1 weighs the KL less than the ELBO does: the objective is then no lower "
          + "bound on log p(x) (the codes may carry more than the prior allows); vae evaluate's -log p(x) is "
          + "still an estimate of the model's likelihood");
    }
    return warnings;
  }

  /** Registers beta-VAE under "beta". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "beta-VAE: KL weighted by beta (default 4), schedule=constant|linear (warmup-steps)|cyclical "
          + "(cycles, ratio)",
          options -> new BetaVae(options.getDouble("beta", 4.0), KlWeightSchedule.from(options)));
    }
  }
}
