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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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
  }

  private final EventLoops loops;
  private final Target target;
  private final WebSocketClient client;
  private final Slot[] slots;
  private final AtomicInteger subscribed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger closedUnexpectedly = new AtomicInteger();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closeCodes = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /**
   * @param compression offer permessage-deflate, as browsers do; off by default because it changes what is
   *                    measured (the server then deflates every frame for every socket)
   */
  SocketFleet(EventLoops loops, Target target, int count, boolean compression) {
    this.loops = loops;
    this.target = target;
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
      String query = queryFor.apply(i);
      loops.pick(i).runOnContext(v -> connect(index, query, listener, handshakes, settled));
    }
    while (!settled.await(1, TimeUnit.SECONDS)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      progress.run();
    }
    return subscribed.get() == slots.length;
  }

  private void connect(int index, String query, MessageListener listener, Semaphore handshakes,
                       CountDownLatch settled) {
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
    client.connect(target.socket(query)).onComplete(ar -> {
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
          listener.onMessage(index, text, System.nanoTime());
          return;
        }
        String type = typeOf(text);
        if ("subscribed".equals(type)) {
          subscribed.incrementAndGet();
        } else {
          fail("first message was '" + type + "', expected 'subscribed'");
          ws.close();
        }
        settle.run();
      });
      ws.exceptionHandler(e -> failures.computeIfAbsent("socket error: " + e.getClass().getSimpleName(),
          k -> new LongAdder()).increment());
      ws.closeHandler(v -> {
        if (!slot.settled) {
          fail("closed before subscribed (code " + ws.closeStatusCode() + ")");
          settle.run();
        } else if (!closing) {
          closedUnexpectedly.incrementAndGet();
          closeCodes.computeIfAbsent(String.valueOf(ws.closeStatusCode()), k -> new LongAdder()).increment();
        }
      });
    });
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

  /** Closes every socket and waits (bounded) for the close handshakes. */
  void closeAll() {
    closing = true;
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
        .put("failures", counts(failures));
  }

  static JsonObject counts(Map<String, LongAdder> map) {
    JsonObject json = new JsonObject();
    new TreeMap<>(map).forEach((k, v) -> json.put(k, v.sum()));
    return json;
  }
}
