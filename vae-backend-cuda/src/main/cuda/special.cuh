// Log-gamma, digamma and trigamma in double precision, following the reference backend's
// SpecialFunctions step by step (same series, recurrences, reflection formulas and conventions at
// the poles), so that the CUDA backend agrees with it to the last few bits. Float32 callers
// evaluate in double and round once. Everything here compiles for the host too (VAE_HD).
#pragma once

#include "common.cuh"

#define VAE_PI 3.141592653589793
#define VAE_EULER_GAMMA 0.5772156649015329
#define VAE_HALF_LOG_TWO_PI 0.9189385332046727
// Arguments at least this large go straight to the asymptotic series.
#define VAE_ASYMPTOTIC_FROM 12.0
#define VAE_SERIES_TERMS 60

// zeta(k) - 1 for k = 2 .. 60, as the reference computes them (Euler-Maclaurin from n = 20).
#define VAE_ZETA_MINUS_ONE_VALUES \
    0.6449340668482264, 0.20205690315959426, 0.08232323371113819, \
    0.03692775514336993, 0.01734306198444914, 0.008349277381922827, \
    0.004077356197944339, 0.0020083928260822143, 9.945751278180855e-4, \
    4.941886041194645e-4, 2.460865533080483e-4, 1.2271334757848915e-4, \
    6.124813505870483e-5, 3.058823630702049e-5, 1.528225940865187e-5, \
    7.637197637899763e-6, 3.81729326499984e-6, 1.908212716553939e-6, \
    9.539620338727962e-7, 4.769329867878064e-7, 2.38450502727733e-7, \
    1.1921992596531106e-7, 5.960818905125948e-8, 2.980350351465228e-8, \
    1.4901554828365043e-8, 7.45071178983543e-9, 3.725334024788457e-9, \
    1.862659723513049e-9, 9.313274324196682e-10, 4.656629065033784e-10, \
    2.3283118336765053e-10, 1.164155017270052e-10, 5.820772087902701e-11, \
    2.9103850444971e-11, 1.4551921891041985e-11, 7.275959835057482e-12, \
    3.637979547378651e-12, 1.818989650307066e-12, 9.094947840263888e-13, \
    4.547473783042154e-13, 2.2737368458246524e-13, 1.136868407680228e-13, \
    5.684341987627585e-14, 2.842170976889302e-14, 1.4210854828031608e-14, \
    7.105427395210853e-15, 3.552713691337114e-15, 1.7763568435791204e-15, \
    8.881784210930816e-16, 4.440892103143813e-16, 2.220446050798042e-16, \
    1.1102230251410661e-16, 5.551115124845481e-17, 2.775557562136124e-17, \
    1.3877787809725232e-17, 6.938893904544153e-18, 3.4694469521659225e-18, \
    1.7347234760475765e-18, 8.673617380119933e-19

__device__ const double VAE_ZETA_MINUS_ONE_DEVICE[VAE_SERIES_TERMS - 1] = {VAE_ZETA_MINUS_ONE_VALUES};
static const double VAE_ZETA_MINUS_ONE_HOST[VAE_SERIES_TERMS - 1] = {VAE_ZETA_MINUS_ONE_VALUES};

VAE_HD __forceinline__ double zetaMinusOne(int k) {
#ifdef __CUDA_ARCH__
  return VAE_ZETA_MINUS_ONE_DEVICE[k - 2];
#else
  return VAE_ZETA_MINUS_ONE_HOST[k - 2];
#endif
}

// sin(pi x), with the argument reduced exactly so that large x and integers are exact.
VAE_HD inline double sinPi(double x) {
  double sign = 1;
  if (x < 0) {
    x = -x;
    sign = -1;
  }
  double r = fmod(x, 2.0);
  if (r >= 1) {
    r -= 1;
    sign = -sign;
  }
  if (r > 0.5) {
    r = 1 - r;
  }
  return sign * sin(VAE_PI * r);
}

// cot(pi x) for non-integer x, reduced exactly to (-1/2, 1/2].
VAE_HD inline double cotPi(double x) {
  double r = x - floor(x);
  double sign = 1;
  if (r > 0.5) {
    r = 1 - r;
    sign = -1;
  }
  return sign * cos(VAE_PI * r) / sin(VAE_PI * r);
}

