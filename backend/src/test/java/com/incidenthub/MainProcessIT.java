package com.incidenthub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.RunningHub;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started and stopped as a user or a container runtime does. */
@DisplayName("java -jar incident-hub.jar")
class MainProcessIT {
  private static final Path JAR = Path.of("target", "incident-hub.jar");
  private static final Pattern LISTENING = Pattern.compile("HTTP server listening on port (\\d+)");

  @TempDir
  Path work;
  private Process process;
  private Path log;
  private Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    log = work.resolve("backend.log");
    Path classes = work.resolve("classes.log");
    ProcessBuilder builder = new ProcessBuilder("java", "-Xlog:class+load=info:file=" + classes, "-jar",
        JAR.toAbsolutePath().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of("HTTP_PORT", "0", "DATA_DIR", "memory",
        "STATIC_DIR", work.resolve("none").toString()));
    process = builder.start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    process.destroyForcibly();
    RunningHub.await(vertx.close());
  }

  @Test
  @DisplayName("SIGTERM closes sockets with 1001, logs each step and exits 0; standalone, Hazelcast is never loaded")
  void gracefulStop() throws Exception {
    int port = awaitPort();
    WebSocketClient client = vertx.createWebSocketClient();
    ClientWebSocket socket = client.webSocket();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    socket.closeHandler(done -> closed.complete(socket.closeStatusCode()));
    RunningHub.await(socket.connect(port, "127.0.0.1", "/ws"));

    process.destroy(); // SIGTERM

    assertEquals((short) 1001, closed.get(15, TimeUnit.SECONDS));
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM");
    assertEquals(0, process.exitValue());
    List<String> lines = Files.readAllLines(log);
    for (String step : List.of("Shutting down: accepting no new connections", "Shutdown: requests finished and "
        + "WebSockets closed; 0 still open", "Shutdown complete")) {
      assertTrue(lines.stream().anyMatch(line -> line.contains(step)), "no log line '" + step + "' in " + lines);
    }
    List<String> hazelcast = Files.readAllLines(work.resolve("classes.log")).stream()
        .filter(line -> line.contains("hazelcast")).toList();
    assertEquals(List.of(), hazelcast);
  }

  private int awaitPort() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      assertTrue(process.isAlive(), "the backend exited: " + Files.readString(log));
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("the backend did not listen within 60 s: " + Files.readString(log));
  }
}
