package com.incidenthub.loadtest;

import com.sun.management.UnixOperatingSystemMXBean;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Opens many WebSockets to the hub, a bounded number of handshakes at a time, and keeps count of what
 * happens to them.
 *
 * <p>A socket counts as open only once the server's {@code subscribed} message arrived: that is the moment
 * the server has registered it, so creates sent afterwards must reach it. Every socket is bound to one event
 * loop (round robin) and its state is only touched there.
 */
final class SocketFleet {

  /** Receives every text message after the {@code subscribed} greeting, on the socket's own event loop. */
  interface MessageListener {
    void onMessage(int socket, String text, long receivedNanos);
  }

  private static final long HANDSHAKE_TIMEOUT_MS = 15_000;

  /** Per-socket state; only the socket's event loop writes it (the main thread reads it after a latch). */
  private static final class Slot {
    WebSocket ws;
    boolean settled;
    long timerId = -1;
    /** The node this socket is connected to: an index into the targets. */
    int target;
    /** The channels query of this socket, and the cursor of the last frame it got (null before any). */
    String query;
    String cursor;
    long reconnectTimer = -1;
  }

  private static final String CURSOR_KEY = "\"cursor\":\"";

  private final EventLoops loops;
  private final List<Target> targets;
  private final WebSocketClient client;
  private final Slot[] slots;
  private final AtomicInteger subscribed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger closedUnexpectedly = new AtomicInteger();
  private final AtomicIntegerArray closedByNode;
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closeCodes = new ConcurrentHashMap<>();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder recovered = new LongAdder();
  private final LongAdder notRecovered = new LongAdder();
  private final LongAdder reconnectFailures = new LongAdder();
  private volatile boolean closing;
  /** Mean seconds between a socket's planned reconnects; 0: sockets stay connected. */
  private volatile double reconnectEvery;
  private volatile MessageListener listener;

