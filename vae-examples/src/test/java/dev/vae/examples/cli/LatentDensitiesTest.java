package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.posterior.FullCovarianceGaussianPosterior;
import dev.vae.core.prior.LadderPrior;
import dev.vae.likelihoods.DiagonalGaussian;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The 2-D lessons refuse, before drawing, a model whose densities they would draw wrongly. */
class LatentDensitiesTest {
  private final Engine engine = RunOptions.engineFor(null);
  private final RunOptions run = new RunOptions();

  private VaeBuilder twoDimensional() {
    run.run = Path.of("runs/d2");
    return new VaeBuilder(engine).likelihood(DiagonalGaussian.learned(5, true, 0.7, 1e-4)).hidden(4).latent(2)
        .dtype(DType.FLOAT64);
  }

  @Test
  void aPriorOtherThanTheStandardNormalIsRefused() {
    try (Vae vae = twoDimensional().prior(new LadderPrior.Provider(), Options.parse("latents=2")).build()) {
      assertThatIllegalArgumentException().isThrownBy(() -> LatentDensities.requireTwoDimensions("holes", vae, run))
          .withMessageContaining("vae lesson holes draws the density of the standard normal prior")
          .withMessageContaining("runs/d2 has the prior ladder");
    }
  }

  @Test
  void aPosteriorOtherThanTheDiagonalGaussianIsRefused() {
    try (Vae vae = twoDimensional().posterior(new FullCovarianceGaussianPosterior.Provider(), Options.none())
        .build()) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> LatentDensities.requireTwoDimensions("true-posterior", vae, run))
          .withMessageContaining("draws the densities of diagonal Gaussian posteriors");
    }
  }
}
