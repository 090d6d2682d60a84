package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import java.util.Optional;

/**
 * The continuous Bernoulli (Loaiza-Ganem and Cunningham, 2019) on logits η, for intensities in
 * [0, 1]: p(x | λ) = C(λ) λ^x (1 − λ)^(1−x) with λ = sigmoid(η) and the normalising constant
 * C(λ) = 2 atanh(1 − 2λ) / (1 − 2λ), which is 2 at λ = 1/2.
 *
 * <p>Written in logits, since 1 − 2λ = −tanh(η/2) and atanh(1 − 2λ) = −η/2:
 * C = η / tanh(η/2), so with a = |η|, log C = log a − log(−expm1(−a)) + softplus(−a), exact for
 * every λ however close to 0 or 1. Near λ = 1/2 (|η| &lt; {@value #SERIES_BELOW}, i.e.
 * |λ − 1/2| &lt; 0.025) that difference of logarithms cancels, and log C = log 2 + log(u coth u)
 * with u = η/2 comes from its series u²/3 − 7u⁴/90 + 62u⁶/2835 − 127u⁸/18900 (error below 1e-15
 * there); {@code where} picks the branch and each branch sees only inputs it is finite on, so the
 * gradients are finite too. The mean, λ/(2λ − 1) + 1/(2 atanh(1 − 2λ)) = 1/2 + (coth u − 1/u)/2,
 * takes the same care. Samples come from the inverse CDF x = log1p(v expm1(η)) / η (mirrored for
 * η &gt; 0 so nothing overflows), and are reparameterised: they are differentiable in η.
 */
public final class ContinuousBernoulli extends Likelihood {
  public static final String NAME = "continuous-bernoulli";
  /** Below this |η| the constant and the mean come from their series around λ = 1/2. */
  static final double SERIES_BELOW = 0.1;
  /** Below this |η| the inverse CDF comes from its series around λ = 1/2. */
  private static final double SAMPLER_SERIES_BELOW = 1e-6;
  private static final double LOG_TWO = Math.log(2.0);

  public ContinuousBernoulli(int dimension) {
    super(dimension);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return 1;
  }

  @Override
  public Support support() {
    return Support.UNIT_INTERVAL;
  }

  /** log C(λ) for logits η, elementwise. */
  public static Tensor logNormaliser(Tensor eta) {
    Tensor a = eta.abs();
    Tensor nearHalf = a.lt(SERIES_BELOW);
    Tensor safe = nearHalf.where(a.fullLike(1.0), a);
    Tensor exact = safe.log().sub(safe.neg().expm1().neg().log()).add(safe.neg().softplus());
    Tensor u = nearHalf.where(eta, eta.fullLike(0.0)).mul(0.5);
    Tensor u2 = u.square();
    Tensor series = u2.mul(-127.0 / 18900).add(62.0 / 2835).mul(u2).sub(7.0 / 90).mul(u2).add(1.0 / 3).mul(u2)
        .add(LOG_TWO);
    return nearHalf.where(series, exact);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor eta = params.raw();
    return x.mul(eta).sub(eta.softplus()).add(logNormaliser(eta)).sum(false, 1);
  }

  /** E[x] = 1/2 + (coth u − 1/u)/2 with u = η/2 (λ/(2λ − 1) + 1/(2 atanh(1 − 2λ)) in λ). */
  @Override
  public Tensor mean(DecoderOutput params) {
    Tensor eta = params.raw();
    Tensor nearHalf = eta.abs().lt(SERIES_BELOW);
    Tensor safeU = nearHalf.where(eta.fullLike(1.0), eta).mul(0.5);
    Tensor exact = safeU.tanh().reciprocal().sub(safeU.reciprocal());
    Tensor u = nearHalf.where(eta, eta.fullLike(0.0)).mul(0.5);
    Tensor u2 = u.square();
    // coth u − 1/u = u/3 − u³/45 + 2u⁵/945 − u⁷/4725
    Tensor series = u2.mul(-1.0 / 4725).add(2.0 / 945).mul(u2).sub(1.0 / 45).mul(u2).add(1.0 / 3).mul(u);
    return nearHalf.where(series, exact).mul(0.5).add(0.5);
  }

  /**
   * 1 where λ &gt; 1/2, else 0: the density is monotone in x, so its maximum is at an end. At
   * λ = 1/2 exactly the density is flat and 0 is returned.
   */
  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(params.raw().gt(0.0));
  }

  /** Inverse CDF of a uniform draw, differentiable in η (reparameterised). */
  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor eta = params.raw();
    Tensor u = eta.factory().uniform(rng, eta.shape(), eta.dtype());
    // For η ≤ 0, F⁻¹(v) = g(η, v) = log1p(v expm1(η)) / η. For η > 0 the mirror image:
    // F⁻¹(u) = 1 − g(−η, 1 − u), so expm1 only ever sees a ≤ 0 and never overflows.
    Tensor positive = eta.gt(0.0);
    // −|η| written with where, so that at η = 0 its derivative is 1 (the side η ≤ 0 is taken), not abs's 0.
    Tensor a = positive.where(eta.neg(), eta);
    Tensor v = positive.where(u.rsub(1.0), u);
    Tensor tiny = a.gt(-SAMPLER_SERIES_BELOW);
    Tensor safeA = tiny.where(a.fullLike(-1.0), a);
    Tensor exact = v.mul(safeA.expm1()).log1p().div(safeA);
    // g = v + v(1 − v) a/2 + v(1 − v)(1 − 2v) a²/6 + O(a³)
    Tensor smallA = tiny.where(a, a.fullLike(0.0));
    Tensor vv = v.mul(v.rsub(1.0));
    Tensor series = v.add(vv.mul(smallA).mul(0.5)).add(vv.mul(v.mul(-2.0).add(1.0)).mul(smallA.square()).div(6.0));
    Tensor g = tiny.where(series, exact);
    // Clamped because rounding (or e^a underflowing for η beyond ~700) may step just outside [0, 1].
    return positive.where(g.rsub(1.0), g).maximum(0.0).minimum(1.0);
  }

  /** Registers {@link ContinuousBernoulli} as "continuous-bernoulli"; it takes no options. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "continuous Bernoulli on logits, for intensities in [0, 1] (normalised, unlike a Bernoulli on grey values)";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      options.requireAllUsed(NAME);
      return new ContinuousBernoulli(dimension);
    }
  }
}
