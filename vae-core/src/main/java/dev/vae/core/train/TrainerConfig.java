package dev.vae.core.train;

/**
 * How to train: epochs, batch size, learning rate and its schedule, validation split, early
 * stopping, samples of z per example, gradient clipping, what to do about NaN, the latent
 * diagnostics measured after each epoch (on how many examples, and how many epochs of collapse
 * before a warning), and the seed every random choice derives from. Immutable; change a copy with the {@code with...} methods.
 */
public record TrainerConfig(int epochs, int batchSize, double learningRate, String schedule,
    double validationFraction, int earlyStoppingPatience, int samples, double clipNorm,
    NonFinitePolicy nonFinitePolicy, int diagnosticExamples, int collapsePatience, long seed) {

  public TrainerConfig {
    require(epochs >= 1, "epochs must be at least 1, got " + epochs);
    require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
    require(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY,
        "learning rate must be a finite number above 0, got " + learningRate);
    require(validationFraction >= 0 && validationFraction < 1, "validation fraction must be in [0, 1), got "
        + validationFraction);
    require(earlyStoppingPatience >= 0, "early-stopping patience must be >= 0 (0 turns it off), got "
        + earlyStoppingPatience);
    require(samples >= 1, "samples of z per example must be at least 1, got " + samples);
    require(clipNorm >= 0 && clipNorm < Double.POSITIVE_INFINITY,
        "clip norm must be a finite number >= 0 (0 turns clipping off), got " + clipNorm);
    require(diagnosticExamples >= 0, "diagnostic examples must be >= 0 (0 turns diagnostics off), got "
        + diagnosticExamples);
    require(collapsePatience >= 1, "collapse patience must be at least 1 epoch, got " + collapsePatience);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * The classic MNIST set-up: 10 epochs, batch 128, Adam 1e-3, no validation split, diagnostics on
   * 1000 examples with a collapse warning after 3 epochs, seed 1.
   */
  public static TrainerConfig defaults() {
    return new TrainerConfig(10, 128, 1e-3, "constant", 0.0, 0, 1, 0.0, NonFinitePolicy.STOP, 1000, 3, 1);
  }

  /** Flat key/value form for checkpoints. */
  public java.util.Map<String, String> toMap() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("train.epochs", Integer.toString(epochs));
    m.put("train.batch-size", Integer.toString(batchSize));
    m.put("train.learning-rate", Double.toString(learningRate));
    m.put("train.schedule", schedule);
    m.put("train.validation-fraction", Double.toString(validationFraction));
    m.put("train.early-stopping-patience", Integer.toString(earlyStoppingPatience));
    m.put("train.samples", Integer.toString(samples));
    m.put("train.clip-norm", Double.toString(clipNorm));
    m.put("train.non-finite", nonFinitePolicy.name());
    m.put("train.diagnostic-examples", Integer.toString(diagnosticExamples));
    m.put("train.collapse-patience", Integer.toString(collapsePatience));
    m.put("train.seed", Long.toString(seed));
    return m;
  }

  /** Reads what {@link #toMap()} wrote; keys that are absent keep their default. */
  public static TrainerConfig fromMap(java.util.Map<String, String> m) {
    TrainerConfig d = defaults();
    return new TrainerConfig(
        Integer.parseInt(m.getOrDefault("train.epochs", Integer.toString(d.epochs))),
        Integer.parseInt(m.getOrDefault("train.batch-size", Integer.toString(d.batchSize))),
        Double.parseDouble(m.getOrDefault("train.learning-rate", Double.toString(d.learningRate))),
        m.getOrDefault("train.schedule", d.schedule),
        Double.parseDouble(m.getOrDefault("train.validation-fraction", Double.toString(d.validationFraction))),
        Integer.parseInt(m.getOrDefault("train.early-stopping-patience", Integer.toString(d.earlyStoppingPatience))),
        Integer.parseInt(m.getOrDefault("train.samples", Integer.toString(d.samples))),
        Double.parseDouble(m.getOrDefault("train.clip-norm", Double.toString(d.clipNorm))),
        NonFinitePolicy.valueOf(m.getOrDefault("train.non-finite", d.nonFinitePolicy.name())),
        Integer.parseInt(m.getOrDefault("train.diagnostic-examples", Integer.toString(d.diagnosticExamples))),
        Integer.parseInt(m.getOrDefault("train.collapse-patience", Integer.toString(d.collapsePatience))),
        Long.parseLong(m.getOrDefault("train.seed", Long.toString(d.seed))));
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some values of a {@link TrainerConfig}; {@link #build()} validates them together. */
  public static final class Builder {
    private int epochs;
    private int batchSize;
    private double learningRate;
    private String schedule;
    private double validationFraction;
    private int earlyStoppingPatience;
    private int samples;
    private double clipNorm;
    private NonFinitePolicy nonFinitePolicy;
    private int diagnosticExamples;
    private int collapsePatience;
    private long seed;

    private Builder(TrainerConfig c) {
      epochs = c.epochs;
      batchSize = c.batchSize;
      learningRate = c.learningRate;
      schedule = c.schedule;
      validationFraction = c.validationFraction;
      earlyStoppingPatience = c.earlyStoppingPatience;
      samples = c.samples;
      clipNorm = c.clipNorm;
      nonFinitePolicy = c.nonFinitePolicy;
      diagnosticExamples = c.diagnosticExamples;
      collapsePatience = c.collapsePatience;
      seed = c.seed;
    }

    public Builder epochs(int v) { epochs = v; return this; }

    public Builder batchSize(int v) { batchSize = v; return this; }

    public Builder learningRate(double v) { learningRate = v; return this; }

    /** See {@link LearningRateSchedule#parse}. */
    public Builder schedule(String v) { schedule = v; return this; }

    /** Fraction of the training data held out, and epochs without improvement before stopping (0: never). */
    public Builder validation(double fraction, int patience) {
      validationFraction = fraction;
      earlyStoppingPatience = patience;
      return this;
    }

    public Builder samples(int v) { samples = v; return this; }

    public Builder clipNorm(double v) { clipNorm = v; return this; }

    public Builder nonFinitePolicy(NonFinitePolicy v) { nonFinitePolicy = v; return this; }

    /** Examples the latent diagnostics use after each epoch (0: none), and epochs of collapse before a warning. */
    public Builder diagnostics(int examples, int collapseEpochs) {
      diagnosticExamples = examples;
      collapsePatience = collapseEpochs;
      return this;
    }

    public Builder seed(long v) { seed = v; return this; }

    public TrainerConfig build() {
      return new TrainerConfig(epochs, batchSize, learningRate, schedule, validationFraction, earlyStoppingPatience,
          samples, clipNorm, nonFinitePolicy, diagnosticExamples, collapsePatience, seed);
    }
  }
}
