package dev.vae.backend.cuda;

/**
 * Asks the CUDA driver about a device. The real one ({@link JCudaQuery}) loads JCuda's driver
 * binding; probe tests pass fakes. Any throwable it raises means the driver could not be used.
 */
@FunctionalInterface
interface DriverQuery {
  DriverStatus query(int deviceOrdinal) throws Throwable;
}
