package dev.vae.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.testkit.ReferenceBackend;
import dev.vae.api.testkit.TestData;
import dev.vae.api.testkit.Tolerance;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.kernel.KernelDefinition;
import dev.vae.core.kernel.KernelInput;
import dev.vae.core.kernel.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of every fused kernel a backend implements, written once for all kernels of
 * {@link Kernels} and run by every backend module (subclass it and return the backend): through
 * the backend's implementation, each kernel's value, and its gradients with respect to the inputs
 * marked differentiable, equal the kernel's reference composition evaluated on the
 * {@link ReferenceBackend} without fused kernels, in float64 and float32, on the kernel's own
 * contract inputs, once with gradients recorded and once without. A kernel the backend does not
 * implement is skipped, saying so. Gradients are of Σ result · w for fixed random weights w.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KernelContractSuite {
  private final Engine reference = new Engine(ReferenceBackend.withoutFusedKernels());
  private Engine engine;

  /** The backend under test; called once per test class. */
  protected abstract Backend backend();

  static Stream<Arguments> kernels() {
    return Kernels.ALL.stream().flatMap(k -> Arrays.stream(DType.values()).flatMap(dtype -> Stream.of(
        Arguments.of(k.kind().getSimpleName(), k, dtype, true), Arguments.of(k.kind().getSimpleName(), k, dtype,
            false))));
  }

  @ParameterizedTest(name = "{0} {2}, gradients recorded: {3}")
  @MethodSource("kernels")
  void implementationEqualsTheComposition(String name, KernelDefinition<?> kernel, DType dtype, boolean recording) {
    if (engine == null) {
      engine = new Engine(backend());
    }
    Assumptions.assumeTrue(engine.implementation(kernel.kind()).isPresent(),
        () -> "backend " + engine.backend().name() + " does not implement " + name + "; nothing to check");
    TestData data = new TestData("kernel " + name + " " + dtype);
    Random random = data.random();
    for (List<KernelInput> inputs : kernel.contractInputs(dtype, random)) {
      String what = data.where(name + " on " + inputs.stream().map(i -> i.shape().toString()).toList());
      try (MemoryScope scope = engine.scope(); MemoryScope referenceScope = reference.scope()) {
        long weights = random.nextLong();
        Result actual = run(engine, inputs, dtype, recording, weights, true, kernel);
        Result expected = run(reference, inputs, dtype, recording, weights, false, kernel);
        assertClose(what + ": value", actual.value(), expected.value(), dtype);
        for (int i = 0; i < expected.gradients().size(); i++) {
          assertClose(what + ": gradient of input " + i, actual.gradients().get(i), expected.gradients().get(i),
              dtype);
        }
      }
    }
  }

  /** A kernel's value and, when recorded, its gradients with respect to the differentiable inputs. */
  private record Result(double[] value, List<double[]> gradients) {}

  /** The kernel through {@code on}'s implementation ({@code fused}) or its composition, and Σ value · w's gradients. */
  private Result run(Engine on, List<KernelInput> inputs, DType dtype, boolean recording, long weights, boolean fused,
      KernelDefinition<?> kernel) {
    List<Tensor> tensors = new ArrayList<>();
    List<Tensor> differentiable = new ArrayList<>();
    for (KernelInput input : inputs) {
      Tensor t = recording ? input.on(on, dtype) : on.fromHost(input.values(), input.shape(), dtype);
      tensors.add(t);
      if (recording && input.differentiable()) {
        differentiable.add(t);
      }
    }
    kernel.check(tensors);
    Tensor value = fused ? kernel.fused(on, tensors).orElseThrow(() -> new AssertionError("backend "
        + on.backend().name() + " implements " + kernel.kind().getSimpleName() + " but the kernel did not use it on "
        + "these inputs (recording " + recording + ")")) : kernel.compose(tensors);
    List<double[]> gradients = new ArrayList<>();
    if (!differentiable.isEmpty() && value.shape().size() > 0) {
      double[] w = new Random(weights).doubles(value.shape().sizeAsInt(), -1, 1).toArray();
      Tensor loss = value.mul(on.fromHost(w, value.shape(), dtype)).sum();
      for (Tensor g : on.gradients(loss, differentiable)) {
        gradients.add(g.toDoubles());
      }
    }
    return new Result(value.toDoubles(), gradients);
  }

  private static void assertClose(String what, double[] actual, double[] expected, DType dtype) {
    Tolerance tolerance = Tolerance.elementwise(dtype);
    assertThat(actual).as(what + ": size").hasSameSizeAs(expected);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < expected.length && wrong.size() < 5; i++) {
      if (!tolerance.accepts(actual[i], expected[i], 0)) {
        wrong.add("[" + i + "] " + actual[i] + " instead of " + expected[i]);
      }
    }
    assertThat(wrong).as("%s (%s)", what, tolerance).isEmpty();
  }
}
