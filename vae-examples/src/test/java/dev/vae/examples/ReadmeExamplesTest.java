package dev.vae.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java example in README.md is a complete class, imports included, that compiles against
 * the modules; the programs among them that need no data also run. An example that stops compiling when the API
 * changes fails here, naming its class and the compiler's message.
 */
class ReadmeExamplesTest {
  /** Examples that read data (MNIST) the build does not have: compiled, not run. */
  private static final List<String> COMPILE_ONLY = List.of("TrainBetaVae");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

  @TempDir
  Path dir;

  /** One example: its class name and source. */
  record Example(String name, String source) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Example> examples() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<Example> examples = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    while (block.find()) {
      Matcher name = CLASS_NAME.matcher(block.group(1));
      assertThat(name.find()).as("a README example that is a whole program, with a public class:\n" + block.group(1))
          .isTrue();
      examples.add(new Example(name.group(1), block.group(1)));
    }
    assertThat(examples).as("README's Java examples").hasSizeGreaterThanOrEqualTo(3);
    return examples.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void compilesAndRuns(Example example) throws Exception {
    Path source = Files.writeString(dir.resolve(example.name() + ".java"), example.source());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    boolean compiled = javac.getTask(messages, null, null, List.of("-d", dir.toString(), "-classpath",
        System.getProperty("java.class.path")), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
    assertThat(compiled).as(example.name() + " compiles:\n" + messages).isTrue();
    if (COMPILE_ONLY.contains(example.name()) || !example.source().contains("public static void main(")) {
      return;
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Method main = loader.loadClass(example.name()).getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    }
  }
}
