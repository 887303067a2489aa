package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("X-Request-Id")
class RequestIdTest extends SharedHubTest {
  private static final String GENERATED = "[0-9a-f]{32}";

  @ParameterizedTest(name = "\"{0}\" comes back unchanged")
  @ValueSource(strings = {"a", "trace-42", "Ab.9_x-Z", "0123456789012345678901234567890123456789012345678901234567890123"})
  @DisplayName("a client's id of 1-64 characters of A-Za-z0-9._- comes back unchanged")
  void echoesValidId(String id) {
    assertEquals(id, get("/health", id).getHeader(RequestId.HEADER));
  }

  @ParameterizedTest(name = "\"{0}\" is replaced")
  @ValueSource(strings = {"", "has space", "semi;colon", "ünicode", "quote\"",
      "01234567890123456789012345678901234567890123456789012345678901234"})
  @DisplayName("any other id is replaced by a new one")
  void replacesInvalidId(String id) {
    String answered = get("/health", id).getHeader(RequestId.HEADER);

    assertTrue(answered.matches(GENERATED), answered);
  }

  @Test
  @DisplayName("without one, every request gets a new id of its own")
  void generatesIds() {
    String first = hub.get("/health").getHeader(RequestId.HEADER);
    String second = hub.get("/health").getHeader(RequestId.HEADER);

    assertTrue(first.matches(GENERATED), first);
    assertTrue(second.matches(GENERATED), second);
    assertNotEquals(first, second);
  }

  @Test
  @DisplayName("error responses carry it: an unknown route, a validation failure, a wrong method")
  void errorsCarryIt() {
    assertEquals("e-404", get("/nowhere", "e-404").getHeader(RequestId.HEADER));
    assertEquals("e-400", get("/incidents?limit=0", "e-400").getHeader(RequestId.HEADER));
    HttpResponse<Buffer> wrongMethod = RunningHub.await(hub.request(HttpMethod.DELETE, "/channels")
        .putHeader(RequestId.HEADER, "e-405").send());

    assertEquals(405, wrongMethod.statusCode());
    assertEquals("e-405", wrongMethod.getHeader(RequestId.HEADER));
  }

  @Test
  @DisplayName("the WebSocket upgrade's 101 answer carries it")
  void upgradeCarriesIt() {
    TestSocket socket = hub.connect(new WebSocketConnectOptions().setURI("/ws").addHeader(RequestId.HEADER, "ws-1"));

    assertEquals("ws-1", socket.raw().headers().get(RequestId.HEADER));
    socket.close();
  }

  @Test
  @DisplayName("each access log line carries its own request's id, though the requests interleave on one event loop")
  void accessLogCarriesIt() {
    int requests = 40;
    Map<String, ILoggingEvent> byPath;
    try (CapturedLog log = CapturedLog.of(AccessLog.class, Level.INFO)) {
      List<Future<HttpResponse<Buffer>>> inFlight = IntStream.range(0, requests)
          .mapToObj(i -> hub.request(HttpMethod.GET, "/incidents/missing-" + i).putHeader(RequestId.HEADER, "trace-" + i)
              .send())
          .toList();
      RunningHub.await(Future.all(inFlight));
      byPath = log.await(requests, line -> line.getFormattedMessage().startsWith("GET /incidents/missing-")).stream()
          .collect(Collectors.toMap(line -> line.getFormattedMessage().split(" ")[1], Function.identity()));
    }

    assertEquals(requests, byPath.size());
    IntStream.range(0, requests).forEach(i -> {
      ILoggingEvent line = byPath.get("/incidents/missing-" + i);
      assertTrue(line.getFormattedMessage().matches("GET /incidents/missing-" + i + " 404 \\d+ms"),
          line.getFormattedMessage());
      assertEquals("trace-" + i, line.getMDCPropertyMap().get(RequestId.MDC_KEY));
    });
  }

  private static HttpResponse<Buffer> get(String uri, String requestId) {
    return RunningHub.await(hub.request(HttpMethod.GET, uri).putHeader(RequestId.HEADER, requestId).send());
  }
}
