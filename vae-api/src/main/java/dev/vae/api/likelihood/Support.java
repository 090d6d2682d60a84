package dev.vae.api.likelihood;

import dev.vae.api.DType;
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

  /**
   * {0, 1}. On the backend as x (1 − x) = 0, which holds for 0 and 1 only: the product of a
   * non-zero x and a non-zero 1 − x never rounds to 0, and infinities and NaN give −∞ or NaN. One
   * comparison instead of two, the costly part of checking a batch.
   */
  public static final Support BINARY = new Support("{0, 1}", v -> v == 0.0 || v == 1.0,
      x -> x.mul(x.rsub(1.0)).binary(Op.EQ, 0.0, false));

  /** [0, 1]. */
  public static final Support UNIT_INTERVAL = new Support("[0, 1]", v -> v >= 0.0 && v <= 1.0,
      x -> x.ge(0.0).mul(x.le(1.0)));

  /** (0, 1), both ends excluded. */
  public static final Support OPEN_UNIT_INTERVAL = new Support("(0, 1), both ends excluded",
      v -> v > 0.0 && v < 1.0, x -> x.gt(0.0).mul(x.lt(1.0)));

  /** {0, 1, 2, ...}; on the backend through {@link #isInteger}. */
  public static final Support COUNTS = new Support("non-negative integers {0, 1, 2, ...}",
      v -> v >= 0 && v == Math.rint(v) && Double.isFinite(v), x -> x.ge(0.0).mul(isInteger(x)));

  private final String description;
  private final DoublePredicate contains;
  private final UnaryOperator<Tensor> inside;

  /**
   * @param inside 1 where a tensor's element is in the support, else 0; null to check on the host
   *     only, in which case a likelihood with validation off cannot mask values outside the support
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

  /**
   * Each element rounded to the nearest integer (ties to even), as tensor math with no gradient:
   * {@code (|x| + M) - M} with M = 2^52 in float64 and 2^23 in float32, where adding M leaves no
   * fraction bits. Elements with |x| ≥ M are integers already and come back unchanged; NaN stays
   * NaN and ±infinity stays ±infinity. Each step is a separate primitive stored in the tensor's
   * dtype, so every IEEE backend rounds alike.
   */
  public static Tensor nearestInteger(Tensor x) {
    Tensor v = x.detach();
    double magic = v.dtype() == DType.FLOAT32 ? 0x1.0p23 : 0x1.0p52;
    Tensor a = v.abs();
    Tensor rounded = a.add(magic).sub(magic);
    Tensor signed = v.lt(0.0).where(rounded.neg(), rounded);
    return a.ge(magic).where(v, signed);
  }

  /** 1 where an element is a finite integer, else 0 (NaN and ±infinity included). */
  public static Tensor isInteger(Tensor x) {
    Tensor v = x.detach();
    return v.binary(Op.EQ, nearestInteger(v)).mul(v.isFinite());
  }

  @Override
  public String toString() {
    return description;
  }
}
