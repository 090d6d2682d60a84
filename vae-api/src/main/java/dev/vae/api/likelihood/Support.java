package dev.vae.api.likelihood;

import dev.vae.api.Tensor;
import dev.vae.api.backend.Op;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.UnaryOperator;

/**
 * The set of values a likelihood gives positive density: a host predicate that names the first
 * offending value, and optionally the same test as tensor math so a batch is checked on the
 * backend with a single number read back.
 */
public final class Support {
  /** All finite real numbers. */
  public static final Support REAL = new Support("finite real numbers", Double::isFinite, Tensor::isFinite);

  /** {0, 1}. */
  public static final Support BINARY = new Support("{0, 1}", v -> v == 0.0 || v == 1.0,
      x -> x.binary(Op.EQ, 0.0, false).add(x.binary(Op.EQ, 1.0, false)));

  /** [0, 1]. */
  public static final Support UNIT_INTERVAL = new Support("[0, 1]", v -> v >= 0.0 && v <= 1.0,
      x -> x.ge(0.0).mul(x.le(1.0)));

  /** (0, 1), both ends excluded. */
  public static final Support OPEN_UNIT_INTERVAL = new Support("(0, 1), both ends excluded",
      v -> v > 0.0 && v < 1.0, x -> x.gt(0.0).mul(x.lt(1.0)));

  /** {0, 1, 2, ...}, checked on the host. */
  public static final Support COUNTS = new Support("non-negative integers {0, 1, 2, ...}",
      v -> v >= 0 && v == Math.rint(v) && Double.isFinite(v), null);

  private final String description;
  private final DoublePredicate contains;
  private final UnaryOperator<Tensor> inside;

  /**
   * @param inside 1 where a tensor's element is in the support, else 0; null to check on the host
   */
  public Support(String description, DoublePredicate contains, UnaryOperator<Tensor> inside) {
    this.description = description;
    this.contains = contains;
    this.inside = inside;
  }

  public String description() {
    return description;
  }

  public boolean contains(double v) {
    return contains.test(v);
  }

  /** The backend form of the test, when the support has one. */
  public Optional<UnaryOperator<Tensor>> tensorTest() {
    return Optional.ofNullable(inside);
  }

  @Override
  public String toString() {
    return description;
  }
}
