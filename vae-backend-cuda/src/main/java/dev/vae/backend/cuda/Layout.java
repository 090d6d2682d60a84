package dev.vae.backend.cuda;

import dev.vae.api.Shape;
import java.util.Arrays;

/**
 * An elementwise walk as the kernels see it ({@code struct Layout} in {@code common.cuh}): a
 * row-major index space of sizes {@link #dims()} and, for each operand, the stride of every axis
 * (0 where the operand is broadcast). Built on the host with every axis merged that can be, so that
 * a contiguous walk is one axis however many the shapes have.
 */
final class Layout {
  private final long[] dims;
  private final long[][] strides;

  private Layout(long[] dims, long[][] strides) {
    this.dims = dims;
    this.strides = strides;
  }

  /**
   * The layout of an index space of sizes {@code dims} with one stride array per operand (at most
   * three), after dropping axes of size 1 and merging neighbours that every operand walks
   * contiguously.
   *
   * @throws IllegalArgumentException if more than {@link KernelAbi#MAX_RANK} axes remain
   */
  static Layout of(long[] dims, long[]... operandStrides) {
    if (operandStrides.length < 1 || operandStrides.length > 3) {
      throw new IllegalArgumentException("a layout has 1 to 3 operands, got " + operandStrides.length);
    }
    for (long[] s : operandStrides) {
      if (s.length != dims.length) {
        throw new IllegalArgumentException("strides " + Arrays.toString(s) + " do not match dims " + Arrays.toString(dims));
      }
    }
    long[][] merged = merge(dims, operandStrides);
    long[] mergedDims = merged[0];
    long[][] mergedStrides = Arrays.copyOfRange(merged, 1, merged.length);
    if (mergedDims.length > KernelAbi.MAX_RANK) {
      throw new IllegalArgumentException("the CUDA backend walks at most " + KernelAbi.MAX_RANK
          + " axes that cannot be merged; sizes " + Arrays.toString(dims) + " leave " + mergedDims.length);
    }
    return new Layout(mergedDims, mergedStrides);
  }

  /** The layout that reads each operand (shapes broadcasting to {@code out}) once per element of out. */
  static Layout broadcast(Shape out, Shape... operands) {
    long[][] strides = new long[operands.length][];
    for (int k = 0; k < operands.length; k++) {
      strides[k] = broadcastStrides(operands[k], out);
    }
    return of(dims(out), strides);
  }

  /**
   * Drops size-1 axes and merges neighbours i, j when every operand has stride[i] = stride[j] *
   * dims[j]; returns {dims, strides of operand 0, operand 1, ...}.
   */
  static long[][] merge(long[] dims, long[]... strides) {
    int operands = strides.length;
    long[] outDims = new long[dims.length];
    long[][] outStrides = new long[operands][dims.length];
    int rank = 0;
    for (int axis = 0; axis < dims.length; axis++) {
      if (dims[axis] == 1) {
        continue;
      }
      boolean mergeable = rank > 0;
      for (int k = 0; mergeable && k < operands; k++) {
        mergeable = outStrides[k][rank - 1] == strides[k][axis] * dims[axis];
      }
      if (mergeable) {
        outDims[rank - 1] *= dims[axis];
        for (int k = 0; k < operands; k++) {
          outStrides[k][rank - 1] = strides[k][axis];
        }
      } else {
        outDims[rank] = dims[axis];
        for (int k = 0; k < operands; k++) {
          outStrides[k][rank] = strides[k][axis];
        }
        rank++;
      }
    }
    long[][] result = new long[operands + 1][];
    result[0] = Arrays.copyOf(outDims, rank);
    for (int k = 0; k < operands; k++) {
      result[k + 1] = Arrays.copyOf(outStrides[k], rank);
    }
    return result;
  }

  /** The sizes of a shape as longs. */
  static long[] dims(Shape shape) {
    return Arrays.stream(shape.dims()).asLongStream().toArray();
  }

  /** Row-major strides of a contiguous array of this shape. */
  static long[] contiguousStrides(Shape shape) {
    long[] strides = new long[shape.rank()];
    long s = 1;
    for (int axis = shape.rank() - 1; axis >= 0; axis--) {
      strides[axis] = s;
      s *= shape.dim(axis);
    }
    return strides;
  }

  /**
   * The strides with which a contiguous array of shape {@code in} is read for each axis of
   * {@code out} under numpy broadcasting: axes aligned from the right, size-1 and missing axes 0.
   */
  static long[] broadcastStrides(Shape in, Shape out) {
    long[] inStrides = contiguousStrides(in);
    int offset = out.rank() - in.rank();
    if (offset < 0) {
      throw new IllegalArgumentException("shape " + in + " has more axes than " + out);
    }
    long[] strides = new long[out.rank()];
    for (int axis = 0; axis < in.rank(); axis++) {
      strides[axis + offset] = in.dim(axis) == 1 ? 0 : inStrides[axis];
    }
    return strides;
  }

  int rank() {
    return dims.length;
  }

  long[] dims() {
    return dims.clone();
  }

  long[] strides(int operand) {
    return strides[operand].clone();
  }

  /** Elements of the index space. */
  long size() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /**
   * The struct the kernels take by value: dims, then the strides of operands 0, 1 and 2, each
   * padded to {@link KernelAbi#MAX_RANK} words.
   */
  long[] packed() {
    long[] words = new long[KernelAbi.LAYOUT_WORDS];
    System.arraycopy(dims, 0, words, 0, dims.length);
    for (int k = 0; k < strides.length; k++) {
      System.arraycopy(strides[k], 0, words, (k + 1) * KernelAbi.MAX_RANK, strides[k].length);
    }
    return words;
  }

  /** The element offset of operand {@code k} at linear index i: the arithmetic of {@code layoutOffsets}. */
  long offset(int k, long i) {
    return stridedOffset(i, dims, strides[k]);
  }

  /** The arithmetic of the kernels' {@code stridedOffset}: innermost axis first. */
  static long stridedOffset(long i, long[] dims, long[] strides) {
    long offset = 0;
    for (int d = dims.length - 1; d >= 0; d--) {
      long size = dims[d];
      offset += (i % size) * strides[d];
      i /= size;
    }
    return offset;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Layout").append(Arrays.toString(dims));
    for (long[] s : strides) {
      sb.append(' ').append(Arrays.toString(s));
    }
    return sb.toString();
  }
}
