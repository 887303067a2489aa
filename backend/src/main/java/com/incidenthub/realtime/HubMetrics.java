package com.incidenthub.realtime;

/** What the socket hub counts, for whoever exports it: the hub itself knows no metrics library. */
public interface HubMetrics {
  /** Counts nothing: for a hub run without metrics. */
  HubMetrics NONE = new HubMetrics() {
    @Override
    public void socketOpened() {}

    @Override
    public void socketClosed() {}

    @Override
    public void delivered(int sockets) {}

    @Override
    public void slowConsumerClosed() {}

    @Override
    public void resumed(boolean recovered) {}

    @Override
    public void filled(int changes) {}
  };

  void socketOpened();

  void socketClosed();

  /** One change was written to {@code sockets} live sockets (a resuming socket gets it with its replay). */
  void delivered(int sockets);

  /** A socket that stopped reading was closed (1013) instead of buffered for. */
  void slowConsumerClosed();

  /** A socket resumed from a cursor; {@code recovered}: whether everything it had missed could be sent. */
  void resumed(boolean recovered);

  /** The hub filled in {@code changes} changes from the store that the event bus had not brought it. */
  void filled(int changes);
}
