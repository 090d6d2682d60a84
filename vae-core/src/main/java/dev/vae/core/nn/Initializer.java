package dev.vae.core.nn;

import dev.vae.api.Rng;
import dev.vae.api.backend.Philox;

/**
 * How a weight matrix [fanIn, fanOut] is first filled, drawn from an explicit {@link Rng} so the
 * same seed gives the same network on every backend.
 */
public enum Initializer {
  /** U(-a, a) with a = sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010). */
  XAVIER_UNIFORM {
    @Override
    public double[] sample(int fanIn, int fanOut, Rng rng) {
      return uniform(fanIn * fanOut, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
    }
  },
  /** N(0, 2 / (fanIn + fanOut)). */
  XAVIER_NORMAL {
    @Override
    public double[] sample(int fanIn, int fanOut, Rng rng) {
      return normal(fanIn * fanOut, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
    }
  },
  /** U(-a, a) with a = sqrt(6 / fanIn), for ReLU networks (He et al. 2015). */
  HE_UNIFORM {
    @Override
    public double[] sample(int fanIn, int fanOut, Rng rng) {
      return uniform(fanIn * fanOut, Math.sqrt(6.0 / fanIn), rng);
    }
  },
  /** N(0, 2 / fanIn). */
  HE_NORMAL {
    @Override
    public double[] sample(int fanIn, int fanOut, Rng rng) {
      return normal(fanIn * fanOut, Math.sqrt(2.0 / fanIn), rng);
    }
  },
  /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): the default of PyTorch's nn.Linear, for weights and biases. */
  LECUN_UNIFORM {
    @Override
    public double[] sample(int fanIn, int fanOut, Rng rng) {
      return uniform(fanIn * fanOut, 1.0 / Math.sqrt(fanIn), rng);
    }
  },
  ZEROS {
    @Override
    public double[] sample(int fanIn, int fanOut, Rng rng) {
      return new double[fanIn * fanOut];
    }
  };

  /** Row-major values of a [fanIn, fanOut] matrix. */
  public abstract double[] sample(int fanIn, int fanOut, Rng rng);

  /** n values from U(-bound, bound). */
  static double[] uniform(int n, double bound, Rng rng) {
    double[] out = new double[n];
    Philox.uniformDoubles(rng.seed(), rng.advance(n), out);
    for (int i = 0; i < n; i++) {
      out[i] = (2 * out[i] - 1) * bound;
    }
    return out;
  }

  private static double[] normal(int n, double std, Rng rng) {
    double[] out = new double[n];
    Philox.normals(rng.seed(), rng.advance(n), out);
    for (int i = 0; i < n; i++) {
      out[i] *= std;
    }
    return out;
  }
}
