package com.incidenthub.realtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client's socket: what it follows, whether it answered the last ping, how fast it may send, what gives its place
 * back when it closes, and, while it resumes, what waits for it. A resuming socket is not live: the changes released
 * meanwhile are held, then written after the replay, so that the client gets every change once and in order.
 */
final class SocketSession {
  private static final Buffer PING = Buffer.buffer("hub");

  private final ServerWebSocket socket;
  private final SharedFrame.Sink sink;
  private final SocketLimits.MessageRate messageRate;
  private final Runnable release;
  private final Subscription subscription = new Subscription();
  private boolean awaitingPong;
  /** Non-null while the socket resumes. */
  private CatchUp catchUp;

  SocketSession(ServerWebSocket socket, SharedFrame.Sink sink, SocketLimits.MessageRate messageRate, Runnable release) {
    this.socket = socket;
    this.sink = sink;
    this.messageRate = messageRate;
    this.release = release;
  }

  ServerWebSocket socket() {
    return socket;
  }

  String remote() {
    return String.valueOf(socket.remoteAddress());
  }

  Subscription subscription() {
    return subscription;
  }

  /**
   * Sends the frame, or reports that the peer has stopped reading (its write queue is full). A socket that closed but
   * whose close the hub has not handled yet takes nothing: writing to it would throw, and stop the fan-out of this
   * frame to the sockets after it.
   */
  boolean offer(String frame) {
    if (socket.isClosed()) {
      return true;
    }
    if (socket.writeQueueFull()) {
      return false;
    }
    socket.writeTextMessage(frame);
    return true;
  }

  /** Sends a change's frame, encoded once for every socket that gets it; otherwise as {@link #offer(String)}. */
  boolean offer(SharedFrame frame) {
    if (socket.isClosed()) {
      return true;
    }
    if (sink.full()) {
      return false;
    }
    sink.write(frame);
    return true;
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
    if (socket.isClosed()) {
      return true;
    }
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

  // ---- resuming ------------------------------------------------------------------------------------------------

  boolean resuming() {
    return catchUp != null;
  }

  void beginResume() {
    catchUp = new CatchUp();
  }

  /** Keeps a change released while the replay is prepared or written; false when too much has piled up. */
  boolean hold(IncidentEvents.Event event, int limit) {
    if (!catchUp.replayReady) {
      catchUp.held.add(event);
    } else if (catchUp.replayed.getOrDefault(event.incidentId(), 0) < event.version()) {
      catchUp.toWrite.add(event.frame());
    }
    return catchUp.held.size() + catchUp.toWrite.size() <= limit;
  }

  /**
   * The replay's frames go first; the changes held so far follow, except a version the replay already carried (or a
   * newer one), and so do those held from now on. A held change the subscription no longer wants is dropped too: the
   * cursor the client resumed with can be ahead of this hub (another node's hub was), and the client has every change
   * up to it.
   */
  void replay(List<String> frames, Map<String, Integer> versions) {
    catchUp.toWrite.addAll(frames);
    catchUp.replayed.putAll(versions);
    catchUp.replayReady = true;
    for (IncidentEvents.Event event : catchUp.held) {
      if (subscription.wants(event.channel(), event.seq())
          && versions.getOrDefault(event.incidentId(), 0) < event.version()) {
        catchUp.toWrite.add(event.frame());
      }
    }
    catchUp.held.clear();
  }

  /**
   * Writes what waits, as fast as the peer reads: when its write queue fills, {@code resume} is called once it drained.
   * Returns true when everything is written.
   */
  boolean writeCaughtUp(Runnable resume) {
    while (!catchUp.toWrite.isEmpty() && !socket.isClosed()) {
      if (socket.writeQueueFull()) {
        socket.drainHandler(drained -> {
          socket.drainHandler(null);
          resume.run();
        });
        return false;
      }
      socket.writeTextMessage(catchUp.toWrite.poll());
    }
    return true;
  }

  /** A message that arrived during the resume, to be handled after it, in order. */
  void queue(Protocol.Request request) {
    catchUp.requests.add(request);
  }

  /** Makes the socket live again; returns the messages that arrived during the resume. */
  List<Protocol.Request> endResume() {
    List<Protocol.Request> queued = List.copyOf(catchUp.requests);
    catchUp = null;
    return queued;
  }

  private static final class CatchUp {
    /** Changes released while the replay is being read, in release order. */
    final List<IncidentEvents.Event> held = new ArrayList<>();
    boolean replayReady;
    /** Frames to write before the socket is live: the replay's, then the held changes'. */
    final ArrayDeque<String> toWrite = new ArrayDeque<>();
    /** Incident id to the version the replay sent: a held change of that version or older is not sent again. */
    final Map<String, Integer> replayed = new HashMap<>();
    final List<Protocol.Request> requests = new ArrayList<>();
  }
}
