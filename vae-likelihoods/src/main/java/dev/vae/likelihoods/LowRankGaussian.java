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
import java.util.Optional;

/**
 * A Gaussian with covariance Σ = D + V Vᵀ of rank r plus diagonal, predicted per example, for
 * correlated pixels in images: the decoder gives the mean μ (block 0), the diagonal through
 * D_ii = σ_i² with σ_i = softplus(d_i) + σ_min (block 1), and the m × r factor relative to σ,
 * W, unconstrained, one column per block (blocks 2 .. r + 1), with V = diag(σ) W. The outputs per
 * dimension are r + 2. So Σ = S (I + W Wᵀ) S with S = diag(σ): W says how values are correlated,
 * σ how much each varies, and a value whose σ shrinks to its floor (an always-black pixel) takes
 * its share of the correlated noise down with it. (With V itself as the output, training on MNIST
 * shrank σ of the background to its floor and left V there at its initial size, so ancestral
 * samples drowned in noise.)
 *
 * <p>The log-density never forms an m × m matrix: with u = S⁻¹(x − μ) and the r × r capacitance
 * K = I + Wᵀ W (Cholesky K = L_K L_Kᵀ), the matrix determinant lemma gives
 * log det Σ = log det K + 2 Σ log σ_i, and the Woodbury identity gives
 * (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖u‖² − ‖L_K⁻¹ Wᵀ u‖², in O(m r² + r³) per example; K stays well
 * conditioned however small σ gets. Samples μ + S (ε₁ + W ε₂), with ε₁ ~ N(0, I_m) and
 * ε₂ ~ N(0, I_r), have exactly this covariance and are reparameterised.
 */
public final class LowRankGaussian extends Likelihood {
  public static final String NAME = "gaussian-lowrank";
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  private final int rank;
  private final double minSigma;

  /** A low-rank-plus-diagonal Gaussian of the given rank, diagonal standard deviations at least {@code minSigma}. */
  public LowRankGaussian(int dimension, int rank, double minSigma) {
    super(dimension);
    if (rank < 1) {
      throw new IllegalArgumentException("gaussian-lowrank likelihood: rank must be at least 1, got " + rank);
    }
    this.rank = rank;
    this.minSigma = Constraints.requireNonNegative(NAME, "min-sigma", minSigma);
  }

  /** The rank r of V. */
  public int rank() {
    return rank;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int outputsPerDimension() {
    return rank + 2;
  }

  @Override
  public Support support() {
    return Support.REAL;
  }

  /** The diagonal standard deviations σ (D = diag(σ²)), [n, m]. */
  public Tensor diagonalSigma(DecoderOutput params) {
    return Constraints.positive(params.block(1, dimension()), minSigma);
  }

  /** Wᵀ, the factor relative to σ, for each example, [n, r, m]. */
  public Tensor relativeFactorTransposed(DecoderOutput params) {
    int m = dimension();
    return params.raw().slice(1, 2 * m, (2 + rank) * m).reshape(params.batchSize(), rank, m);
  }

  /** Vᵀ = Wᵀ diag(σ) for each example, [n, r, m]. */
  public Tensor factorTransposed(DecoderOutput params) {
    return relativeFactorTransposed(params).mul(diagonalSigma(params).reshape(params.batchSize(), 1, dimension()));
  }

  /** Σ = D + V Vᵀ for each example, [n, m, m]; for checks and small m only. */
  public Tensor covariance(DecoderOutput params) {
    int m = dimension();
    Tensor vt = factorTransposed(params);
    Tensor variance = diagonalSigma(params).square().reshape(params.batchSize(), m, 1);
    return vt.matmul(vt, true, false).add(identity(vt, m).mul(variance));
  }

  private static Tensor identity(Tensor like, int size) {
    double[] eye = new double[size * size];
    for (int i = 0; i < size; i++) {
      eye[i * size + i] = 1.0;
    }
    return like.factory().fromHost(eye, Shape.of(size, size), like.dtype());
  }

  @Override
  protected Tensor logDensity(DecoderOutput params, Tensor x) {
    int m = dimension();
    int n = params.batchSize();
    Tensor sigma = diagonalSigma(params);
    Tensor wt = relativeFactorTransposed(params);
    Tensor standardised = x.sub(params.block(0, m)).div(sigma);
    Tensor eye = identity(wt, rank);
    Tensor capacitance = wt.matmul(wt, false, true).add(eye);
    Tensor lk = capacitance.cholesky();
    Tensor projected = wt.matmul(standardised.reshape(n, m, 1));
    Tensor w = lk.triangularSolve(projected, true, false);
    Tensor mahalanobis = standardised.square().sum(false, 1).sub(w.square().sum(false, 1, 2));
    Tensor logDetCapacitance = lk.mul(eye).sum(false, 2).log().sum(false, 1).mul(2.0);
    Tensor logDeterminant = sigma.log().sum(false, 1).mul(2.0).add(logDetCapacitance);
    return mahalanobis.add(logDeterminant).mul(-0.5).sub(m * HALF_LOG_TWO_PI);
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
    Tensor diagonalNoise = mean.factory().normal(rng, mean.shape(), mean.dtype());
    Tensor factorNoise = mean.factory().normal(rng, Shape.of(n, rank, 1), mean.dtype());
    Tensor correlated = relativeFactorTransposed(params).matmul(factorNoise, true, false).reshape(n, m);
    return mean.add(diagonalNoise.add(correlated).mul(diagonalSigma(params)));
  }

  /**
   * Registers "gaussian-lowrank". Options: {@code rank} (default 10), the rank r of W and V;
   * {@code min-sigma} (default 1e-3), the floor of the diagonal standard deviations.
   */
  @AutoService(LikelihoodProvider.class)
  public static final class Provider implements LikelihoodProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "Gaussian with covariance diagonal plus rank r per example (Woodbury), for images; rank, min-sigma";
    }

    @Override
    public Likelihood create(int dimension, Options options) {
      int rank = options.getInt("rank", 10);
      double min = options.getDouble("min-sigma", 1e-3);
      options.requireAllUsed(NAME);
      return new LowRankGaussian(dimension, rank, min);
    }
  }
}
