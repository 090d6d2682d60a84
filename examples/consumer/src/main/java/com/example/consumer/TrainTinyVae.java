package com.example.consumer;

import dev.vae.api.Options;
import dev.vae.api.Rng;
import dev.vae.api.backend.Backend;
import dev.vae.api.likelihood.Likelihood;
import dev.vae.core.autodiff.Engine;
import dev.vae.core.backend.BackendRegistry;
import dev.vae.core.data.Batches;
import dev.vae.core.data.DataSet;
import dev.vae.core.data.SyntheticData;
import dev.vae.core.model.Vae;
import dev.vae.core.model.VaeBuilder;
import dev.vae.core.optim.Adam;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.train.EpochMetrics;
import dev.vae.core.train.Trainer;
import dev.vae.core.train.TrainerConfig;
import dev.vae.core.train.VaeTraining;
import java.util.List;
import java.util.Locale;

/**
 * Trains a small VAE (8-16-2-16-8, Gaussian likelihood with a learned sigma) for a few epochs on
 * 2000 points drawn from a random probabilistic PCA model, and prints each epoch's ELBO.
 * Usage: {@code java -jar target/vae-consumer.jar [epochs]} (default 2).
 */
public final class TrainTinyVae {
  private TrainTinyVae() {}

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int dimension = 8;
    DataSet data = SyntheticData.ppca(2000, dimension, 2, 0.3, new Rng(1)).data();

    // The backend and the likelihood are found on the classpath (vae-backend-cpu, vae-likelihoods).
    try (Backend backend = BackendRegistry.discover().create()) {
      Engine engine = new Engine(backend);
      Likelihood likelihood =
          LikelihoodRegistry.discover().create("gaussian", dimension, Options.parse("sigma=learned"));
      TrainerConfig config = TrainerConfig.defaults().toBuilder()
          .epochs(epochs).batchSize(100).learningRate(1e-2).seed(1).build();
      Batches batches = Batches.of(data).batchSize(config.batchSize()).seed(config.seed()).build();
      try (Vae vae = new VaeBuilder(engine).likelihood(likelihood).hidden(16).latent(2).seed(1).build();
          Adam adam = Adam.adam(engine, config.learningRate())) {
        List<EpochMetrics> history = new Trainer(vae, adam, config).fit(batches, null);
        for (EpochMetrics epoch : history) {
          System.out.printf(Locale.ROOT, "epoch %d: ELBO %.4f nats per example (%s backend)%n",
              epoch.epoch(), epoch.train(VaeTraining.ELBO), backend.name());
        }
      }
    }
  }
}
