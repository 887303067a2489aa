package com.incidenthub.realtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** One dashboard's socket: the channels it follows and whether it answered the last ping. */
final class SocketSession {
  private static final Buffer PING = Buffer.buffer("hub");

  private final ServerWebSocket socket;
  private final SortedSet<String> channels = new TreeSet<>();
  private boolean awaitingPong;

  SocketSession(ServerWebSocket socket, Collection<String> channels) {
    this.socket = socket;
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
    if (channels.contains(ChannelList.EVERY_CHANNEL)) {
      return;
    }
    if (names.contains(ChannelList.EVERY_CHANNEL)) {
      channels.clear();
      channels.add(ChannelList.EVERY_CHANNEL);
    } else {
      channels.addAll(names);
    }
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
    send(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE").put("message", message));
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
