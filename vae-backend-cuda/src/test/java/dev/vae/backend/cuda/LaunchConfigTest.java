package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** Grid and block arithmetic: every element gets a thread or a grid-stride turn, within device limits. */
class LaunchConfigTest {
  @Test
  void linearLaunchesGiveEveryElementAThreadUpToTheBlockCap() {
    assertThat(LaunchConfig.linear(1, 1000)).isEqualTo(new LaunchConfig(1, 1, 1, 256, 1, 1));
    assertThat(LaunchConfig.linear(256, 1000).gridX()).isEqualTo(1);
    assertThat(LaunchConfig.linear(257, 1000).gridX()).isEqualTo(2);
    assertThat(LaunchConfig.linear(256_000, 1000).gridX()).isEqualTo(1000);
    assertThat(LaunchConfig.linear(256_001, 1000).gridX()).as("capped; the grid-stride loop does the rest")
        .isEqualTo(1000);
    assertThat(LaunchConfig.linear(1L << 40, Integer.MAX_VALUE).gridX()).isEqualTo(Integer.MAX_VALUE);
    assertThat(LaunchConfig.linear(5, 0).gridX()).as("a cap below one block still launches one").isEqualTo(1);
    for (long n : new long[] {1, 255, 256, 257, 10_000, 1_000_003}) {
      LaunchConfig c = LaunchConfig.linear(n, 1 << 20);
      assertThat(c.threads()).as("threads for %d elements", n).isGreaterThanOrEqualTo(n).isLessThan(n + 256);
    }
  }

  @Test
  void aLaunchNeedsWork() {
    assertThatIllegalArgumentException().isThrownBy(() -> LaunchConfig.linear(0, 10)).withMessageContaining("0");
    assertThatIllegalArgumentException().isThrownBy(() -> LaunchConfig.blockPerItem(0, 256, 10));
    assertThatIllegalArgumentException().isThrownBy(() -> LaunchConfig.gemm(0, 3, 3, 16));
    assertThatIllegalArgumentException().isThrownBy(() -> LaunchConfig.gemm(1, 0, 3, 16));
  }

  @Test
  void blockPerItemLaunchesOneBlockPerItemUpToTheCap() {
    assertThat(LaunchConfig.blockPerItem(7, 256, 100)).isEqualTo(new LaunchConfig(7, 1, 1, 256, 1, 1));
    assertThat(LaunchConfig.blockPerItem(1_000, 64, 100).gridX()).isEqualTo(100);
    assertThat(LaunchConfig.blockPerItem(3L << 33, 32, LaunchConfig.MAX_GRID_X).gridX()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void matrixBlocksAreWholeWarpsUpTo256() {
    assertThat(LaunchConfig.matrixBlock(0)).isEqualTo(32);
    assertThat(LaunchConfig.matrixBlock(1)).isEqualTo(32);
    assertThat(LaunchConfig.matrixBlock(32)).isEqualTo(32);
    assertThat(LaunchConfig.matrixBlock(33)).isEqualTo(64);
    assertThat(LaunchConfig.matrixBlock(250)).isEqualTo(256);
    assertThat(LaunchConfig.matrixBlock(100_000)).isEqualTo(256);
  }

  @Test
  void gemmTilesCoverTheOutputAndCapYAndZ() {
    LaunchConfig c = LaunchConfig.gemm(3, 33, 16, 16);
    assertThat(c).isEqualTo(new LaunchConfig(1, 3, 3, 16, 16, 1));
    LaunchConfig big = LaunchConfig.gemm(100_000, 16 * 70_000, 17, 16);
    assertThat(big.gridX()).isEqualTo(2);
    assertThat(big.gridY()).as("row tiles beyond the y limit are looped over").isEqualTo(65_535);
    assertThat(big.gridZ()).as("batches beyond the z limit are looped over").isEqualTo(65_535);
  }

  @Test
  void constructorRejectsWhatNoDeviceLaunches() {
    assertThatIllegalArgumentException().isThrownBy(() -> new LaunchConfig(0, 1, 1, 32, 1, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new LaunchConfig(1, 65_536, 1, 32, 1, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new LaunchConfig(1, 1, 1, 32, 32, 2))
        .withMessageContaining("1024");
  }
}
