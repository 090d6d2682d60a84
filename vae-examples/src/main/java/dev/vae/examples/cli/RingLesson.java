package dev.vae.examples.cli;

import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.examples.plot.LatentScatter;
import dev.vae.examples.plot.Montage;
import dev.vae.examples.plot.Png;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lesson of a toy that can be seen whole: data on a ring, x = z/10 + z/|z| with z ~ N(0, I₂)
 * (Doersch 2016), a VAE with a 2-D latent space and a learned Gaussian σ, and in one picture the
 * data, ANCESTRAL samples x ~ p(x|z), MEAN decodings E[x|z] of the same z ~ p(z), and the posterior
 * means of the data coloured by their angle on the ring. The MEAN decodings trace the ring's
 * centre line; the ANCESTRAL samples carry the decoder's noise as well and so look like the data.
 */
@Command(name = "ring", mixinStandardHelpOptions = true,
    description = "A VAE on the 2-D ring x = z/10 + z/|z|: data, ANCESTRAL samples, MEAN decodings and the latent "
        + "space in one picture (ring.png), and the test -log p(x).")
final class RingLesson implements Callable<Integer> {
  private static final int SECTORS = 8;

  @Option(names = "--run", defaultValue = "runs/lesson-ring", description = "Where ring.png goes (default: "
      + "${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--epochs", defaultValue = "40", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--examples", defaultValue = "10000", description = "Training examples (default: "
      + "${DEFAULT-VALUE}); 2000 more for testing.")
  int examples;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, the weights and the noise "
      + "(default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.atLeast("--examples", examples, 100, "");
    Rng rng = new Rng(seed);
    DataSet train = SyntheticData.ring(examples, rng.fork(1));
    DataSet test = SyntheticData.ring(2000, rng.fork(2));
    TrainerConfig config = TrainerConfig.defaults().toBuilder().epochs(epochs).batchSize(100).learningRate(1e-3)
        .seed(seed).build();
    Engine engine = RunOptions.engineFor(null);
    try (Vae vae = new VaeBuilder(engine).likelihood(LikelihoodRegistry.discover().create("gaussian", 2,
            Options.parse("sigma=learned,initial-sigma=0.1"))).hidden(64, 64).latent(2).seed(seed).build();
        Adam adam = Adam.adam(engine, config.learningRate())) {
      new Trainer(vae, adam, config).fit(Batches.of(train).batchSize(config.batchSize()).seed(seed).build(), null);
      Evaluation.Report report = Evaluation.run(vae, test.toArray(), test.size(), 200, 500, 100, null,
          rng.fork(3));
      System.out.printf(Locale.ROOT, "ring, %d training examples, %d epochs: test -log p(x) %.3f nats, -ELBO %.3f, "
          + "KL %.3f, active units %d of 2%n", examples, epochs, report.negativeLogLikelihood(),
          report.negativeElbo(), report.kl(), report.latent().activeUnits());
      Files.createDirectories(run);
      System.out.println("wrote " + Png.write(picture(vae, test, rng.fork(4)), run.resolve("ring.png")));
    }
    return 0;
  }

  private static BufferedImage picture(Vae vae, DataSet test, Rng rng) {
    int n = test.size();
    float[] data = test.toArray();
    int[] sectors = new int[n];
    for (int i = 0; i < n; i++) {
      double angle = Math.atan2(data[2 * i + 1], data[2 * i]) + Math.PI;
      sectors[i] = Math.min(SECTORS - 1, (int) (angle / (2 * Math.PI) * SECTORS));
    }
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor z = vae.prior().sample(n, 2, engine, vae.dtype(), rng);
      float[] ancestral = vae.generate(z, SamplingMode.ANCESTRAL, rng).toFloats();
      float[] mean = vae.generate(z, SamplingMode.MEAN, rng).toFloats();
      float[] codes = vae.encode(engine.fromHost(data, Shape.of(n, 2)).cast(vae.dtype())).pointEstimate().toFloats();
      LatentScatter scatter = LatentScatter.of();
      return Montage.row(List.of(
          scatter.render("data x (coloured by angle)", "x1", "x2", pairs(data), sectors),
          scatter.render("ANCESTRAL: x ~ p(x|z), z ~ p(z)", "x1", "x2", pairs(ancestral), null),
          scatter.render("MEAN: E[x|z] of the same z", "x1", "x2", pairs(mean), null),
          scatter.render("posterior means E[z|x] of the data", "z1", "z2", pairs(codes), sectors)));
    }
  }

  private static float[][] pairs(float[] flat) {
    float[][] points = new float[flat.length / 2][];
    for (int i = 0; i < points.length; i++) {
      points[i] = new float[] {flat[2 * i], flat[2 * i + 1]};
    }
    return points;
  }
}
