package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.examples.testkit.VaeRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The count-data example: on strongly over-dispersed counts the negative binomial beats the Poisson. */
class CountsCommandTest {
  @TempDir
  Path dir;

  @Test
  void theNegativeBinomialFitsOverDispersedCountsBetterThanThePoisson() {
    VaeRun run = VaeRun.of("counts", "--run", dir.toString(), "--cells", "500", "--genes", "30", "--true-latent", "2",
        "--dispersion", "0.5", "--latent", "2", "--hidden", "32", "--epochs", "4", "-k", "20");
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, Double> nll = run.out().lines().filter(l -> l.startsWith("| poisson") || l.startsWith("| negative"))
        .collect(Collectors.toMap(l -> l.split("\\|")[1].trim(), l -> Double.parseDouble(l.split("\\|")[2].trim())));
    assertThat(nll).containsOnlyKeys("poisson", "negative-binomial");
    assertThat(nll.values()).allSatisfy(v -> assertThat(v).isFinite().isPositive());
    assertThat(nll.get("negative-binomial")).isLessThan(nll.get("poisson"));
    assertThat(dir.resolve("counts.png")).isNotEmptyFile();
  }
}
