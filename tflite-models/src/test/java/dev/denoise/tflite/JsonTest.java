package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void readsEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, 0.125], \"b\": {\"c\": true, \"d\": false, "
        + "\"e\": null}, \"s\": \"x\\\"\\\\\\/\\n\\u00e9\"} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1.0, -2500.0, 0.125), m.get("a"));
    Map<?, ?> b = (Map<?, ?>) m.get("b");
    assertEquals(true, b.get("c"));
    assertEquals(false, b.get("d"));
    assertTrue(b.containsKey("e"));
    assertNull(b.get("e"));
    assertEquals("x\"\\/\né", m.get("s"));
  }

  @Test
  void float32ValuesSurviveTheRoundTripThroughDouble() {
    // Python writes float32 values as the shortest double repr; (float) of it is exact.
    assertEquals(0.06660892814397812f,
        ((Double) Json.parse("0.06660892814397812")).floatValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "\"x",
      "tru", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "\"\\q\"", "[1 2]", "{1:2}"})
  void refusesMalformedText(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Json.parse(text));
    assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains("at offset"),
        e.getMessage());
  }
}
