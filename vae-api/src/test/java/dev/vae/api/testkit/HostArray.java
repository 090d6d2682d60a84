package dev.vae.api.testkit;

import dev.vae.api.DType;
import dev.vae.api.Shape;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.NdArray;

/**
 * Test input kept on the host: row-major values, a shape and a dtype, with float32 values already
 * rounded to float so that every backend receives exactly the same numbers.
 */
public record HostArray(double[] data, Shape shape, DType dtype) {
  public HostArray {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(data.length + " values for shape " + shape);
    }
    data = data.clone();
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) data[i];
      }
    }
  }

  /** A copy of these values on a backend. */
  public NdArray on(Backend backend) {
    return backend.fromHost(data, shape, dtype);
  }

  /** The values (a copy). */
  @Override
  public double[] data() {
    return data.clone();
  }

  @Override
  public String toString() {
    return shape + " " + dtype;
  }
}
