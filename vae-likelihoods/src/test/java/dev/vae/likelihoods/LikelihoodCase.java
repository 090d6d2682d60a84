package dev.vae.likelihoods;

import dev.vae.api.Options;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.core.plugin.LikelihoodRegistry;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One row of the likelihood table: how to make the likelihood (its registered name and options),
 * how to draw its unconstrained parameters and valid data, an independently computed reference
 * log-density, its support, values it must reject, 1-D settings for the normalisation, moment,
 * mode and goodness-of-fit checks, and whether its samples are reparameterised.
 *
 * @param label what the row is called in test reports
 * @param name the registered name
 * @param options the provider's options, as on the command line
 * @param raw draws n × (m · outputs per dimension) unconstrained decoder outputs
 * @param data draws {@code count} values inside the support
 * @param reference log p(x_i | θ_i) for each example of a batch, computed without the plugin
 * @param supportText text the support's description must contain
 * @param outside values outside the support, each to be rejected
 * @param settings 1-D parameter settings (m = 1); empty where the density depends on the batch
 * @param reparameterised true if samples are differentiable in the decoder outputs
 * @param sampleSize draws for the moment and goodness-of-fit checks
 */
record LikelihoodCase(String label, String name, String options, Draw raw, Draw data,
    Reference reference, String supportText, double[] outside, List<Setting> settings, boolean reparameterised,
    int sampleSize) {

  /** Draws {@code count} numbers: raw decoder outputs, or values inside the support. */
  interface Draw {
    double[] draw(Random random, int count);
  }

  /**
   * The reference log-density of each example: {@code raw[i]} the i-th row of decoder outputs,
   * {@code own} the likelihood's own parameters by name, {@code x[i]} the i-th data row.
   */
  interface Reference {
    double[] logDensity(double[][] raw, Map<String, double[]> own, double[][] x, int m);
  }

  /**
   * Parameters for m = 1: the decoder outputs of one value and the own parameters, and where the
   * mass lies.
   */
  record Setting(String label, double[] raw, Map<String, double[]> own, Domain domain) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** The likelihood of this row over m dimensions, made through the registry by name. */
  Likelihood create(int m) {
    return LikelihoodRegistry.discover().create(name, m, Options.parse(options));
  }

  @Override
  public String toString() {
    return label;
  }
}
