package dev.vae.likelihoods;

import com.google.auto.service.AutoService;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.likelihood.DecoderOutput;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.LikelihoodProvider;
import dev.vae.api.likelihood.Support;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Gaussian with a full covariance Σ = L Lᵀ predicted per example, for data of small dimension m
 * (tabular data; m up to about 64): the decoder gives the mean μ (block 0), the diagonal of the
 * lower Cholesky factor L through L_ii = softplus(d_i) + σ_min (block 1), and the m(m − 1)/2
 * entries strictly below the diagonal, unconstrained, row by row (L_10, L_20, L_21, L_30, ...)
 * from column 2m on. The outputs per dimension are ⌈(m + 3)/2⌉, so for even m the last m/2
 * decoder outputs are unused.
 *
 * <p>log p(x) = −½ ‖L⁻¹(x − μ)‖² − Σ log L_ii − (m/2) log 2π: the log-determinant comes from the
 * diagonal, and one triangular solve per example replaces an inverse. Samples μ + L ε with
 * ε ~ N(0, I) are reparameterised. Beyond {@value #MAX_DIMENSION} dimensions the decoder would
 * need O(m²) outputs per example; {@code gaussian-lowrank} scales instead.
 */
public final class CholeskyGaussian extends Likelihood {
  public static final String NAME = "gaussian-full";
  /** The largest data dimension accepted. */
  public static final int MAX_DIMENSION = 256;
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  private final double minSigma;

  /** A full-covariance Gaussian whose Cholesky diagonal is at least {@code minSigma}. */
  public CholeskyGaussian(int dimension, double minSigma) {
    super(dimension);
    if (dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("gaussian-full likelihood: data dimension " + dimension + " needs "
          + ((long) dimension * (dimension + 3) / 2) + " decoder outputs per example; it accepts at most "
          + MAX_DIMENSION + " dimensions (use gaussian-lowrank for images)");
    }
    this.minSigma = Constraints.requireNonNegative(NAME, "min-sigma", minSigma);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return (dimension() + 4) / 2;
  }

  @Override
  public Support support() {
    return Support.REAL;
  }

  /** The column of the raw output holding L[i][j], i &gt; j. */
  static int offDiagonalColumn(int m, int i, int j) {
    return 2 * m + i * (i - 1) / 2 + j;
  }

  /** The lower Cholesky factor L of Σ for each example, [n, m, m], zero above the diagonal. */
  public Tensor scaleTril(DecoderOutput params) {
    int m = dimension();
    int n = params.batchSize();
    Tensor raw = params.raw();
    Tensor diagonal = Constraints.positive(params.block(1, m), minSigma);
    List<Tensor> pieces = new ArrayList<>(3 * m);
    for (int i = 0; i < m; i++) {
      if (i > 0) {
        int from = offDiagonalColumn(m, i, 0);
        pieces.add(raw.slice(1, from, from + i));
      }
      pieces.add(diagonal.slice(1, i, i + 1));
      if (i < m - 1) {
        pieces.add(raw.full(Shape.of(n, m - 1 - i), 0.0));
      }
    }
    Tensor rows = pieces.size() == 1 ? pieces.get(0) : raw.factory().concat(pieces, 1);
    return rows.reshape(n, m, m);
  }

  /** Σ = L Lᵀ for each example, [n, m, m]. */
  public Tensor covariance(DecoderOutput params) {
    Tensor l = scaleTril(params);
    return l.matmul(l, false, true);
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    int m = dimension();
    int n = params.batchSize();
    Tensor l = scaleTril(params);
    Tensor residual = x.sub(params.block(0, m)).reshape(n, m, 1);
    Tensor whitened = l.triangularSolve(residual, true, false);
    Tensor logDeterminant = Constraints.positive(params.block(1, m), minSigma).log().sum(false, 1);
    return whitened.square().sum(false, 1, 2).mul(-0.5).sub(logDeterminant).sub(m * HALF_LOG_TWO_PI);
  }

  @Override
  public Tensor mean(DecoderOutput params) {
    return params.block(0, dimension());
  }

  @Override
  public Optional<Tensor> mode(DecoderOutput params) {
    return Optional.of(mean(params));
  }

  @Override
  public Tensor sample(DecoderOutput params, Rng rng) {
    int m = dimension();
    int n = params.batchSize();
    Tensor mean = mean(params);
    Tensor noise = mean.factory().normal(rng, Shape.of(n, m, 1), mean.dtype());
    return mean.add(scaleTril(params).matmul(noise).reshape(n, m));
  }

  /** Registers "gaussian-full". Option: {@code min-sigma} (default 1e-3), the floor of L's diagonal. */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "Gaussian with a full covariance per example (Cholesky factor), for small dimension; min-sigma";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      double min = options.getDouble("min-sigma", 1e-3);
      options.requireAllUsed(NAME);
      return new CholeskyGaussian(dimension, min);
    }
  }
}
