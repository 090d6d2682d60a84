package dev.vae.variants;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Tensor;
import dev.vae.api.model.Prior;
import dev.vae.api.variant.NamedVariantProvider;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.api.variant.VariantProvider;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * delta-VAE (Razavi et al. 2019): a committed rate, a KL that cannot fall below a floor, so the
 * posterior cannot collapse whatever β or the decoder do. Two constructions:
 *
 * <ul>
 *   <li>{@code prior=normal}: the standard normal prior, and q(z|x)'s variance squeezed into
 *       [min-sigma², s_δ] by log σ² = ln min-sigma² + (ln s_δ − ln min-sigma²)·sigmoid(raw), where
 *       s_δ = {@link CommittedRate#maxVariance}(δ): every dimension's KL is at least δ nats;
 *   <li>{@code prior=ar1}: the {@link Ar1Prior} with coefficient α and an unconstrained factorised
 *       posterior, whose total KL is at least {@link Ar1Prior#klFloor}.
 * </ul>
 *
 * The objective is the ELBO with the KL weighted by β (default 1), so the committed rate can be set
 * against a large β. Reported: "committed_rate", the floor of the total KL per example in nats.
 */
public final class DeltaVae implements Variant {
  public static final String NAME = "delta";

  private final double beta;
  private final double delta;
  private final double minLogVariance;
  private final double maxLogVariance;
  private final Ar1Prior ar1;

  private DeltaVae(double beta, double delta, double minSigma, Ar1Prior ar1) {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
    }
    this.beta = beta;
    this.delta = delta;
    this.ar1 = ar1;
    this.maxLogVariance = Math.log(CommittedRate.maxVariance(delta));
    this.minLogVariance = 2 * Math.log(minSigma);
    if (ar1 == null && !(minLogVariance < maxLogVariance)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "min-sigma %.4g must be below the committed "
          + "rate's largest sigma %.4g (delta = %.4g nats)", minSigma, Math.exp(0.5 * maxLogVariance), delta));
    }
  }

  /** Committed rate δ nats per dimension by bounding σ² of q(z|x) to [minSigma², s_δ]; standard normal prior. */
  public static DeltaVae bounded(double beta, double delta, double minSigma) {
    if (!(minSigma > 0)) {
      throw new IllegalArgumentException("min-sigma must be positive, got " + minSigma);
    }
    return new DeltaVae(beta, delta, minSigma, null);
  }

  /** Committed rate through the AR(1) prior with coefficient α; posterior unconstrained. */
  public static DeltaVae sequential(double beta, double alpha) {
    return new DeltaVae(beta, 0, 1, new Ar1Prior(alpha));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Tensor constrainLogVariance(Tensor rawLogVariance) {
    if (ar1 != null) {
      return rawLogVariance;
    }
    return rawLogVariance.sigmoid().mul(maxLogVariance - minLogVariance).add(minLogVariance);
  }

  @Override
  public Optional<Prior> prior() {
    return Optional.ofNullable(ar1);
  }

  /** The floor of KL(q(z|x) ‖ p(z)) per example over {@code dimension} latent dimensions, in nats. */
  public double committedRate(int dimension) {
    return ar1 != null ? ar1.klFloor(dimension) : delta * dimension;
  }

  /** The bounded-variance form commits its rate against N(0, I); the AR(1) form brings its own prior. */
  @Override
  public boolean needsStandardNormalPrior() {
    return ar1 == null;
  }

  @Override
  public boolean needsKlPerDimension() {
    return true;
  }

  @Override
  public Objective objective(ObjectiveTerms terms, TrainingClock clock) {
    Tensor loss = WeightedElbo.loss(terms, beta);
    int d = terms.klPerDimension().map(t -> t.dim(1)).orElseThrow(() -> new IllegalStateException(
        "delta-VAE needs the closed-form KL of its own priors"));
    return new Objective(loss, Map.of("committed_rate", loss.fullLike(committedRate(d))));
  }

  /** Registers delta-VAE under "delta". */
  @AutoService(VariantProvider.class)
  public static final class Provider extends NamedVariantProvider {
    public Provider() {
      super(NAME, "delta-VAE: committed rate; prior=normal (delta nats per dimension, min-sigma) or prior=ar1 "
          + "(alpha); beta weights the KL",
          Provider::fromOptions);
    }

    private static Variant fromOptions(Options options) {
      double beta = options.getDouble("beta", 1);
      String prior = options.getString("prior", "normal").toLowerCase(Locale.ROOT);
      return switch (prior) {
        case "normal" -> bounded(beta, options.getDouble("delta", 0.1), options.getDouble("min-sigma", 1e-3));
        case "ar1" -> sequential(beta, options.getDouble("alpha", 0.95));
        default -> throw new IllegalArgumentException("delta-VAE: prior=" + prior + " is not one of [normal, ar1]");
      };
    }
  }
}
