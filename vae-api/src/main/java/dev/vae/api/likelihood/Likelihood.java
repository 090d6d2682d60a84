package dev.vae.api.likelihood;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decoder's distribution p(x | z) over m data dimensions, parameterised by the decoder's
 * unconstrained outputs. Plugins extend this class and write {@link #logDensity} in tensor math,
 * so gradients come for free; {@link #logProb} is the one place that checks shapes and support.
 *
 * <p>Out-of-support data: with validation on (the default) {@link #logProb} throws an
 * {@link IllegalArgumentException} naming the likelihood, the example and feature index, the value
 * and the support. With validation off it never reads data back to the host, and the log-density
 * of an example with any value outside the support is -infinity.
 */
public abstract class Likelihood {
  private final int dimension;
  private boolean validating = true;

  protected Likelihood(int dimension) {
    if (dimension <= 0) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": data dimension must be positive, got "
          + dimension);
    }
    this.dimension = dimension;
  }

  /** The stable name the likelihood is selected by, e.g. "bernoulli". */
  public abstract String name();

  /** Decoder outputs needed per data dimension (1 for Bernoulli logits, 2 for a mean and a log-scale). */
  public abstract int outputsPerDimension();

  /** The values x may take. */
  public abstract Support support();

  /**
   * What to do instead, appended to the error for data outside the support (e.g. which likelihood
   * suits such data); empty by default.
   */
  protected String outOfSupportAdvice() {
    return "";
  }

  /**
   * The error for a value outside the support, naming where it is (e.g. "x[3, 7]"), the support
   * and what to do instead: what {@link #logProb} throws, for checks of data on the host too.
   */
  public final IllegalArgumentException outsideSupport(String where, double value) {
    return new IllegalArgumentException(name() + " likelihood: " + where + " = " + value + " is outside its support "
        + support().description() + (outOfSupportAdvice().isEmpty() ? "" : "; " + outOfSupportAdvice()));
  }

  /** Trainable parameters this likelihood owns besides the decoder; none by default. */
  public List<ParameterSpec> ownParameters() {
    return List.of();
  }

  /**
   * Numbers this likelihood estimates from the batches it evaluates rather than learns by gradient
   * (the σ-VAE's calibrated σ), by name, NaN before the first estimate; checkpoints store them
   * beside the parameters, and a reloaded model gets them back through {@link #fixEstimates}.
   * None by default.
   */
  public Map<String, Double> estimates() {
    return Map.of();
  }

  /**
   * Fixes the estimates at saved values, as a trained model is evaluated: from then on log-prob
   * and samples use them instead of estimating from each batch. The names must be those of
   * {@link #estimates()}; a likelihood with none accepts only an empty map.
   */
  public void fixEstimates(Map<String, Double> values) {
    requireNoEstimates(values);
  }

  /**
   * Sets the estimates to saved values and goes on estimating from the batches it trains on, as a
   * resumed run does: until the next training batch, log-prob and samples use the saved values. The
   * names must be those of {@link #estimates()}; a likelihood with none accepts only an empty map.
   */
  public void restoreEstimates(Map<String, Double> values) {
    requireNoEstimates(values);
  }

  private void requireNoEstimates(Map<String, Double> values) {
    if (!values.isEmpty()) {
      throw new IllegalArgumentException(name() + " likelihood: estimates nothing, but was given " + values.keySet());
    }
  }

  /**
   * log p(x | θ) of each example, summed over the m dimensions: shape [n]. Inputs already checked;
   * x comes as rows [n, m], and {@code params} has the decoder's outputs both as rows
   * ({@link DecoderOutput#raw()}) and in the data's own shape ({@link DecoderOutput#shaped()}).
   */
  protected abstract Tensor logDensity(DecoderOutput params, Tensor x);

  /** E[x | θ]: the "mean" generation mode. Shape [n, m]. */
  public abstract Tensor mean(DecoderOutput params);

  /** The most likely x, where the family has a unique one. */
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.empty();
  }

  /** One draw x ~ p(x | θ) per example: the "ancestral" generation mode. Shape [n, m]. */
  public abstract Tensor sample(DecoderOutput params, Rng rng);

  /** The number m of data dimensions. */
  public final int dimension() {
    return dimension;
  }

  /** Turns the support check off (for speed) or on; see the class comment for what changes. */
  public final void setValidation(boolean on) {
    this.validating = on;
  }

  public final boolean validating() {
    return validating;
  }

  /**
   * log p(x | θ) per example, after checking shapes and, when validating, the support. x comes as
   * rows [n, m] or in the data's own shape [n, c, h, w]; the decoder's outputs as rows [n, k·m] or
   * in the data's own shape with the k groups stacked along axis 1, [n, k·c, h, w].
   */
  public final Tensor logProb(DecoderOutput params, Tensor x) {
    int n = params.batchSize();
    int k = outputsPerDimension();
    Shape outputs = params.shape();
    if (x.shape().rank() < 2 || x.dim(0) != n || x.shape().size() != (long) n * dimension) {
      throw new IllegalArgumentException(name() + " likelihood: data has shape " + x.shape() + ", expected "
          + Shape.of(n, dimension) + " or " + n + " examples of " + dimension + " values in their own shape, for the"
          + " decoder output " + outputs + madeBy(params));
    }
    boolean pictures = x.shape().rank() > 2;
    Shape expected = pictures ? x.shape().withDim(1, k * x.dim(1)) : Shape.of(n, k * dimension);
    boolean fits = pictures && outputs.rank() > 2 ? outputs.equals(expected) : outputs.size() == expected.size();
    if (!fits) {
      throw new IllegalArgumentException(name() + " likelihood: decoder output" + madeBy(params) + " has shape "
          + outputs + ", expected " + expected + " for data of shape " + x.shape() + " (" + k
          + " outputs per data dimension" + (k == 1 ? "" : ", stacked along axis 1") + ")");
    }
    Tensor rows = x.reshape(n, dimension);
    if (validating) {
      SupportCheck.require(this, rows);
      return logDensity(params, rows);
    }
    return SupportCheck.maskOutside(support(), rows, logDensity(params, rows));
  }

  private static String madeBy(DecoderOutput params) {
    return params.layer().isEmpty() ? "" : " made by layer '" + params.layer() + "'";
  }
}
