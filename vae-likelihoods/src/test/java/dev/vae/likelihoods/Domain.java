package dev.vae.likelihoods;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * Where a 1-D likelihood puts its mass, for numeric integration: either a continuous range cut at
 * breakpoints (a kink or the centre of a line goes at a breakpoint; infinite ends are mapped with
 * the given scale), or a list of support points for a discrete family.
 */
sealed interface Domain {
  /** The real line, split at {@code centre}, with tails mapped at {@code scale}. */
  static Domain real(double centre, double scale) {
    return new Continuous(new double[] {Double.NEGATIVE_INFINITY, centre, Double.POSITIVE_INFINITY}, scale);
  }

  /** A finite interval. */
  static Domain interval(double from, double to) {
    return new Continuous(new double[] {from, to}, to - from);
  }

  /** The integers from..to, as support points scaled by {@code step}. */
  static Domain integers(int from, int to, double step) {
    double[] points = new double[to - from + 1];
    for (int i = 0; i < points.length; i++) {
      points[i] = (from + i) * step;
    }
    return new Discrete(points);
  }

  /** A continuous range, pieces between consecutive breakpoints. */
  record Continuous(double[] breakpoints, double scale) implements Domain {}

  /** A discrete support, listed in increasing order; any mass past the last point is its tail. */
  record Discrete(double[] points) implements Domain {}

  /**
   * Tanh–sinh quadrature cells over a continuous domain: each piece is mapped to t in [0, 1],
   * cut into {@code cellsPerPiece} equal cells, and each cell integrated by the double-exponential
   * rule, which copes with integrable endpoint singularities (Beta with α &lt; 1). Nodes where the
   * support predicate fails (an excluded end, or a node rounded onto infinity) get weight 0.
   */
  static Cells cells(Continuous domain, int cellsPerPiece, DoublePredicate inSupport) {
    List<Double> xs = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    List<Integer> cellOf = new ArrayList<>();
    List<Double> edges = new ArrayList<>();
    double h = 1.0 / 8;
    int k = 26;
    int cell = 0;
    double[] b = domain.breakpoints();
    edges.add(b[0]);
    for (int piece = 0; piece + 1 < b.length; piece++) {
      for (int c = 0; c < cellsPerPiece; c++) {
        double t0 = (double) c / cellsPerPiece;
        double t1 = (double) (c + 1) / cellsPerPiece;
        double width = t1 - t0;
        for (int j = -k; j <= k; j++) {
          double tau = j * h;
          double u = 0.5 * Math.PI * Math.sinh(tau);
          double low = sigmoid(2 * u);
          double high = sigmoid(-2 * u);
          double t = tau <= 0 ? t0 + width * low : t1 - width * high;
          double dt = width * 2 * low * high * 0.5 * Math.PI * Math.cosh(tau) * h;
          double[] mapped = map(b[piece], b[piece + 1], domain.scale(), t);
          double x = mapped[0];
          double weight = dt * mapped[1];
          if (!Double.isFinite(x) || !Double.isFinite(weight) || !inSupport.test(x) || weight == 0) {
            continue;
          }
          xs.add(x);
          ws.add(weight);
          cellOf.add(cell);
        }
        edges.add(map(b[piece], b[piece + 1], domain.scale(), t1)[0]);
        cell++;
      }
    }
    return new Cells(toArray(xs), toArray(ws), cellOf.stream().mapToInt(Integer::intValue).toArray(),
        toArray(edges));
  }

  /** x(t) and dx/dt for one piece [a, b] of the domain. */
  private static double[] map(double a, double b, double scale, double t) {
    if (Double.isFinite(a) && Double.isFinite(b)) {
      return new double[] {t == 1.0 ? b : a + (b - a) * t, b - a};
    }
    if (Double.isFinite(a)) {
      return t == 1.0 ? new double[] {b, 0} : new double[] {a + scale * t / (1 - t), scale / ((1 - t) * (1 - t))};
    }
    return t == 0.0 ? new double[] {a, 0} : new double[] {b - scale * (1 - t) / t, scale / (t * t)};
  }

  private static double sigmoid(double v) {
    return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
  }

  private static double[] toArray(List<Double> list) {
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Quadrature nodes {@code x}, weights {@code w} and the cell of each node; {@code edges} holds
   * the cells' boundaries in x, cell c being [edges[c], edges[c + 1]].
   */
  record Cells(double[] x, double[] w, int[] cell, double[] edges) {
    int cellCount() {
      return edges.length - 1;
    }
  }
}
