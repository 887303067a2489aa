package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Cursor: the client's opaque position")
class CursorTest {

  @Test
  @DisplayName("a cursor encodes as epoch.seq and decodes back")
  void roundTrip() {
    Cursor cursor = new Cursor("3de39cef2c1e4727", 42);

    assertEquals("3de39cef2c1e4727.42", cursor.encode());
    assertEquals(Optional.of(cursor), Cursor.decode(cursor.encode()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"abc", "3de39cef.", ".42", "3de39cef.042", "3de39cef.-1", "a.b.1", "3de39cef~1",
      "e.99999999999999999999"})
  @DisplayName("a well-formed value that is not in this service's format decodes to nothing")
  void foreign(String text) {
    assertEquals(true, Cursor.isWellFormed(text));
    assertEquals(Optional.empty(), Cursor.decode(text));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "a b", "a/1", "é.1", "a.1\n"})
  @DisplayName("empty values and other characters are not cursors at all")
  void malformed(String text) {
    assertEquals(false, Cursor.isWellFormed(text));
  }

  @Test
  @DisplayName("at most 256 characters, and only strings")
  void lengthAndType() {
    assertEquals(true, Cursor.isWellFormed("a".repeat(256)));
    assertEquals(false, Cursor.isWellFormed("a".repeat(257)));
    assertEquals(false, Cursor.isWellFormed(42));
    assertEquals(false, Cursor.isWellFormed(null));
  }
}
