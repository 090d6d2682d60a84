package dev.vae.core.train;

import dev.vae.api.Rng;
import dev.vae.api.Tensor;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.model.Vae;
import dev.vae.core.nn.Parameter;
import dev.vae.core.posterior.Posterior;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a non-finite value first appears in a VAE's forward pass for one batch: a
 * parameter, an encoder or decoder layer's output, the posterior's parameters, the latent sample
 * or the likelihood. Runs only after a step has gone wrong, so the training loop pays nothing.
 */
final class NonFiniteTracer {
  private NonFiniteTracer() {}

  /** The first non-finite quantity, described, or empty if the forward pass is finite. */
  static Optional<String> trace(Vae vae, Tensor x, Rng rng) {
    for (Parameter p : vae.parameters()) {
      if (!finite(p.tensor())) {
        return Optional.of("parameter " + p.name());
      }
    }
    if (!finite(x)) {
      return Optional.of("the input batch");
    }
    List<String> found = new ArrayList<>();
    try (Engine.NoGrad noGrad = vae.engine().noGrad()) {
      vae.encoder().forward(x, (layer, out) -> note(found, "output of layer " + layer, out));
      if (!found.isEmpty()) {
        return Optional.of(found.get(0));
      }
      Posterior q = vae.encode(x);
      if (!finite(q.base().logVariance().exp())) {
        return Optional.of("posterior variance exp(log σ²) (encoder output too large)");
      }
      Tensor z = q.sample(1, rng).z();
      vae.decoder().forward(z, (layer, out) -> note(found, "output of layer " + layer, out));
      if (!found.isEmpty()) {
        return Optional.of(found.get(0));
      }
      Tensor logLikelihood = vae.likelihood().logProb(vae.decode(z), x);
      if (!finite(logLikelihood)) {
        return Optional.of("log-likelihood of the " + vae.likelihood().name() + " likelihood");
      }
      return Optional.empty();
    }
  }

  private static void note(List<String> found, String what, Tensor t) {
    if (found.isEmpty() && !finite(t)) {
      found.add(what);
    }
  }

  static boolean finite(Tensor t) {
    return t.isFinite().sum().item() == t.shape().size();
  }
}
