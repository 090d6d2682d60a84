package dev.vae.variants.semisupervised;

/**
 * What one epoch of semi-supervised training measured: the batch means of the objective's terms over
 * the epoch (nats per example), the accuracy of q(y | x) on the labelled batches as they were
 * trained, and after the epoch on the validation and test sets (NaN where there is none). The
 * bounds are the model's: with z's KL weighted by β ≠ 1, L<sub>β</sub> and −U<sub>β</sub>, still
 * lower bounds for β ≥ 1.
 *
 * @param epoch counted from 0
 * @param step optimizer steps taken so far
 * @param labelledBound mean L(x, y) of the labelled batches
 * @param crossEntropy mean −log q(y | x) of the labelled batches
 * @param unlabelledBound mean −U(x) of the unlabelled batches, a lower bound on log p(x)
 * @param loss mean of the minimised loss −L(x, y) + α·(−log q(y | x)) + U(x)
 * @param labelledAccuracy fraction of labelled training examples q(y | x) classified right
 * @param validationAccuracy after the epoch, or NaN
 * @param testAccuracy after the epoch, or NaN
 * @param testBoundAccuracy after the epoch, the fraction of test examples whose label is the class
 *     the generative model explains them best with, argmax_y L(x, y): how far y carries the class
 *     in p(x | y, z) (chance is 1/K); NaN without a test set
 * @param seconds wall time of the epoch, evaluation included
 */
public record SemiSupervisedEpoch(int epoch, long step, double labelledBound, double crossEntropy,
    double unlabelledBound, double loss, double labelledAccuracy, double validationAccuracy, double testAccuracy,
    double testBoundAccuracy, double seconds) {

  /** Test error in percent, 100·(1 − test accuracy). */
  public double testErrorPercent() {
    return 100 * (1 - testAccuracy);
  }
}
