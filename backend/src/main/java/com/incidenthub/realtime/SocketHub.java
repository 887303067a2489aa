package com.incidenthub.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every WebSocket of this instance: subscriptions, the client protocol, liveness pings and back-pressure.
 * It is the only writer to sockets; it learns of incidents from one event bus consumer.
 */
public final class SocketHub {
  private static final Logger LOG = LoggerFactory.getLogger(SocketHub.class);
  private static final short TRY_AGAIN_LATER = 1013;
  private static final short POLICY_VIOLATION = 1008;
  private static final int WRITE_QUEUE_MAX_BYTES = 256 * 1024;
  private static final int REMEMBERED_INCIDENTS = 10_000;
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final Duration pingInterval;
  private final SocketLimits limits;
  private final Set<SocketSession> sessions = new HashSet<>();
  private final Map<String, Set<SocketSession>> byChannel = new HashMap<>();
  private final Map<String, Integer> deliveredVersions = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > REMEMBERED_INCIDENTS;
    }
  };
  private MessageConsumer<String> consumer;
  private long pingTimer;

  public SocketHub(Vertx vertx, Duration pingInterval, SocketLimits limits) {
    this.vertx = vertx;
    this.pingInterval = pingInterval;
    this.limits = limits;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(IncidentEvents.ADDRESS,
        message -> deliver(IncidentEvents.Event.of(message)));
    pingTimer = vertx.setPeriodic(pingInterval.toMillis(), tick -> pingAll());
    return consumer.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(pingTimer);
    return consumer.unregister();
  }

  public int connections() {
    return sessions.size();
  }

  SocketLimits limits() {
    return limits;
  }

  /** Takes over an upgraded socket; {@code release} runs once when it is gone. */
  public void accept(ServerWebSocket socket, Collection<String> channels, Runnable release) {
    SocketSession session = new SocketSession(socket, channels, limits.messageRates().get(), release);
    socket.setWriteQueueMaxSize(WRITE_QUEUE_MAX_BYTES);
    socket.textMessageHandler(text -> onMessage(session, text));
    socket.binaryMessageHandler(binary -> {
      if (withinMessageRate(session)) {
        session.sendError("Only JSON text frames are understood");
      }
    });
    socket.pongHandler(pong -> session.alive());
    socket.exceptionHandler(failure -> LOG.debug("WebSocket {} failed", session.remote(), failure));
    socket.closeHandler(closed -> remove(session, "closed"));
    sessions.add(session);
    index(session);
    LOG.info("WebSocket connected from {} to {}; {} open", session.remote(), session.channels(), sessions.size());
    session.sendSubscribed();
  }

  private void onMessage(SocketSession session, String text) {
    if (!withinMessageRate(session)) {
      return;
    }
    session.alive();
    if (utf8Length(text) > MAX_MESSAGE_BYTES) {
      session.sendError("Messages must be at most " + MAX_MESSAGE_BYTES + " bytes");
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      session.sendError("Messages must be JSON objects");
      return;
    }
    String type = message.getValue("type") instanceof String value ? value : null;
    if ("ping".equals(type)) {
      session.send(new JsonObject().put("type", "pong"));
    } else if ("subscribe".equals(type) || "unsubscribe".equals(type)) {
      changeSubscription(session, type, message.getValue("channels"));
    } else {
      session.sendError("Unknown message type " + (type == null ? "(missing)" : "'" + type + "'")
          + "; expected subscribe, unsubscribe or ping");
    }
  }

  /** False for a closed socket, and for one that just went over its message rate, which this closes. */
  private boolean withinMessageRate(SocketSession session) {
    if (!sessions.contains(session)) {
      return false;
    }
    if (session.withinMessageRate()) {
      return true;
    }
    LOG.warn("WebSocket {} sent messages faster than its rate allows; closing it with {}", session.remote(),
        POLICY_VIOLATION);
    remove(session, "too many messages");
    session.socket().close(POLICY_VIOLATION, "Too many messages");
    return false;
  }

  /** Only a long text can exceed the limit, so the common short message is never encoded just to be measured. */
  private static int utf8Length(String text) {
    return text.length() <= MAX_MESSAGE_BYTES / 3 ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
  }

  private void changeSubscription(SocketSession session, String type, Object channels) {
    Optional<List<String>> parsed = ChannelList.fromJson(channels);
    if (parsed.isEmpty()) {
      session.sendError("channels must be a non-empty array of " + ChannelList.RULE);
      return;
    }
    List<String> names = parsed.get();
    int after = "subscribe".equals(type) ? session.channelsAfterSubscribing(names) : 0;
    if (after > limits.maxChannels()) {
      session.sendError("LIMIT_EXCEEDED", "A socket may follow at most " + limits.maxChannels() + " channels; this "
          + "subscribe would make it " + after + ", so nothing was changed");
      return;
    }
    unindex(session);
    if ("subscribe".equals(type)) {
      session.subscribe(names);
    } else {
      session.unsubscribe(names);
    }
    index(session);
    session.sendSubscribed();
  }

  private void deliver(IncidentEvents.Event event) {
    Integer delivered = deliveredVersions.get(event.incidentId());
    if (delivered != null && delivered >= event.version()) {
      return;
    }
    deliveredVersions.put(event.incidentId(), event.version());
    List<SocketSession> tooSlow = new ArrayList<>();
    sendTo(byChannel.get(ChannelList.EVERY_CHANNEL), event.frame(), tooSlow);
    sendTo(byChannel.get(event.channel()), event.frame(), tooSlow);
    tooSlow.forEach(this::closeSlow);
  }

  private static void sendTo(Set<SocketSession> subscribers, String frame, List<SocketSession> tooSlow) {
    if (subscribers == null) {
      return;
    }
    for (SocketSession session : subscribers) {
      if (!session.offer(frame)) {
        tooSlow.add(session);
      }
    }
  }

  private void closeSlow(SocketSession session) {
    LOG.warn("WebSocket {} stopped reading (write queue full); closing it with {}", session.remote(), TRY_AGAIN_LATER);
    remove(session, "too slow");
    session.socket().close(TRY_AGAIN_LATER, "Too slow: the write queue is full");
  }

  private void pingAll() {
    List<SocketSession> dead = sessions.stream().filter(session -> !session.ping()).toList();
    dead.forEach(session -> {
      LOG.info("WebSocket {} did not answer a ping within {} s; closing it", session.remote(), pingInterval.toSeconds());
      remove(session, "unresponsive");
      session.socket().close();
    });
  }

  private void remove(SocketSession session, String reason) {
    if (sessions.remove(session)) {
      unindex(session);
      session.release();
      LOG.info("WebSocket {} disconnected ({}); {} open", session.remote(), reason, sessions.size());
    }
  }

  private void index(SocketSession session) {
    session.channels().forEach(channel -> byChannel.computeIfAbsent(channel, key -> new HashSet<>()).add(session));
  }

  private void unindex(SocketSession session) {
    session.channels().forEach(channel -> {
      Set<SocketSession> subscribers = byChannel.get(channel);
      subscribers.remove(session);
      if (subscribers.isEmpty()) {
        byChannel.remove(channel);
      }
    });
  }
}
