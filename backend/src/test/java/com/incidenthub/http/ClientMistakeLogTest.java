package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.RawHttp;
import com.incidenthub.testing.RawWebSocket;
import com.incidenthub.testing.SharedHubTest;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Logs of client mistakes")
class ClientMistakeLogTest extends SharedHubTest {

  @Test
  @DisplayName("a client's mistakes are answered and shown in the access log, never logged at ERROR or with a trace")
  void quietAboutClientMistakes() {
    List<ILoggingEvent> alarming;
    try (CapturedLog logs = CapturedLog.operatorView()) {
      for (String request : List.of(
          "GET /incidents/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /incidents?from=%2B999999999-12-31T23:59:59Z HTTP/1.1\r\nHost: x\r\n\r\n",
          "POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: x\r\n"
              + "Content-Length: 2\r\n\r\n{}",
          "POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n"
              + "{\"a\":1,}",
          "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(HttpLimits.MAX_HEADER_BYTES) + "\r\n\r\n")) {
        try (RawHttp connection = RawHttp.connect(hub.port)) {
          connection.send(request).response();
        }
      }
      try (RawHttp halfway = RawHttp.connect(hub.port)) {
        // A body announced and never finished: the client leaves in the middle of it.
        halfway.send("POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
            + "\r\n{\"title\"");
      }
      try (RawWebSocket socket = RawWebSocket.open(hub.port, "/ws")) {
        socket.next();
        socket.send(RawWebSocket.TEXT, new byte[] {(byte) 0xc3}, true).awaitClose();
      }
      // Each mistake shows in the access log, as its status; the client that left shows as "closed".
      for (String line : List.of("GET /incidents 400", "POST /incidents 417", "POST /incidents closed")) {
        logs.awaitMessage(AccessLog.class, line);
      }
      alarming = logs.alarming();
    }

    assertEquals("", CapturedLog.describe(alarming));
  }
}
