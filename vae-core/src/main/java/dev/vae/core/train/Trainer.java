package dev.vae.core.train;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.variant.TrainingClock;
import dev.vae.core.data.Batches;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import dev.vae.core.optim.GradientClipping;
import dev.vae.core.optim.Optimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains any {@link TrainableModel} (the plain VAE with its variant, semi-supervised M2 and M1+M2)
 * with minibatches from a {@link BatchSource}: a learning-rate schedule, gradient clipping,
 * non-finite values caught with the step, term and origin (stop, or skip the batch and halve the
 * rate), every reported term averaged per epoch, measures after each epoch ({@link EpochEvaluation})
 * with early stopping on one of them, and a warning when the posterior collapses. Every random
 * choice derives from the seed, the epoch and the step, so a run resumed at an epoch boundary
 * continues exactly as an uninterrupted one would. Warnings go to the log and to the listeners.
 */
public final class Trainer {
  private static final int MAX_CONSECUTIVE_SKIPS = 10;
  private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

  private final TrainableModel model;
  /** The model's parameters, fixed when it was built; listed once rather than at every step. */
  private final List<Parameter> parameters;
  private final Optimizer optimizer;
  private final TrainerConfig config;
  private final LearningRateSchedule schedule;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final TrainingState state;
  private final CollapseDetector collapse;

  /** A trainer of a plain VAE on {@link TrainerConfig#samples} draws of z per example. */
  public Trainer(Vae vae, Optimizer optimizer, TrainerConfig config) {
    this(vae, optimizer, config, TrainingState.fresh());
  }

  /** A trainer of a plain VAE that continues from a restored state. */
  public Trainer(Vae vae, Optimizer optimizer, TrainerConfig config, TrainingState state) {
    this(new VaeTraining(vae, config.samples()), optimizer, config, state);
  }

  /**
   * A trainer of {@code model} that continues from {@code state} ({@link TrainingState#fresh} for a
   * new run).
   *
   * @throws IllegalArgumentException if the optimizer's learning rate is not the configuration's:
   *     {@link TrainerConfig#learningRate} is the one the schedule starts from, so an optimizer built
   *     with another would be silently overridden
   */
  public Trainer(TrainableModel model, Optimizer optimizer, TrainerConfig config, TrainingState state) {
    if (optimizer.learningRate() != config.learningRate()) {
      throw new IllegalArgumentException("the optimizer's learning rate is " + optimizer.learningRate()
          + " but the trainer's configuration says " + config.learningRate() + "; the configuration's rate is the "
          + "one training uses: build the optimizer with it (e.g. Adam.adam(engine, config.learningRate()))");
    }
    this.model = model;
    this.parameters = model.parameters();
    this.optimizer = optimizer;
    this.config = config;
    this.schedule = LearningRateSchedule.parse(config.schedule(), config.learningRate(), config.epochs());
    this.state = state;
    this.collapse = new CollapseDetector(config.collapsePatience(), state.epochsCollapsed);
  }

  public Trainer addListener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /** Where training stands: next epoch, steps taken, best value of the early-stopping measure. */
  public TrainingState state() {
    return state;
  }

  /** The model being trained. */
  public TrainableModel model() {
    return model;
  }

  /** The optimizer updating the model's parameters. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** How this trainer trains. */
  public TrainerConfig config() {
    return config;
  }

  /**
   * Trains a plain VAE on {@code train}, measuring the latent diagnostics and, with a
   * {@code validation} set (may be null), its ELBO after each epoch, which early stopping watches.
   *
   * @throws IllegalStateException if the model is not a plain VAE
   */
  public List<EpochMetrics> fit(Batches train, Batches validation) {
    if (!(model instanceof VaeTraining vae)) {
      throw new IllegalStateException("fit(Batches, Batches) trains a plain VAE; train " + model.describe()
          + " with fit(BatchSource, EpochEvaluation)");
    }
    return fit(BatchSource.of(train), new VaeEvaluation(vae.vae(), train, validation, config));
  }

