package dev.vae.examples.cli;

import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.TrainingListener;
import dev.vae.core.train.VaeTraining;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar per epoch with ETA and the running loss (only on a terminal: in a log
 * file it would be noise), then one summary line per epoch with every scalar term the model
 * reported, the latent diagnostics, every measure taken after the epoch and the throughput.
 */
final class ConsoleProgress implements TrainingListener {
  private final int epochs;
  private final PrintStream out;
  private final boolean interactive;
  private ProgressBar bar;
  private double lossSum;
  private int batches;

  ConsoleProgress(int epochs, PrintStream out) {
    this.epochs = epochs;
    this.out = out;
    this.interactive = System.console() != null;
  }

  @Override
  public void epochStarted(int epoch, int batchCount) {
    lossSum = 0;
    batches = 0;
    if (!interactive) {
      return;
    }
    bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
        .setInitialMax(batchCount).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
        .setMaxRenderedLength(110).continuousUpdate().build();
  }

  @Override
  public void batchFinished(int epoch, int batch, long step, double loss) {
    lossSum += loss;
    batches++;
    if (bar == null) {
      return;
    }
    bar.step();
    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f", lossSum / batches));
  }

  @Override
  public void epochFinished(EpochMetrics m) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %3d", m.epoch()));
    m.train().forEach((name, values) -> {
      if (values.length == 1) {
        line.append(String.format(Locale.ROOT, "  %s %.3f", name, values[0]));
      } else if (name.equals(VaeTraining.KL_PER_LAYER)) {
        line.append("  kl per layer ").append(Arrays.stream(values)
            .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).collect(Collectors.joining(" / ")));
      }
    });
    if (m.diagnostics().measured()) {
      line.append(String.format(Locale.ROOT, "  active %d/%d  I(x;z) %.2f", m.diagnostics().activeUnits(),
          m.diagnostics().dimension(), m.diagnostics().mutualInformation()));
    }
    m.measured().forEach((name, value) -> {
      if (name.startsWith("active_units") && !Double.isNaN(value)) {
        line.append(String.format(Locale.ROOT, "  %s %d", name, Math.round(value)));
      } else if (!Double.isNaN(value)) {
        line.append(String.format(Locale.ROOT, "  %s %.3f", name, value));
      }
    });
    out.println(line.append(String.format(Locale.ROOT, "  %.1f s  %.0f examples/s", m.seconds(),
        m.examplesPerSecond())));
  }
}
