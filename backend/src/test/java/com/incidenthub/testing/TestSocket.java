package com.incidenthub.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that queues what it receives, so a test can take messages in order and wait for each. */
public final class TestSocket {
  /** Held so that the client, which Vert.x closes once it is unreachable, lives as long as its socket. */
  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  /** Handlers are in place before the socket connects, so not even the greeting can slip past them. */
  TestSocket(WebSocketClient client) {
    this.client = client;
    this.socket = client.webSocket();
    socket.textMessageHandler(text -> received.add(new JsonObject(text)));
    socket.closeHandler(done -> closed.complete(socket.closeStatusCode()));
  }

  /** Connects to {@code uri} on a WebSocket server of the test's own on 127.0.0.1; fails if it is refused. */
  public static TestSocket connect(Vertx vertx, int port, String uri) {
    TestSocket socket = new TestSocket(vertx.createWebSocketClient(new WebSocketClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port)));
    RunningHub.await(socket.raw().connect(uri));
    return socket;
  }

  public ClientWebSocket raw() {
    return socket;
  }

  public void send(JsonObject message) {
    RunningHub.await(socket.writeTextMessage(message.encode()));
  }

  /** Writes the message {@code times} times back to back, as a flooding client does; what the server closes on is lost. */
  public void flood(JsonObject message, int times) {
    for (int i = 0; i < times; i++) {
      socket.writeTextMessage(message.encode());
    }
  }

  public void sendText(String text) {
    RunningHub.await(socket.writeTextMessage(text));
  }

  /** The next message, waiting up to five seconds for it. */
  public JsonObject next() {
    try {
      JsonObject message = received.poll(5, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within 5 s");
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Everything received and not yet taken, without waiting. */
  public List<JsonObject> drain() {
    List<JsonObject> messages = new ArrayList<>();
    received.drainTo(messages);
    return messages;
  }

  /** Skips the greeting every socket gets on connect. */
  public TestSocket afterGreeting() {
    JsonObject greeting = next();
    if (!"subscribed".equals(greeting.getString("type"))) {
      throw new AssertionError("expected the subscribed greeting, got " + greeting);
    }
    return this;
  }

  /** Waits for the server to close the socket and returns the close code. */
  public short awaitClose() {
    try {
      return closed.get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket was not closed within 15 s", e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public void close() {
    RunningHub.await(socket.close());
    RunningHub.await(client.close());
  }
}
