package dev.vae.backend.cuda;

import dev.vae.api.backend.Op;

/**
 * The numbers the Java side and the CUDA kernels must agree on: operation codes, launch constants
 * and the size of the by-value layouts. Each mirrors a {@code #define} or struct of
 * {@code src/main/cuda/common.cuh}; a host test reads that file and compares.
 */
final class KernelAbi {
  /** Axes a layout describes after merging ({@code VAE_MAX_RANK}). */
  static final int MAX_RANK = 8;
  /** Threads of a block-per-output reduction ({@code VAE_REDUCE_BLOCK}). */
  static final int REDUCE_BLOCK = 256;
  /** Side of the matrix-product tile ({@code VAE_GEMM_TILE}). */
  static final int GEMM_TILE = 16;
  /** 64-bit words of {@code struct Layout} and {@code struct ReduceLayout}: four arrays of MAX_RANK. */
  static final int LAYOUT_WORDS = 4 * MAX_RANK;

  /** The PTX ISA version of the committed PTX (what CUDA 13.0's nvcc writes). */
  static final String PTX_ISA = "9.0";
  /** The virtual architecture the PTX is compiled for: it JIT-compiles on this and every later GPU. */
  static final String PTX_TARGET = "sm_75";
  /** The oldest driver that loads PTX ISA {@value #PTX_ISA}: CUDA 13.0, as cuDriverGetVersion reports it. */
  static final int MIN_DRIVER_VERSION = 13_000;
  /** The oldest GPU that runs {@value #PTX_TARGET} code: compute capability 7.5 (Turing), as 10 * major + minor. */
  static final int MIN_COMPUTE_CAPABILITY = 75;

  /** {@code VAE_REDUCE_SUM}. */
  static final int REDUCE_SUM = 0;
  /** {@code VAE_REDUCE_MAX}. */
  static final int REDUCE_MAX = 1;

  private KernelAbi() {}

  /** The kernels' code for a unary op ({@code VAE_NEG} ... {@code VAE_TRIGAMMA}). */
  static int unaryCode(Op op) {
    return switch (op) {
      case NEG -> 0;
      case EXP -> 1;
      case LOG -> 2;
      case LOG1P -> 3;
      case EXPM1 -> 4;
      case SQRT -> 5;
      case TANH -> 6;
      case SIGMOID -> 7;
      case ABS -> 8;
      case SIGN -> 9;
      case LGAMMA -> 10;
      case DIGAMMA -> 11;
      case TRIGAMMA -> 12;
      default -> throw new IllegalArgumentException("op " + op + " is not a unary op");
    };
  }

  /** The kernels' code for a binary or comparison op ({@code VAE_ADD} ... {@code VAE_LE}). */
  static int binaryCode(Op op) {
    return switch (op) {
      case ADD -> 0;
      case SUB -> 1;
      case MUL -> 2;
      case DIV -> 3;
      case POW -> 4;
      case MAX -> 5;
      case MIN -> 6;
      case EQ -> 7;
      case LT -> 8;
      case LE -> 9;
      default -> throw new IllegalArgumentException("op " + op + " is not a binary op");
    };
  }

  /** The kernels' code for a reduction. */
  static int reduceCode(Op op) {
    return switch (op) {
      case SUM -> REDUCE_SUM;
      case REDUCE_MAX -> REDUCE_MAX;
      default -> throw new IllegalArgumentException("op " + op + " is not a reduction");
    };
  }
}
