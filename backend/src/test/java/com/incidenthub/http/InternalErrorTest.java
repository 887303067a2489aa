package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Unexpected failures")
class InternalErrorTest extends SharedHubTest {

  @Test
  @DisplayName("a failure nobody planned for answers 500 INTERNAL without internals, and logs its cause and request id")
  void internalError() {
    // A document without the timestamps every incident has: reading it fails inside the service.
    hub.insertDirectly(new JsonObject().put("_id", "damaged").put("channel", "general").put("title", "t"));

    HttpResponse<Buffer> response;
    List<ILoggingEvent> logged;
    try (CapturedLog log = CapturedLog.of(ErrorResponder.class, Level.ERROR)) {
      response = RunningHub.await(hub.request(HttpMethod.GET, "/incidents/damaged")
          .putHeader(RequestId.HEADER, "trace-500").send());
      logged = log.lines();
    }

    assertEquals(500, response.statusCode());
    assertEquals("trace-500", response.getHeader(RequestId.HEADER));
    assertEquals(new JsonObject().put("error", new JsonObject().put("code", "INTERNAL")
            .put("message", "Something went wrong on our side; it has been logged").put("details", new JsonArray())),
        response.bodyAsJsonObject());
    assertEquals(1, logged.size());
    ILoggingEvent line = logged.get(0);
    assertEquals("GET /incidents/damaged failed with INTERNAL", line.getFormattedMessage());
    assertEquals("trace-500", line.getMDCPropertyMap().get(RequestId.MDC_KEY));
    assertTrue(line.getThrowableProxy() != null, "the cause is logged with its stack trace");
  }
}
