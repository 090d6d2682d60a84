package dev.vae.backend.cpu;

import dev.vae.api.ConvGeometry;
import dev.vae.api.Shape;

/**
 * UNFOLD (im2col) and its adjoint FOLD on row-major arrays. One image's patches are the same index
 * map for every image, worked out once per call: patch element e reads pixel {@code map[e]} of its
 * image, or padding where that is −1. Images are shared between threads; FOLD's sums stay within
 * one image, so no two threads write the same element.
 */
final class Patches {
  private Patches() {}

  /** z [n, oh·ow, c·kh·kw] = the patches of images x [n, c, h, w]. */
  static void unfold(Object x, Shape images, ConvGeometry window, Object z) {
    int[] map = indexMap(images, window);
    int pixels = images.sizeAsInt() / Math.max(images.dim(0), 1);
    Parallel.forRange(images.dim(0), map.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        int in = i * pixels;
        int out = i * map.length;
        if (x instanceof float[] f) {
          float[] zf = (float[]) z;
          for (int e = 0; e < map.length; e++) {
            zf[out + e] = map[e] < 0 ? 0f : f[in + map[e]];
          }
        } else {
          double[] xd = (double[]) x;
          double[] zd = (double[]) z;
          for (int e = 0; e < map.length; e++) {
            zd[out + e] = map[e] < 0 ? 0.0 : xd[in + map[e]];
          }
        }
      }
    });
  }

  /** z [n, c, h, w] = the sum, into the pixels they were read from, of patches x [n, oh·ow, c·kh·kw]. */
  static void fold(Object x, Shape images, ConvGeometry window, Object z) {
    Layout.fill(z, 0);
    int[] map = indexMap(images, window);
    int pixels = images.sizeAsInt() / Math.max(images.dim(0), 1);
    Parallel.forRange(images.dim(0), map.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        int in = i * map.length;
        int out = i * pixels;
        if (x instanceof float[] f) {
          float[] zf = (float[]) z;
          for (int e = 0; e < map.length; e++) {
            if (map[e] >= 0) {
              zf[out + map[e]] += f[in + e];
            }
          }
        } else {
          double[] xd = (double[]) x;
          double[] zd = (double[]) z;
          for (int e = 0; e < map.length; e++) {
            if (map[e] >= 0) {
              zd[out + map[e]] += xd[in + e];
            }
          }
        }
      }
    });
  }

  /** For each element of one image's patches, the pixel of that image it reads, or −1 for padding. */
  private static int[] indexMap(Shape images, ConvGeometry g) {
    int channels = images.dim(1);
    int h = images.dim(2);
    int w = images.dim(3);
    int oh = g.outputHeight(h);
    int ow = g.outputWidth(w);
    int[] map = new int[oh * ow * channels * g.taps()];
    int e = 0;
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        for (int c = 0; c < channels; c++) {
          for (int ky = 0; ky < g.kernelHeight(); ky++) {
            int y = oy * g.strideHeight() - g.paddingHeight() + ky * g.dilationHeight();
            for (int kx = 0; kx < g.kernelWidth(); kx++) {
              int x = ox * g.strideWidth() - g.paddingWidth() + kx * g.dilationWidth();
              map[e++] = y >= 0 && y < h && x >= 0 && x < w ? (c * h + y) * w + x : -1;
            }
          }
        }
      }
    }
    return map;
  }
}
