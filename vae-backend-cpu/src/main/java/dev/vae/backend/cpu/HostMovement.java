package dev.vae.backend.cpu;

import dev.vae.api.Shape;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * float32 slices and concatenations of arrays up to {@link #MAX_ELEMENTS} elements as bulk copies
 * of contiguous runs on the host. libnd4j's slice and concat custom ops took 70–110 µs each for the
 * [128, 40] encoder output that a VAE step cuts into its means and log-variances and whose two
 * gradients it joins again (BENCHMARKS.md, "Arithmetic on the host").
 */
final class HostMovement {
  /** The largest array, in elements, that is sliced or joined here. */
  static final long MAX_ELEMENTS = 1L << 20;

  private HostMovement() {}

  /** z = in[start : start + to] for a row-major float32 {@code in} of shape {@code from}. */
  static void slice(INDArray in, Shape from, int[] start, Shape to, INDArray z) {
    int rank = to.rank();
    int run = to.dim(rank - 1);
    int runs = (int) (to.size() / run);
    int[] strides = from.strides();
    FloatBuffer source = in.data().asNioFloat();
    float[] out = HostKernels.scratch(0, (int) to.size());
    int[] index = new int[rank];
    for (int k = 0; k < runs; k++) {
      int offset = start[rank - 1];
      for (int d = 0; d < rank - 1; d++) {
        offset += (start[d] + index[d]) * strides[d];
      }
      source.get(offset, out, k * run, run);
      for (int d = rank - 2; d >= 0 && ++index[d] == to.dim(d); d--) {
        index[d] = 0;
      }
    }
    HostKernels.writeBack(z, out);
  }

  /** z = the float32 {@code parts} joined along {@code axis} of the result's {@code shape}. */
  static void concat(List<INDArray> parts, int axis, Shape shape, INDArray z) {
    int outer = CpuBackend.product(shape.dims(), 0, axis);
    long inner = shape.size() / outer / shape.dim(axis);
    FloatBuffer[] sources = new FloatBuffer[parts.size()];
    int[] blocks = new int[parts.size()];
    for (int p = 0; p < sources.length; p++) {
      sources[p] = parts.get(p).data().asNioFloat(); // a new view each call: made once per part
      blocks[p] = (int) (parts.get(p).size(axis) * inner);
    }
    float[] out = HostKernels.scratch(0, (int) shape.size());
    int position = 0;
    for (int o = 0; o < outer; o++) {
      for (int p = 0; p < sources.length; p++) {
        sources[p].get(o * blocks[p], out, position, blocks[p]);
        position += blocks[p];
      }
    }
    HostKernels.writeBack(z, out);
  }
}
