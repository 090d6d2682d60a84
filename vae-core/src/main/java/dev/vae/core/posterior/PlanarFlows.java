package dev.vae.core.posterior;

import com.google.auto.service.AutoService;
import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.Philox;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * K planar flows (Rezende and Mohamed 2015) on top of a diagonal Gaussian posterior: each step maps z to
 * z + û tanh(wᵀz + b), with log|det| = log|1 + (1 − tanh²(wᵀz + b)) wᵀû|. The steps' u, w and b are
 * trained with the model (shared by every example). û = u + (m(wᵀu) − wᵀu) w / ‖w‖², with
 * m(a) = −1 + softplus(a), keeps wᵀû = m(wᵀu) ≥ −1, so every step is invertible. w starts as a
 * draw of N(0, I/d), b at 0 and u at log(e − 1) w/‖w‖², where û = 0: every step starts as the
 * identity.
 */
public final class PlanarFlows implements Flow {
  /** The provider's name. */
  public static final String NAME = "planar";
  /** wᵀu at which m(wᵀu) = 0, so û = 0: log(e − 1). */
  private static final double IDENTITY = Math.log(Math.E - 1);
  private final List<Parameter> u = new ArrayList<>();
  private final List<Parameter> w = new ArrayList<>();
  private final List<Parameter> b = new ArrayList<>();

  /** {@code steps} flows in {@code dimension} latent dimensions, drawn from {@code rng}. */
  public PlanarFlows(Engine engine, int steps, int dimension, Rng rng, DType dtype) {
    if (steps < 1 || dimension < 1) {
      throw new IllegalArgumentException("planar flows: steps and latent dimension must be at least 1, got " + steps
          + " and " + dimension);
    }
    for (int k = 0; k < steps; k++) {
      double[] direction = new double[dimension];
      Philox.normals(rng.seed(), rng.advance(dimension + dimension % 2), direction);
      Arrays.setAll(direction, i -> direction[i] / Math.sqrt(dimension));
      double squared = Arrays.stream(direction).map(v -> v * v).sum();
      double[] identity = direction.clone();
      Arrays.setAll(identity, i -> IDENTITY * direction[i] / squared);
      u.add(Parameter.fromHost("flow." + k + ".u", engine, identity, Shape.of(dimension), dtype));
      w.add(Parameter.fromHost("flow." + k + ".w", engine, direction, Shape.of(dimension), dtype));
      b.add(Parameter.fromHost("flow." + k + ".b", engine, new double[1], Shape.of(1), dtype));
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** None: the steps are shared by every example. */
  @Override
  public int contextSize() {
    return 0;
  }

  @Override
  public int steps() {
    return u.size();
  }

  /** Every step's u, w and b, in order. */
  @Override
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (int k = 0; k < steps(); k++) {
      all.addAll(List.of(u.get(k), w.get(k), b.get(k)));
    }
    return all;
  }

  /** Step k on z [n, d]; planar flows read no context. */
  @Override
  public Transformed step(int k, Tensor z, Tensor context) {
    return step(z, u.get(k).tensor(), w.get(k).tensor(), b.get(k).tensor());
  }

  /** One planar step on z [n, d] with u and w [d] and b [1]: the new z and that step's log|det| [n]. */
  static Transformed step(Tensor z, Tensor u, Tensor w, Tensor b) {
    int d = w.dim(0);
    Tensor wu = w.mul(u).sum();
    Tensor wuHat = wu.softplus().sub(1.0); // wᵀû = m(wᵀu), exactly, rather than recomputed from û
    Tensor uHat = u.add(w.mul(wuHat.sub(wu).div(w.square().sum())));
    Tensor h = z.matmul(w.reshape(d, 1), false, false).add(b).tanh(); // [n, 1]
    Tensor logDeterminant = h.square().neg().add(1.0).mul(wuHat).add(1.0).log().reshape(z.dim(0));
    return new Transformed(z.add(h.mul(uHat.reshape(1, d))), logDeterminant);
  }

  /** Registers planar flows as "planar"; option {@code steps} (default 8). */
  @AutoService(PosteriorProvider.class)
  public static final class Provider implements PosteriorProvider {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String description() {
      return "a diagonal Gaussian through K planar flows shared by every example (steps=8)";
    }

    @Override
    public PosteriorFamily build(PosteriorContext context) {
      int steps = context.options().getInt("steps", 8);
      context.options().requireAllUsed("posterior " + NAME);
      return new FlowPosterior.Family(new PlanarFlows(context.engine(), steps, context.latent(), context.rng(),
          context.dtype()), context.latent());
    }
  }
}
