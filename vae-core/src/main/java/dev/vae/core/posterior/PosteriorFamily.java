package dev.vae.core.posterior;

import dev.vae.api.Tensor;
import dev.vae.core.nn.Parameter;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The form of q(z|x) in one model, as a {@link PosteriorProvider} builds it: how many numbers per
 * example it reads from the encoder, how it makes a {@link Posterior} of them, and the parameters it
 * shares across examples (a flow's weights), trained with the model.
 */
public interface PosteriorFamily {
  /** The provider's name, e.g. "iaf". */
  String name();

  /** The encoder's outputs per example that this family reads: 2d for a diagonal Gaussian. */
  int encoderOutputs();

  /**
   * q(z|x) for a batch from the encoder's outputs [n, {@link #encoderOutputs()}], the Gaussian's
   * log-variance (or its diagonal's) through {@code constrainLogVariance}, the variant's constraint.
   */
  Posterior posterior(Tensor encoderOutputs, UnaryOperator<Tensor> constrainLogVariance);

  /** Parameters shared by every example, trained with the model; none unless the family has a flow. */
  default List<Parameter> parameters() {
    return List.of();
  }

  /** The family in a few words for reports, e.g. "diagonal Gaussian with 4 IAF steps". */
  String describe();
}
