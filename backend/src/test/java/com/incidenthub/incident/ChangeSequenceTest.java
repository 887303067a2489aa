package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two nodes on one store, as two backends behind a load balancer: the change sequence stays one sequence. */
@DisplayName("The change sequence, with writers on two nodes")
class ChangeSequenceTest {
  private static final int CREATES_PER_NODE = 300;
  private static final int IN_FLIGHT_PER_NODE = 32;

  private static RunningHub first;
  private static RunningHub second;

  @BeforeAll
  static void start() {
    first = RunningHub.start();
    second = first.another(Map.of());
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @Test
  @DisplayName("many concurrent creates through both nodes take every number exactly once")
  void everyNumberOnce() {
    Set<Long> before = Set.copyOf(first.storedSeqs());
    List<Future<HttpResponse<Buffer>>> creates = new ArrayList<>();
    for (RunningHub node : List.of(first, second)) {
      WebClient client = WebClient.create(node.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(node.port), new PoolOptions().setHttp1MaxSize(IN_FLIGHT_PER_NODE));
      for (int i = 0; i < CREATES_PER_NODE; i++) {
        creates.add(client.post("/incidents").sendJsonObject(new JsonObject()
            .put("title", "concurrent " + i).put("severity", "low").put("channel", "sequence")));
      }
    }
    RunningHub.await(Future.all(creates));

    creates.forEach(create -> assertEquals(201, create.result().statusCode()));
    List<Long> taken = first.storedSeqs().stream().filter(seq -> !before.contains(seq)).toList();
    assertEquals(LongStream.range(taken.get(0), taken.get(0) + 2L * CREATES_PER_NODE).boxed().toList(), taken);
  }

  @Test
  @DisplayName("a number taken by a writer that died does not stall later changes beyond the hold")
  void diedWriterDoesNotStall() {
    String channel = RunningHub.freshChannel("burned");
    TestSocket socket = first.connect("/ws?channels=" + channel).afterGreeting();

    long burned = first.takeSeqAndDie();
    JsonObject after = first.create(channel, "after the burned number");

    JsonObject frame = socket.next();
    assertEquals(after, frame.getJsonObject("incident"));
    assertEquals(burned + 1, Frames.seqOf(frame));
    socket.close();
  }
}