// log Gamma(1 + z) = -gamma z + sum_{k>=2} (-1)^k zeta(k) z^k / k, for |z| <= 1/2.
VAE_HD inline double lgamma1p(double z) {
  double p = 0;
  for (int k = VAE_SERIES_TERMS; k >= 2; k--) {
    double c = (1 + zetaMinusOne(k)) / k;
    p = p * z + ((k & 1) == 0 ? c : -c);
  }
  return z * (-VAE_EULER_GAMMA + z * p);
}

// log Gamma(2 + z) = (1 - gamma) z + sum_{k>=2} (-1)^k (zeta(k) - 1) z^k / k, for |z| <= 3/4.
VAE_HD inline double lgammaAround2(double z) {
  double p = 0;
  for (int k = VAE_SERIES_TERMS; k >= 2; k--) {
    double c = zetaMinusOne(k) / k;
    p = p * z + ((k & 1) == 0 ? c : -c);
  }
  return z * ((1 - VAE_EULER_GAMMA) + z * p);
}

// Stirling's series for log Gamma(x), x >= 12.
VAE_HD inline double stirling(double x) {
  double r = 1 / x;
  double r2 = r * r;
  double series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680
      - r2 * (1.0 / 1188 - r2 * (691.0 / 360360 - r2 * (1.0 / 156 - r2 * (3617.0 / 122400))))))));
  return (x - 0.5) * log(x) - x + VAE_HALF_LOG_TWO_PI + series;
}

// log|Gamma(x)| for finite x > 0.
VAE_HD inline double lgammaPositive(double x) {
  if (x == 1 || x == 2) {
    return 0;
  }
  if (x < 0.5) {
    return lgamma1p(x) - log(x);
  }
  if (x < 1.25) {
    return lgamma1p(x - 1);
  }
  if (x < VAE_ASYMPTOTIC_FROM) {
    double product = 1;
    while (x > 2.75) {
      x -= 1;
      product *= x;
    }
    return lgammaAround2(x - 2) + log(product);
  }
  return stirling(x);
}

// log|Gamma(x)|: +inf at the poles (0, the negative integers, -inf) and at +inf.
VAE_HD inline double vaeLgamma(double x) {
  if (isnan(x)) {
    return x;
  }
  if (isinf(x) || (x <= 0 && x == floor(x))) {
    return INFINITY;
  }
  if (x < 0) {
    return log(VAE_PI / fabs(sinPi(x))) - lgammaPositive(1 - x);
  }
  return lgammaPositive(x);
}

// digamma(x) for finite x > 0.
VAE_HD inline double digammaPositive(double x) {
  double result = 0;
  while (x < VAE_ASYMPTOTIC_FROM) {
    result -= 1 / x;
    x += 1;
  }
  double r2 = 1 / (x * x);
  double tail = r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240
      - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 * (1.0 / 12)))))));
  return result + log(x) - 0.5 / x - tail;
}

// digamma(x): -inf at +0, +inf at -0, NaN at the negative integers and -inf, +inf at +inf.
VAE_HD inline double vaeDigamma(double x) {
  if (isnan(x) || x == INFINITY) {
    return x;
  }
  if (x == -INFINITY) {
    return NAN;
  }
  if (x == 0) {
    return copysign(INFINITY, -x);
  }
  if (x < 0) {
    if (x == floor(x)) {
      return NAN;
    }
    return digammaPositive(1 - x) - VAE_PI * cotPi(x);
  }
  return digammaPositive(x);
}

// trigamma(x) for finite x > 0.
VAE_HD inline double trigammaPositive(double x) {
  double result = 0;
  while (x < VAE_ASYMPTOTIC_FROM) {
    result += 1 / (x * x);
    x += 1;
  }
  double r = 1 / x;
  double r2 = r * r;
  double tail = r * r2 * (1.0 / 6 - r2 * (1.0 / 30 - r2 * (1.0 / 42 - r2 * (1.0 / 30
      - r2 * (5.0 / 66 - r2 * (691.0 / 2730 - r2 * (7.0 / 6)))))));
  return result + r + 0.5 * r2 + tail;
}

// trigamma(x): +inf at every pole, 0 at +inf.
VAE_HD inline double vaeTrigamma(double x) {
  if (isnan(x)) {
    return x;
  }
  if (x == INFINITY) {
    return 0;
  }
  if (x <= 0 && x == floor(x)) {
    return INFINITY;
  }
  if (x < 0) {
    double s = sinPi(x);
    return VAE_PI * VAE_PI / (s * s) - trigammaPositive(1 - x);
  }
  return trigammaPositive(x);
}
