// A host program built from the kernels' own per-element code (the VAE_HD functions of
// src/main/cuda), so that host tests can compare that code with the reference backend without a
// GPU. It reads one request per line on stdin and answers with the bit pattern of each result:
//
//   unary32 OP XBITS          unary64 OP XBITS            -> result bits
//   binary32 OP ABITS BBITS   binary64 OP ABITS BBITS     -> result bits
//   select32 CBITS ABITS BBITS                            -> result bits (select64 likewise)
//   reduce32 OP ACCBITS XBITS                             -> result bits (reduce64 likewise)
//   softplus32 XBITS                                      -> result bits (softplus64 likewise)
//   uniform32 SEED INDEX  uniform64 SEED INDEX  normal32 SEED INDEX  normal64 SEED INDEX
//
// Float32 values are 8 hex digits, float64 values and 64-bit integers 16; normal32 rounds the
// double result to float as the kernel does.
#include <cstdio>
#include <cstring>

#include "../../main/cuda/ops.cuh"
#include "../../main/cuda/philox.cuh"
#include "../../main/cuda/reduce_ops.cuh"

static float f32(unsigned int bits) {
  float x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

static double f64(unsigned long long bits) {
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

static void out32(float x) {
  unsigned int bits;
  memcpy(&bits, &x, sizeof bits);
  printf("%08x\n", bits);
}

static void out64(double x) {
  unsigned long long bits;
  memcpy(&bits, &x, sizeof bits);
  printf("%016llx\n", bits);
}

int main() {
  char request[32];
  while (scanf("%31s", request) == 1) {
    int op = 0;
    unsigned int a32 = 0, b32 = 0, c32 = 0;
    unsigned long long a64 = 0, b64 = 0, c64 = 0;
    if (!strcmp(request, "unary32") && scanf("%d %x", &op, &a32) == 2) {
      out32(unaryOp<float>(op, f32(a32)));
    } else if (!strcmp(request, "unary64") && scanf("%d %llx", &op, &a64) == 2) {
      out64(unaryOp<double>(op, f64(a64)));
    } else if (!strcmp(request, "binary32") && scanf("%d %x %x", &op, &a32, &b32) == 3) {
      out32(binaryOp<float>(op, f32(a32), f32(b32)));
    } else if (!strcmp(request, "binary64") && scanf("%d %llx %llx", &op, &a64, &b64) == 3) {
      out64(binaryOp<double>(op, f64(a64), f64(b64)));
    } else if (!strcmp(request, "select32") && scanf("%x %x %x", &c32, &a32, &b32) == 3) {
      out32(selectOp<float>(f32(c32), f32(a32), f32(b32)));
    } else if (!strcmp(request, "select64") && scanf("%llx %llx %llx", &c64, &a64, &b64) == 3) {
      out64(selectOp<double>(f64(c64), f64(a64), f64(b64)));
    } else if (!strcmp(request, "reduce32") && scanf("%d %x %x", &op, &a32, &b32) == 3) {
      out32(reduceStep<float>(op, f32(a32), f32(b32)));
    } else if (!strcmp(request, "reduce64") && scanf("%d %llx %llx", &op, &a64, &b64) == 3) {
      out64(reduceStep<double>(op, f64(a64), f64(b64)));
    } else if (!strcmp(request, "softplus32") && scanf("%x", &a32) == 1) {
      out32(softplusOf<float>(f32(a32)));
    } else if (!strcmp(request, "softplus64") && scanf("%llx", &a64) == 1) {
      out64(softplusOf<double>(f64(a64)));
    } else if (!strcmp(request, "uniform32") && scanf("%llx %llx", &a64, &b64) == 2) {
      out32(uniformFloat(a64, b64));
    } else if (!strcmp(request, "uniform64") && scanf("%llx %llx", &a64, &b64) == 2) {
      out64(uniformDouble(a64, b64));
    } else if (!strcmp(request, "normal32") && scanf("%llx %llx", &a64, &b64) == 2) {
      out32((float)normalDouble(a64, b64));
    } else if (!strcmp(request, "normal64") && scanf("%llx %llx", &a64, &b64) == 2) {
      out64(normalDouble(a64, b64));
    } else {
      fprintf(stderr, "bad request: %s\n", request);
      return 2;
    }
  }
  return 0;
}
