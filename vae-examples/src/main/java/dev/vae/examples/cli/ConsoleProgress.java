package dev.vae.examples.cli;

import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar per epoch with ETA and the running ELBO and KL (only on a terminal: in a
 * log file it would be noise), then one summary line per epoch with every term and the throughput.
 */
final class ConsoleProgress implements TrainingListener {
  private final int epochs;
  private final PrintStream out;
  private ProgressBar bar;
  private double elboSum;
  private double klSum;
  private int batches;

  private final boolean interactive;

  ConsoleProgress(int epochs, PrintStream out) {
    this.epochs = epochs;
    this.out = out;
    this.interactive = System.console() != null;
  }

  @Override
  public void epochStarted(int epoch, int batchCount) {
    elboSum = 0;
    klSum = 0;
    batches = 0;
    if (!interactive) {
      return;
    }
    bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
        .setInitialMax(batchCount).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
        .setMaxRenderedLength(110).continuousUpdate().build();
  }

  @Override
  public void batchFinished(int epoch, int batch, long step, double elbo, double kl) {
    elboSum += elbo;
    klSum += kl;
    batches++;
    if (bar == null) {
      return;
    }
    bar.step();
    bar.setExtraMessage(String.format(Locale.ROOT, "ELBO %.2f  KL %.2f", elboSum / batches, klSum / batches));
  }

  @Override
  public void epochFinished(EpochMetrics m) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    out.printf(Locale.ROOT, "epoch %3d  ELBO %9.3f  reconstruction %9.3f  KL %8.3f%s%s  %.1f s  %.0f examples/s%n",
        m.epoch() + 1, m.trainElbo(), m.trainReconstruction(), m.trainKl(),
        m.diagnostics().measured() ? String.format(Locale.ROOT, "  active %d/%d  I(x;z) %.2f",
            m.diagnostics().activeUnits(), m.diagnostics().dimension(), m.diagnostics().mutualInformation()) : "",
        Double.isNaN(m.validationElbo()) ? "" : String.format(Locale.ROOT, "  validation ELBO %9.3f", m.validationElbo()),
        m.seconds(), m.examplesPerSecond());
  }
}
