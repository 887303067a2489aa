package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.RawHttp;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests no well-behaved client sends, written byte by byte; each is answered in the error shape. */
@DisplayName("Malformed HTTP requests")
class MalformedRequestTest extends SharedHubTest {
  private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

  @Test
  @DisplayName("a request line over 4 KiB gets 414 URI_TOO_LONG and the connection is closed")
  void requestLineTooLong() {
    RawHttp.Response response = answerAndClose("GET /" + "a".repeat(HttpLimits.MAX_REQUEST_LINE_BYTES)
        + " HTTP/1.1\r\nHost: x\r\n\r\n");

    assertEquals(414, response.status());
    assertEquals(error("URI_TOO_LONG", "The request line is longer than 4096 bytes"), response.json());
  }

  @Test
  @DisplayName("headers over 8 KiB get 431 HEADERS_TOO_LARGE and the connection is closed")
  void headersTooLarge() {
    RawHttp.Response response = answerAndClose("GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: "
        + "a".repeat(HttpLimits.MAX_HEADER_BYTES) + "\r\n\r\n");

    assertEquals(431, response.status());
    assertEquals(error("HEADERS_TOO_LARGE", "The request headers are larger than 8192 bytes"), response.json());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "NOT HTTP AT ALL\r\n\r\n",
      "GET /health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
      "GET /health HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n",
      "POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
      "POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"})
  @DisplayName("bytes that do not parse as HTTP/1.1 get 400 MALFORMED_REQUEST and the connection is closed")
  void unparseable(String request) {
    RawHttp.Response response = answerAndClose(request);

    assertEquals(400, response.status());
    assertEquals("MALFORMED_REQUEST", response.json().getJsonObject("error").getString("code"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"HTTP/2.0", "HTTP/9.9", "HTTP/1.2"})
  @DisplayName("an HTTP version other than 1.0 and 1.1 gets 400, not 501, and the connection is closed")
  void otherVersions(String version) {
    RawHttp.Response response = answerAndClose("GET /health " + version + "\r\nHost: x\r\n\r\n");

    assertEquals(400, response.status());
    assertEquals(error("MALFORMED_REQUEST", "The request is not valid HTTP/1.1: HTTP version " + version
        + " is not served; use HTTP/1.1"), response.json());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/incidents/%", "/incidents/%zz", "/incidents/%FF", "/incidents/%C0%AF", "/%ED%A0%80"})
  @DisplayName("a path that is not percent-encoded UTF-8 gets 400 MALFORMED_REQUEST")
  void badPathEncoding(String path) {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").response();

      assertEquals(400, response.status());
      assertEquals(error("MALFORMED_REQUEST",
          "The path is not valid: only visible ASCII characters and %XX escapes of UTF-8 are allowed"),
          response.json());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"x=%zz", "channel=%", "channel=%FF", "channel=a%E2%82"})
  @DisplayName("a query string that is not percent-encoded UTF-8 gets 400 MALFORMED_REQUEST")
  void badQueryEncoding(String query) {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("GET /incidents?" + query + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .response();

      assertEquals(400, response.status());
      assertEquals(error("MALFORMED_REQUEST", "The query string is not valid: only visible ASCII characters and %XX "
          + "escapes of UTF-8 are allowed"), response.json());
    }
  }

  @Test
  @DisplayName("a transfer coding other than chunked gets 400 and the connection is closed, the body unread")
  void unknownTransferCoding() {
    RawHttp.Response response = answerAndClose("POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
        + "\r\nTransfer-Encoding: gzip\r\n\r\n{}");

    assertEquals(400, response.status());
    assertEquals(error("MALFORMED_REQUEST", "Transfer-Encoding 'gzip' is not understood; send the body with "
        + "Content-Length or Transfer-Encoding: chunked"), response.json());
  }

  @Test
  @DisplayName("an HTTP/1.1 request with two Host headers gets 400")
  void twoHosts() {
    RawHttp.Response response = answerAndClose("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");

    assertEquals(400, response.status());
    assertEquals(error("MALFORMED_REQUEST", "An HTTP/1.1 request must have exactly one Host header; this one has 2"),
        response.json());
  }

  @Test
  @DisplayName("an HTTP/1.1 request without Host gets 400")
  void noHost() {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("GET /health HTTP/1.1\r\n\r\n").response();

      assertEquals(400, response.status());
      assertEquals(error("MALFORMED_REQUEST", "The request is not valid HTTP: For HTTP/1.x requests, the 'Host' header "
          + "is required"), response.json());
    }
  }

  @Test
  @DisplayName("an Expect other than 100-continue gets 417 EXPECTATION_FAILED")
  void unknownExpectation() {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("POST /incidents HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}").response();

      assertEquals(417, response.status());
      assertEquals(error("EXPECTATION_FAILED", "Expect: 200-ok cannot be met; only 100-continue is understood"),
          response.json());
    }
  }

  @Test
  @DisplayName("an h2c upgrade is ignored: the request is answered over HTTP/1.1, with its length")
  void noCleartextHttp2() {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, "
          + "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").response();

      assertEquals(200, response.status());
      assertNull(response.header("Upgrade"));
      assertEquals("UP", response.json().getString("status"));
    }
  }

  @Test
  @DisplayName("HEAD, which no API route serves, answers 405 with Allow like any other method it does not")
  void head() {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n").responseToHead();

      assertEquals(405, response.status());
      assertEquals("GET", response.header("Allow"));
    }
  }

  @Test
  @DisplayName("a body refused before it is read is not drained: the connection is closed after the answer")
  void refusedBodyClosesTheConnection() {
    RawHttp.Response response = answerAndClose("POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
        + "Content-Length: 1000000\r\n\r\n{");

    assertEquals(415, response.status());
    assertEquals("close", response.header("Connection"));
  }

  /** Sends {@code request}, reads one answer, and checks that the server then closes the connection. */
  private static RawHttp.Response answerAndClose(String request) {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send(request).response();
      connection.untilClosed(CLOSE_WITHIN);
      assertTrue(connection.closedByServer());
      return response;
    }
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", new JsonArray()));
  }
}
