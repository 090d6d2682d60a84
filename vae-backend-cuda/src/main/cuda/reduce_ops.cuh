// The per-element steps of the reductions, for the device and the host (VAE_HD): a sum starts at 0
// and a max at -inf; the max propagates NaN.
#pragma once

#include "common.cuh"

template <typename T>
VAE_HD __forceinline__ T reduceIdentity(int op) {
  return op == VAE_REDUCE_SUM ? T(0) : T(-INFINITY);
}

template <typename T>
VAE_HD __forceinline__ T reduceStep(int op, T accumulated, T x) {
  if (op == VAE_REDUCE_SUM) {
    return accumulated + x;
  }
  // NaN wins; otherwise the larger.
  return (isNaN(accumulated) || isNaN(x)) ? accumulated + x : (x > accumulated ? x : accumulated);
}
