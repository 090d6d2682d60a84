package dev.vae.core.train;

import dev.vae.core.eval.LatentDiagnostics;
import java.util.Locale;
import java.util.Optional;

/**
 * Watches the latent diagnostics epoch by epoch for posterior collapse, the named condition "no
 * active unit": Cov_x E_q[z_j|x] at most {@value LatentDiagnostics#ACTIVE_UNIT_THRESHOLD} on every
 * latent dimension, so the decoder ignores z. When it has held for {@code patience} epochs in a row
 * it returns a warning with what to change; it warns once per episode, again only after the
 * posterior has recovered and collapsed anew.
 */
public final class CollapseDetector {
  private final int patience;
  private int epochsCollapsed;

  public CollapseDetector(int patience) {
    this(patience, 0);
  }

  /** A detector that goes on counting from {@code epochsCollapsed} epochs in a row (a resumed run). */
  public CollapseDetector(int patience, int epochsCollapsed) {
    if (patience < 1) {
      throw new IllegalArgumentException("collapse patience must be at least 1 epoch, got " + patience);
    }
    if (epochsCollapsed < 0) {
      throw new IllegalArgumentException("epochs collapsed so far must be >= 0, got " + epochsCollapsed);
    }
    this.patience = patience;
    this.epochsCollapsed = epochsCollapsed;
  }

  /** Epochs in a row, up to the latest observed, with no active unit. */
  public int epochsCollapsed() {
    return epochsCollapsed;
  }

  /** Feeds one epoch's diagnostics; a warning when the condition has just held for the patience. */
  public Optional<String> observe(int epoch, LatentDiagnostics diagnostics, double meanKl) {
    if (!diagnostics.measured()) {
      return Optional.empty();
    }
    epochsCollapsed = diagnostics.activeUnits() == 0 ? epochsCollapsed + 1 : 0;
    if (epochsCollapsed != patience) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "posterior collapse: no active latent unit for %d epochs "
        + "(through epoch %d; KL %.3f nats per example, I(x; z) ≈ %.3f nats): the decoder ignores z. Lower beta, "
        + "warm the KL up (--variant beta with schedule=linear or cyclical), set a floor on the KL (--variant "
        + "free-bits, or --variant delta, which keeps KL ≥ delta per dimension by construction), or weaken the "
        + "decoder", patience, epoch + 1, meanKl, diagnostics.mutualInformation()));
  }
}
