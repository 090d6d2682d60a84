package dev.vae.examples.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vae.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A training command's options in a YAML or JSON file ({@code --config FILE}): a map from option
 * names without dashes to values, e.g.
 *
 * <pre>
 * command: train
 * epochs: 20
 * hidden: [500, 500]
 * likelihood: gaussian
 * likelihood-options: {sigma: learned}
 * </pre>
 *
 * <p>A value is written as on the command line; a list stands for a comma-separated option value
 * and a map for {@code key=value,...}. {@code command} names the command the file is for. Options
 * given on the command line win over the file, the file over the defaults. Every run writes its
 * resolved options, defaults included, as {@value #RUN_FILE} in its directory, so that {@code
 * --config <run>/config.yaml} repeats the run. An unknown key, a file for another command or a
 * value the option does not take fails naming the file, the line and the key.
 */
final class ConfigFile {
  /** The file every run writes its resolved options to. */
  static final String RUN_FILE = "config.yaml";
  /** The key naming the command a file is for. */
  static final String COMMAND_KEY = "command";

  private static final YAMLMapper MAPPER = YAMLMapper.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

  private final Path file;
  private final Map<String, String> values;
  private final Map<String, Integer> lines;

  private ConfigFile(Path file, Map<String, String> values, Map<String, Integer> lines) {
    this.file = file;
    this.values = Collections.unmodifiableMap(values);
    this.lines = lines;
  }

  /**
   * Reads {@code file} for command {@code command}, whose options are {@code known} (names without
   * dashes), of which {@code commandLineOnly} may not be in a file.
   *
   * @throws IllegalArgumentException naming the file, the line and the key of anything wrong
   */
  static ConfigFile read(Path file, String command, Set<String> known, Set<String> commandLineOnly)
      throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    try (JsonParser p = new YAMLFactory().createParser(Files.newBufferedReader(file))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("--config " + file + ": expected a map of option names to values, as in "
            + "`epochs: 20`");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int line = p.currentLocation().getLineNr();
        JsonToken token = p.nextToken();
        String where = file + " line " + line + ": " + key;
        // A scalar as written (1e-3 stays 1e-3), a list or a map through the tree.
        String value = token.isScalarValue() && token != JsonToken.VALUE_NULL ? p.getText()
            : text(MAPPER.readTree(p), where);
        if (values.containsKey(key)) {
          throw new IllegalArgumentException(where + " is given twice (first on line " + lines.get(key) + ")");
        }
        values.put(key, value);
        lines.put(key, line);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--config " + file + ": no such file", e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("--config " + file + " line " + e.getLocation().getLineNr()
          + ": not valid YAML or JSON: " + e.getOriginalMessage(), e);
    }
    if (values.containsKey("flow-steps")) { // written before posteriors were plugins
      Integer line = lines.get("flow-steps");
      values = RecordedCommandOptions.replaced(values);
      values.keySet().forEach(key -> lines.putIfAbsent(key, line));
    }
    ConfigFile config = new ConfigFile(file, values, lines);
    String forCommand = values.getOrDefault(COMMAND_KEY, command);
    if (!forCommand.equals(command)) {
      throw new IllegalArgumentException(config.where(COMMAND_KEY) + ": the file is for `vae " + forCommand
          + "`, not for `vae " + command + "`");
    }
    for (String key : values.keySet()) {
      if (commandLineOnly.contains(key)) {
        throw new IllegalArgumentException(config.where(key) + ": --" + key + " is given on the command line only; "
            + "a file holds what a run is, not what to do with it");
      }
      if (!key.equals(COMMAND_KEY) && !known.contains(key)) {
        throw new IllegalArgumentException(config.where(key) + ": `vae " + command + "` has no option --" + key
            + "; its options: " + String.join(", ", new TreeSet<>(known)));
      }
    }
    return config;
  }

  /** The options the file gives, by name (without {@value #COMMAND_KEY}). */
  Map<String, String> options() {
    Map<String, String> options = new LinkedHashMap<>(values);
    options.remove(COMMAND_KEY);
    return options;
  }

  /** Where key {@code key} is: the file and its line. */
  String where(String key) {
    return file + " line " + lines.get(key) + ": " + key;
  }

  /**
   * {@code e}, an error about an option that came from this file (its message names the option as
   * {@code --name}), with the file and line put in front; {@code e} itself for any other option.
   */
  RuntimeException located(RuntimeException e, Set<String> fromFile) {
    String message = String.valueOf(e.getMessage());
    for (String key : fromFile) {
      if (Pattern.compile("--" + Pattern.quote(key) + "(?![\\w-])").matcher(message).find()) {
        return new IllegalArgumentException(where(key) + ": " + message, e);
      }
    }
    return e;
  }

  /** Writes {@code options} of command {@code command} to {@code file} (atomically), as {@link #read} reads them. */
  static void write(Path file, String command, Map<String, String> options) throws IOException {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put(COMMAND_KEY, command);
    options.forEach((name, value) -> all.put(name, typed(value)));
    String text = "# The options of this run, resolved; `vae " + command + " --config " + RUN_FILE
        + " --run OTHER` repeats it.\n" + MAPPER.writeValueAsString(all);
    AtomicFiles.writeString(file, text);
  }

  /** A whole number or a boolean as such, so that the file reads naturally; anything else as the text it is. */
  private static Object typed(String value) {
    if (INTEGER.matcher(value).matches()) {
      return Long.parseLong(value);
    }
    return value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : value;
  }

  /** A value as the command line takes it: a scalar's text, a list joined by commas, a map as key=value pairs. */
  private static String text(JsonNode value, String where) {
    if (value.isNull() || value.isMissingNode()) {
      throw new IllegalArgumentException(where + " has no value");
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    List<String> parts = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(element -> parts.add(scalar(element, where)));
    } else {
      value.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + scalar(e.getValue(), where)));
    }
    return String.join(",", parts);
  }

  private static String scalar(JsonNode value, String where) {
    if (!value.isValueNode() || value.isNull()) {
      throw new IllegalArgumentException(where + ": expected a list or map of plain values, got " + value);
    }
    return value.asText();
  }
}
