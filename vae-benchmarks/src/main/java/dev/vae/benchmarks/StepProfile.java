package dev.vae.benchmarks;

import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.api.backend.Op;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.ConvNetworkProvider;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.semisupervised.SemiSupervisedModel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Where a training step's time goes, call by call: runs the classic MNIST VAE's step (784-400-20,
 * Bernoulli, batch 128, Adam), the reference ConvVAE's, or semi-supervised M2's, on the chosen backend wrapped in a proxy
 * that counts and times every backend call (fused kernels included), keyed by method and
 * {@link Op} (and with {@code shapes}, the operands' shapes), and prints calls and milliseconds per
 * step, the most expensive first. Usage: {@code StepProfile [steps] [vae|conv|m2] [shapes]} (default 100
 * steps after 50 of warm-up, the VAE, calls keyed by op only).
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String model = args.length > 1 ? args[1] : "vae";
    boolean shapes = args.length > 2 && args[2].equals("shapes");
    Backend real = BackendRegistry.discover().create();
    Map<String, long[]> callsAndNanos = new TreeMap<>();
    Engine engine = new Engine(timed(Backend.class, real, "", shapes, callsAndNanos));
    try (ProfiledStep step = switch (model) {
      case "vae" -> vaeStep(engine, new VaeBuilder(engine).hidden(400));
      case "conv" -> vaeStep(engine, new VaeBuilder(engine).network(new ConvNetworkProvider(), Options.none())
          .hidden(256));
      case "m2" -> m2Step(engine);
      default -> throw new IllegalArgumentException("model " + model + ": expected vae, conv or m2");
    }) {
      int warmUp = 50;
      long wall = 0;
      for (int s = 0; s < warmUp + steps; s++) {
        if (s == warmUp) {
          callsAndNanos.clear();
          wall = System.nanoTime();
        }
        try (MemoryScope scope = engine.scope()) {
          step.run();
        }
      }
      print(callsAndNanos, steps, (System.nanoTime() - wall) / 1e6 / steps, real.name() + " backend, " + model);
    }
  }

  /** One training step of a model, run inside a memory scope; closing frees the model. */
  private interface ProfiledStep extends AutoCloseable {
    void run();
  }

  /** A VAE with 20 latent dimensions, Bernoulli, batch 128, Adam: the classic 784-400-20 or the reference ConvVAE. */
  private static ProfiledStep vaeStep(Engine engine, VaeBuilder networks) {
    Vae vae = networks.latent(20)
        .likelihood(LikelihoodRegistry.discover().create("bernoulli", 784, Options.none())).build();
    Adam adam = Adam.adam(engine, 1e-3);
    float[] batch = binaryImages(128, 1);
    Rng rng = new Rng(1);
    return new ProfiledStep() {
      @Override
      public void run() {
        ObjectiveTerms terms = vae.terms(engine.fromHost(batch, Shape.of(128, 784)), rng, 1);
        terms.kl().mean().item();
        List<Tensor> leaves = vae.parameters().stream().map(Parameter::tensor).toList();
        adam.step(vae.parameters(), engine.gradients(terms.elbo().neg(), leaves));
      }

      @Override
      public void close() {
        adam.close();
        vae.close();
      }
    };
  }

  /**
   * Semi-supervised M2 on pixels as {@code vae semi-supervised --model m2} trains it: one hidden
   * layer of 500 ReLU units per network, 50 latent dimensions, Bernoulli, 100 labelled and 100
   * unlabelled images a step (the unlabelled ones through all 10 classes), Adam.
   */
  private static ProfiledStep m2Step(Engine engine) {
    SemiSupervisedModel m2 = new SemiSupervisedModel(engine,
        LikelihoodRegistry.discover().create("bernoulli", 784, Options.none()), 10, 500, 500, 50, Activation.RELU,
        DType.FLOAT32, 1);
    Adam adam = Adam.adam(engine, 1e-3);
    float[] labelled = binaryImages(100, 2);
    float[] unlabelled = binaryImages(100, 3);
    int[] labels = new int[100];
    Arrays.setAll(labels, i -> i % 10);
    Rng rng = new Rng(1);
    return new ProfiledStep() {
      @Override
      public void run() {
        SemiSupervisedModel.Terms terms = m2.objective(engine.fromHost(labelled, Shape.of(100, 784)), labels,
            engine.fromHost(unlabelled, Shape.of(100, 784)), 1.0, rng);
        terms.loss().item();
        List<Tensor> leaves = m2.parameters().stream().map(Parameter::tensor).toList();
        adam.step(m2.parameters(), engine.gradients(terms.loss(), leaves));
      }

      @Override
      public void close() {
        adam.close();
        m2.close();
      }
    };
  }

  /** Random binary images with MNIST's share of ink (13%). */
  private static float[] binaryImages(int n, long seed) {
    float[] images = new float[n * 784];
    Random random = new Random(seed);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextDouble() < 0.13 ? 1f : 0f;
    }
    return images;
  }

  /**
   * {@code target} behind a proxy that adds each call's count and time to {@code callsAndNanos}, keyed
   * by method, the op of elementwise and reduction calls and, when {@code shapes}, the operands'
   * shapes. The fused kernels a backend hands out are
   * wrapped the same way, so their calls are counted too.
   */
  @SuppressWarnings("unchecked")
  private static <T> T timed(Class<T> type, T target, String prefix, boolean shapes,
      Map<String, long[]> callsAndNanos) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, arguments) -> {
      String key = prefix + method.getName() + detail(arguments, shapes);
      long started = System.nanoTime();
      try {
        Object result = method.invoke(target, arguments);
        if (method.getName().equals("fused") && result instanceof Optional<?> kernel && kernel.isPresent()) {
          Class<Object> kind = (Class<Object>) arguments[0];
          return Optional.of(timed(kind, kernel.get(), "fused ", shapes, callsAndNanos));
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        long[] entry = callsAndNanos.computeIfAbsent(key, k -> new long[2]);
        entry[0]++;
        entry[1] += System.nanoTime() - started;
      }
    });
  }

  /** The op of an elementwise or reduction call and, when {@code shapes}, the shapes of the array operands. */
  private static String detail(Object[] arguments, boolean shapes) {
    if (arguments == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (arguments.length > 0 && arguments[0] instanceof Op op) {
      out.append(':').append(op);
    }
    for (Object argument : shapes ? arguments : new Object[0]) {
      if (argument instanceof NdArray array) {
        out.append(' ').append(array.shape());
      }
    }
    return out.toString();
  }

  private static void print(Map<String, long[]> callsAndNanos, int steps, double wallMs, String what) {
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(callsAndNanos.entrySet());
    rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
    long calls = rows.stream().mapToLong(e -> e.getValue()[0]).sum();
    long nanos = rows.stream().mapToLong(e -> e.getValue()[1]).sum();
    System.out.printf(Locale.ROOT, "%s, %d steps: %.2f ms a step, %.2f ms of it in %.1f backend calls%n",
        what, steps, wallMs, nanos / 1e6 / steps, (double) calls / steps);
    System.out.printf(Locale.ROOT, "%-36s %12s %12s %10s%n", "call", "calls/step", "ms/step", "us/call");
    for (Map.Entry<String, long[]> e : rows) {
      long[] v = e.getValue();
      System.out.printf(Locale.ROOT, "%-36s %12.1f %12.3f %10.1f%n", e.getKey(), (double) v[0] / steps,
          v[1] / 1e6 / steps, v[1] / 1e3 / v[0]);
    }
  }
}
