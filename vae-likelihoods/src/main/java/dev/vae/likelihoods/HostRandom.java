package dev.vae.likelihoods;

import dev.vae.api.Rng;
import dev.vae.api.backend.HostVariates;
import dev.vae.api.backend.Philox;

/**
 * Random variates drawn on the host for the families whose samplers need rejection (gamma, hence
 * beta, Student-t's chi-square, Poisson and the negative binomial). It draws Philox float64
 * uniforms from a stream of its own, forked from the caller's {@link Rng} at one reserved
 * position, so the caller's stream moves by exactly one element however many proposals are
 * rejected, and the same Rng state always gives the same draws on every backend. Draws made here
 * are constants to the autodiff: samplers that use them are not reparameterised through them. The
 * rejection samplers come from {@link HostVariates}.
 */
final class HostRandom extends HostVariates {
  private final long seed;
  private long position;
  private double spareNormal;
  private boolean hasSpare;

  HostRandom(Rng rng) {
    this.seed = rng.fork(rng.advance(1)).seed();
  }

  /** Uniform in [0, 1). */
  @Override
  public double uniform() {
    return Philox.uniformDouble(seed, position++);
  }

  /** Standard normal (Box–Muller on two uniforms, the second value kept for the next call). */
  @Override
  public double normal() {
    if (hasSpare) {
      hasSpare = false;
      return spareNormal;
    }
    double r = Math.sqrt(-2.0 * Math.log(uniformPositive()));
    double angle = 2.0 * Math.PI * uniform();
    spareNormal = r * Math.sin(angle);
    hasSpare = true;
    return r * Math.cos(angle);
  }
}
