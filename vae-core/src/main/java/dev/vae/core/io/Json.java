package dev.vae.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON handling that the file formats of this package need, on Jackson's streaming parser and
 * generator: a strict parser of RFC 8259 text and a writer for maps, lists, strings, integers and
 * booleans.
 *
 * <p>Parsed values are {@code Map<String, Object>} (insertion ordered, unmodifiable), {@code
 * List<Object>}, {@code String}, {@code Long} (or {@code BigInteger} beyond the range of a long) for
 * numbers without fraction or exponent, {@code Double} for other numbers, {@code Boolean}, and
 * {@link #NULL}. The parser rejects what RFC 8259 forbids (trailing commas, comments, leading zeros,
 * raw control characters in strings, unpaired surrogates, anything after the value) and, stricter
 * than the RFC, duplicate keys and nesting deeper than {@value #MAX_DEPTH} levels.
 */
final class Json {
  /** The parsed form of JSON {@code null}. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
      .build();

  /** Why a text is not the JSON expected, with the character offset where parsing stopped. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, long offset) {
      super(message + " at character " + offset);
    }
  }

  private Json() {}

  /** Parses one JSON value that may be surrounded by whitespace and nothing else. */
  static Object parse(String text) throws ParseException {
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        throw new ParseException("no JSON value", 0);
      }
      Object value = value(p, 1);
      if (p.nextToken() != null) {
        throw new ParseException("unexpected " + p.getText() + " after the JSON value",
            p.currentTokenLocation().getCharOffset());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new ParseException(e.getOriginalMessage(), e.getLocation() == null ? -1 : e.getLocation().getCharOffset());
    } catch (IOException e) {
      throw new UncheckedIOException("reading JSON from a string", e);
    }
  }

  /** The value at the parser's current token, whose containers are {@code depth} deep. */
  private static Object value(JsonParser p, int depth) throws IOException, ParseException {
    JsonToken token = p.currentToken();
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth > MAX_DEPTH) {
      throw new ParseException("nesting deeper than " + MAX_DEPTH + " levels", p.currentTokenLocation().getCharOffset());
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = string(p);
          p.nextToken();
          map.put(key, value(p, depth + 1));
        }
        return Collections.unmodifiableMap(map);
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(p, depth + 1));
        }
        return Collections.unmodifiableList(list);
      }
      case VALUE_STRING -> {
        return string(p);
      }
      case VALUE_NUMBER_INT -> {
        BigInteger n = p.getBigIntegerValue();
        return n.bitLength() < 64 ? (Object) n.longValue() : n;
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return token == JsonToken.VALUE_TRUE;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new ParseException("unexpected " + token, p.currentTokenLocation().getCharOffset());
    }
  }

  /** The current string or key, refused if it holds an unpaired surrogate (it has no UTF-8 form). */
  private static String string(JsonParser p) throws IOException, ParseException {
    String s = p.getText();
    int bad = unpairedSurrogate(s);
    if (bad >= 0) {
      throw new ParseException("string with an unpaired surrogate (index " + bad + ")",
          p.currentTokenLocation().getCharOffset());
    }
    return s;
  }

  /** The index of the first unpaired surrogate of {@code s}, or -1. */
  private static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The JSON text of {@code value}: a {@code Map} with string keys, a {@code List}, a {@code
   * String}, a {@code Long}, {@code Integer} or {@code BigInteger}, a {@code Boolean} or {@link
   * #NULL}. With {@code indent} > 0, an object's entries go on lines of their own, indented by that
   * many spaces a level; arrays stay on one line.
   */
  static String toJson(Object value, int indent) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (indent > 0) {
        g.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withArrayValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter(" ".repeat(indent), "\n"))
            .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance));
      }
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string", e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof String s) {
      g.writeString(checked(s));
    } else if (value instanceof Long || value instanceof Integer) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value == NULL) {
      g.writeNull();
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
        }
        g.writeFieldName(checked(key));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object element : list) {
        write(g, element);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("cannot write " + (value == null ? "a Java null" : value.getClass().getName())
          + " as JSON");
    }
  }

  /**
   * Appends a JSON string literal. Characters outside ASCII are written as they are (the text is
   * meant to be encoded as UTF-8); a string with an unpaired surrogate has no UTF-8 form and is
   * refused.
   */
  static void writeString(StringBuilder out, String s) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(checked(s), out);
    out.append('"');
  }

  private static String checked(String s) {
    int bad = unpairedSurrogate(s);
    if (bad >= 0) {
      throw new IllegalArgumentException("string " + printable(s) + " holds an unpaired surrogate at index " + bad
          + " and cannot be written as UTF-8");
    }
    return s;
  }

  /** A Java-literal-like rendering of a string for error messages. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
