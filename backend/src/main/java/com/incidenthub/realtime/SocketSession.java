package com.incidenthub.realtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One dashboard's socket: the channels it follows, whether it answered the last ping, how fast it may send, and what
 * gives its place back when it closes.
 */
final class SocketSession {
  private static final Buffer PING = Buffer.buffer("hub");

  private final ServerWebSocket socket;
  private final SocketLimits.MessageRate messageRate;
  private final Runnable release;
  private SortedSet<String> channels = new TreeSet<>();
  private boolean awaitingPong;

  SocketSession(ServerWebSocket socket, Collection<String> channels, SocketLimits.MessageRate messageRate,
      Runnable release) {
    this.socket = socket;
    this.messageRate = messageRate;
    this.release = release;
    subscribe(channels);
  }

  ServerWebSocket socket() {
    return socket;
  }

  String remote() {
    return String.valueOf(socket.remoteAddress());
  }

  Set<String> channels() {
    return channels;
  }

  /** Adds channels; {@code "*"} absorbs every other name, since it already means all of them. */
  void subscribe(Collection<String> names) {
    channels = ChannelList.afterSubscribing(channels, names);
  }

  /** How many channels the socket would follow after subscribing to {@code names}. */
  int channelsAfterSubscribing(Collection<String> names) {
    return ChannelList.afterSubscribing(channels, names).size();
  }

  void unsubscribe(Collection<String> names) {
    channels.removeAll(names);
  }

  /** Sends the frame, or reports that the peer has stopped reading (its write queue is full). */
  boolean offer(String frame) {
    if (socket.writeQueueFull()) {
      return false;
    }
    socket.writeTextMessage(frame);
    return true;
  }

  void sendSubscribed() {
    send(new JsonObject().put("type", "subscribed").put("channels", new JsonArray(channels.stream().toList())));
  }

  void send(JsonObject message) {
    offer(message.encode());
  }

  void sendError(String message) {
    sendError("BAD_MESSAGE", message);
  }

  void sendError(String code, String message) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message));
  }

  /** Counts one client message against the socket's rate; false when it is one too many. */
  boolean withinMessageRate() {
    return messageRate.allow();
  }

  /** Gives the socket's place back (in its client's socket count); the hub calls it once, on removal. */
  void release() {
    release.run();
  }

  /** Pings the peer; false when it never answered the previous ping, i.e. the connection is dead. */
  boolean ping() {
    if (awaitingPong) {
      return false;
    }
    awaitingPong = true;
    socket.writePing(PING);
    return true;
  }

  void alive() {
    awaitingPong = false;
  }
}
