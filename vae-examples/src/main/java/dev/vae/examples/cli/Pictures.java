package dev.vae.examples.cli;

import dev.vae.api.Rng;
import dev.vae.api.Shape;
import dev.vae.api.Tensor;
import dev.vae.api.backend.MemoryScope;
import dev.vae.api.model.SamplingMode;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.ImageShape;
import dev.vae.core.eval.Evaluation;
import dev.vae.core.eval.Pca;
import dev.vae.core.io.AtomicFiles;
import dev.vae.core.model.Vae;
import dev.vae.core.posterior.Posterior;
import dev.vae.core.train.VaeTraining;
import dev.vae.examples.plot.BarChart;
import dev.vae.examples.plot.GridAxis;
import dev.vae.examples.plot.ImageGrid;
import dev.vae.examples.plot.LatentScatter;
import dev.vae.examples.plot.Png;
import dev.vae.examples.plot.Series;
import dev.vae.examples.plot.Spread;
import dev.vae.examples.plot.TrainingCurves;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pictures of a trained MNIST model, written as PNG into the run directory: samples in both
 * modes side by side from the same z, ancestral samples beside another model's from the same z,
 * originals above reconstructions, the latent space coloured by digit with the posterior's ±1σ
 * ellipses, the decoded manifold when d = 2, latent traversals, training curves, KL per latent
 * dimension and the latent diagnostics (active units, mutual information, KL per dimension) per
 * epoch.
 */
final class Pictures {
  /** How many test images the KL that orders the traversal rows is measured on. */
  static final int TRAVERSAL_KL_IMAGES = 1000;
  /** How many points of the latent scatter plot get the ±1σ ellipse of their posterior. */
  static final int SPREADS_SHOWN = 80;

  private final Path dir;
  private final Vae vae;
  private final RunData data;
  private final long seed;

  Pictures(Path dir, Vae vae, RunData data, long seed) {
    this.dir = dir;
    this.vae = vae;
    this.data = data;
    this.seed = seed;
  }

  /** True when the run's data are grey or colour (RGB) pictures, which is what these pictures show. */
  static boolean drawable(RunData data) {
    return data.train().imageShape().filter(Pictures::drawable).isPresent();
  }

  private static boolean drawable(ImageShape shape) {
    return shape.channels() == 1 || shape.channels() == 3;
  }

  /** A grid of pictures the shape of the run's examples. */
  private ImageGrid pictures() {
    ImageShape shape = data.train().imageShape().filter(Pictures::drawable)
        .orElseThrow(() -> new IllegalArgumentException("this picture draws examples as grey or colour pictures, and"
            + " the run's data '" + data.train().name() + "' are " + data.train().imageShape()
            .map(image -> image + " pictures").orElse("not pictures")
            + "; vae sample, reconstruct and encode write tables instead"));
    return ImageGrid.of(shape.channels(), shape.height(), shape.width());
  }

  /**
   * Writes every picture; the curves come from the run's metrics file. Data that are not grey
   * or colour pictures get their samples and reconstructions as tables, and no manifold or traversals.
   */
  void writeAll(Path metricsFile) throws IOException {
    List<Path> written = new ArrayList<>();
    written.add(samples(64));
    written.add(reconstructions(16));
    written.add(latent(2000));
    if (vae.latentDimension() == 2 && drawable(data)) {
      written.add(manifold(20));
    }
    if (Files.exists(metricsFile) && metricsFile.toString().endsWith(".csv")) {
      written.addAll(curves(metricsFile));
    }
    if (drawable(data)) {
      written.add(traversals(10, 11));
    }
    System.out.println("pictures: " + written);
  }

  /** samples.png, or samples.csv when the data are not pictures (see {@link #samplesImage}). */
  Path samples(int n) throws IOException {
    if (!drawable(data)) {
      return drawSamples(n).writeTable(dir.resolve("samples.csv"), "ancestral", "mean");
    }
    return Png.write(samplesImage(n, 8), dir.resolve("samples.png"));
  }

  /** n samples in both modes from the same z, side by side, in grids {@code columns} wide. */
  BufferedImage samplesImage(int n, int columns) {
    Paired samples = drawSamples(n);
    return grid().withColumns(columns).samplesSideBySide("ANCESTRAL: x ~ p(x|z), z ~ p(z)", samples.first(),
        "MEAN: E[x|z] for the same z", samples.second());
  }

