package dev.vae.examples.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vae.core.io.AtomicFiles;
import dev.vae.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One self-contained HTML page about a run ({@value #FILE}): its resolved configuration, the
 * per-epoch metrics, the last epoch's latent diagnostics (active units, I(x; z), KL per latent
 * dimension) with the warnings training gave (posterior collapse among them), the evaluation
 * results when {@code vae evaluate} has written them, and every picture in the run directory,
 * embedded, so the page needs no network and no other file to be read.
 */
final class RunReport {
  /** The report's file name in the run directory. */
  static final String FILE = "report.html";
  /** The file {@code vae evaluate} writes its results to. */
  static final String EVALUATION_FILE = "evaluation.txt";

  private final Path run;

  RunReport(Path run) {
    this.run = run;
  }

  /** Writes the report into the run directory (atomically) and returns its path. */
  Path write() throws IOException {
    Path out = run.resolve(FILE);
    AtomicFiles.writeString(out, html());
    return out;
  }

  String html() throws IOException {
    StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>").append(escape("vae run " + run.getFileName())).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;margin:.5em 0}")
        .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;font-size:90%}th{background:#eee}")
        .append("td.k{text-align:left}figure{display:inline-block;margin:1em;vertical-align:top}")
        .append("img{max-width:100%}pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}.warn{color:#a00}")
        .append(".wide{overflow-x:auto}</style>\n</head>\n<body>\n")
        .append("<h1>").append(escape("Run " + run.toAbsolutePath().normalize())).append("</h1>\n");
    Map<?, ?> config = configuration();
    configuration(page, config);
    Path metrics = metricsFile(config);
    if (metrics != null && metrics.toString().endsWith(".csv")) {
      MetricsTable table = MetricsTable.read(metrics);
      training(page, table);
      diagnostics(page, table);
    } else if (metrics != null) {
      page.append("<h2>Training, per epoch</h2>\n<p>in ").append(escape(metrics.getFileName().toString()))
          .append(" (JSON lines; the report tabulates CSV metrics only)</p>\n");
    }
    textSection(page, "Warnings", run.resolve(RunDirectory.WARNINGS), "warn");
    textSection(page, "Evaluation", run.resolve(EVALUATION_FILE), "");
    pictures(page);
    return page.append("</body>\n</html>\n").toString();
  }

  /** The run's resolved options, empty when it wrote none. */
  private Map<?, ?> configuration() throws IOException {
    Path file = run.resolve(ConfigFile.RUN_FILE);
    return Files.exists(file) ? new YAMLMapper().readValue(file.toFile(), LinkedHashMap.class) : Map.of();
  }

  private static void configuration(StringBuilder page, Map<?, ?> config) {
    if (config.isEmpty()) {
      return;
    }
    page.append("<h2>Configuration</h2>\n<table>\n");
    config.forEach((k, v) -> page.append("<tr><td class=\"k\">").append(escape(String.valueOf(k)))
        .append("</td><td class=\"k\">").append(escape(String.valueOf(v))).append("</td></tr>\n"));
    page.append("</table>\n");
  }

  /** The metrics file: the one the configuration names, or the semi-supervised one, or metrics.csv; null if none. */
  private Path metricsFile(Map<?, ?> config) {
    Object named = config.get("metrics");
    for (String name : new String[] {named == null ? null : named.toString(), SemiSupervisedCommand.METRICS,
        "metrics.csv"}) {
      if (name != null && Files.isRegularFile(run.resolve(name))) {
        return run.resolve(name);
      }
    }
    return null;
  }

  /** Every epoch's scalar columns (the per-dimension ones are in the diagnostics). */
  private static void training(StringBuilder page, MetricsTable table) {
    List<Integer> shown = new ArrayList<>();
    for (int k = 0; k < table.header().size(); k++) {
      if (!table.header().get(k).startsWith("kl_z")) {
        shown.add(k);
      }
    }
    page.append("<h2>Training, per epoch</h2>\n<div class=\"wide\"><table>\n<tr>");
    shown.forEach(k -> page.append("<th>").append(escape(table.header().get(k))).append("</th>"));
    page.append("</tr>\n");
    for (double[] row : table.rows()) {
      page.append("<tr>");
      shown.forEach(k -> page.append("<td>").append(number(row[k])).append("</td>"));
      page.append("</tr>\n");
    }
    page.append("</table></div>\n");
  }

  private static void diagnostics(StringBuilder page, MetricsTable table) {
    double[] kl = table.lastRowPrefixed("kl_z");
    if (kl.length == 0) {
      return;
    }
    double[] active = table.column("active_units");
    double[] information = table.column("mutual_information");
    int last = active.length - 1;
    page.append("<h2>Latent diagnostics, last epoch</h2>\n<p>active units ").append(number(active[last]))
        .append(" of ").append(kl.length).append(" (Cov<sub>x</sub> E[z<sub>j</sub>|x] &gt; 0.01), I(x; z) ≈ ")
        .append(number(information[last])).append(" nats").append(active[last] == 0
            ? " — <span class=\"warn\">posterior collapse: no active unit</span>" : "")
        .append("</p>\n<table>\n<tr><th>dimension</th><th>KL (nats)</th></tr>\n");
    for (int j = 0; j < kl.length; j++) {
      page.append("<tr><td>z").append(j + 1).append("</td><td>").append(number(kl[j])).append("</td></tr>\n");
    }
    page.append("</table>\n");
  }

  private static void textSection(StringBuilder page, String title, Path file, String cssClass) throws IOException {
    if (Files.isRegularFile(file)) {
      page.append("<h2>").append(title).append("</h2>\n<pre class=\"").append(cssClass).append("\">")
          .append(escape(Files.readString(file))).append("</pre>\n");
    }
  }

  private void pictures(StringBuilder page) throws IOException {
    List<Path> pngs;
    try (Stream<Path> files = Files.list(run)) {
      pngs = files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
    }
    if (pngs.isEmpty()) {
      return;
    }
    page.append("<h2>Pictures</h2>\n");
    for (Path png : pngs) {
      String name = png.getFileName().toString();
      page.append("<figure><img alt=\"").append(escape(name)).append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"><figcaption>")
          .append(escape(name)).append("</figcaption></figure>\n");
    }
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
