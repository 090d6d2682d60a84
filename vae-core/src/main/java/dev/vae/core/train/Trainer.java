package dev.vae.core.train;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.core.autodiff.Engine;
import dev.vae.api.variant.Objective;
import dev.vae.api.variant.ObjectiveTerms;
import dev.vae.api.variant.TrainingClock;
import dev.vae.api.variant.Variant;
import dev.vae.core.data.BatchPrefetcher;
import dev.vae.core.data.Batches;
import dev.vae.core.eval.LatentDiagnostics;
import dev.vae.core.model.DiagonalGaussianPosterior;
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
 * Trains a {@link Vae} with minibatches on its variant's objective (the plain ELBO unless the model
 * has another variant): seeded shuffling per epoch, a learning-rate schedule, a validation split
 * with early stopping, NaN detection that names the step, term and layer, every term of the
 * objective reported separately, and latent diagnostics after each epoch with a warning when the
 * posterior collapses. Every random choice derives from the seed and the epoch, so a run resumed at
 * an epoch boundary continues exactly as an uninterrupted one would.
 */
public final class Trainer {
  private static final int MAX_CONSECUTIVE_SKIPS = 10;
  private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

  private final Vae vae;
  /** The model's parameters, fixed when it was built; listed once rather than at every step. */
  private final List<Parameter> parameters;
  private final Optimizer optimizer;
  private final TrainerConfig config;
  private final LearningRateSchedule schedule;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final TrainingState state;
  private final CollapseDetector collapse;

  public Trainer(Vae vae, Optimizer optimizer, TrainerConfig config) {
    this(vae, optimizer, config, TrainingState.fresh());
  }

