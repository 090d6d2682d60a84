package dev.vae.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() throws Json.ParseException {
    Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, -0], \"b\": {\"c\": true, \"d\": false, \"e\": null},"
        + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"big\": 9223372036854775808} \n");

    assertThat(v).isEqualTo(Map.of(
        "a", List.of(1L, -2L, 3.5, 1000.0, 0L),
        "b", Map.of("c", true, "d", false, "e", Json.NULL),
        "s", "q\"\\/\b\f\n\r\t\u00e9\ud83d\ude00",
        "big", new BigInteger("9223372036854775808")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "01", "1.", "-", ".5", "1e", "+1", "'a'",
      "\"tab\there\"", "\"\\x\"", "\"\\u12g4\"", "\"\\ud800\"", "{\"a\":1}{", "tru", "nul", "[1 2]",
      "{\"k\":1,\"k\":2}", "// comment\n{}", "\"open"})
  void rejectsWhatTheGrammarForbids(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.ParseException.class)
        .hasMessageContaining("at character");
  }

  @Test
  void limitsNesting() throws Json.ParseException {
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(ok)).isInstanceOf(List.class);
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> Json.parse(deep)).hasMessageContaining("nesting deeper than");
  }

  @Test
  void writesWhatItParses() throws Json.ParseException {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("text", "ctl\u0001\u007f \"quoted\" back\\slash \u00fc \ud83d\ude00 \n\t");
    value.put("numbers", List.of(0L, Long.MIN_VALUE, Long.MAX_VALUE, 7));
    value.put("nested", Map.of("list", List.of(Map.of(), List.of()), "flag", true, "none", Json.NULL));

    for (int indent : new int[] {0, 2}) {
      String json = Json.toJson(value, indent);
      assertThat(Json.parse(json)).isEqualTo(Map.of(
          "text", value.get("text"),
          "numbers", List.of(0L, Long.MIN_VALUE, Long.MAX_VALUE, 7L),
          "nested", value.get("nested")));
    }
    assertThat(Json.toJson(Map.of("a", List.of(1, 2)), 0)).isEqualTo("{\"a\":[1,2]}");
    assertThat(Json.toJson(Map.of("a", List.of(1, 2)), 2)).isEqualTo("{\n  \"a\": [1, 2]\n}");
  }

  @Test
  void refusesWhatJsonCannotHold() {
    assertThatThrownBy(() -> Json.toJson("lone \udc00", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> Json.toJson(1.5, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.toJson(Map.of(1, 2), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
