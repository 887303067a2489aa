package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A body is strict JSON in UTF-8, and is stored exactly as sent or refused; a refused one leaves nothing behind. */
@DisplayName("Request bodies: strict JSON, valid Unicode")
class StrictJsonTest extends SharedHubTest {
  private static final String UNICODE_RULE = " must be valid Unicode text (UTF-8, no lone surrogates)";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a block comment|{\"title\":\"t\", /* note */ \"severity\":\"low\",\"channel\":\"CHANNEL\"}",
      "a line comment|{\"title\":\"t\",\"severity\":\"low\",\"channel\":\"CHANNEL\"} // note",
      "a second value|{\"title\":\"t\",\"severity\":\"low\",\"channel\":\"CHANNEL\"}{}",
      "trailing bytes|{\"title\":\"t\",\"severity\":\"low\",\"channel\":\"CHANNEL\"} x",
      "a duplicate name|{\"title\":\"first\",\"title\":\"second\",\"severity\":\"low\",\"channel\":\"CHANNEL\"}",
      "single quotes|{'title':'t','severity':'low','channel':'CHANNEL'}",
      "an unquoted name|{title:\"t\",\"severity\":\"low\",\"channel\":\"CHANNEL\"}",
      "a trailing comma|{\"title\":\"t\",\"severity\":\"low\",\"channel\":\"CHANNEL\",}",
      "a raw control character in a string|{\"title\":\"a\tb\",\"severity\":\"low\",\"channel\":\"CHANNEL\"}"})
  @DisplayName("anything beyond strict JSON gets 400 MALFORMED_JSON and stores nothing")
  void refusesNonStrictJson(String what, String body) {
    String channel = RunningHub.freshChannel("strict");

    HttpResponse<Buffer> response = post(body.replace("CHANNEL", channel).getBytes(StandardCharsets.UTF_8));

    assertEquals(400, response.statusCode(), what);
    assertEquals("MALFORMED_JSON", ErrorBodies.errorCode(response), response.bodyAsString());
    assertStoredNothing(channel);
  }

  @Test
  @DisplayName("a duplicate name is reported by name, not silently resolved to the last value")
  void namesTheDuplicate() {
    HttpResponse<Buffer> response = post("{\"title\":\"a\",\"title\":\"b\",\"severity\":\"low\"}"
        .getBytes(StandardCharsets.UTF_8));

    assertEquals("The body is not valid JSON: Duplicate field 'title' (line 1, column 21)",
        response.bodyAsJsonObject().getJsonObject("error").getString("message"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a lone high surrogate escape|\"\\ud800\"",
      "a lone low surrogate escape|\"x\\udc00y\"",
      "reversed surrogate escapes|\"\\udc00\\ud800\""})
  @DisplayName("a lone surrogate sent as an escape gets 400 naming the field, instead of a silent '?'")
  void refusesEscapedLoneSurrogates(String what, String title) {
    String channel = RunningHub.freshChannel("surrogate");

    HttpResponse<Buffer> response = post(("{\"title\":" + title + ",\"severity\":\"low\",\"channel\":\"" + channel
        + "\"}").getBytes(StandardCharsets.UTF_8));

    assertEquals(ErrorBodies.invalidField("title", "title" + UNICODE_RULE), response.bodyAsJsonObject(), what);
    assertStoredNothing(channel);
  }

  @ParameterizedTest(name = "bytes {0}")
  @ValueSource(strings = {"ff", "c0af", "eda080", "f4908080", "e282"})
  @DisplayName("bytes that are not UTF-8 in a string get 400 naming the field, instead of a silent U+FFFD")
  void refusesMalformedUtf8(String hex) {
    String channel = RunningHub.freshChannel("utf8");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("{\"title\":\"t\",\"severity\":\"low\",\"channel\":\"" + channel + "\",\"message\":\"before ")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes(hex));
    body.writeBytes(" after\"}".getBytes(StandardCharsets.UTF_8));

    HttpResponse<Buffer> response = post(body.toByteArray());

    assertEquals(ErrorBodies.invalidField("message", "message" + UNICODE_RULE), response.bodyAsJsonObject());
    assertStoredNothing(channel);
  }

  @Test
  @DisplayName("a field name that is not valid Unicode gets 400 on the body")
  void refusesBrokenFieldName() {
    HttpResponse<Buffer> response = post("{\"title\":\"t\",\"severity\":\"low\",\"\\ud800\":1}"
        .getBytes(StandardCharsets.UTF_8));

    assertEquals(ErrorBodies.invalidField("body", "Field names must be valid Unicode text (UTF-8, no lone "
        + "surrogates)"), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("a body in UTF-16 is not JSON as the API reads it: 400 MALFORMED_JSON")
  void refusesUtf16() {
    HttpResponse<Buffer> response = post("{\"title\":\"t\",\"severity\":\"low\"}".getBytes(StandardCharsets.UTF_16));

    assertEquals(400, response.statusCode());
    assertEquals("MALFORMED_JSON", ErrorBodies.errorCode(response));
  }

  @ParameterizedTest(name = "Content-Encoding: {0}")
  @ValueSource(strings = {"gzip", "deflate", "br", "bogus", "gzip, identity"})
  @DisplayName("a Content-Encoding other than identity gets 415, even when the body would parse")
  void refusesContentEncoding(String encoding) {
    String channel = RunningHub.freshChannel("encoding");
    byte[] body = ("{\"title\":\"t\",\"severity\":\"low\",\"channel\":\"" + channel + "\"}")
        .getBytes(StandardCharsets.UTF_8);

    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents")
        .putHeader("Content-Type", "application/json").putHeader("Content-Encoding", encoding)
        .sendBuffer(Buffer.buffer(encoding.startsWith("gzip") ? gzip(body) : body)));

    assertEquals(415, response.statusCode());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", ErrorBodies.errorCode(response));
    assertStoredNothing(channel);
  }

  @Test
  @DisplayName("Content-Encoding: identity is the uncompressed body, and accepted")
  void acceptsIdentity() {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents")
        .putHeader("Content-Type", "application/json").putHeader("Content-Encoding", "identity")
        .sendBuffer(Buffer.buffer("{\"title\":\"t\",\"severity\":\"low\"}")));

    assertEquals(201, response.statusCode(), response.bodyAsString());
  }

  private static HttpResponse<Buffer> post(byte[] body) {
    return RunningHub.await(hub.request(HttpMethod.POST, "/incidents").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }

  private static void assertStoredNothing(String channel) {
    assertEquals(0, hub.get("/incidents?channel=" + channel).bodyAsJsonObject().getJsonObject("page")
        .getInteger("total"));
  }

  private static byte[] bytes(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
      out.write(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return compressed.toByteArray();
  }
}
