package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.Op;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import java.util.Optional;

/**
 * A categorical distribution over the 256 intensity levels of 8-bit images, each value on its own
 * softmax: data is x = k/255 for a level k in 0..255 (as image loaders scale bytes), and the
 * decoder gives 256 logits per value, block k holding the logits of level k for every dimension.
 * log p(x) = logit_k − logsumexp(logits) for the level k = round(255 x).
 *
 * <p>Values within {@value #LEVEL_TOLERANCE} of a level (in units of levels, so float32 data
 * qualifies) are read as that level; anything else is outside the support. The mean is
 * Σ_k p_k k/255; the mode the most likely level (the highest one on a tie). Samples take the
 * Gumbel-max of the logits on the backend; they are discrete and not reparameterised.
 */
public final class Categorical256 extends Likelihood {
  public static final String NAME = "categorical256";
  /** The number of levels. */
  public static final int LEVELS = 256;
  /** How far (in levels) a value may lie from k/255 and still be read as level k. */
  public static final double LEVEL_TOLERANCE = 1e-3;
  private static final double TOP = LEVELS - 1;
  private static final Support SUPPORT = new Support("intensity levels k/255 for k = 0, 1, ..., 255",
      v -> v >= 0 && v <= 1 && Math.abs(v * TOP - Math.rint(v * TOP)) <= LEVEL_TOLERANCE,
      x -> {
        Tensor scaled = x.mul(TOP);
        return x.ge(0.0).mul(x.le(1.0)).mul(scaled.sub(Support.nearestInteger(scaled)).abs().le(LEVEL_TOLERANCE));
      });

  public Categorical256(int dimension) {
    super(dimension);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return LEVELS;
  }

  @Override
  public Support support() {
    return SUPPORT;
  }

  /** The logits as [n, 256, m]: axis 1 runs over the levels. */
  public Tensor logits(DecoderOutput params) {
    return params.raw().reshape(params.batchSize(), LEVELS, dimension());
  }

  /** The levels 0..255 as a [1, 256, 1] constant like {@code like}. */
  private static Tensor levels(Tensor like) {
    double[] k = new double[LEVELS];
    for (int i = 0; i < LEVELS; i++) {
      k[i] = i;
    }
    return like.factory().fromHost(k, Shape.of(1, LEVELS, 1), like.dtype());
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    Tensor logits = logits(params);
    int n = params.batchSize();
    int m = dimension();
    Tensor level = Support.nearestInteger(x.mul(TOP)).reshape(n, 1, m);
    Tensor oneHot = level.binary(Op.EQ, levels(logits));
    Tensor chosen = logits.mul(oneHot).sum(false, 1);
    return chosen.sub(logits.logSumExp(false, 1)).sum(false, 1);
  }

  /** Level probabilities, [n, 256, m]. */
  public Tensor probabilities(DecoderOutput params) {
    Tensor logits = logits(params);
    return logits.sub(logits.logSumExp(true, 1)).exp();
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return probabilities(params).mul(levels(params.raw())).sum(false, 1).div(TOP);
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(argmax(logits(params)).div(TOP));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    Tensor logits = logits(params).detach();
    Tensor u = logits.factory().uniform(rng, logits.shape(), logits.dtype());
    Tensor gumbel = u.log().neg().log().neg();
    return argmax(logits.add(gumbel)).div(TOP);
  }

  /** The level holding the maximum over axis 1 of [n, 256, m], the highest on a tie: [n, m]. */
  private static Tensor argmax(Tensor scores) {
    Tensor s = scores.detach();
    Tensor isMax = s.binary(Op.EQ, s.max(true, 1));
    Tensor k = levels(s);
    return isMax.where(k, k.fullLike(-1.0)).max(false, 1);
  }

  /** Registers {@link Categorical256} as "categorical256"; it takes no options. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "categorical over the 256 levels k/255 of 8-bit intensities, 256 logits per value";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      options.requireAllUsed(NAME);
      return new Categorical256(dimension);
    }
  }
}
