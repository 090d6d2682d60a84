package dev.vae.api.backend;

/**
 * The lifetime of temporaries: every array a backend makes on this thread while the scope is the
 * innermost open one is freed when it closes. Open one per training step with try-with-resources;
 * parameters and optimizer state are made outside any scope, or {@linkplain #keep kept}.
 */
public interface MemoryScope extends AutoCloseable {
  /**
   * Moves an array out of this scope into the enclosing one (or to the caller, when this is the
   * outermost), so it outlives this scope. Returns the array.
   */
  <A extends NdArray> A keep(A array);

  /**
   * Takes an array out of every scope: from now on the caller owns it and must close it. How a
   * step's results that must live on (new parameter values, optimizer state) leave the step.
   */
  <A extends NdArray> A detach(A array);

  /** Number of arrays this scope still owns. */
  int size();

  /** Bytes of the arrays this scope still owns (elements times their size), what freeing them gives back. */
  long bytes();

  /** Frees every array this scope still owns. */
  @Override
  void close();
}
