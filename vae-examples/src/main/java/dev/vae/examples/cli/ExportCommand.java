package dev.vae.examples.cli;

import dev.vae.core.io.Checkpoint;
import dev.vae.core.io.PyTorchExport;
import dev.vae.core.plugin.LikelihoodRegistry;
import dev.vae.core.run.RunDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vae export --format pytorch}: the newest checkpoint of a {@code vae train} run as one
 * safetensors file under PyTorch's module names and layouts; {@link PyTorchExport} does the
 * mapping.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {
        "Write the newest checkpoint of a `vae train` run as one safetensors file that",
        "loads into the equivalent PyTorch modules (safetensors.torch.load_file, then",
        "load_state_dict). Weights are transposed to nn.Linear's [out, in]. With L",
        "hidden layers, d latent dimensions and act the activation:",
        "  encoder.i.*, i < L      -> enc.(2i).*   enc = Sequential(Linear, act, ...)",
        "  encoder.L.*, columns    -> fc_mu.*      Linear(hL, d): the mean",
        "    0..d-1 and d..2d-1    -> fc_logvar.*  Linear(hL, d): the log-variance",
        "  decoder.i.*, i <= L     -> dec.(2i).*   dec = Sequential(Linear, act, ...)",
        "  the likelihood's own parameters and estimates keep their names",
        "  (e.g. gaussian.rho).",
        "The metadata describes the model and each torch module (torch.enc, ...).",
        "Runs of other commands (semi-supervised) are refused."})
final class ExportCommand implements Callable<Integer> {
  /** The formats there are. */
  enum Format { pytorch }

  @Option(names = "--format", required = true, description = "The format: ${COMPLETION-CANDIDATES}.")
  Format format;

  @Option(names = "--run", paramLabel = "RUN", defaultValue = "runs/mnist", description = "Run directory of `vae train` "
      + "(default: ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--out", paramLabel = "FILE",
      description = "The file to write (default: RUN/pytorch.safetensors); replaced atomically if it exists.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Checkpoint c = RunDirectory.of(run, TrainCommand.COMMAND).newestCheckpoint();
    PyTorchExport export = PyTorchExport.of(c, LikelihoodRegistry.discover());
    Path file = out != null ? out : run.resolve("pytorch.safetensors");
    export.write(file);
    System.out.println("wrote " + file + ": " + export.metadata().get("model") + ", checkpoint of step " + c.step()
        + ", " + export.tensors().size() + " tensors as PyTorch modules");
    for (String module : PyTorchExport.MODULES) {
      System.out.println("  " + module + " = " + export.metadata().get("torch." + module));
    }
    for (String kind : new String[] {"parameters", "estimates"}) {
      String names = export.metadata().get("likelihood." + kind);
      if (!names.isEmpty()) {
        System.out.println("  likelihood " + kind + ": " + names);
      }
    }
    return 0;
  }
}