  /**
   * Trains on {@code train}, measuring {@code evaluation} after each epoch, until the configured
   * epochs are done or early stopping ends it. Runs the epochs not yet done.
   */
  public List<EpochMetrics> fit(BatchSource train, EpochEvaluation evaluation) {
    if (train.features() != model.dataDimension()) {
      throw new IllegalArgumentException("training data has dimension " + train.features()
          + " but the model expects " + model.dataDimension());
    }
    if (train.batchesPerEpoch() == 0) {
      throw new IllegalArgumentException("the training data '" + train.name() + "' hold no examples");
    }
    if (train.batchSize() != config.batchSize()) {
      throw new IllegalArgumentException("the training batches hold " + train.batchSize() + " examples but the "
          + "trainer's configuration says batch size " + config.batchSize() + "; build the batches with "
          + "config.batchSize()");
    }
    if (config.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement >= config.earlyStoppingPatience()) {
      warn("the run stopped early after epoch " + state.nextEpoch + ": its early-stopping measure had not improved "
          + "for " + config.earlyStoppingPatience() + " epochs; nothing more to train");
      return List.of();
    }
    if (state.nextEpoch < config.epochs()) {
      model.warnings((long) config.epochs() * train.batchesPerEpoch()).forEach(this::warn);
    }
    List<EpochMetrics> history = new ArrayList<>();
    while (state.nextEpoch < config.epochs()) {
      EpochMetrics metrics = runEpoch(train, evaluation, state.nextEpoch);
      history.add(metrics);
      state.nextEpoch++;
      Optional<String> stop = evaluation.selection().flatMap(name -> stopEarly(name, metrics.measured(name)));
      Optional<String> collapsed = collapse.observe(metrics.epoch() - 1, metrics.diagnostics(),
          metrics.train(VaeTraining.KL));
      state.epochsCollapsed = collapse.epochsCollapsed();
      listeners.forEach(l -> l.epochFinished(metrics));
      collapsed.ifPresent(this::warn);
      if (stop.isPresent()) {
        warn("early stopping after epoch " + metrics.epoch() + ": " + stop.get());
        break;
      }
    }
    return history;
  }

  /** Logs a warning, so that it reaches the user even when no listener shows it, and tells the listeners. */
  private void warn(String message) {
    LOG.log(System.Logger.Level.WARNING, message);
    listeners.forEach(l -> l.warning(message));
  }

  /** Why training stops after an epoch whose early-stopping measure {@code name} is {@code value}, if it does. */
  private Optional<String> stopEarly(String name, double value) {
    if (Double.isNaN(value)) {
      return Optional.empty();
    }
    if (value > state.bestMeasure) {
      state.bestMeasure = value;
      state.epochsWithoutImprovement = 0;
      return Optional.empty();
    }
    state.epochsWithoutImprovement++;
    boolean stop = config.earlyStoppingPatience() > 0
        && state.epochsWithoutImprovement >= config.earlyStoppingPatience();
    return stop ? Optional.of(name + " has not improved for " + config.earlyStoppingPatience() + " epochs (best "
        + state.bestMeasure + ")") : Optional.empty();
  }

  private EpochMetrics runEpoch(BatchSource train, EpochEvaluation evaluation, int epoch) {
    long started = System.nanoTime();
    int batches = train.batchesPerEpoch();
    long totalSteps = (long) config.epochs() * batches;
    Rng noise = new Rng(config.seed()).fork(1_000_003L + epoch);
    listeners.forEach(l -> l.epochStarted(epoch + 1, batches));
    EpochSums sums = new EpochSums();
    Skips skips = new Skips();
    try (BatchSource.Epoch epochBatches = train.epoch(epoch)) {
      for (int b = 0; b < batches; b++) {
        optimizer.setLearningRate(schedule.rate(state.step, epoch, batches) * state.learningRateScale);
        try (MemoryScope scope = model.engine().scope()) {
          TrainingBatch batch = epochBatches.batch(b, model.engine(), model.dtype());
          trainBatch(batch, epoch, b, noise, totalSteps, sums, skips);
        }
      }
    }
    EpochEvaluation.Measures measures = evaluation.measure(epoch);
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, double[]> means = sums.means();
    Map<String, double[]> terms = new LinkedHashMap<>(model.derivedTerms(means));
    terms.putAll(means);
    return new EpochMetrics(epoch + 1, state.step, terms, measures.values(), measures.diagnostics(),
        optimizer.learningRate(), seconds, sums.examples / seconds, skips.skipped);
  }

