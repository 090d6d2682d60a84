package dev.vae.backend.cuda;

/**
 * The grid and block dimensions of one kernel launch. Every kernel loops with grid strides (over
 * elements, outputs, batches or tiles), so a grid smaller than the work is correct; the factories
 * here cap grids at the device's limits and at a number of blocks that keeps every multiprocessor
 * busy.
 */
record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ) {
  /** Threads per block of the elementwise kernels. */
  static final int LINEAR_BLOCK = 256;
  /** The largest grid in y and z (CUDA's limit on every device). */
  static final int MAX_GRID_YZ = 65_535;
  /** The largest grid in x (CUDA's limit from compute capability 3.0 on). */
  static final int MAX_GRID_X = Integer.MAX_VALUE;
  /** Smallest block of the one-block-per-matrix kernels: a warp. */
  static final int WARP = 32;

  LaunchConfig {
    if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX < 1 || blockY < 1 || blockZ < 1) {
      throw new IllegalArgumentException("launch dimensions must be positive: " + dims(gridX, gridY, gridZ)
          + " blocks of " + dims(blockX, blockY, blockZ));
    }
    if (gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) {
      throw new IllegalArgumentException("grid " + dims(gridX, gridY, gridZ) + " exceeds " + MAX_GRID_YZ + " in y or z");
    }
    if ((long) blockX * blockY * blockZ > 1024) {
      throw new IllegalArgumentException("block " + dims(blockX, blockY, blockZ) + " has more than 1024 threads");
    }
  }

  /**
   * One thread per element of {@code n > 0}, in blocks of {@link #LINEAR_BLOCK}, with at most
   * {@code maxBlocks} blocks (grid-stride loops cover the rest).
   */
  static LaunchConfig linear(long n, int maxBlocks) {
    requirePositive(n, "elements");
    long blocks = Math.min(ceilDiv(n, LINEAR_BLOCK), Math.max(1, maxBlocks));
    return new LaunchConfig((int) blocks, 1, 1, LINEAR_BLOCK, 1, 1);
  }

  /** One block of {@code threads} per item of {@code items > 0}, at most {@code maxBlocks} blocks. */
  static LaunchConfig blockPerItem(long items, int threads, int maxBlocks) {
    requirePositive(items, "items");
    long blocks = Math.min(items, Math.max(1, maxBlocks));
    return new LaunchConfig((int) blocks, 1, 1, threads, 1, 1);
  }

  /**
   * Threads for a one-block-per-matrix kernel that parallelises over {@code width} rows or columns:
   * width rounded up to a whole warp, at least one warp and at most 256.
   */
  static int matrixBlock(int width) {
    long rounded = ceilDiv(Math.max(width, 1), WARP) * WARP;
    return (int) Math.min(rounded, 256);
  }

  /**
   * The tiled matrix product of {@code batch} products of m x n: TILE x TILE threads per block, one
   * block per output tile, batches along z; y and z capped at the device limit.
   */
  static LaunchConfig gemm(int batch, int m, int n, int tile) {
    requirePositive(batch, "batches");
    requirePositive(m, "rows");
    requirePositive(n, "columns");
    long columnTiles = ceilDiv(n, tile);
    long rowTiles = ceilDiv(m, tile);
    return new LaunchConfig((int) Math.min(columnTiles, MAX_GRID_X), (int) Math.min(rowTiles, MAX_GRID_YZ),
        Math.min(batch, MAX_GRID_YZ), tile, tile, 1);
  }

  /** Threads the launch starts. */
  long threads() {
    return (long) gridX * gridY * gridZ * blockX * blockY * blockZ;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static void requirePositive(long count, String what) {
    if (count <= 0) {
      throw new IllegalArgumentException("a launch needs work: " + count + " " + what);
    }
  }

  private static String dims(int x, int y, int z) {
    return "(" + x + ", " + y + ", " + z + ")";
  }

  @Override
  public String toString() {
    return dims(gridX, gridY, gridZ) + " x " + dims(blockX, blockY, blockZ);
  }
}
