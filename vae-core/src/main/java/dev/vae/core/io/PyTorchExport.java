package dev.vae.core.io;

import dev.vae.api.Options;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.api.likelihood.ParameterSpec;
import dev.vae.core.io.HostTensor.ElementType;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.StandardNormalPrior;
import dev.vae.core.nn.Activation;
import dev.vae.core.nn.MlpNetworkProvider;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.posterior.DiagonalGaussianPosterior;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A trained VAE's parameters under the names and in the layouts of the equivalent PyTorch modules,
 * so that {@code safetensors.torch.load_file} reads the file and {@code load_state_dict} takes it.
 *
 * <p>The PyTorch model has four modules, as the {@code VAE} class of the reference PyTorch script
 * has for any number L of hidden layers (L = 0 is a linear VAE):
 *
 * <pre>
 * enc       = nn.Sequential(nn.Linear(m, h1), act, ..., nn.Linear(h(L-1), hL), act)
 * fc_mu     = nn.Linear(hL, d)
 * fc_logvar = nn.Linear(hL, d)
 * dec       = nn.Sequential(nn.Linear(d, hL), act, ..., nn.Linear(h1, m · k))
 * mu, logvar = fc_mu(enc(x)), fc_logvar(enc(x));   decoder output = dec(z)
 * </pre>
 *
 * where m is the data dimension, d the latent one and k the likelihood's outputs per data
 * dimension. Our {@code Dense} layer computes x · W + b with W stored [in, out]; {@code nn.Linear}
 * computes x · Wᵀ + b with W stored [out, in], so every weight is transposed:
 *
 * <table>
 *   <caption>Our names and PyTorch's</caption>
 *   <tr><th>ours (shape)</th><th>PyTorch (shape)</th></tr>
 *   <tr><td>{@code encoder.i.weight} [in, out], i &lt; L</td><td>{@code enc.(2i).weight} [out, in]</td></tr>
 *   <tr><td>{@code encoder.i.bias} [out], i &lt; L</td><td>{@code enc.(2i).bias} [out]</td></tr>
 *   <tr><td>{@code encoder.L.weight} [hL, 2d], columns 0..d-1</td><td>{@code fc_mu.weight} [d, hL]</td></tr>
 *   <tr><td>{@code encoder.L.weight} [hL, 2d], columns d..2d-1</td><td>{@code fc_logvar.weight} [d, hL]</td></tr>
 *   <tr><td>{@code encoder.L.bias} [2d], elements 0..d-1 / d..2d-1</td><td>{@code fc_mu.bias} / {@code fc_logvar.bias} [d]</td></tr>
 *   <tr><td>{@code decoder.i.weight} [in, out], i ≤ L</td><td>{@code dec.(2i).weight} [out, in]</td></tr>
 *   <tr><td>{@code decoder.i.bias} [out], i ≤ L</td><td>{@code dec.(2i).bias} [out]</td></tr>
 *   <tr><td>the likelihood's own parameters and estimates</td><td>the same names and values</td></tr>
 * </table>
 *
 * <p>The Sequential's indices are 2i because an activation module, which holds no parameters, sits
 * between each two linear layers. The activations are named in the metadata as torch modules:
 * ReLU, LeakyReLU(0.01), ELU(1.0), Tanh, Sigmoid, Softplus, GELU(approximate='tanh') (ours is the
 * tanh form) or Identity. Tensors keep the run's element type (F32 or F64).
 *
 * <p>The metadata holds {@code format} = {@value #FORMAT}, {@code model} (a description), the
 * model's description as a checkpoint stores it ({@code model.*}), {@code torch.<module>} (each
 * module as PyTorch code), {@code torch.forward}, {@code decoder.output} (what dec's output means),
 * {@code likelihood.parameters} and {@code likelihood.estimates} (comma-separated names), and
 * {@code source.<name>} (which of our tensors each one comes from).
 *
 * <p>{@code fc_logvar} gives the encoder's log-variance as the network computes it; a variant that
 * constrains it before use (the delta-VAE without its AR(1) prior) does so outside the modules, as
 * does a variant's own prior: {@code model.variant} and {@code model.variant-options} say which.
 *
 * <p>A checkpoint that describes no VAE, or holds a parameter no module takes (a semi-supervised
 * run's classifier), or lacks or misshapes one the model needs, is refused with an {@link
 * IllegalArgumentException} naming it.
 */
public final class PyTorchExport {
  /** The value of {@code format} in the metadata. */
  public static final String FORMAT = "pytorch";
  /** The PyTorch modules the network's tensors belong to. */
  public static final List<String> MODULES = List.of("enc", "fc_mu", "fc_logvar", "dec");

  private final Map<String, HostTensor> tensors;
  private final Map<String, String> metadata;

  private PyTorchExport(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    this.tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    this.metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  /**
   * The export of checkpoint {@code c} of a VAE training run; {@code likelihoods} names the
   * likelihood's own parameters and estimates.
   *
   * @throws IllegalArgumentException when the checkpoint's model cannot be mapped, naming why
   */
  public static PyTorchExport of(Checkpoint c, LikelihoodRegistry likelihoods) {
    String where = "checkpoint at step " + c.step();
    ModelSpec spec;
    try {
      spec = ModelSpec.fromMap(c.config());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " describes no VAE that maps to PyTorch modules ("
          + e.getMessage() + "); only runs of `vae train` can be exported", e);
    }
    Likelihood likelihood = likelihoods.create(spec.likelihood(), spec.dataDimension(),
        new Options(spec.likelihoodOptions()));
    PyTorchExport export = map(spec, likelihood, c.parameters(), where);
    Map<String, String> metadata = new LinkedHashMap<>(export.metadata);
    metadata.put("checkpoint.step", Long.toString(c.step()));
    metadata.put("checkpoint.epoch", Long.toString(c.epoch()));
    return new PyTorchExport(export.tensors, metadata);
  }

  /**
   * The export of a model described by {@code spec} whose likelihood is {@code likelihood}, from
   * its parameters (and the likelihood's estimates) by our names, as a checkpoint holds them.
   *
   * @throws IllegalArgumentException when a parameter is missing, misshapen or taken by no module
   */
  public static PyTorchExport of(ModelSpec spec, Likelihood likelihood, Map<String, HostTensor> parameters) {
    return map(spec, likelihood, parameters, "the model's parameters");
  }

  private static PyTorchExport map(ModelSpec spec, Likelihood likelihood, Map<String, HostTensor> parameters,
      String where) {
    if (!spec.network().equals(MlpNetworkProvider.NAME)) {
      throw new IllegalArgumentException(where + " describe a VAE with " + spec.network() + " networks; export to"
          + " PyTorch covers MLP encoders and decoders only");
    }
    if (!spec.posterior().equals(DiagonalGaussianPosterior.NAME)) {
      throw new IllegalArgumentException(where + " describe a VAE with the posterior " + spec.posterior()
          + "; export to PyTorch covers the diagonal Gaussian posterior only");
    }
    if (!spec.prior().equals(StandardNormalPrior.NAME)) {
      throw new IllegalArgumentException(where + " describe a VAE with the prior " + spec.prior() + "; export to"
          + " PyTorch covers the standard normal prior only");
    }
    Map<String, HostTensor> out = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    Set<String> unused = new TreeSet<>(parameters.keySet());
    int[] hidden = spec.hidden();
    int layers = hidden.length;
    int d = spec.latent();
    int k = likelihood.outputsPerDimension();
    int[] encoderSizes = new int[layers + 2];
    int[] decoderSizes = new int[layers + 2];
    encoderSizes[0] = spec.dataDimension();
    decoderSizes[0] = d;
    for (int i = 0; i < layers; i++) {
      encoderSizes[i + 1] = hidden[i];
      decoderSizes[i + 1] = hidden[layers - 1 - i];
    }
    encoderSizes[layers + 1] = 2 * d;
    decoderSizes[layers + 1] = spec.dataDimension() * k;

    for (int i = 0; i < layers; i++) {
      Linear layer = Linear.take(parameters, unused, "encoder." + i, encoderSizes[i], encoderSizes[i + 1], where);
      layer.put(out, sources, "enc." + 2 * i, 0, encoderSizes[i + 1]);
    }
    Linear heads = Linear.take(parameters, unused, "encoder." + layers, encoderSizes[layers], 2 * d, where);
    heads.put(out, sources, "fc_mu", 0, d);
    heads.put(out, sources, "fc_logvar", d, 2 * d);
    for (int i = 0; i <= layers; i++) {
      Linear layer = Linear.take(parameters, unused, "decoder." + i, decoderSizes[i], decoderSizes[i + 1], where);
      layer.put(out, sources, "dec." + 2 * i, 0, decoderSizes[i + 1]);
    }

    List<String> own = new ArrayList<>();
    for (ParameterSpec p : likelihood.ownParameters()) {
      own.add(p.name());
      HostTensor t = require(parameters, unused, p.name(), p.shape().dims(), where);
      putOwn(out, sources, p.name(), t, where);
    }
    List<String> estimates = new ArrayList<>(new TreeSet<>(likelihood.estimates().keySet()));
    for (String name : estimates) {
      putOwn(out, sources, name, require(parameters, unused, name, new int[] {1}, where), where);
    }
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(where + " holds " + unused + ", which no PyTorch module of a VAE "
          + Arrays.toString(encoderSizes) + " / " + Arrays.toString(decoderSizes) + " takes (a model of another "
          + "structure, e.g. a semi-supervised run?); only runs of `vae train` can be exported");
    }

    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", FORMAT);
    metadata.put("model", describe(spec, likelihood));
    metadata.putAll(spec.toMap());
    String act = torchActivation(spec.activation());
    metadata.put("torch.enc", sequential(encoderSizes, 0, layers, act, true));
    metadata.put("torch.fc_mu", linear(encoderSizes[layers], d));
    metadata.put("torch.fc_logvar", linear(encoderSizes[layers], d));
    metadata.put("torch.dec", sequential(decoderSizes, 0, layers + 1, act, false));
    metadata.put("torch.forward", "mu, logvar = fc_mu(enc(x)), fc_logvar(enc(x)); z = mu + exp(logvar / 2) * eps;"
        + " decoder output = dec(z)");
    metadata.put("decoder.output", "the " + likelihood.name() + " likelihood's unconstrained parameters: " + k
        + (k == 1 ? " block" : " blocks") + " of " + spec.dataDimension() + " columns side by side");
    metadata.put("likelihood.parameters", String.join(",", own));
    metadata.put("likelihood.estimates", String.join(",", estimates));
    sources.forEach((name, source) -> metadata.put("source." + name, source));
    return new PyTorchExport(out, metadata);
  }

  /** The tensors by PyTorch name, sorted. */
  public Map<String, HostTensor> tensors() {
    return tensors;
  }

  /** The metadata written beside them, sorted by key. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Writes the tensors and metadata as one safetensors file, atomically (see {@link AtomicFiles}). */
  public void write(Path file) throws IOException {
    SafeTensors.write(file, tensors, metadata);
  }

  /** The torch module equivalent to one of our activations, as PyTorch code. */
  public static String torchActivation(Activation a) {
    return switch (a) {
      case IDENTITY -> "nn.Identity()";
      case RELU -> "nn.ReLU()";
      case LEAKY_RELU -> "nn.LeakyReLU(0.01)";
      case ELU -> "nn.ELU(1.0)";
      case TANH -> "nn.Tanh()";
      case SIGMOID -> "nn.Sigmoid()";
      case SOFTPLUS -> "nn.Softplus()";
      case GELU -> "nn.GELU(approximate='tanh')";
    };
  }

  /** One of our dense layers: weight [in, out] and bias [out]. */
  private record Linear(String name, HostTensor weight, HostTensor bias) {
    static Linear take(Map<String, HostTensor> parameters, Set<String> unused, String name, int in, int out,
        String where) {
      return new Linear(name, require(parameters, unused, name + ".weight", new int[] {in, out}, where),
          require(parameters, unused, name + ".bias", new int[] {out}, where));
    }

    /** Output units [from, to) as the torch layer {@code torchName}: weight transposed to [to - from, in]. */
    void put(Map<String, HostTensor> out, Map<String, String> sources, String torchName, int from, int to) {
      int[] shape = weight.shape();
      boolean all = from == 0 && to == shape[1];
      String part = all ? "" : " columns " + from + ".." + (to - 1);
      out.put(torchName + ".weight", transposedColumns(weight, from, to));
      sources.put(torchName + ".weight", name + ".weight" + part + ", transposed");
      out.put(torchName + ".bias", elements(bias, from, to));
      sources.put(torchName + ".bias", name + ".bias" + (all ? "" : " elements " + from + ".." + (to - 1)));
    }
  }

  private static void putOwn(Map<String, HostTensor> out, Map<String, String> sources, String name, HostTensor t,
      String where) {
    if (MODULES.contains(name.split("\\.", 2)[0])) {
      throw new IllegalArgumentException(where + ": the likelihood's tensor " + name + " would fall inside the "
          + "PyTorch module " + name.split("\\.", 2)[0]);
    }
    out.put(name, t);
    sources.put(name, name);
  }

  private static HostTensor require(Map<String, HostTensor> parameters, Set<String> unused, String name, int[] shape,
      String where) {
    HostTensor t = parameters.get(name);
    if (t == null) {
      throw new IllegalArgumentException(where + " has no parameter " + name + ", which the model needs; it has "
          + new TreeSet<>(parameters.keySet()));
    }
    if (!Arrays.equals(t.shape(), shape)) {
      throw new IllegalArgumentException(where + ": parameter " + name + " is " + Arrays.toString(t.shape())
          + " but the model needs " + Arrays.toString(shape));
    }
    if (t.type() == ElementType.I64) {
      throw new IllegalArgumentException(where + ": parameter " + name + " holds integers, not numbers of a model");
    }
    unused.remove(name);
    return t;
  }

  /** Columns [from, to) of a matrix [rows, cols], transposed: [to - from, rows], same element type. */
  static HostTensor transposedColumns(HostTensor w, int from, int to) {
    int rows = w.shape()[0];
    int cols = w.shape()[1];
    int width = to - from;
    if (w.type() == ElementType.F32) {
      float[] src = (float[]) w.data();
      float[] dst = new float[width * rows];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < width; j++) {
          dst[j * rows + r] = src[r * cols + from + j];
        }
      }
      return HostTensor.wrap(ElementType.F32, new int[] {width, rows}, dst);
    }
    double[] src = (double[]) w.data();
    double[] dst = new double[width * rows];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < width; j++) {
        dst[j * rows + r] = src[r * cols + from + j];
      }
    }
    return HostTensor.wrap(ElementType.F64, new int[] {width, rows}, dst);
  }

  /** Elements [from, to) of a vector. */
  private static HostTensor elements(HostTensor v, int from, int to) {
    Object data = v.type() == ElementType.F32
        ? Arrays.copyOfRange((float[]) v.data(), from, to)
        : Arrays.copyOfRange((double[]) v.data(), from, to);
    return HostTensor.wrap(v.type(), new int[] {to - from}, data);
  }

  private static String linear(int in, int out) {
    return "nn.Linear(" + in + ", " + out + ")";
  }

  /**
   * nn.Sequential of the linear layers sizes[from..to], an activation after each one except, when
   * {@code activationAfterLast} is false, the last.
   */
  private static String sequential(int[] sizes, int from, int to, String activation, boolean activationAfterLast) {
    List<String> modules = new ArrayList<>();
    for (int i = from; i < to; i++) {
      modules.add(linear(sizes[i], sizes[i + 1]));
      if (activationAfterLast || i < to - 1) {
        modules.add(activation);
      }
    }
    return "nn.Sequential(" + String.join(", ", modules) + ")";
  }

  private static String describe(ModelSpec spec, Likelihood likelihood) {
    String hidden = Arrays.stream(spec.hidden()).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    return "VAE " + spec.dataDimension() + (hidden.isEmpty() ? "" : "-" + hidden) + "-" + spec.latent()
        + ", " + spec.activation().name().toLowerCase(Locale.ROOT) + ", likelihood " + likelihood.name()
        + (spec.likelihoodOptions().isEmpty() ? "" : " " + spec.toMap().get("model.likelihood-options"))
        + ", variant " + spec.variant() + ", " + spec.dtype().name().toLowerCase(Locale.ROOT);
  }
}
