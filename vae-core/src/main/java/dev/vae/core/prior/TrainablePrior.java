package dev.vae.core.prior;

import dev.vae.api.model.Prior;
import dev.vae.core.nn.Parameter;
import java.util.List;

/** A prior p(z) with parameters of its own, trained with the model and saved in its checkpoints. */
public interface TrainablePrior extends Prior {
  /** The prior's parameters, named "prior.…", in a stable order. */
  List<Parameter> parameters();
}
