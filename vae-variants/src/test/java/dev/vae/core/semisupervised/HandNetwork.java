package dev.vae.core.semisupervised;

import dev.vae.core.nn.Parameter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * M2 with a Bernoulli likelihood and softplus activations, evaluated in plain double arithmetic from
 * a model's parameter values: the independent route the objective tests compare with.
 */
final class HandNetwork {
  private final Map<String, double[]> p = new HashMap<>();
  private final Map<String, int[]> shape = new HashMap<>();
  private final int classes;
  private final int latent;

  HandNetwork(List<Parameter> parameters, int classes, int latent) {
    for (Parameter parameter : parameters) {
      p.put(parameter.name(), parameter.toDoubles());
      shape.put(parameter.name(), parameter.shape().dims());
    }
    this.classes = classes;
    this.latent = latent;
  }

  /** log q(y | x) for every class. */
  double[] logQ(double[] x) {
    double[] h = softplus(affine(x, "classifier.0"));
    double[] logits = affine(h, "classifier.1");
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (double l : logits) {
      sum += Math.exp(l - max);
    }
    double logNorm = max + Math.log(sum);
    double[] out = new double[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = logits[k] - logNorm;
    }
    return out;
  }

  /** L(x, y) = log p(x | y, z) + log p(y) − KL with z = μ + σ ε. */
  double bound(double[] x, int y, double[] eps) {
    return bound(x, y, eps, 1.0);
  }

  /** The same with the KL weighted by {@code beta}. */
  double bound(double[] x, int y, double[] eps, double beta) {
    double[] pre = affine(x, "encoder.0");
    double[] label = p.get("encoder.0.label");
    int hidden = pre.length;
    for (int j = 0; j < hidden; j++) {
      pre[j] += label[y * hidden + j];
    }
    double[] out = affine(softplus(pre), "encoder.rest.0");
    double[] z = new double[latent + classes];
    double kl = 0;
    for (int j = 0; j < latent; j++) {
      double mu = out[j];
      double logVar = out[latent + j];
      z[j] = mu + Math.exp(0.5 * logVar) * eps[j];
      kl += 0.5 * (mu * mu + Math.exp(logVar) - logVar - 1);
    }
    z[latent + y] = 1;
    double[] logits = affine(softplus(affine(z, "decoder.0")), "decoder.1");
    double logLikelihood = 0;
    for (int i = 0; i < x.length; i++) {
      logLikelihood += x[i] * logits[i] - softplus(logits[i]);
    }
    return logLikelihood - Math.log(classes) - beta * kl;
  }

  private double[] affine(double[] in, String layer) {
    double[] w = p.get(layer + ".weight");
    double[] b = p.get(layer + ".bias");
    int inputs = shape.get(layer + ".weight")[0];
    int outputs = shape.get(layer + ".weight")[1];
    if (in.length != inputs) {
      throw new IllegalArgumentException(layer + " takes " + inputs + " inputs, got " + in.length);
    }
    double[] out = b.clone();
    for (int i = 0; i < inputs; i++) {
      for (int o = 0; o < outputs; o++) {
        out[o] += in[i] * w[i * outputs + o];
      }
    }
    return out;
  }

  private static double[] softplus(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = softplus(v[i]);
    }
    return out;
  }

  private static double softplus(double v) {
    return Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
  }
}
