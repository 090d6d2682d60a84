// The per-element arithmetic of the elementwise and fused kernels, written once for the
// device and the host (VAE_HD): the kernels apply these in their loops, and the module's host tests
// compile them into a small program to compare with the reference backend.
#pragma once

#include "common.cuh"
#include "special.cuh"

template <typename T>
VAE_HD __forceinline__ T sigmoid(T x) {
  // Never overflows: exp of a non-positive number only.
  if (x >= 0) {
    return T(1) / (T(1) + vExp(-x));
  }
  T e = vExp(x);
  return e / (T(1) + e);
}

template <typename T>
VAE_HD __forceinline__ T unaryOp(int op, T x) {
  switch (op) {
    case VAE_NEG: return -x;
    case VAE_EXP: return vExp(x);
    case VAE_LOG: return vLog(x);
    case VAE_LOG1P: return vLog1p(x);
    case VAE_EXPM1: return vExpm1(x);
    case VAE_SQRT: return vSqrt(x);
    case VAE_TANH: return vTanh(x);
    case VAE_SIGMOID: return sigmoid(x);
    case VAE_ABS: return vAbs(x);
    // signum: keeps the sign of zero and NaN.
    case VAE_SIGN: return x > 0 ? T(1) : (x < 0 ? T(-1) : x);
    // The gamma family is evaluated in double and rounded once.
    case VAE_LGAMMA: return (T)vaeLgamma((double)x);
    case VAE_DIGAMMA: return (T)vaeDigamma((double)x);
    case VAE_TRIGAMMA: return (T)vaeTrigamma((double)x);
    default: return x + T(NAN);
  }
}

template <typename T>
VAE_HD __forceinline__ T binaryOp(int op, T a, T b) {
  switch (op) {
    case VAE_ADD: return a + b;
    case VAE_SUB: return a - b;
    case VAE_MUL: return a * b;
    case VAE_DIV: return a / b;
    case VAE_POW: return vPow(a, b);
    // NaN-propagating, as numpy's maximum and minimum (a + b is NaN when either is).
    case VAE_MAX: return (isNaN(a) || isNaN(b)) ? a + b : (a > b ? a : b);
    case VAE_MIN: return (isNaN(a) || isNaN(b)) ? a + b : (a < b ? a : b);
    case VAE_EQ: return a == b ? T(1) : T(0);
    case VAE_LT: return a < b ? T(1) : T(0);
    case VAE_LE: return a <= b ? T(1) : T(0);
    default: return a + T(NAN);
  }
}

// a where the condition is non-zero (NaN counts as non-zero), else b.
template <typename T>
VAE_HD __forceinline__ T selectOp(T condition, T a, T b) {
  return condition != T(0) ? a : b;
}

// softplus(x) = max(x, 0) + log1p(exp(-|x|)); NaN stays NaN.
template <typename T>
VAE_HD __forceinline__ T softplusOf(T v) {
  T positive = isNaN(v) ? v : (v > T(0) ? v : T(0));
  return positive + vLog1p(vExp(-vAbs(v)));
}

// One Adam / AdamW step of one element, computed in double and stored in T as the reference does:
// m and v are rounded to T before they are used. correction1 = 1 - beta1^step, likewise 2.
template <typename T>
VAE_HD __forceinline__ void adamStep(T& param, T grad, T& m, T& v, double lr, double beta1, double beta2,
                                     double eps, double weightDecay, double correction1, double correction2) {
  double g = grad;
  T first = (T)(beta1 * (double)m + (1 - beta1) * g);
  T second = (T)(beta2 * (double)v + (1 - beta2) * g * g);
  m = first;
  v = second;
  double update = ((double)first / correction1) / (sqrt((double)second / correction2) + eps);
  double p = param;
  param = (T)(p - lr * (update + weightDecay * p));
}
