package dev.vae.backend.cuda;

import dev.vae.api.DType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arguments of one kernel launch, in the order of the kernel's parameters, each with the C type
 * it has there. A device turns them into its launch call; host tests read them back.
 */
final class KernelArgs {
  /** The C type of a kernel parameter. */
  enum Kind {
    /** A device pointer ({@code T*}); null for an empty array, which the kernel never reads. */
    POINTER,
    /** {@code int}. */
    INT,
    /** {@code long long} or {@code unsigned long long} (the bits are the same). */
    LONG,
    /** {@code float}. */
    FLOAT,
    /** {@code double}. */
    DOUBLE,
    /** A by-value struct of {@link KernelAbi#LAYOUT_WORDS} {@code long long}s. */
    LAYOUT
  }

  /** One parameter: its C type and value (a {@link DeviceBuffer}, boxed number or {@code long[]}). */
  record Arg(Kind kind, Object value) {}

  private final List<Arg> args = new ArrayList<>();

  KernelArgs pointer(DeviceBuffer buffer) {
    args.add(new Arg(Kind.POINTER, buffer));
    return this;
  }

  KernelArgs i32(int value) {
    args.add(new Arg(Kind.INT, value));
    return this;
  }

  KernelArgs flag(boolean value) {
    return i32(value ? 1 : 0);
  }

  KernelArgs i64(long value) {
    args.add(new Arg(Kind.LONG, value));
    return this;
  }

  KernelArgs f64(double value) {
    args.add(new Arg(Kind.DOUBLE, value));
    return this;
  }

  /** A {@code T} parameter: the value rounded to float for float32 kernels. */
  KernelArgs scalar(DType dtype, double value) {
    if (dtype == DType.FLOAT32) {
      args.add(new Arg(Kind.FLOAT, (float) value));
    } else {
      args.add(new Arg(Kind.DOUBLE, value));
    }
    return this;
  }

  KernelArgs layout(long[] words) {
    if (words.length != KernelAbi.LAYOUT_WORDS) {
      throw new IllegalArgumentException("a layout struct has " + KernelAbi.LAYOUT_WORDS + " words, got " + words.length);
    }
    args.add(new Arg(Kind.LAYOUT, words.clone()));
    return this;
  }

  List<Arg> list() {
    return Collections.unmodifiableList(args);
  }

  @Override
  public String toString() {
    return args.toString();
  }
}
