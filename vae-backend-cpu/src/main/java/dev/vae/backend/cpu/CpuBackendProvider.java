package dev.vae.backend.cpu;

import com.google.auto.service.AutoService;
import dev.vae.api.backend.Backend;
import dev.vae.api.backend.BackendProvider;
import dev.vae.api.backend.Probe;
import java.util.Locale;

/**
 * Registers the {@link CpuBackend} under the name "cpu" with priority 100. {@link #probe()} only
 * looks for the OpenBLAS that nd4j-native-platform ships for this platform among the classpath's
 * resources; nothing native is loaded until {@link #create()}.
 */
@AutoService(BackendProvider.class)
public final class CpuBackendProvider implements BackendProvider {
  /** The ND4J release this module is built against, for messages that tell users what to add. */
  static final String ND4J_VERSION = "1.0.0-M2.1";

  /** Creates the provider; cheap, loads nothing. */
  public CpuBackendProvider() {}

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Probe probe() {
    try {
      return probe(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
          CpuBackendProvider.class.getClassLoader());
    } catch (RuntimeException | LinkageError e) {
      return Probe.unavailable("could not look for OpenBLAS's native libraries: " + e);
    }
  }

  /** The probe for a given platform and class loader; never throws for ordinary inputs. */
  static Probe probe(String osName, String osArch, ClassLoader loader) {
    String platform = platform(osName, osArch);
    if (platform == null) {
      return Probe.unavailable("nd4j-native-platform has no OpenBLAS build for " + osName + " on " + osArch
          + "; it runs on linux, macosx and windows, on x86_64 or arm64");
    }
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    String path = "org/bytedeco/openblas/" + platform + "/" + mapLibraryName("jniopenblas", platform);
    if (loader.getResource(path) == null) {
      return Probe.unavailable("no native library for " + platform + " on the classpath (looked for " + path
          + "); add org.nd4j:nd4j-native-platform:" + ND4J_VERSION + " (it brings org.bytedeco:openblas:0.3.19-1.5.7:"
          + platform + "), or build with -Djavacpp.platform=" + platform);
    }
    return Probe.available("OpenBLAS from nd4j-native-platform " + ND4J_VERSION + " found for " + platform);
  }

  /** The JavaCPP platform name (as in its jars' classifiers), or null if ND4J has no build for it. */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    String osPart;
    if (os.startsWith("linux")) {
      osPart = "linux";
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      osPart = "macosx";
    } else if (os.startsWith("windows")) {
      osPart = "windows";
    } else {
      return null;
    }
    String archPart;
    switch (arch) {
      case "amd64", "x86_64", "x86-64" -> archPart = "x86_64";
      case "aarch64", "arm64" -> archPart = "arm64";
      case "ppc64le" -> archPart = "ppc64le";
      default -> {
        return null;
      }
    }
    return osPart + "-" + archPart;
  }

  /** The file name of a native library on the given platform, as JavaCPP packs it. */
  private static String mapLibraryName(String name, String platform) {
    if (platform.startsWith("windows")) {
      return name + ".dll";
    }
    if (platform.startsWith("macosx")) {
      return "lib" + name + ".dylib";
    }
    return "lib" + name + ".so";
  }

  @Override
  public Backend create() {
    return new CpuBackend();
  }
}
