package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.incident.Change;
import com.incidenthub.incident.ChangeLog;
import com.incidenthub.incident.Incident;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One hub on a store whose answers the test times: a client resumes on a node whose hub is behind the cursor it got
 * from another node's hub, and this hub releases changes up to that cursor while it asks the store about it.
 */
@DisplayName("Resuming with a cursor ahead of this node's hub")
class ResumeAheadOfHubTest {
  private static final String EPOCH = "00000000000000aa";
  private static final String CHANNEL = "north";

  private final Vertx vertx = Vertx.vertx();
  private final PausedHead store = new PausedHead();

  @AfterEach
  void stop() {
    RunningHub.await(vertx.close());
  }

  @Test
  @DisplayName("the changes up to the cursor that this hub releases while the resume is checked are not sent again")
  void nothingUpToTheCursorTwice() throws Exception {
    HubServer server = new HubServer(store);
    RunningHub.await(vertx.deployVerticle(server));
    TestSocket socket = TestSocket.connect(vertx, server.port(), "/ws?since=" + EPOCH + ".2");
    store.asked.get();

    // The client had 1 and 2 from the other node; this hub releases them now, and then learns the store's head.
    server.afterHubReceives(2, () -> store.answer(2));
    publish(1);
    publish(2);

    assertEquals(new JsonObject().put("type", "subscribed").put("channels", new JsonArray().add(CHANNEL))
        .put("cursor", EPOCH + ".2").put("recovered", true), socket.next());
    publish(3);
    JsonObject next = socket.next();
    assertEquals(EPOCH + ".3", next.getString("cursor"), "after the greeting: " + next);
    socket.close();
  }

  private void publish(long seq) {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    Incident incident = new Incident("incident-" + seq, CHANNEL, "change " + seq, "", "medium", "open", at, at, 1,
        Incident.ANONYMOUS, Incident.ANONYMOUS, 1, Optional.empty(), Optional.empty());
    new IncidentEvents(vertx.eventBus(), EPOCH).changed(new Change(incident, seq));
  }

  /** A store at 0 when the hub starts, whose next answer to head() the test gives. */
  private static final class PausedHead implements ChangeLog {
    final CompletableFuture<Void> asked = new CompletableFuture<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final Promise<Long> paused = Promise.promise();

    @Override
    public Future<Long> head() {
      if (reads.getAndIncrement() == 0) {
        return Future.succeededFuture(0L);
      }
      asked.complete(null);
      return paused.future();
    }

    void answer(long head) {
      paused.complete(head);
    }

    @Override
    public Future<List<Change>> changesAfter(Collection<String> channels, long after, long upTo, int limit) {
      return Future.succeededFuture(List.of());
    }
  }

  /** The hub behind a bare WebSocket server: every socket follows {@value #CHANNEL}, resuming after {@code since}. */
  private static final class HubServer extends VerticleBase {
    private final ChangeLog store;
    private SocketHub hub;
    private HttpServer server;
    private volatile long watchedSeq = -1;
    private volatile Runnable whenReceived;

    HubServer(ChangeLog store) {
      this.store = store;
    }

    @Override
    public Future<?> start() {
      hub = new SocketHub(vertx, Duration.ofMinutes(1), new SocketLimits(10, () -> () -> true), store, EPOCH, 1000,
          new AtomicInteger(), HubMetrics.NONE, Duration.ofHours(1), new DeliveryNotices());
      return hub.start()
          // Registered after the hub's consumer, on the hub's event loop: it hears of each change after the hub.
          .compose(started -> IncidentEvents.consume(vertx.eventBus(), EPOCH, this::heard, seq -> { }, foreign -> { })
              .completion())
          .compose(consuming -> vertx.createHttpServer()
              .webSocketHandler(socket -> hub.accept(socket, sink(socket), List.of(CHANNEL), since(socket.query()),
                  () -> { }))
              .listen(0))
          .onSuccess(listening -> server = listening);
    }

    int port() {
      return server.actualPort();
    }

    /** A socket the server upgraded itself, unwrapped by vertx-web, gives its Netty context directly. */
    private static SharedFrame.Sink sink(ServerWebSocket socket) {
      return new SharedFrame.Sink(socket, ((WebSocketInternal) socket).channelHandlerContext());
    }

    void afterHubReceives(long seq, Runnable then) {
      whenReceived = then;
      watchedSeq = seq;
    }

    private void heard(IncidentEvents.Event event) {
      if (event.seq() == watchedSeq) {
        whenReceived.run();
      }
    }

    private static Optional<String> since(String query) {
      return Optional.ofNullable(query).filter(text -> text.startsWith("since=")).map(text -> text.substring(6));
    }
  }
}
