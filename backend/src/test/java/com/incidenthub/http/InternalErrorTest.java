package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Unexpected failures")
class InternalErrorTest extends SharedHubTest {

  @Test
  @DisplayName("a failure nobody planned for answers 500 INTERNAL without internals, and logs its cause")
  void internalError() {
    Logger logger = (Logger) LoggerFactory.getLogger(ErrorResponder.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    Level quiet = logger.getLevel();
    logger.setLevel(Level.ERROR);
    // A document without the timestamps every incident has: reading it fails inside the service.
    hub.insertDirectly(new JsonObject().put("_id", "damaged").put("channel", "general").put("title", "t"));

    HttpResponse<Buffer> response;
    try {
      response = hub.get("/incidents/damaged");
    } finally {
      logger.setLevel(quiet);
      logger.detachAppender(logged);
    }

    assertEquals(500, response.statusCode());
    assertEquals(new JsonObject().put("error", new JsonObject().put("code", "INTERNAL")
            .put("message", "Something went wrong on our side; it has been logged").put("details", new JsonArray())),
        response.bodyAsJsonObject());
    assertEquals(1, logged.list.size());
    ILoggingEvent line = logged.list.get(0);
    assertEquals("GET /incidents/damaged failed with INTERNAL", line.getFormattedMessage());
    assertTrue(line.getThrowableProxy() != null, "the cause is logged with its stack trace");
  }
}