  /**
   * @param compression offer permessage-deflate, as browsers do; off by default because it changes what is
   *                    measured (the server then deflates every frame for every socket)
   */
  /** Socket {@code i} connects to {@code targets.get(i % n)}, so a fleet spreads evenly over several nodes. */
  SocketFleet(EventLoops loops, List<Target> targets, int count, boolean compression) {
    this.loops = loops;
    this.targets = List.copyOf(targets);
    this.closedByNode = new AtomicIntegerArray(targets.size());
    this.slots = new Slot[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new Slot();
    }
    // The client pools WebSockets per endpoint and queues any beyond maxConnections (50 by default), which
    // would silently serialise the fleet; allow every socket plus room for reconnect attempts.
    this.client = loops.vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(count + 16)
        .setConnectTimeout(10_000)
        .setTcpNoDelay(true)
        .setTryUsePerMessageCompression(compression));
  }

  /**
   * Fails fast with a readable message when this process (or the server, when its pid is known) cannot
   * hold {@code sockets} more file descriptors: otherwise the run dies half-way with "Too many open files".
   */
  static void checkFileLimits(int sockets, ProcStats server) {
    long needed = sockets + 256L;
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() < needed) {
      throw new UsageException("this process may open " + unix.getMaxFileDescriptorCount()
          + " files but " + sockets + " sockets need about " + needed
          + "; raise the limit first (for example `ulimit -n " + Math.max(needed, 20_000) + "` in this shell)");
    }
    if (server != null) {
      long serverLimit = server.maxOpenFiles();
      if (serverLimit >= 0 && serverLimit < needed) {
        throw new UsageException("the server (pid " + server.pid() + ") may open " + serverLimit
            + " files but " + sockets + " sockets need about " + needed
            + "; restart it from a shell with a higher `ulimit -n`");
      }
    }
  }

  /**
   * Opens every socket, at most {@code batch} handshakes in flight, and blocks the calling (non event loop)
   * thread until each one is subscribed or has failed, or {@code timeoutSeconds} passed.
   *
   * @param queryFor the query string of socket i, e.g. {@code channels=a}; empty for all channels
   * @param progress called about once a second while opening, with a one-line status
   * @return true when every socket is subscribed
   */
  boolean open(IntFunction<String> queryFor, int batch, int timeoutSeconds, MessageListener listener,
               Runnable progress) throws InterruptedException {
    this.listener = listener;
    Semaphore handshakes = new Semaphore(batch);
    CountDownLatch settled = new CountDownLatch(slots.length);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    for (int i = 0; i < slots.length; i++) {
      while (!handshakes.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > deadline) {
          return false;
        }
      }
      if (System.nanoTime() > nextProgress) {
        progress.run();
        nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      }
      int index = i;
      slots[i].query = queryFor.apply(i);
      slots[i].target = i % targets.size();
      loops.pick(i).runOnContext(v -> connect(index, listener, handshakes, settled));
    }
    while (!settled.await(1, TimeUnit.SECONDS)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      progress.run();
    }
    return subscribed.get() == slots.length;
  }

  private void connect(int index, MessageListener listener, Semaphore handshakes, CountDownLatch settled) {
    Slot slot = slots[index];
    Runnable settle = () -> {
      slot.settled = true;
      if (slot.timerId >= 0) {
        loops.vertx.cancelTimer(slot.timerId);
      }
      handshakes.release();
      settled.countDown();
    };
    slot.timerId = loops.vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> {
      slot.timerId = -1;
      if (!slot.settled) {
        fail("no subscribed message within " + HANDSHAKE_TIMEOUT_MS + " ms");
        if (slot.ws != null) {
          slot.ws.close();
        }
        settle.run();
      }
    });
    client.connect(targets.get(slot.target).socket(slot.query)).onComplete(ar -> {
      if (ar.failed()) {
        if (!slot.settled) {
          fail(ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage());
          settle.run();
        }
        return;
      }
      WebSocket ws = ar.result();
      slot.ws = ws;
      ws.textMessageHandler(text -> {
        if (slot.settled) {
          received(index, ws, text, listener);
          return;
        }
        String type = typeOf(text);
        if ("subscribed".equals(type)) {
          subscribed.incrementAndGet();
          slot.cursor = cursorOf(text);
          scheduleReconnect(index, listener);
        } else {
          fail("first message was '" + type + "', expected 'subscribed'");
          ws.close();
        }
        settle.run();
      });
      watch(index, ws, () -> slot.settled, () -> {
        fail("closed before subscribed (code " + ws.closeStatusCode() + ")");
        settle.run();
      });
    });
  }

  /** A frame on the socket's current connection; one still arriving on a connection it dropped is ignored. */
  private void received(int index, WebSocket ws, String text, MessageListener listener) {
    if (slots[index].ws != ws) {
      return;
    }
    String cursor = cursorOf(text);
    if (cursor != null) {
      slots[index].cursor = cursor;
    }
    listener.onMessage(index, text, System.nanoTime());
  }

  /** Counts a close this fleet did not ask for; {@code beforeGreeting} handles one before the first frame. */
  private void watch(int index, WebSocket ws, BooleanSupplier greeted, Runnable beforeGreeting) {
    Slot slot = slots[index];
    ws.exceptionHandler(e -> failures.computeIfAbsent("socket error: " + e.getClass().getSimpleName(),
        k -> new LongAdder()).increment());
    ws.closeHandler(v -> {
      if (slot.ws != ws || closing) {
        return; // closed by this fleet, to reconnect or at the end
      }
      if (!greeted.getAsBoolean()) {
        beforeGreeting.run();
        return;
      }
      closedUnexpectedly.incrementAndGet();
      closedByNode.incrementAndGet(slot.target);
      closeCodes.computeIfAbsent(String.valueOf(ws.closeStatusCode()), k -> new LongAdder()).increment();
    });
  }

  /** From now on every socket drops and resumes after a random time around {@code seconds}; 0 stops that. */
  void reconnectEvery(double seconds) {
    reconnectEvery = seconds;
    for (int i = 0; i < slots.length; i++) {
      int index = i;
      loops.pick(i).runOnContext(v -> {
        if (slots[index].ws != null && slots[index].reconnectTimer < 0) {
          scheduleReconnect(index, listener);
        }
      });
    }
  }

  /** A planned reconnect, at a uniformly random time within twice the mean interval. */
  private void scheduleReconnect(int index, MessageListener listener) {
    double mean = reconnectEvery;
    if (mean <= 0 || closing) {
      return;
    }
    long delay = Math.max(1, (long) (ThreadLocalRandom.current().nextDouble(2 * mean) * 1000));
    slots[index].reconnectTimer = loops.vertx.setTimer(delay, id -> reconnect(index, listener));
  }

  /**
   * Drops the socket and opens a new one to the next node, resuming after the last cursor it got, as a client that
   * lost its connection would; the new socket's first frame tells whether the server could recover the gap.
   */
  private void reconnect(int index, MessageListener listener) {
    Slot slot = slots[index];
    slot.reconnectTimer = -1;
    if (closing || reconnectEvery <= 0) {
      return;
    }
    WebSocket old = slot.ws;
    slot.ws = null;
    if (old != null) {
      old.close();
    }
    reconnects.increment();
    slot.target = (slot.target + 1) % targets.size();
    String query = slot.query + (slot.cursor == null ? "" : (slot.query.isEmpty() ? "" : "&") + "since=" + slot.cursor);
    client.connect(targets.get(slot.target).socket(query)).onComplete(ar -> {
      if (ar.failed()) {
        reconnectFailures.increment();
        failures.computeIfAbsent("reconnect: " + ar.cause().getClass().getSimpleName(), k -> new LongAdder())
            .increment();
        scheduleReconnect(index, listener);
        return;
      }
      WebSocket ws = ar.result();
      slot.ws = ws;
      boolean[] greeted = {false};
      ws.textMessageHandler(text -> {
        if (greeted[0]) {
          received(index, ws, text, listener);
          return;
        }
        greeted[0] = true;
        if (text.contains("\"recovered\":true")) {
          recovered.increment();
        } else {
          notRecovered.increment();
        }
        slot.cursor = cursorOf(text);
        scheduleReconnect(index, listener);
      });
      watch(index, ws, () -> greeted[0], () -> {
        reconnectFailures.increment();
        scheduleReconnect(index, listener);
      });
    });
  }

  /** The value of a frame's cursor; the key follows the incident object, so it is searched from the end. */
  static String cursorOf(String text) {
    int key = text.lastIndexOf(CURSOR_KEY);
    if (key < 0) {
      return null;
    }
    int start = key + CURSOR_KEY.length();
    int end = text.indexOf('"', start);
    return end < 0 ? null : text.substring(start, end);
  }

  private void fail(String reason) {
    failed.incrementAndGet();
    failures.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  private static String typeOf(String text) {
    try {
      return new JsonObject(text).getString("type");
    } catch (RuntimeException e) {
      return "unparseable";
    }
  }

  int subscribed() {
    return subscribed.get();
  }

  int failed() {
    return failed.get();
  }

  int closedUnexpectedly() {
    return closedUnexpectedly.get();
  }

  /** Sockets of {@code node} (the one each was connected to) that closed without this fleet asking. */
  int closedOn(int node) {
    return closedByNode.get(node);
  }

  long reconnects() {
    return reconnects.sum();
  }

  long recovered() {
    return recovered.sum();
  }

  long notRecovered() {
    return notRecovered.sum();
  }

  /** Closes every socket and waits (bounded) for the close handshakes. */
  void closeAll() {
    closing = true;
    for (Slot slot : slots) {
      if (slot.reconnectTimer >= 0) {
        loops.vertx.cancelTimer(slot.reconnectTimer);
      }
    }
    List<Future<?>> closes = new ArrayList<>();
    for (Slot slot : slots) {
      WebSocket ws = slot.ws;
      if (ws != null && !ws.isClosed()) {
        closes.add(ws.close());
      }
    }
    try {
      Future.join(closes).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Some sockets did not finish the close handshake in time; closing Vert.x drops them anyway.
    }
    client.close();
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("requested", slots.length)
        .put("subscribed", subscribed.get())
        .put("failed", failed.get())
        .put("closedDuringRun", closedUnexpectedly.get())
        .put("closeCodes", counts(closeCodes))
        .put("reconnects", reconnects.sum())
        .put("recovered", recovered.sum())
        .put("notRecovered", notRecovered.sum())
        .put("reconnectFailures", reconnectFailures.sum())
        .put("failures", counts(failures));
  }

  static JsonObject counts(Map<String, LongAdder> map) {
    JsonObject json = new JsonObject();
    new TreeMap<>(map).forEach((k, v) -> json.put(k, v.sum()));
    return json;
  }
}
