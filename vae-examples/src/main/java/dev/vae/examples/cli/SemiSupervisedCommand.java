package dev.vae.examples.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import dev.vae.api.DType;
import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.api.variant.Variant;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.Batches;
import dev.vae.core.data.Binarization;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.Mnist;
import dev.vae.core.inject.TrainingModule;
import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.CheckpointStore;
import dev.vae.core.model.Vae;
import dev.vae.core.optim.Optimizer;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.plugin.VariantRegistry;
import dev.vae.core.run.RecordedOptions;
import dev.vae.core.run.RunDirectory;
import dev.vae.core.semisupervised.Inputs;
import dev.vae.core.semisupervised.M1Codes;
import dev.vae.core.semisupervised.SemiSupervised;
import dev.vae.core.semisupervised.SemiSupervisedEvaluation;
import dev.vae.core.semisupervised.SemiSupervisedModel;
import dev.vae.core.semisupervised.SemiSupervisedModule;
import dev.vae.core.semisupervised.SemiSupervisedSplit;
import dev.vae.core.semisupervised.SemiSupervisedTraining;
import dev.vae.core.train.BatchSource;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.TrainingCheckpoints;
import dev.vae.core.train.TrainingState;
import dev.vae.examples.plot.ImageGrid;
import dev.vae.examples.plot.LineChart;
import dev.vae.examples.plot.Png;
import dev.vae.examples.plot.Series;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vae semi-supervised}: M2 or M1+M2 (Kingma et al. 2014) on MNIST with a few labels per
 * class, drawn with the seed; writes the per-epoch metrics, the accuracy curve and class-conditional
 * samples (one row per digit) into the run directory, and a checkpoint after every epoch, from which
 * {@code --resume} continues.
 */
@Command(name = "semi-supervised", mixinStandardHelpOptions = true,
    description = "Semi-supervised M2 or M1+M2 on MNIST with a few labels per class; writes metrics, the accuracy "
        + "curve and class-conditional samples into the run directory.")
final class SemiSupervisedCommand implements Callable<Integer>, TrainingStart.Command<SemiSupervisedCommand> {
  static final String METRICS = "semi-supervised.csv";
  /** The command's name, recorded in its runs. */
  static final String COMMAND = "semi-supervised";
  /** Where runs of earlier versions recorded their options. */
  private static final String CONFIG_PREFIX = "semi-supervised.";
  private static final String LEGACY_M1_STEP = "m1-step";
  private static final String LEGACY_LABELLED_WEIGHT = "labelled-weight";
  /** M1, the trained VAE whose codes M1+M2 models, as the command binds it. */
  private static final Key<Vae> M1 = Key.get(Vae.class, Names.named("m1"));
  /** The checkpoint configuration key of the step of M1's checkpoint that M1+M2 reads. */
  private static final String M1_STEP = "m1.step";

  @Mixin
  RunOptions run = new RunOptions();

  @Option(names = "--model", defaultValue = SemiSupervised.M2,
      description = "m2 (on the pixels) or m1+m2 (on the codes of the VAE in --m1-run) (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--options", defaultValue = "",
      description = "The model's options as key=value,...: alpha, labelled-weight (a number, or balanced: N_l/N_u, "
          + "the default), beta (the weight of z's KL, default 1), hidden, classifier-hidden, latent, "
          + "activation, likelihood, likelihood.<key>, codes (m1+m2: sample or mean).")
  String options;

  @Option(names = "--m1-run", description = "For m1+m2: the `vae train` run whose newest checkpoint is M1.")
  Path m1Run;

  @Option(names = "--labels-per-class", defaultValue = "10",
      description = "Labelled training examples per digit (default: ${DEFAULT-VALUE}).")
  int labelsPerClass;

  @Option(names = "--validation", defaultValue = "10000",
      description = "Training examples held out for validation accuracy (default: ${DEFAULT-VALUE}).")
  int validation;