  /**
   * One optimizer step on {@code batch} (inside the caller's memory scope), added to {@code sums};
   * or, when a term or the loss is not finite (or, with clipping on, the gradient's norm), a skipped
   * batch ({@link Skips}).
   */
  private void trainBatch(TrainingBatch batch, int epoch, int b, Rng noise, long totalSteps, EpochSums sums,
      Skips skips) {
    StepObjective objective = model.objective(batch, noise, new TrainingClock(state.step, totalSteps));
    Map<String, double[]> terms = new LinkedHashMap<>();
    String bad = null;
    for (Map.Entry<String, Tensor> term : objective.terms().entrySet()) {
      double[] values = term.getValue().toDoubles();
      terms.put(term.getKey(), values);
      if (bad == null && !allFinite(values)) {
        bad = term.getKey();
      }
    }
    List<Tensor> grads = bad == null ? model.engine().gradients(objective.loss(), leaves(parameters)) : null;
    if (bad == null && config.clipNorm() > 0) {
      double norm = GradientClipping.globalNorm(grads);
      bad = Double.isFinite(norm) ? null : "gradient";
      grads = bad == null && norm > config.clipNorm() ? GradientClipping.clipByGlobalNorm(grads, config.clipNorm())
          : grads;
    }
    if (bad != null) {
      String origin = model.locateNonFinite(batch, new Rng(config.seed()).fork(epoch));
      skips.skip(new NonFiniteValueException(state.step, epoch + 1, bad, origin));
      return;
    }
    skips.stepTaken();
    optimizer.step(parameters, grads);
    model.stepTaken();
    state.step++;
    sums.add(objective.examples(), terms);
    long step = state.step;
    double loss = terms.get(StepObjective.LOSS)[0];
    listeners.forEach(l -> l.batchFinished(epoch + 1, b, step, loss));
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The batches an epoch skipped for a non-finite value: under {@link NonFinitePolicy#STOP}, or after
   * {@value #MAX_CONSECUTIVE_SKIPS} skips in a row, the error stops the run instead.
   */
  private final class Skips {
    private int skipped;
    private int consecutive;

    /** A batch trained normally: the next skip is the first in a row again. */
    void stepTaken() {
      consecutive = 0;
    }

    void skip(NonFiniteValueException error) {
      if (config.nonFinitePolicy() == NonFinitePolicy.STOP || ++consecutive > MAX_CONSECUTIVE_SKIPS) {
        throw error;
      }
      skipped++;
      state.learningRateScale *= 0.5;
      warn(error.getMessage() + "; skipped the batch and halved the learning rate");
    }
  }

  /** Example-weighted sums of a training epoch's batch means, term by term. */
  private static final class EpochSums {
    private int examples;
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    void add(int rows, Map<String, double[]> terms) {
      examples += rows;
      terms.forEach((name, values) -> {
        double[] sum = sums.computeIfAbsent(name, k -> new double[values.length]);
        for (int j = 0; j < values.length; j++) {
          sum[j] += values[j] * rows;
        }
      });
    }

    Map<String, double[]> means() {
      Map<String, double[]> means = new LinkedHashMap<>();
      sums.forEach((name, sum) -> {
        double[] mean = sum.clone();
        for (int j = 0; j < mean.length; j++) {
          mean[j] /= Math.max(1, examples);
        }
        means.put(name, mean);
      });
      return means;
    }
  }

  /** The parameters' current leaves: a non-fused optimizer replaces them at every step. */
  private static List<Tensor> leaves(List<Parameter> params) {
    return params.stream().map(Parameter::tensor).toList();
  }
}
