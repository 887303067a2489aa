package com.incidenthub.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the writer makes of a node that refuses connections (a node that is gone) and of one that drops them after
 * the request left (a node killed mid-request), against real HTTP servers on loopback. Four creates a run, create
 * {@code seq} first to node {@code seq % 2}; sockets play no part, so the ledger has one socket on each node.
 */
class CreateWriterTest {

  private static final String[] CHANNELS = {"lt-w-0"};

  private final Vertx servers = Vertx.vertx();
  private final EventLoops loops = EventLoops.start(1, 1);
  private final FanoutLedger ledger = new FanoutLedger("w", CHANNELS, new int[] {0, 0}, new int[] {0, 1}, 2, 4);

  @AfterEach
  void close() throws Exception {
    loops.close();
    servers.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a create a node refuses goes to the next node: all are created, the refusals are counted")
  void refusedGoesElsewhere() throws Exception {
    CreateWriter writer = run(List.of(refusingNode(), answering()));

    assertEquals(4, writer.created());
    assertEquals(0, writer.errors());
    assertEquals(0, writer.unanswered());
    assertEquals(new JsonObject().put("created", 0L).put("refusedSentElsewhere", 2L).put("unanswered", 0L)
        .put("failed", 0L), writer.nodeJson(0));
    assertEquals(4, writer.nodeJson(1).getLong("created"));
    assertEquals(8, ledger.expected()); // four creates, each expected by the channel's two sockets
  }

  @Test
  @DisplayName("a create whose connection closes after it was sent is unanswered: not sent again, not an error")
  void droppedIsUnanswered() throws Exception {
    CreateWriter writer = run(List.of(dropping(), answering()));

    assertEquals(2, writer.created());
    assertEquals(2, writer.unanswered());
    assertEquals(2, writer.unansweredBy(0));
    assertEquals(0, writer.unansweredBy(1));
    assertEquals(0, writer.errors());
    assertEquals(2, ledger.unanswered());
    assertEquals(4, ledger.expected()); // creates 1 and 3, by two sockets each
  }

  @Test
  @DisplayName("a create every node refuses has failed")
  void refusedEverywhere() throws Exception {
    CreateWriter writer = run(List.of(refusingNode(), refusingNode()));

    assertEquals(0, writer.created());
    assertEquals(4, writer.errors());
    assertEquals(4, writer.toJson().getJsonObject("errorsByStatus").getLong("refused by every node"));
  }

  private CreateWriter run(List<Target> targets) throws Exception {
    CreateWriter writer = new CreateWriter(loops, targets, ledger, 4, 1, 2);
    writer.start().await(20, TimeUnit.SECONDS);
    writer.close();
    return writer;
  }

  /** A loopback port nothing listens on: connections to it are refused. */
  private static Target refusingNode() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return target(port);
  }

  private Target answering() throws Exception {
    return serve(server -> server.requestHandler(request -> request.body()
        .onSuccess(body -> request.response().setStatusCode(201).end("{}"))));
  }

  private Target dropping() throws Exception {
    return serve(server -> server.requestHandler(request -> request.body()
        .onSuccess(body -> request.connection().close())));
  }

  private Target serve(Consumer<HttpServer> handler) throws Exception {
    HttpServer server = servers.createHttpServer();
    handler.accept(server);
    return target(server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort());
  }

  private static Target target(int port) {
    return Target.of("http://127.0.0.1:" + port, null, false, null);
  }
}