  /** ANCESTRAL samples x ~ p(x|z) and MEAN decodings E[x|z] of the same n draws z ~ p(z). */
  private Paired drawSamples(int n) {
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Rng rng = new Rng(seed).fork(11);
      Tensor z = vae.prior().sample(n, vae.latentDimension(), engine, vae.dtype(), rng);
      return new Paired(rows(vae.generate(z, SamplingMode.ANCESTRAL, rng), n),
          rows(vae.generate(z, SamplingMode.MEAN, rng), n));
    }
  }

  /** Examples of two kinds, row by row: samples in both modes, or originals and reconstructions. */
  private record Paired(float[][] first, float[][] second) {
    /**
     * Both kinds as CSV: a column naming the kind, then the values x_1 … x_m (in standardised units
     * when the run standardised its data).
     */
    Path writeTable(Path file, String firstKind, String secondKind) throws IOException {
      StringBuilder out = new StringBuilder("kind");
      for (int j = 1; j <= first[0].length; j++) {
        out.append(",x_").append(j);
      }
      out.append('\n');
      append(out, firstKind, first);
      append(out, secondKind, second);
      AtomicFiles.writeString(file, out.toString());
      return file;
    }

    private static void append(StringBuilder out, String kind, float[][] rows) {
      for (float[] row : rows) {
        out.append(kind);
        for (float v : row) {
          out.append(',').append(v);
        }
        out.append('\n');
      }
    }
  }

  /**
   * samples-beside.png: ANCESTRAL samples x ~ p(x|z) of this model (left) and of {@code other}
   * (right), decoded from the same n draws z ~ p(z) with the same noise stream, so the two
   * likelihoods are compared on equal terms. The models need the same latent dimension.
   */
  Path samplesBeside(int n, String title, Vae other, String otherTitle) throws IOException {
    int d = vae.latentDimension();
    if (other.latentDimension() != d) {
      throw new IllegalArgumentException("samples beside another run need the same latent dimension: " + title
          + " has " + d + ", " + otherTitle + " has " + other.latentDimension());
    }
    double[] z;
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      z = vae.prior().sample(n, d, engine, vae.dtype(), new Rng(seed).fork(11)).toDoubles();
    }
    return Png.write(grid().samplesSideBySide("ANCESTRAL x ~ p(x|z): " + title, ancestral(vae, z, n),
        "ANCESTRAL x ~ p(x|z): " + otherTitle, ancestral(other, z, n)), dir.resolve("samples-beside.png"));
  }

  /** Ancestral samples of {@code model} at the n latent points {@code z} (row-major [n, d]). */
  private float[][] ancestral(Vae model, double[] z, int n) {
    Engine engine = model.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor points = engine.fromHost(z, Shape.of(n, model.latentDimension()), model.dtype());
      return rows(model.generate(points, SamplingMode.ANCESTRAL, new Rng(seed).fork(13)), n);
    }
  }

  /** reconstructions.png, or reconstructions.csv when the data are not pictures. */
  Path reconstructions(int n) throws IOException {
    if (!drawable(data)) {
      return reconstruct(n).writeTable(dir.resolve("reconstructions.csv"), "original", "reconstruction");
    }
    return Png.write(reconstructionsImage(n), dir.resolve("reconstructions.png"));
  }

  /** The first n test images above their MEAN reconstructions from the posterior mean. */
  BufferedImage reconstructionsImage(int n) {
    Paired examples = reconstruct(n);
    return pictures().withColumns(n).withScale(2).originalsAboveReconstructions(examples.first(), examples.second(),
        "test images (top) and MEAN reconstructions from the posterior mean (bottom)");
  }

  /** The first n test examples and their MEAN reconstructions from the posterior mean. */
  private Paired reconstruct(int asked) {
    DataSet test = data.evaluationTest();
    int n = Math.min(asked, test.size());
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      float[] batch = new float[n * test.features()];
      test.copyRows(RunData.positions(n), batch);
      Tensor x = engine.fromHost(batch, Shape.of(n, test.features())).cast(vae.dtype());
      return new Paired(split(batch, n), rows(vae.reconstruct(x, SamplingMode.MEAN, new Rng(seed).fork(12)), n));
    }
  }

  Path latent(int n) throws IOException {
    return Png.write(latentImage(n), dir.resolve("latent.png"));
  }

  /**
   * Posterior means of n test images coloured by digit, with the ±1σ ellipse of q(z|x) around the
   * first {@value #SPREADS_SHOWN}; when d > 2 the means and the covariances are both projected on
   * the first two principal components of the means.
   */
  BufferedImage latentImage(int n) {
    DataSet test = data.evaluationTest();
    int count = Math.min(n, test.size());
    EncodedImages q = EncodedImages.of(vae, test, count);
    int[] labels = test.hasLabels() ? Arrays.copyOf(test.labels(), count) : new int[count];
    int d = vae.latentDimension();
    Spread[] spreads = new Spread[count];
    String title = "q(z|x): means of " + count + " test images, ±1σ of " + Math.min(SPREADS_SHOWN, count);
    LatentScatter scatter = LatentScatter.of();
    if (d == 2) {
      for (int i = 0; i < Math.min(SPREADS_SHOWN, count); i++) {
        spreads[i] = new Spread(q.variances()[i][0], q.variances()[i][1], 0);
      }
      return scatter.render(title, "z1", "z2", q.means(), spreads, labels);
    }
    Pca pca = Pca.fit(q.means(), 2);
    for (int i = 0; i < Math.min(SPREADS_SHOWN, count); i++) {
      spreads[i] = Spread.projected(q.variances()[i], pca.component(0), pca.component(1));
    }
    return scatter.render(title + " (PCA of d = " + d + ")", LatentScatter.axisLabel(pca, 0),
        LatentScatter.axisLabel(pca, 1), pca.project(q.means()), spreads, labels);
  }

  /**
   * Latent traversals: for the {@code dimensions} latent dimensions with the largest KL on the first
   * {@value #TRAVERSAL_KL_IMAGES} test images (fewer when the test set is smaller; with a prior that
   * has no closed-form KL, the largest variance of the posterior means), one row each, largest
   * first, decoder means of the first test image's posterior mean with that one dimension swept over
   * {@code steps} values from −3 to 3. {@code vae train} and {@code vae traverse} both
   * draw it, so the order never depends on which of them did.
   */
  Path traversals(int dimensions, int steps) throws IOException {
    int d = vae.latentDimension();
    int n = Math.min(TRAVERSAL_KL_IMAGES, data.evaluationTest().size());
    Evaluation.Report report = Evaluation.run(vae, data.firstTestImages(n), n, 100, 0, 1, null,
        new Rng(seed).fork(99));
    double[] klPerDimension = report.klPerDimension();
    // A prior without a closed-form KL gives none per dimension: rank by how much the posterior means vary instead.
    boolean byKl = Arrays.stream(klPerDimension).noneMatch(Double::isNaN);
    double[] score = byKl ? klPerDimension : report.latent().posteriorMeanVariance();
    String measure = byKl ? "KL" : "Var E[z|x]";
    Integer[] order = new Integer[d];
    Arrays.setAll(order, j -> j);
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    int shown = Math.min(dimensions, d);
    double[] start = firstPointEstimate();
    double[] codes = new double[shown * steps * d];
    List<String> labels = new ArrayList<>();
    for (int r = 0; r < shown; r++) {
      int j = order[r];
      labels.add(String.format(java.util.Locale.ROOT, "z%d (%s %.2f)", j + 1, measure, score[j]));
      for (int c = 0; c < steps; c++) {
        int row = r * steps + c;
        System.arraycopy(start, 0, codes, row * d, d);
        codes[row * d + j] = -3 + 6.0 * c / (steps - 1);
      }
    }
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor z = engine.fromHost(codes, Shape.of(shown * steps, d), vae.dtype());
      float[][] images = rows(vae.generate(z, SamplingMode.MEAN, new Rng(seed)), shown * steps);
      return Png.write(pictures().withColumns(steps).withScale(2).render(
          "traversals of the first test image's posterior mean, one dimension from -3 to 3; rows by " + measure
              + " on " + n + " test images", labels, images), dir.resolve("traversals.png"));
    }
  }

  /** The first test example's latent code ({@link Posterior#pointEstimate}: through the flows when it has them). */
  private double[] firstPointEstimate() {
    Engine engine = vae.engine();
    try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
      Tensor x = engine.fromHost(data.firstTestImages(1), Shape.of(1, vae.dataDimension())).cast(vae.dtype());
      return vae.encode(x).pointEstimate().toDoubles();
    }
  }

  Path manifold(int n) throws IOException {
    Engine engine = vae.engine();
    GridAxis z1 = new GridAxis("z1", -3, 3);
    GridAxis z2 = new GridAxis("z2", -3, 3);
    return Png.write(grid().manifold("decoder means E[x|z] over a grid of z", n, z1, z2, (h, v) -> {
      try (Engine.NoGrad noGrad = engine.noGrad(); MemoryScope scope = engine.scope()) {
        Tensor z = engine.fromHost(new double[] {h, v}, Shape.of(1, 2), vae.dtype());
        return vae.generate(z, SamplingMode.MEAN, new Rng(seed)).toFloats();
      }
    }), dir.resolve("manifold.png"));
  }

  List<Path> curves(Path metricsFile) throws IOException {
    MetricsTable table = MetricsTable.read(metricsFile);
    Path curves = Png.write(TrainingCurves.of().renderElbo(table.column("train_elbo"), table.column("validation_elbo"),
        table.column("train_reconstruction"), table.column("validation_reconstruction"), table.column("train_kl"),
        table.column("validation_kl")), dir.resolve("curves.png"));
    double[] klPerDim = table.lastRowPrefixed(VaeTraining.KL_PER_DIMENSION);
    int layers = 1 + table.lastRowPrefixed("active_units_layer").length;
    List<Series> active = new ArrayList<>(List.of(new Series(layers == 1 ? "active units" : "layer 1 (z)",
        table.column("active_units"))));
    List<Series> information = new ArrayList<>(List.of(new Series("I(x; z)", table.column("mutual_information"))));
    // A model with layers above z: theirs beside z's, layer 2 on.
    for (int l = 2; l <= layers; l++) {
      active.add(new Series("layer " + l, table.column("active_units_layer" + l)));
      information.add(new Series("I(x; z" + l + ")", table.column("mutual_information_layer" + l)));
    }
    List<TrainingCurves.Panel> panels = new ArrayList<>(List.of(
        new TrainingCurves.Panel("active units (Cov_x E[z_j|x] > 0.01)", "units", active),
        new TrainingCurves.Panel("mutual information I(x; z)", "nats", information)));
    List<Path> written = new ArrayList<>(List.of(curves));
    // A prior without a closed-form KL (mixture, VampPrior) gives no KL per dimension: no chart of it.
    if (klPerDim.length > 0) {
      written.add(Png.write(BarChart.of("KL per latent dimension, last epoch (nats)", "latent dimension", "KL")
          .render(klPerDim), dir.resolve("kl-per-dimension.png")));
      List<Series> perDimension = new ArrayList<>();
      for (int j = 0; j < klPerDim.length; j++) {
        perDimension.add(new Series("z" + (j + 1), table.column(VaeTraining.KL_PER_DIMENSION + (j + 1))));
      }
      panels.add(new TrainingCurves.Panel("KL per latent dimension", "nats", perDimension));
    }
    double[] klPerLayer = table.lastRowPrefixed(VaeTraining.KL_PER_LAYER);
    if (klPerLayer.length > 0) {
      List<Series> perLayer = new ArrayList<>();
      for (int l = 0; l < klPerLayer.length; l++) {
        perLayer.add(new Series("layer " + (l + 1), table.column(VaeTraining.KL_PER_LAYER + (l + 1))));
      }
      panels.add(new TrainingCurves.Panel("KL per stochastic layer (z, then the layers above)", "nats", perLayer));
    }
    written.add(Png.write(TrainingCurves.of().render(panels), dir.resolve("diagnostics.png")));
    return written;
  }

  private double[][] posteriorMeans(DataSet data, int count) {
    return EncodedImages.of(vae, data, count).means();
  }

  private ImageGrid grid() {
    return pictures().withColumns(8).withScale(2);
  }

  private static float[][] rows(Tensor images, int n) {
    return split(images.toFloats(), n);
  }

  private static float[][] split(float[] flat, int n) {
    int m = flat.length / n;
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(flat, i * m, (i + 1) * m);
    }
    return out;
  }

}
