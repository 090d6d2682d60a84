package dev.vae.examples.cli;

import com.google.inject.Injector;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.backend.Backend;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataFiles;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.Mnist;
import dev.vae.core.inject.ModelModule;
import dev.vae.core.inject.TrainingModule;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.model.ModelSpec;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Activation;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.NetworkRegistry;
import dev.vae.core.plugin.PosteriorRegistry;
import dev.vae.core.plugin.PriorRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.run.RecordedOptions;
import dev.vae.core.run.RunDirectory;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingCheckpoints;
import dev.vae.core.train.TrainingState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vae train}: trains a VAE on MNIST (by default the classic 784-400-20 Bernoulli model with
 * dynamic binarisation) or on the user's own data ({@code --data}), checkpointing every epoch, and
 * writes its pictures into the run directory.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a VAE on MNIST or your own data (--data), checkpoint every epoch, and write pictures into"
        + " the run directory.")
final class TrainCommand implements Callable<Integer>, TrainingStart.Command<TrainCommand> {
  /** The command's name, recorded in its runs. */
  static final String COMMAND = "train";

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--epochs", defaultValue = "10", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", description = "Examples per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--network", defaultValue = "mlp",
      description = "Encoder and decoder family by name: mlp, conv, or one a plugin adds; `vae networks` lists them"
          + " (default: ${DEFAULT-VALUE}).")
  String network;

  @Option(names = "--network-options", defaultValue = "",
      description = "Network options as key=value,key=value (conv: image=CxHxW, base-channels, depth, residual-blocks,"
          + " norm=none|batch|layer|group, groups, dropout).")
  String networkOptions;

  @Option(names = "--prior", defaultValue = "standard-normal",
      description = "Prior p(z) by name: standard-normal, mixture, vamp, two-layer, ladder, or one a plugin adds;"
          + " `vae priors` lists them"
          + " (default: ${DEFAULT-VALUE}).")
  String prior;

  @Option(names = "--prior-options", defaultValue = "",
      description = "Prior options as key=value,key=value (mixture: components, learn-weights; vamp: pseudo-inputs,"
          + " pseudo-mean, pseudo-std; two-layer: latent2, hidden, depth, activation; ladder: latents (e.g. 32x16),"
          + " hidden, depth, activation, combination); `vae priors` describes them.")
  String priorOptions;

  @Option(names = "--posterior", defaultValue = "diagonal-gaussian",
      description = "Posterior q(z|x) by name: diagonal-gaussian, full-covariance, planar, iaf, or one a plugin adds;"
          + " `vae posteriors` lists them (default: ${DEFAULT-VALUE}).")
  String posterior;

  @Option(names = "--posterior-options", defaultValue = "",
      description = "Posterior options as key=value,key=value (full-covariance: off-diagonal-scale; planar: steps;"
          + " iaf: steps, hidden, depth, context).")
  String posteriorOptions;

  @Option(names = "--hidden", split = ",", defaultValue = "400",
      description = "Hidden widths of the dense layers of the encoder, mirrored by the decoder; with --network conv"
          + " those after the convolutions (default: ${DEFAULT-VALUE}).")
  int[] hidden;

  @Option(names = "--decoder-hidden", split = ",", description = "Hidden widths of the decoder's dense layers, from"
      + " the latent side (default: --hidden reversed).")
  int[] decoderHidden;

  @Option(names = "--latent", defaultValue = "20", description = "Latent dimension (default: ${DEFAULT-VALUE}).")
  int latent;

  @Option(names = "--activation", defaultValue = "relu",
      description = "relu, leaky_relu, elu, tanh, sigmoid, softplus, gelu (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(names = "--likelihood", defaultValue = "bernoulli",
      description = "Likelihood by name; `vae likelihoods` lists them (default: ${DEFAULT-VALUE}).")
  String likelihood;

  @Option(names = "--likelihood-options", defaultValue = "",
      description = "Likelihood options as key=value,key=value (e.g. sigma=learned).")
  String likelihoodOptions;

  @Option(names = "--variant", defaultValue = "elbo",
      description = "Variant by name; `vae variants` lists them (default: ${DEFAULT-VALUE}, the plain VAE).")
  String variant;

  @Option(names = "--variant-options", defaultValue = "",
      description = "Variant options as key=value,key=value (e.g. beta=4,schedule=linear,warmup-steps=5000).")
  String variantOptions;

  @Option(names = "--binarize", defaultValue = "auto",
      description = "auto, none, static or dynamic; auto is dynamic for MNIST and none for --data (default:"
          + " ${DEFAULT-VALUE}).")
  String binarize;

  @Option(names = "--validation", defaultValue = "0",
      description = "Fraction of the training set held out for validation (default: ${DEFAULT-VALUE}).")
  double validation;

  @Option(names = "--samples", defaultValue = "1", description = "Samples of z per example (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float64 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--data", description = "Your own data instead of MNIST: " + DataFiles.KINDS + ". Evaluate, sample,"
      + " reconstruct, latent and encode read it again from this path, relative to where vae runs.")
  String data;

  @Option(names = "--labels", description = "Labels of --data's .npy array or IDX images: a .npy array [n] or an IDX"
      + " label file.")
  String labels;

  @Option(names = "--label-column", description = "The column of --data's table that holds class labels (integers).")
  String labelColumn;

  @Option(names = "--image-size", description = "HxW that the pictures of a --data folder are resized to; without it"
      + " they must share one size.")
  String imageSize;

  @Option(names = "--standardize", description = "Standardise each column of --data with the training part's mean and"
      + " standard deviation (the run's other commands apply the same).")
  boolean standardize;

  @Option(names = "--test-fraction", defaultValue = "0.1",
      description = "The share of --data's examples held out as the test set, chosen by --seed (default:"
          + " ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--limit", defaultValue = "0", description = "Train on the first N examples only; 0: all.")
  int limit;

  @Option(names = "--metrics", defaultValue = "metrics.csv",
      description = "Per-epoch metrics file in the run directory; .jsonl for JSON lines (default: ${DEFAULT-VALUE}).")
  String metrics;

  @Spec
  CommandSpec spec;

  @Mixin
  StepOptions step = new StepOptions();

  @Mixin
  ResumeOptions training = new ResumeOptions();

  @Override
  public Integer call() throws Exception {
    return TrainingStart.run(spec, this, run, training, COMMAND, TrainCommand::new,
        c -> RecordedOptions.fromConfig(c.config()));
  }

  @Override
  public void checkEach() {
    training.check();
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.atLeast("--batch-size", batchSize, 1, "");
    OptionChecks.positive("--lr", learningRate);
    OptionChecks.atLeast("--samples", samples, 1, " (samples of z per example)");
    if (!(validation >= 0 && validation < 1)) {
      throw new IllegalArgumentException("--validation must be a fraction in [0, 1), got " + validation);
    }
    step.check(learningRate, epochs);
    trainerConfig();
    DataChoice choice = dataChoice();
    choice.binarization(binarize);
    dtype();
    Activation.named(activation);
    OptionChecks.atLeast("--limit", limit, 0, " (0 trains on all examples)");
    OptionChecks.atLeast("--latent", latent, 1, "");
    for (int width : hidden) {
      OptionChecks.atLeast("--hidden", width, 1, " (each width)");
    }
    for (int width : decoderHidden == null ? new int[0] : decoderHidden) {
      OptionChecks.atLeast("--decoder-hidden", width, 1, " (each width)");
    }
  }

  private static void parseOptions(String option, String text) {
    try {
      Options.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /** The variant and the likelihood with their options: plugins check their own, and creating them loads nothing. */
  @Override
  public void checkTogether() {
    VariantRegistry.discover().create(variant, Options.parse(variantOptions));
    NetworkRegistry.discover().named(network);
    PriorRegistry.discover().named(prior);
    PosteriorRegistry.discover().named(posterior);
    parseOptions("--network-options", networkOptions);
    parseOptions("--prior-options", priorOptions);
    parseOptions("--posterior-options", posteriorOptions);
    // With --data the columns are not known yet: the likelihood checks its options once the data are read.
    if (data == null) {
      LikelihoodRegistry.discover().create(likelihood, Mnist.SIDE * Mnist.SIDE, Options.parse(likelihoodOptions));
    }
  }

  @Override
  public int train(TrainingStart<TrainCommand> start) throws IOException {
    RunDirectory dir = start.dir();
    Optional<Checkpoint> previous = start.previous();
    RecordedOptions.Resolution options = start.options();
    // A run of an earlier version recorded no options: its model and trainer are as its checkpoint says.
    boolean legacy = previous.isPresent() && RecordedOptions.fromConfig(previous.get().config()).isEmpty();
    TrainerConfig config = legacy ? TrainingCheckpoints.trainerConfig(previous.get()).toBuilder().epochs(epochs).build()
        : trainerConfig();
    DataChoice choice = dataChoice();
    Binarization binarization = legacy ? RunData.binarization(previous.get()) : choice.binarization(binarize);
    RunData runData = RunData.load(run, choice, binarization, config.seed(),
        previous.flatMap(RunData::recordedStandardization));
    DataSet train = limit > 0 ? runData.train().subset(RunData.positions(Math.min(limit, runData.train().size())))
        : runData.train();
    DataSet.Split split = config.validationFraction() > 0 ? train.split(config.validationFraction(),
        new Rng(config.seed()).fork(7)) : null;
    DataSet fitted = split == null ? train : split.train();
    ModelSpec spec = legacy ? TrainingCheckpoints.modelSpec(previous.get()) : modelSpec(fitted);
    Injector injector = Composition.injector(run.backend, new ModelModule(spec), new TrainingModule(config),
        Composition.resumingFrom(previous));
    Engine engine = injector.getInstance(Engine.class);
    System.out.println(engine.backend().name() + " backend; " + fitted.size() + " training examples"
        + (split == null ? "" : ", " + split.validation().size() + " for validation"));
    try (Backend backend = injector.getInstance(Backend.class); Vae vae = injector.getInstance(Vae.class);
        Optimizer optimizer = injector.getInstance(TrainingModule.RUN_OPTIMIZER)) {
      if (!choice.mnist() && runData.binarization() == Binarization.NONE) {
        requireSupport(vae.likelihood(), runData);
      }
      start.prepare(); // once the data are read and the model is built: a run that cannot start creates nothing
      Trainer trainer = injector.getInstance(Trainer.class);
      TrainingState state = trainer.state();
      String overrides = "";
      if (previous.isPresent()) {
        System.out.println("resuming after epoch " + state.nextEpoch() + " (step " + state.step() + ")");
        overrides = RecordedOptions.overridesAfter(previous.get().config(), options.overridden(), state.nextEpoch());
        options.overridden().forEach(change -> System.out.println("overriding " + change));
      }
      System.out.println(vae.describe());
      // A run that recorded no options goes on recording none, so that every resume reads its model
      // and trainer from its checkpoint rather than from this command's defaults.
      Map<String, String> runConfig = new LinkedHashMap<>(legacy ? Map.of() : RecordedOptions.toConfig(options.values()));
      runConfig.putAll(spec.toMap());
      runConfig.put(RunDirectory.COMMAND_KEY, COMMAND);
      runConfig.put(RunData.BINARIZATION_KEY, runData.binarization().name());
      runData.record(runConfig);
      if (!overrides.isEmpty()) {
        runConfig.put(RecordedOptions.OVERRIDES_KEY, overrides);
      }
      trainer.addListener(new ConsoleProgress(config.epochs(), System.out))
          .addListener(dir.metrics(metrics, state.nextEpoch())).addListener(dir.warnings(state.nextEpoch()))
          .addListener(new TrainingCheckpoints(dir.checkpoints(), trainer, runConfig));
      Batches trainBatches = runData.batches(fitted, config, true);
      Batches validationBatches = split == null ? null : runData.batches(split.validation(), config, false);
      trainer.fit(trainBatches, validationBatches);
      if (!training.noPictures) {
        new Pictures(run.run, vae, runData, config.seed()).writeAll(run.run.resolve(metrics));
      }
      System.out.println("report: " + new RunReport(run.run).write());
    }
    return 0;
  }


  private TrainerConfig trainerConfig() {
    return step.apply(TrainerConfig.defaults().toBuilder(), validation).epochs(epochs).batchSize(batchSize)
        .learningRate(learningRate).samples(samples).seed(seed).build();
  }

  /** The data the options name; the same reading as {@link LoadedRun}'s of the recorded options. */
  private DataChoice dataChoice() {
    java.util.Map<String, String> options = new java.util.HashMap<>();
    options.put("data", data == null ? "" : data);
    options.put("labels", labels == null ? "" : labels);
    options.put("label-column", labelColumn == null ? "" : labelColumn);
    options.put("image-size", imageSize == null ? "" : imageSize);
    options.put("standardize", Boolean.toString(standardize));
    options.put("test-fraction", Double.toString(testFraction));
    return DataChoice.fromOptions(options);
  }

  private DType dtype() {
    return switch (dtype.toLowerCase(java.util.Locale.ROOT)) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      default -> throw new IllegalArgumentException("--dtype must be float32 or float64, got '" + dtype + "'");
    };
  }

  /**
   * Fails before any training, naming the row of the file and the column, if a value of the
   * training data lies outside the likelihood's support.
   */
  private void requireSupport(Likelihood likelihood, RunData runData) {
    DataSet train = runData.train();
    for (int i = 0; i < train.size(); i++) {
      float[] row = train.row(i);
      for (int j = 0; j < row.length; j++) {
        if (!likelihood.support().contains(row[j])) {
          throw likelihood.outsideSupport("--data " + data + " row " + runData.trainRows()[i] + " (from 0, header"
              + " not counted), column " + j, row[j]);
        }
      }
    }
  }

  /** The model the options describe for {@code data}, pictures in their own shape. */
  private ModelSpec modelSpec(DataSet data) {
    int[] shape = data.imageShape().map(p -> new int[] {p.channels(), p.height(), p.width()}).orElse(null);
    return new ModelSpec(data.features(), hidden, latent, Activation.named(activation), likelihood,
        Options.parse(likelihoodOptions).asMap(), variant, Options.parse(variantOptions).asMap(), dtype(), seed,
        network, Options.parse(networkOptions).asMap(), decoderHidden, shape, prior,
        Options.parse(priorOptions).asMap(), posterior, Options.parse(posteriorOptions).asMap());
  }
}
