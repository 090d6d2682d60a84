package dev.vae.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vae.examples.testkit.SyntheticMnist;
import dev.vae.examples.testkit.VaeRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's report.html opened in a real headless Chromium: the page loads with no error reported to
 * the console or the window, every picture of the run is there and decodes, and a screenshot is kept
 * as a build artifact ({@code vae-examples/target/report-screenshot.png}). The test adds a probe to
 * a copy of the page (the report itself has no script) that records errors and, once the page has
 * loaded, writes what it found into the title, which Chromium's {@code --dump-dom} prints. Skipped,
 * saying why, where no Chromium is installed; CI installs one.
 */
class ReportBrowserTest {
  private static final String PROBE = "<script>window.__errors=[];"
      + "window.addEventListener('error',function(e){__errors.push(String(e.message||(e.target&&e.target.alt)));},true);"
      + "var __ce=console.error;console.error=function(){__errors.push(Array.prototype.join.call(arguments,' '));"
      + "__ce.apply(console,arguments);};"
      + "window.addEventListener('load',function(){var imgs=Array.prototype.slice.call(document.images);"
      + "var bad=imgs.filter(function(i){return !(i.complete&&i.naturalWidth>0);}).map(function(i){return i.alt;});"
      + "document.title='images='+imgs.length+' undecoded=['+bad.join(',')+'] errors=['+__errors.join('|')+']';});"
      + "</script>";

  @TempDir
  Path dir;

  private static Optional<String> chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(folder, name))) {
          return Optional.of(Path.of(folder, name).toString());
        }
      }
    }
    return Optional.empty();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void theReportLoadsInABrowserWithEveryPictureAndNoError() throws Exception {
    Optional<String> browser = chromium();
    assumeTrue(browser.isPresent(), "no chromium, chromium-browser or google-chrome on the PATH "
        + "(Debian: apt-get install chromium)");
    Path data = SyntheticMnist.write(dir.resolve("mnist"), 256, 64);
    Path runDir = dir.resolve("run");
    VaeRun trained = VaeRun.of("train", "--run", runDir.toString(), "--data-dir", data.toString(), "--epochs", "2",
        "--hidden", "16", "--latent", "2", "--batch-size", "64");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    assertThat(VaeRun.of("evaluate", "--run", runDir.toString(), "--data-dir", data.toString(), "-k", "5",
        "--subset", "32").exitCode()).isZero();
    VaeRun report = VaeRun.of("report", "--run", runDir.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    Path page = runDir.resolve(RunReport.FILE);
    String html = Files.readString(page);
    assertThat(html).contains("<h2>Configuration</h2>", "<h2>Training, per epoch</h2>", "<h2>Evaluation</h2>",
        "Latent diagnostics", "-log p(x)").doesNotContain("<script");
    long pictures;
    try (Stream<Path> files = Files.list(runDir)) {
      pictures = files.filter(p -> p.toString().endsWith(".png")).count();
    }
    assertThat(pictures).as("pictures in the run").isGreaterThanOrEqualTo(7);

    Path probed = dir.resolve("probed.html");
    Files.writeString(probed, html.replaceFirst("<head>", "<head>" + Matcher.quoteReplacement(PROBE)));
    String dom = run(List.of(browser.get(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--virtual-time-budget=10000", "--dump-dom", probed.toUri().toString()));
    Matcher title = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL).matcher(dom);
    assertThat(title.find()).as("a DOM came back: " + dom.substring(0, Math.min(200, dom.length()))).isTrue();
    assertThat(title.group(1)).isEqualTo("images=" + pictures + " undecoded=[] errors=[]");

    Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    run(List.of(browser.get(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--window-size=1300,2400", "--screenshot=" + screenshot, page.toUri().toString()));
    assertThat(screenshot).as("the screenshot kept as a build artifact").isNotEmptyFile();
  }
}
