package dev.vae.core.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small strict subset of JSON handling that the file formats of this package need: a parser
 * for RFC 8259 text and a writer for maps, lists, strings, integers and booleans.
 *
 * <p>Parsed values are {@code Map<String, Object>} (insertion ordered, unmodifiable), {@code
 * List<Object>}, {@code String}, {@code Long} (or {@code BigInteger} beyond the range of a long) for
 * numbers without fraction or exponent, {@code Double} for other numbers, {@code Boolean}, and
 * {@link #NULL}. The parser rejects what RFC 8259 forbids (trailing commas, comments, leading zeros,
 * raw control characters in strings, unpaired surrogates) and, stricter than the RFC, duplicate keys
 * and nesting deeper than {@value #MAX_DEPTH} levels.
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

  /** Why a text is not the JSON expected, with the character offset where parsing stopped. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, int offset) {
      super(message + " at character " + offset);
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value that may be surrounded by whitespace and nothing else. */
  static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw new ParseException("unexpected " + p.describeHere() + " after the JSON value", p.pos);
    }
    return value;
  }

  private Object value(int depth) throws ParseException {
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of text, expected a value", pos);
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new ParseException("unexpected " + describeHere() + ", expected a value", pos);
    }
  }

  private Map<String, Object> object(int depth) throws ParseException {
    checkDepth(depth);
    pos++;
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw new ParseException("unexpected " + describeHere() + ", expected a string key", pos);
      }
      int keyStart = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth);
      if (map.put(key, v) != null) {
        throw new ParseException("duplicate key \"" + key + "\"", keyStart);
      }
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        return Collections.unmodifiableMap(map);
      } else {
        throw new ParseException("unexpected " + describeHere() + ", expected ',' or '}'", pos);
      }
    }
  }

  private List<Object> array(int depth) throws ParseException {
    checkDepth(depth);
    pos++;
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth));
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == ']') {
        pos++;
        return Collections.unmodifiableList(list);
      } else {
        throw new ParseException("unexpected " + describeHere() + ", expected ',' or ']'", pos);
      }
    }
  }

  private String string() throws ParseException {
    int start = pos;
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new ParseException("unterminated string", start);
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        break;
      }
      if (c < 0x20) {
        throw new ParseException("raw control character U+" + String.format("%04X", (int) c) + " in a string",
            pos - 1);
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new ParseException("unterminated string", start);
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> throw new ParseException("invalid escape \\" + e, pos - 2);
      }
    }
    String s = sb.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new ParseException("string holds an unpaired surrogate U+" + String.format("%04X", (int) c), start);
      }
    }
    return s;
  }

  private char hex4() throws ParseException {
    if (pos + 4 > text.length()) {
      throw new ParseException("truncated \\u escape", pos - 2);
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = hexDigit(text.charAt(pos + i));
      if (d < 0) {
        throw new ParseException("invalid \\u escape", pos - 2);
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private static int hexDigit(char h) {
    if (h >= '0' && h <= '9') {
      return h - '0';
    }
    if (h >= 'a' && h <= 'f') {
      return h - 'a' + 10;
    }
    if (h >= 'A' && h <= 'F') {
      return h - 'A' + 10;
    }
    return -1;
  }

  private Object number() throws ParseException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw new ParseException("invalid number", start);
    }
    boolean integral = true;
    if (peek() == '.') {
      integral = false;
      pos++;
      digits(start);
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      digits(start);
    }
    String token = text.substring(start, pos);
    if (!integral) {
      return Double.valueOf(token);
    }
    BigInteger big = new BigInteger(token);
    return big.bitLength() < 64 ? (Object) big.longValue() : big;
  }

  private void digits(int start) throws ParseException {
    if (!isDigit(peek())) {
      throw new ParseException("invalid number", start);
    }
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) throws ParseException {
    if (!text.startsWith(word, pos)) {
      throw new ParseException("unexpected " + describeHere() + ", expected a value", pos);
    }
    pos += word.length();
  }

  private void expect(char c) throws ParseException {
    if (peek() != c) {
      throw new ParseException("unexpected " + describeHere() + ", expected '" + c + "'", pos);
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private void checkDepth(int depth) throws ParseException {
    if (depth > MAX_DEPTH) {
      throw new ParseException("nesting deeper than " + MAX_DEPTH + " levels", pos);
    }
  }

  private String describeHere() {
    if (pos >= text.length()) {
      return "end of text";
    }
    char c = text.charAt(pos);
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Appends {@code value} as JSON: a {@code Map} with string keys, a {@code List}, a {@code String},
   * a {@code Long}, {@code Integer} or {@code BigInteger}, a {@code Boolean} or {@link #NULL}. With
   * {@code indent} > 0 objects and arrays of containers are spread over lines.
   */
  static void write(StringBuilder out, Object value, int indent) {
    write(out, value, indent, 0);
  }

  /** The JSON text of {@code value}, see {@link #write(StringBuilder, Object, int)}. */
  static String toJson(Object value, int indent) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, indent);
    return sb.toString();
  }

  private static void write(StringBuilder out, Object value, int indent, int level) {
    if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value == NULL) {
      out.append("null");
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(out, indent, level + 1);
        writeString(out, key);
        out.append(indent > 0 ? ": " : ":");
        write(out, e.getValue(), indent, level + 1);
      }
      if (!map.isEmpty()) {
        newline(out, indent, level);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      boolean spread = list.stream().anyMatch(v -> v instanceof Map || v instanceof List);
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(spread || indent == 0 ? "," : ", ");
        }
        if (spread) {
          newline(out, indent, level + 1);
        }
        write(out, list.get(i), indent, level + 1);
      }
      if (spread && !list.isEmpty()) {
        newline(out, indent, level);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + (value == null ? "a Java null" : value.getClass().getName())
          + " as JSON");
    }
  }

  private static void newline(StringBuilder out, int indent, int level) {
    if (indent > 0) {
      out.append('\n').append(" ".repeat(indent * level));
    }
  }

  /**
   * Appends a JSON string literal. Characters outside ASCII are written as they are (the text is
   * meant to be encoded as UTF-8); a string with an unpaired surrogate has no UTF-8 form and is
   * refused.
   */
  static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            throw new IllegalArgumentException("string " + printable(s) + " holds an unpaired surrogate at index "
                + i + " and cannot be written as UTF-8");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
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
