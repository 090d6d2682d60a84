package dev.vae.backend.cuda;

import dev.vae.api.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kernel the backend launches, with the PTX module that holds it. A typed kernel has one
 * entry point per dtype ({@code vae_unary_f32}, {@code vae_unary_f64}); an untyped one has a single
 * entry point. A host test checks that each entry point is in its committed PTX.
 */
enum Kernel {
  FILL(Module.ELEMENTWISE, "vae_fill", true),
  CAST_F32_TO_F64(Module.ELEMENTWISE, "vae_cast_f32_f64", false),
  CAST_F64_TO_F32(Module.ELEMENTWISE, "vae_cast_f64_f32", false),
  UNARY(Module.ELEMENTWISE, "vae_unary", true),
  BINARY(Module.ELEMENTWISE, "vae_binary", true),
  WHERE(Module.ELEMENTWISE, "vae_where", true),
  COPY_STRIDED(Module.ELEMENTWISE, "vae_copy_strided", true),
  GATHER_ROWS(Module.ELEMENTWISE, "vae_gather_rows", true),
  SCATTER_ADD(Module.ELEMENTWISE, "vae_scatter_add", true),
  UNFOLD(Module.ELEMENTWISE, "vae_unfold", true),
  FOLD(Module.ELEMENTWISE, "vae_fold", true),
  SOFTPLUS(Module.ELEMENTWISE, "vae_softplus", true),
  ADAM(Module.ELEMENTWISE, "vae_adam", true),
  REDUCE_THREAD(Module.REDUCE, "vae_reduce_thread", true),
  REDUCE_BLOCK(Module.REDUCE, "vae_reduce_block", true),
  GEMM(Module.LINALG, "vae_gemm", true),
  CHOLESKY(Module.LINALG, "vae_cholesky", true),
  TRIANGULAR_SOLVE(Module.LINALG, "vae_triangular_solve", true),
  UNIFORM(Module.RANDOM, "vae_uniform", true),
  NORMAL(Module.RANDOM, "vae_normal", true);

  /** A PTX file under {@value #RESOURCE_DIRECTORY}, compiled from {@code src/main/cuda/NAME.cu}. */
  enum Module {
    ELEMENTWISE("elementwise"),
    REDUCE("reduce"),
    LINALG("linalg"),
    RANDOM("random");

    /** Where the committed PTX lives on the classpath. */
    static final String RESOURCE_DIRECTORY = "/dev/vae/backend/cuda/ptx/";

    private final String fileName;

    Module(String fileName) {
      this.fileName = fileName;
    }

    /** The base name shared by the source ({@code .cu}) and the PTX ({@code .ptx}). */
    String fileName() {
      return fileName;
    }

    /** The classpath resource of this module's PTX. */
    String resource() {
      return RESOURCE_DIRECTORY + fileName + ".ptx";
    }
  }

  private final Module module;
  private final String base;
  private final boolean typed;

  Kernel(Module module, String base, boolean typed) {
    this.module = module;
    this.base = base;
    this.typed = typed;
  }

  Module module() {
    return module;
  }

  /** The entry point for a dtype; untyped kernels ignore it (it may be null). */
  String entry(DType dtype) {
    if (!typed) {
      return base;
    }
    if (dtype == null) {
      throw new IllegalArgumentException("kernel " + base + " needs a dtype");
    }
    return base + (dtype == DType.FLOAT32 ? "_f32" : "_f64");
  }

  /** Every entry point of this kernel. */
  List<String> entries() {
    if (!typed) {
      return List.of(base);
    }
    List<String> entries = new ArrayList<>();
    for (DType dtype : DType.values()) {
      entries.add(entry(dtype));
    }
    return entries;
  }
}