  /**
   * A trainer that continues from a restored state (see {@link TrainingState}).
   *
   * @throws IllegalArgumentException if the optimizer's learning rate is not the configuration's:
   *     {@link TrainerConfig#learningRate} is the one the schedule starts from, so an optimizer built
   *     with another would be silently overridden
   */
  public Trainer(Vae vae, Optimizer optimizer, TrainerConfig config, TrainingState state) {
    if (optimizer.learningRate() != config.learningRate()) {
      throw new IllegalArgumentException("the optimizer's learning rate is " + optimizer.learningRate()
          + " but the trainer's configuration says " + config.learningRate() + "; the configuration's rate is the "
          + "one training uses: build the optimizer with it (e.g. Adam.adam(engine, config.learningRate()))");
    }
    this.vae = vae;
    this.parameters = vae.parameters();
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

  /** Where training stands: next epoch, steps taken, best validation ELBO. */
  public TrainingState state() {
    return state;
  }

  /**
   * Trains on {@code train}, validating on {@code validation} (may be null) after each epoch, until
   * the configured epochs are done or early stopping ends it. Runs the epochs not yet done.
   */
  public List<EpochMetrics> fit(Batches train, Batches validation) {
    if (train.data().features() != vae.dataDimension()) {
      throw new IllegalArgumentException("training data has dimension " + train.data().features()
          + " but the model expects " + vae.dataDimension());
    }
    if (train.data().size() == 0) {
      throw new IllegalArgumentException("the training data '" + train.data().name() + "' hold no examples");
    }
    if (train.batchSize() != config.batchSize()) {
      throw new IllegalArgumentException("the training batches hold " + train.batchSize() + " examples but the "
          + "trainer's configuration says batch size " + config.batchSize() + "; build the batches with "
          + "config.batchSize()");
    }
    if (state.nextEpoch < config.epochs()) {
      long totalSteps = (long) config.epochs() * train.batchesPerEpoch();
      vae.variant().warnings(totalSteps).forEach(this::warn);
    }
    List<EpochMetrics> history = new ArrayList<>();
    while (state.nextEpoch < config.epochs()) {
      EpochMetrics metrics = runEpoch(train, validation, state.nextEpoch);
      history.add(metrics);
      state.nextEpoch++;
      boolean stop = shouldStopEarly(metrics);
      Optional<String> collapsed = collapse.observe(metrics.epoch(), metrics.diagnostics(), metrics.trainKl());
      state.epochsCollapsed = collapse.epochsCollapsed();
      listeners.forEach(l -> l.epochFinished(metrics));
      collapsed.ifPresent(this::warn);
      if (stop) {
        String message = "early stopping after epoch " + (metrics.epoch() + 1) + ": validation ELBO has not improved"
            + " for " + config.earlyStoppingPatience() + " epochs (best " + state.bestValidationElbo + ")";
        warn(message);
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

  private boolean shouldStopEarly(EpochMetrics m) {
    if (Double.isNaN(m.validationElbo())) {
      return false;
    }
    if (m.validationElbo() > state.bestValidationElbo) {
      state.bestValidationElbo = m.validationElbo();
      state.epochsWithoutImprovement = 0;
      return false;
    }
    state.epochsWithoutImprovement++;
    return config.earlyStoppingPatience() > 0 && state.epochsWithoutImprovement >= config.earlyStoppingPatience();
  }

  private EpochMetrics runEpoch(Batches train, Batches validation, int epoch) {
    long started = System.nanoTime();
    int m = vae.dataDimension();
    int batches = train.batchesPerEpoch();
    long totalSteps = (long) config.epochs() * batches;
    float[] buffer = new float[train.batchSize() * m];
    Rng noise = new Rng(config.seed()).fork(1_000_003L + epoch);
    listeners.forEach(l -> l.epochStarted(epoch, batches));
    EpochSums sums = new EpochSums(vae.latentDimension());
    Skips skips = new Skips();
    try (BatchPrefetcher prefetched = new BatchPrefetcher(train, epoch, false)) {
      for (int b = 0; b < batches; b++) {
        int rows = prefetched.fill(b, buffer, null);
        optimizer.setLearningRate(schedule.rate(state.step, epoch, batches) * state.learningRateScale);
        try (MemoryScope scope = vae.engine().scope()) {
          trainBatch(batchTensor(buffer, rows, m), epoch, b, noise, totalSteps, sums, skips);
        }
      }
    }
    LatentDiagnostics diagnostics = diagnose(validation != null ? validation : train, epoch);
    double[] val = validation == null ? new double[] {Double.NaN, Double.NaN, Double.NaN}
        : validate(validation, epoch);
    double seconds = (System.nanoTime() - started) / 1e9;
    int counted = sums.examples;
    return new EpochMetrics(epoch, state.step, (sums.reconstruction - sums.kl) / counted,
        sums.reconstruction / counted, sums.kl / counted, sums.klPerDimension(), sums.loss / counted,
        sums.variantTerms(), diagnostics, val[0], val[1], val[2], optimizer.learningRate(), seconds,
        counted / seconds, skips.skipped);
  }

  /**
   * One optimizer step on batch {@code batch} ({@code x}, inside the caller's memory scope), added
   * to {@code sums}; or, when a term, the loss or the gradient is not finite, a skipped batch
   * ({@link Skips}).
   */
  private void trainBatch(Tensor x, int epoch, int batch, Rng noise, long totalSteps, EpochSums sums, Skips skips) {
    Variant variant = vae.variant();
    DiagonalGaussianPosterior q = vae.encode(x);
    ObjectiveTerms terms = vae.terms(x, q, noise, config.samples());
    Objective objective = variant.objective(terms, new TrainingClock(state.step, totalSteps));
    double recon = terms.reconstruction().mean().item();
    double kl = terms.kl().mean().item();
    double loss = objective.loss().item();
    String bad = !Double.isFinite(recon) ? "reconstruction" : !Double.isFinite(kl) ? "KL"
        : !Double.isFinite(loss) ? "loss of variant " + variant.name() : null;
    List<Tensor> grads = bad == null ? vae.engine().gradients(objective.loss(), leaves(parameters)) : null;
    if (bad == null && config.clipNorm() > 0) {
      double norm = GradientClipping.globalNorm(grads);
      bad = Double.isFinite(norm) ? null : "gradient";
      grads = bad == null && norm > config.clipNorm() ? GradientClipping.clipByGlobalNorm(grads, config.clipNorm())
          : grads;
    }
    if (bad != null) {
      String origin = NonFiniteTracer.trace(vae, x, new Rng(config.seed()).fork(epoch)).orElse("");
      skips.skip(new NonFiniteValueException(state.step, epoch, bad, origin));
      return;
    }
    skips.stepTaken();
    optimizer.step(parameters, grads);
    state.step++;
    sums.add(x.dim(0), recon, kl, loss, terms, objective);
    long step = state.step;
    listeners.forEach(l -> l.batchFinished(epoch, batch, step, recon - kl, kl));
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

  /** Example-weighted sums of a training epoch's batch means. */
  private static final class EpochSums {
    private int examples;
    private double reconstruction;
    private double kl;
    private double loss;
    private final double[] klPerDimension;
    private final Map<String, Double> variantTerms = new LinkedHashMap<>();

    EpochSums(int latentDimension) {
      klPerDimension = new double[latentDimension];
    }

    void add(int rows, double recon, double batchKl, double batchLoss, ObjectiveTerms terms, Objective objective) {
      examples += rows;
      reconstruction += recon * rows;
      kl += batchKl * rows;
      loss += batchLoss * rows;
      double[] perDim = terms.klPerDimension().map(t -> t.mean(0).toDoubles()).orElse(null);
      for (int j = 0; j < klPerDimension.length; j++) {
        klPerDimension[j] += perDim == null ? Double.NaN : perDim[j] * rows;
      }
      objective.reported().forEach((name, value) -> variantTerms.merge(name, value.item() * rows, Double::sum));
    }

    double[] klPerDimension() {
      double[] mean = klPerDimension.clone();
      for (int j = 0; j < mean.length; j++) {
        mean[j] /= Math.max(1, examples);
      }
      return mean;
    }

    Map<String, Double> variantTerms() {
      Map<String, Double> mean = new LinkedHashMap<>();
      variantTerms.forEach((name, sum) -> mean.put(name, sum / Math.max(1, examples)));
      return mean;
    }
  }

  /**
   * Latent diagnostics on the first batches of this epoch's order of {@code data} (binarised as
   * training sees it), about {@link TrainerConfig#diagnosticExamples} examples; none if turned off.
   */
  private LatentDiagnostics diagnose(Batches data, int epoch) {
    int wanted = Math.min(config.diagnosticExamples(), data.data().size());
    if (wanted == 0) {
      return LatentDiagnostics.none(vae.latentDimension());
    }
    int m = vae.dataDimension();
    float[] buffer = new float[data.batchSize() * m];
    float[] rows = new float[(wanted + data.batchSize()) * m];
    int n = 0;
    for (int b = 0; b < data.batchesPerEpoch() && n < wanted; b++) {
      int filled = data.fill(epoch, b, buffer, null);
      System.arraycopy(buffer, 0, rows, n * m, filled * m);
      n += filled;
    }
    n = Math.min(n, wanted);
    return LatentDiagnostics.measure(vae, rows, n, data.batchSize(), new Rng(config.seed()).fork(3_000_003L + epoch));
  }

  /** The parameters' current leaves: a non-fused optimizer replaces them at every step. */
  private static List<Tensor> leaves(List<Parameter> params) {
    return params.stream().map(Parameter::tensor).toList();
  }

  /** ELBO, reconstruction and KL averaged over a data set, without gradients. */
  private double[] validate(Batches data, int epoch) {
    Engine engine = vae.engine();
    int m = vae.dataDimension();
    Rng noise = new Rng(config.seed()).fork(2_000_003L + epoch);
    double recon = 0;
    double kl = 0;
    float[] buffer = new float[data.batchSize() * m];
    try (Engine.NoGrad noGrad = engine.noGrad()) {
      for (int b = 0; b < data.batchesPerEpoch(); b++) {
        int rows = data.fill(epoch, b, buffer, null);
        try (MemoryScope scope = engine.scope()) {
          ObjectiveTerms terms = vae.terms(batchTensor(buffer, rows, m), noise, 1);
          recon += terms.reconstruction().sum().item();
          kl += terms.kl().sum().item();
        }
      }
    }
    int n = data.data().size();
    return new double[] {(recon - kl) / n, recon / n, kl / n};
  }

  /** The first {@code rows} rows of a batch buffer as a tensor of the model's dtype. */
  private Tensor batchTensor(float[] buffer, int rows, int m) {
    float[] values = rows * m == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, rows * m);
    return vae.engine().fromHost(values, Shape.of(rows, m)).cast(vae.dtype());
  }
}
