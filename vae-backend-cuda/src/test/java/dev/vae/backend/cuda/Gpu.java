package dev.vae.backend.cuda;

import dev.vae.api.backend.Probe;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The GPU tests' gate ({@code @ExtendWith(Gpu.class)}): a test class runs where the provider finds
 * a usable CUDA device and is skipped elsewhere, reported with "no CUDA device: " and the probe's
 * reason.
 */
final class Gpu implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Probe probe = new CudaBackendProvider().probe();
    return probe.available()
        ? ConditionEvaluationResult.enabled("CUDA device: " + probe.reason())
        : ConditionEvaluationResult.disabled("no CUDA device: " + probe.reason());
  }
}