  @Option(names = "--epochs", defaultValue = "10",
      description = "Passes over the unlabelled data (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "100",
      description = "Unlabelled examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--labelled-batch-size", defaultValue = "100",
      description = "Labelled examples per step (default: ${DEFAULT-VALUE}).")
  int labelledBatchSize;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--binarize", defaultValue = "dynamic",
      description = "How training images become 0/1: none, static or dynamic (default: ${DEFAULT-VALUE}).")
  String binarize;

  @Option(names = "--seed", defaultValue = "1",
      description = "Seed of the labelled subset, the validation set, initialisation and noise (default: "
          + "${DEFAULT-VALUE}).")
  long seed;

  @Spec
  CommandSpec spec;

  @Mixin
  StepOptions step = new StepOptions();

  @Mixin
  ResumeOptions training = new ResumeOptions();

  @Override
  public Integer call() throws Exception {
    return TrainingStart.run(spec, this, run, training, COMMAND, SemiSupervisedCommand::new,
        SemiSupervisedCommand::recordedOptions);
  }

  /** The model with its options, and M1's run where the model needs one. */
  @Override
  public void checkTogether() {
    SemiSupervised variant = variant();
    if (variant.stacked() != (m1Run != null)) {
      throw new IllegalArgumentException(variant.stacked()
          ? "--model m1+m2 needs --m1-run DIR, a run of `vae train` (M1) to take latent codes from"
          : "--m1-run is for --model m1+m2 only; --model " + model + " models the pixels");
    }
  }

  @Override
  public void checkEach() {
    training.check();
    OptionChecks.atLeast("--labels-per-class", labelsPerClass, 1, "");
    OptionChecks.atLeast("--validation", validation, 0, " (0 holds out none)");
    OptionChecks.atLeast("--epochs", epochs, 1, "");
    OptionChecks.atLeast("--batch-size", batchSize, 1, "");
    OptionChecks.atLeast("--labelled-batch-size", labelledBatchSize, 1, "");
    OptionChecks.positive("--lr", learningRate);
    step.check(learningRate, epochs);
    RunData.parseBinarization(binarize);
  }

  /**
   * The options a checkpoint records; a run of an earlier version recorded the same names under
   * {@value #CONFIG_PREFIX}.
   */
  private static Map<String, String> recordedOptions(Checkpoint c) {
    Map<String, String> recorded = RecordedOptions.fromConfig(c.config());
    if (recorded.isEmpty()) {
      c.config().forEach((key, value) -> {
        String name = key.startsWith(CONFIG_PREFIX) ? key.substring(CONFIG_PREFIX.length()) : "";
        if (!name.isEmpty() && !name.equals(LEGACY_M1_STEP) && !name.equals(LEGACY_LABELLED_WEIGHT)) {
          recorded.put(name, value);
        }
      });
    }
    return recorded;
  }

  @Override
  public int train(TrainingStart<SemiSupervisedCommand> start) throws IOException {
    RunDirectory dir = start.dir();
    Optional<Checkpoint> previous = start.previous();
    RecordedOptions.Resolution options = start.options();
    SemiSupervised variant = variant();
    Optional<Checkpoint> m1Checkpoint = variant.stacked() ? Optional.of(m1Checkpoint()) : Optional.empty();
    Map<String, String> runConfig = new LinkedHashMap<>(RecordedOptions.toConfig(options.values()));
    runConfig.put(RunDirectory.COMMAND_KEY, COMMAND);
    m1Checkpoint.ifPresent(c -> runConfig.put(M1_STEP, Long.toString(c.step())));
    if (previous.isPresent()) {
      requireSameM1(previous.get(), runConfig.get(M1_STEP));
      String overrides = RecordedOptions.overridesAfter(previous.get().config(), options.overridden(),
          Math.toIntExact(previous.get().epoch()));
      if (!overrides.isEmpty()) {
        runConfig.put(RecordedOptions.OVERRIDES_KEY, overrides);
      }
      options.overridden().forEach(change -> System.out.println("overriding " + change));
    }
    CheckpointStore store = dir.checkpoints();
    Binarization binarization = RunData.parseBinarization(binarize);
    RunData mnist = RunData.load(run, binarization, seed);
    start.prepare();
    SemiSupervisedSplit split = SemiSupervisedSplit.draw(mnist.train(), labelsPerClass, validation, seed);
    int classes = mnist.train().numClasses();
    int inputDimension = m1Checkpoint.map(c -> TrainingCheckpoints.modelSpec(c).latent())
        .orElse(mnist.train().features());
    double labelledWeight = variant.config().labelledWeight(split.labelled().size(), split.unlabelled().size());
    TrainerConfig config = trainerConfig();
    Injector injector = Composition.injector(run.backend, new SemiSupervisedModule(variant, inputDimension, classes,
        labelledWeight, DType.FLOAT32, seed), new TrainingModule(config), Composition.resumingFrom(previous),
        m1Checkpoint.<com.google.inject.Module>map(c -> new AbstractModule() {
          @Override
          protected void configure() {
            com.google.inject.Provider<Engine> engine = getProvider(Engine.class);
            bind(M1).toProvider(() -> loadM1(c, engine.get())).in(Singleton.class);
            com.google.inject.Provider<Vae> m1 = getProvider(M1);
            OptionalBinder.newOptionalBinder(binder(), Inputs.class).setBinding()
                .toProvider(() -> new M1Codes(m1.get(), variant.config().sampleCodes())).in(Singleton.class);
          }
        }).orElse(binder -> { }));
    Engine engine = injector.getInstance(Engine.class);
    System.out.println(engine.backend().name() + " backend; " + split.labelled().size() + " labelled, "
        + split.unlabelled().size() + " unlabelled and " + split.validation().size() + " validation examples");
    Inputs inputs = injector.getInstance(Inputs.class);
    try (Backend backend = injector.getInstance(Backend.class);
        Vae m1 = m1Checkpoint.isPresent() ? injector.getInstance(M1) : null;
        SemiSupervisedModel m2 = injector.getInstance(SemiSupervisedModel.class);
        Optimizer optimizer = injector.getInstance(TrainingModule.RUN_OPTIMIZER)) {
      System.out.println((m1 == null ? "" : "M1: " + m1.describe() + (variant.config().sampleCodes()
          ? ", codes sampled from q(z1|x) for every batch" : ", codes are posterior means") + "\n") + m2.describe());
      System.out.printf(Locale.ROOT, "alpha %s, labelled bound weighed by %.4g%s%n", variant.config().alpha(),
          labelledWeight, variant.config().labelledWeight().isPresent() ? "" : " (N_l/N_u)");
      Trainer trainer = injector.getInstance(Trainer.class);
      TrainingState state = trainer.state();
      if (previous.isPresent()) {
        System.out.println("resuming after epoch " + state.nextEpoch() + " (step " + state.step() + ")");
      }
      trainer.addListener(new ConsoleProgress(config.epochs(), System.out))
          .addListener(dir.metrics(METRICS, state.nextEpoch())).addListener(dir.warnings(state.nextEpoch()))
          .addListener(new TrainingCheckpoints(store, trainer, runConfig));
      Batches validationBatches = split.validation().size() == 0 ? null
          : evaluation(split.validation(), binarization);
      trainer.fit(BatchSource.paired(batches(split.labelled(), labelledBatchSize, binarization, true),
          batches(split.unlabelled(), batchSize, binarization, true)), new SemiSupervisedEvaluation(m2, inputs,
          validationBatches, evaluation(mnist.test(), binarization), seed));
      MetricsTable history = MetricsTable.read(dir.resolve(METRICS));
      summarise(history);
      if (!training.noPictures) {
        System.out.println("pictures: " + List.of(accuracyCurve(history), classSamples(m2, inputs)));
      }
      System.out.println("report: " + new RunReport(run.run).write());
    }
    return 0;
  }

  private TrainerConfig trainerConfig() {
    return step.apply(TrainerConfig.defaults().toBuilder(), 0).epochs(epochs).batchSize(batchSize)
        .learningRate(learningRate).seed(seed).diagnostics(0, 1).build();
  }

  private SemiSupervised variant() {
    Variant found = VariantRegistry.discover().create(model, Options.parse(options));
    if (!(found instanceof SemiSupervised semiSupervised)) {
      throw new IllegalArgumentException("--model " + model + " is not a semi-supervised model; expected "
          + SemiSupervised.M2 + " or " + SemiSupervised.M1_M2);
    }
    return semiSupervised;
  }

  private Checkpoint m1Checkpoint() throws IOException {
    return RunDirectory.of(m1Run, TrainCommand.COMMAND).newestCheckpoint();
  }

  private Vae loadM1(Checkpoint c, Engine engine) {
    Vae m1 = TrainingCheckpoints.modelSpec(c).build(engine, LikelihoodRegistry.discover(),
        VariantRegistry.discover());
    TrainingCheckpoints.loadParameters(c, m1);
    System.out.println("M1 from " + m1Run + " after " + TrainingCheckpoints.state(c).nextEpoch() + " epochs");
    return m1;
  }

  private Batches batches(DataSet data, int size, Binarization binarization, boolean training) {
    return Batches.of(data).batchSize(size).seed(seed).shuffle(training).binarization(binarization).build();
  }

  /** Fixed batches for accuracy: binarised once with the seed when training data are binary. */
  private Batches evaluation(DataSet data, Binarization binarization) {
    return batches(data, 1000, binarization == Binarization.NONE ? Binarization.NONE : Binarization.STATIC, false);
  }

  /** A resumed M1+M2 run must read the M1 checkpoint it began with. */
  private static void requireSameM1(Checkpoint c, String stepNow) {
    String then = c.config().getOrDefault(M1_STEP, c.config().get(CONFIG_PREFIX + LEGACY_M1_STEP));
    if (!Objects.equals(then, stepNow)) {
      throw new IllegalArgumentException("--resume: the run began with M1's checkpoint of step " + then + " but --m1-run's "
          + "newest checkpoint is now of step " + stepNow + "; resume with the M1 the run began with");
    }
  }

  private static void summarise(MetricsTable history) {
    double[] test = history.column(SemiSupervisedEvaluation.TEST_ACCURACY);
    double seconds = Arrays.stream(history.column("seconds")).sum();
    System.out.printf(Locale.ROOT, "test error %.2f%% after %d epochs (%.0f s of training)%n",
        100 * (1 - test[test.length - 1]), test.length, seconds);
  }

  private Path accuracyCurve(MetricsTable history) throws IOException {
    return Png.write(LineChart.of(model + " on MNIST, " + labelsPerClass + " labels per class (seed " + seed + ")",
        "epoch", "classification error (%)").render(List.of(
            errors("test, q(y|x)", history, SemiSupervisedEvaluation.TEST_ACCURACY),
            errors("validation, q(y|x)", history, SemiSupervisedEvaluation.VALIDATION_ACCURACY),
            errors("labelled training batches, q(y|x)", history, "train_" + SemiSupervisedTraining.LABELLED_ACCURACY),
            errors("test, argmax_y L(x,y)", history, SemiSupervisedEvaluation.TEST_BOUND_ACCURACY))),
        run.run.resolve("accuracy.png"));
  }

  /** The error in percent, 100·(1 − accuracy), of a metrics column, as a series named {@code name}. */
  private static Series errors(String name, MetricsTable history, String accuracyColumn) {
    return new Series(name, Arrays.stream(history.column(accuracyColumn)).map(a -> 100 * (1 - a)).toArray());
  }

  /** Ten MEAN samples per class, one row per digit: z ~ p(z), then E[x | y, z] (through M1 for m1+m2). */
  private Path classSamples(SemiSupervisedModel m2, Inputs inputs) throws IOException {
    int perClass = 10;
    int[] labels = new int[m2.classes() * perClass];
    Arrays.setAll(labels, i -> i / perClass);
    Engine engine = m2.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Rng rng = new Rng(seed).fork(13);
      float[] flat = inputs.toData(m2.generate(labels, SamplingMode.MEAN, rng), SamplingMode.MEAN, rng).toFloats();
      int m = flat.length / labels.length;
      float[][] images = new float[labels.length][];
      for (int i = 0; i < labels.length; i++) {
        images[i] = Arrays.copyOfRange(flat, i * m, (i + 1) * m);
      }
      List<String> rowLabels = new ArrayList<>();
      for (int k = 0; k < m2.classes(); k++) {
        rowLabels.add("y = " + k);
      }
      String title = "MEAN: E[x|y,z], z ~ p(z), one row per class" + (inputs instanceof M1Codes
          ? " (M2's mean code decoded by M1)" : "");
      return Png.write(ImageGrid.of(Mnist.SIDE, Mnist.SIDE).withColumns(perClass).withLabelWidth(60).render(title, rowLabels, images),
          run.run.resolve("class-samples.png"));
    }
  }
}
