package dev.vae.backend.cuda;

/** The device could not allocate a buffer; {@link BufferPool} frees its cache and tries once more. */
final class OutOfDeviceMemoryException extends RuntimeException {
  OutOfDeviceMemoryException(String message) {
    super(message);
  }
}
