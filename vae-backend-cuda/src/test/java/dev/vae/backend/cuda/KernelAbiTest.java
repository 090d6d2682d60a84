package dev.vae.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vae.api.backend.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java side's codes and constants equal the {@code #define}s and structs of common.cuh. */
class KernelAbiTest {
  private static final Pattern DEFINE = Pattern.compile("^#define (VAE_\\w+) (\\d+)\\s*$", Pattern.MULTILINE);
  private static String header;
  private static Map<String, Integer> defines;

  @BeforeAll
  static void readHeader() throws IOException {
    header = Files.readString(ModuleFiles.cudaSources().resolve("common.cuh"));
    defines = new HashMap<>();
    Matcher m = DEFINE.matcher(header);
    while (m.find()) {
      defines.put(m.group(1), Integer.parseInt(m.group(2)));
    }
  }

  @Test
  void launchConstantsMatch() {
    assertThat(defines.get("VAE_MAX_RANK")).isEqualTo(KernelAbi.MAX_RANK);
    assertThat(defines.get("VAE_REDUCE_BLOCK")).isEqualTo(KernelAbi.REDUCE_BLOCK);
    assertThat(defines.get("VAE_GEMM_TILE")).isEqualTo(KernelAbi.GEMM_TILE);
    assertThat(defines.get("VAE_REDUCE_SUM")).isEqualTo(KernelAbi.REDUCE_SUM);
    assertThat(defines.get("VAE_REDUCE_MAX")).isEqualTo(KernelAbi.REDUCE_MAX);
    assertThat(Integer.bitCount(KernelAbi.REDUCE_BLOCK)).as("the block reduction halves its width").isEqualTo(1);
    assertThat(KernelAbi.GEMM_TILE * KernelAbi.GEMM_TILE).isLessThanOrEqualTo(1024);
  }

  @Test
  void everyElementwiseOpHasTheCodeItsKernelDefines() {
    for (Op op : Op.values()) {
      switch (op.kind()) {
        case UNARY -> assertThat(KernelAbi.unaryCode(op)).as("%s", op).isEqualTo(defines.get("VAE_" + op));
        case BINARY, COMPARE -> assertThat(KernelAbi.binaryCode(op)).as("%s", op).isEqualTo(defines.get("VAE_" + op));
        case REDUCE -> assertThat(KernelAbi.reduceCode(op)).as("%s", op)
            .isEqualTo(defines.get(op == Op.SUM ? "VAE_REDUCE_SUM" : "VAE_REDUCE_MAX"));
        default -> {
        }
      }
    }
  }

  @Test
  void codesWithinAFamilyAreDistinct() {
    Set<Integer> unary = Arrays.stream(Op.values()).filter(op -> op.kind() == Op.Kind.UNARY)
        .map(KernelAbi::unaryCode).collect(Collectors.toSet());
    long unaryOps = Arrays.stream(Op.values()).filter(op -> op.kind() == Op.Kind.UNARY).count();
    assertThat(unary).hasSize((int) unaryOps);
    Set<Integer> binary = Arrays.stream(Op.values())
        .filter(op -> op.kind() == Op.Kind.BINARY || op.kind() == Op.Kind.COMPARE)
        .map(KernelAbi::binaryCode).collect(Collectors.toSet());
    long binaryOps = Arrays.stream(Op.values())
        .filter(op -> op.kind() == Op.Kind.BINARY || op.kind() == Op.Kind.COMPARE).count();
    assertThat(binary).hasSize((int) binaryOps);
  }

  @Test
  void layoutStructsHaveTheWordsThePackedArraysFill() {
    for (String struct : new String[] {"Layout", "ReduceLayout"}) {
      Matcher body = Pattern.compile("struct " + struct + " \\{(.*?)\\};", Pattern.DOTALL).matcher(header);
      assertThat(body.find()).as("struct %s in common.cuh", struct).isTrue();
      int words = 0;
      Matcher field = Pattern.compile("long long \\w+((?:\\[\\w+\\])+);").matcher(body.group(1));
      while (field.find()) {
        int size = 1;
        Matcher dim = Pattern.compile("\\[(\\w+)\\]").matcher(field.group(1));
        while (dim.find()) {
          String d = dim.group(1);
          size *= d.chars().allMatch(Character::isDigit) ? Integer.parseInt(d) : defines.get(d);
        }
        words += size;
      }
      assertThat(words).as("64-bit words of struct %s", struct).isEqualTo(KernelAbi.LAYOUT_WORDS);
    }
  }
}
