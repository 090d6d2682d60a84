package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Strided layouts: the offsets the kernels compute from a merged layout ({@link Layout#offset},
 * the same arithmetic as {@code layoutOffsets}) equal numpy broadcasting and plain strided walks
 * computed the slow way, over random shapes.
 */
class LayoutTest {
  private final Random random = new Random(20240611);

  /** Element offset in a contiguous {@code in} that broadcasting reads for flat index i of {@code out}. */
  private static long naiveBroadcastOffset(Shape in, Shape out, long i) {
    int[] index = new int[out.rank()];
    for (int axis = out.rank() - 1; axis >= 0; axis--) {
      index[axis] = (int) (i % out.dim(axis));
      i /= out.dim(axis);
    }
    long offset = 0;
    long stride = 1;
    for (int axis = in.rank() - 1; axis >= 0; axis--) {
      int outAxis = axis + out.rank() - in.rank();
      int coordinate = in.dim(axis) == 1 ? 0 : index[outAxis];
      offset += coordinate * stride;
      stride *= in.dim(axis);
    }
    return offset;
  }

  private Shape randomShape(int maxRank, int maxDim) {
    int[] dims = new int[random.nextInt(maxRank + 1)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = random.nextInt(maxDim + 1);
    }
    return Shape.of(dims);
  }

  /** A shape that broadcasts to {@code target}: a suffix of its axes, some set to 1. */
  private Shape broadcastable(Shape target) {
    int rank = random.nextInt(target.rank() + 1);
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      int d = target.dim(target.rank() - rank + i);
      dims[i] = random.nextInt(3) == 0 ? 1 : d;
    }
    return Shape.of(dims);
  }

  @Test
  void broadcastLayoutsReadWhatNumpyReads() {
    for (int trial = 0; trial < 300; trial++) {
      Shape out = randomShape(6, 4);
      Shape a = broadcastable(out);
      Shape b = broadcastable(out);
      Shape c = broadcastable(out);
      Layout layout = Layout.broadcast(out, a, b, c);
      assertThat(layout.size()).isEqualTo(out.size());
      assertThat(layout.rank()).isLessThanOrEqualTo(Math.max(out.rank(), 0));
      for (long i = 0; i < out.size(); i++) {
        assertThat(layout.offset(0, i)).as("%s from %s at %d", layout, a, i).isEqualTo(naiveBroadcastOffset(a, out, i));
        assertThat(layout.offset(1, i)).as("%s from %s at %d", layout, b, i).isEqualTo(naiveBroadcastOffset(b, out, i));
        assertThat(layout.offset(2, i)).as("%s from %s at %d", layout, c, i).isEqualTo(naiveBroadcastOffset(c, out, i));
      }
    }
  }

  @Test
  void contiguousOperandsMergeToOneAxis() {
    Shape shape = Shape.of(2, 3, 4, 5, 6, 7, 2, 2, 3, 2);
    Layout layout = Layout.broadcast(shape, shape, shape);
    assertThat(layout.rank()).isEqualTo(1);
    assertThat(layout.dims()).containsExactly(shape.size());
    assertThat(layout.strides(0)).containsExactly(1);
  }

  @Test
  void sizeOneAxesAreDroppedAndScalarsHaveRankZero() {
    assertThat(Layout.broadcast(Shape.of(1, 1), Shape.scalar()).rank()).isZero();
    Layout row = Layout.broadcast(Shape.of(4, 1, 3), Shape.of(3), Shape.of(4, 1, 1));
    assertThat(row.dims()).containsExactly(4, 3);
    assertThat(row.strides(0)).containsExactly(0, 1);
    assertThat(row.strides(1)).containsExactly(1, 0);
  }

  @Test
  void stridedCopiesWalkPermutationsAndSlices() {
    Shape in = Shape.of(2, 3, 4);
    long[] inStrides = Layout.contiguousStrides(in);
    // permute [2, 0, 1]: out[i][j][k] = in[j][k][i]
    Shape out = Shape.of(4, 2, 3);
    Layout permute = Layout.of(Layout.dims(out), new long[] {inStrides[2], inStrides[0], inStrides[1]},
        Layout.contiguousStrides(out));
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 2; j++) {
        for (int k = 0; k < 3; k++) {
          long flat = (i * 2L + j) * 3 + k;
          assertThat(permute.offset(0, flat)).isEqualTo(j * 12L + k * 4 + i);
          assertThat(permute.offset(1, flat)).isEqualTo(flat);
        }
      }
    }
    // a slice [0:2, 1:3, 0:4] keeps the last axis contiguous and merges nothing else
    Layout slice = Layout.of(new long[] {2, 2, 4}, inStrides, new long[] {8, 4, 1});
    assertThat(slice.dims()).containsExactly(2, 8);
    assertThat(slice.offset(0, 9)).isEqualTo(12 + 1);
  }

  @Test
  void tooManyAxesThatCannotMergeAreRejectedNamingTheLimit() {
    int[] dims = new int[9];
    java.util.Arrays.fill(dims, 2);
    Shape out = Shape.of(dims);
    int[] alternating = new int[9];
    for (int i = 0; i < 9; i++) {
      alternating[i] = i % 2 == 0 ? 2 : 1;
    }
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Layout.broadcast(out, Shape.of(alternating), out))
        .withMessageContaining("at most 8 axes");
  }

  @Test
  void packedLayoutsPadEachArrayToTheMaximumRank() {
    Layout layout = Layout.broadcast(Shape.of(4, 3), Shape.of(3), Shape.of(4, 1));
    long[] words = layout.packed();
    assertThat(words).hasSize(KernelAbi.LAYOUT_WORDS);
    assertThat(words[0]).isEqualTo(4);
    assertThat(words[1]).isEqualTo(3);
    assertThat(words[2]).isZero();
    assertThat(words[KernelAbi.MAX_RANK]).isZero();
    assertThat(words[KernelAbi.MAX_RANK + 1]).isEqualTo(1);
    assertThat(words[2 * KernelAbi.MAX_RANK]).isEqualTo(1);
    assertThat(words[2 * KernelAbi.MAX_RANK + 1]).isZero();
  }
}
