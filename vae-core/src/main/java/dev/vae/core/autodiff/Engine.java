package dev.vae.core.autodiff;

import dev.vae.api.DType;
import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.TensorFactory;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.FusedKernel;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.backend.NdArray;
import dev.vae.core.kernel.KernelDefinition;
import dev.vae.core.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The autodiff engine bound to one backend: makes tensors, records the operations on tensors that
 * require gradients, and differentiates through them with {@link #gradients}; runs fused kernels
 * ({@link #kernel}). Its state: a per-thread switch that turns recording off while gradients are
 * computed, and which kernels the backend implements, asked once each.
 */
public final class Engine implements TensorFactory {
  private final Backend backend;
  private final Map<Class<? extends FusedKernel>, Optional<? extends FusedKernel>> implementations =
      new ConcurrentHashMap<>();
  private final ThreadLocal<int[]> noGradDepth = ThreadLocal.withInitial(() -> new int[1]);

  public Engine(Backend backend) {
    this.backend = backend;
  }

  public Backend backend() {
    return backend;
  }

  /** The backend's implementation of a fused kernel, if it has one (asked once, then remembered). */
  public <K extends FusedKernel> Optional<K> implementation(Class<K> kind) {
    return implementations.computeIfAbsent(kind, backend::fused).map(kind::cast);
  }

  /**
   * The kernel of {@link Kernels} named {@code kind} on {@code inputs}: the backend's implementation
   * where it has one and the inputs fit it, else the kernel's composition.
   */
  @Override
  public Tensor kernel(Class<? extends FusedKernel> kind, Tensor... inputs) {
    KernelDefinition<?> definition = Kernels.of(kind).orElseThrow(() -> new IllegalArgumentException(
        "no composition of the fused kernel " + kind.getSimpleName() + " is known; the kernels are "
            + Kernels.ALL.stream().map(k -> k.kind().getSimpleName()).toList()));
    List<Tensor> arguments = List.of(inputs);
    definition.check(arguments);
    return definition.fused(this, arguments).orElseGet(() -> definition.compose(arguments));
  }

  /** Whether a computation on {@code inputs} would be recorded: recording is on and one of them requires a gradient. */
  public boolean needsGradient(Tensor... inputs) {
    if (!recording()) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A kernel's result computed by the backend, recorded under {@code name} with the slope of its
   * value with respect to {@code input} that came with it: the gradient is g · slope elementwise,
   * or, where the value sums each row of a [rows, dims] function ({@code rowSums}), g of each row
   * times the row's slope. The {@code others} (data the function compares against) get none.
   */
  public Tensor recordWithSlope(String name, FusedKernel.ValueAndSlope both, boolean rowSums, Tensor input,
      Tensor... others) {
    if (!rowSums && others.length > 0) {
      throw new IllegalArgumentException(name + ": an elementwise result with a slope has one input, got "
          + (others.length + 1));
    }
    if (needsGradient(others)) {
      throw new IllegalArgumentException(name + ": only the first input gets a gradient from the slope, but another "
          + "input requires one; compose the kernel instead");
    }
    Node[] in = new Node[others.length + 1];
    in[0] = node(input);
    for (int i = 0; i < others.length; i++) {
      in[i + 1] = node(others[i]);
    }
    return Node.recordedWithSlope(this, both, name, rowSums ? GradientRules.ROWS_TIMES_SLOPE
        : GradientRules.TIMES_SLOPE, in);
  }

  /** Opens a memory scope on this engine's backend (see {@link MemoryScope}). */
  public MemoryScope scope() {
    return backend.openScope();
  }

  /** A gradient-free tensor over an existing array (the array is not copied). */
  public Tensor wrap(NdArray array) {
    return Node.leaf(this, array, false);
  }

  /** A leaf that gradients flow to, over an existing array: how parameters enter a computation. */
  public Tensor variable(NdArray array) {
    return Node.leaf(this, array, true);
  }

  /** The backend array behind a tensor of this engine (still owned by its scope). */
  public NdArray arrayOf(Tensor t) {
    return node(t).value();
  }

  /**
   * Takes a tensor's array out of every memory scope and hands it to the caller, who must close
   * it: how values that outlive a step (parameters, optimizer state) leave it.
   */
  public NdArray detachArray(Tensor t) {
    NdArray array = arrayOf(t);
    try (MemoryScope scope = backend.openScope()) {
      return scope.detach(array);
    }
  }

  @Override
  public Tensor full(Shape shape, DType dtype, double value) {
    return wrap(backend.full(shape, dtype, value));
  }

  @Override
  public Tensor fromHost(double[] data, Shape shape, DType dtype) {
    return wrap(backend.fromHost(data, shape, dtype));
  }

  @Override
  public Tensor fromHost(float[] data, Shape shape) {
    return wrap(backend.fromHost(data, shape));
  }

  @Override
  public Tensor uniform(Rng rng, Shape shape, DType dtype) {
    return wrap(backend.randomUniform(rng.seed(), rng.advance(shape.size()), shape, dtype));
  }

  @Override
  public Tensor normal(Rng rng, Shape shape, DType dtype) {
    return wrap(backend.randomNormal(rng.seed(), rng.advance(shape.size()), shape, dtype));
  }

  @Override
  public Tensor concat(List<Tensor> parts, int axis) {
    List<Node> nodes = new ArrayList<>(parts.size());
    for (Tensor t : parts) {
      nodes.add(node(t));
    }
    return Node.concat(this, nodes, axis);
  }

  /**
   * Gradients of a scalar {@code loss} with respect to each of {@code wrt}, in order. A tensor the
   * loss does not depend on gets a zero gradient. The gradients carry no history.
   */
  public List<Tensor> gradients(Tensor loss, List<? extends Tensor> wrt) {
    if (loss.shape().size() != 1) {
      throw new IllegalArgumentException("gradients need a scalar loss, got shape " + loss.shape());
    }
    List<Node> targets = new ArrayList<>(wrt.size());
    for (Tensor t : wrt) {
      targets.add(node(t));
    }
    return Backpropagation.run(this, node(loss), targets);
  }

  /** Turns recording off on this thread until the returned handle closes; nests. */
  public NoGrad noGrad() {
    int[] depth = noGradDepth.get();
    depth[0]++;
    return () -> depth[0]--;
  }

  boolean recording() {
    return noGradDepth.get()[0] == 0;
  }

  Node node(Tensor t) {
    if (t instanceof Node n && n.engine() == this) {
      return n;
    }
    throw new IllegalArgumentException("tensor " + t.shape() + " was not made by this engine ("
        + backend.name() + " backend); tensors of different engines cannot be mixed");
  }

  /** Closes a {@link #noGrad()} section. */
  @FunctionalInterface
  public interface NoGrad extends AutoCloseable {
    @Override
    void close();
  }
}
