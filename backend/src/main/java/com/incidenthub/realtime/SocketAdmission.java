package com.incidenthub.realtime;

import io.vertx.ext.web.RoutingContext;

/** Whether a request may open one more socket, decided at the upgrade by whoever counts its client's sockets. */
@FunctionalInterface
public interface SocketAdmission {
  /**
   * Takes a place for the socket this request asks for and returns what gives it back, which the endpoint runs once
   * when the socket closes or the upgrade fails; throws a {@code HubException} when the client has no place left.
   */
  Runnable admit(RoutingContext ctx);
}
