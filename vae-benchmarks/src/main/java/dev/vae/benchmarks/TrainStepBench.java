package dev.vae.benchmarks;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.likelihoods.Bernoulli;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the classic MNIST VAE (784-400-20-400-784 ReLU, Bernoulli, batch 128,
 * Adam): forward, ELBO, backward and update, as the trainer runs it, on binary random input.
 * Multiply by 469 for an epoch's compute without data loading.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TrainStepBench {
  private Engine engine;
  private Vae vae;
  private Adam adam;
  private float[] batch;
  private final Rng rng = new Rng(1);

  @Setup(Level.Trial)
  public void setUp() {
    engine = new Engine(BackendRegistry.discover().create(Optional.of("cpu")));
    vae = new VaeBuilder(engine).likelihood(new Bernoulli(784)).hidden(400).latent(20).build();
    adam = Adam.adam(engine, 1e-3);
    batch = MatmulBench.randomFloats(128 * 784, 5);
    for (int i = 0; i < batch.length; i++) {
      batch[i] = batch[i] < 0.13f ? 1f : 0f;
    }
  }

  @Benchmark
  public double step() {
    List<Tensor> leaves = vae.parameters().stream().map(Parameter::tensor).toList();
    try (MemoryScope scope = engine.scope()) {
      Tensor x = engine.fromHost(batch, Shape.of(128, 784));
      ObjectiveTerms terms = vae.terms(x, rng, 1);
      double kl = terms.kl().mean().item();
      adam.step(vae.parameters(), engine.gradients(terms.elbo().neg(), leaves));
      return kl;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    adam.close();
    vae.close();
    engine.backend().close();
  }
}
