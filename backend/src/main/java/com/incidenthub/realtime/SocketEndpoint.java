package com.incidenthub.realtime;

import com.incidenthub.http.HubException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /ws}: checks the request before the upgrade, so a bad one is an HTTP 400 rather than a dead socket. */
public final class SocketEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(SocketEndpoint.class);

  private final SocketHub hub;

  public SocketEndpoint(SocketHub hub) {
    this.hub = hub;
  }

  public void upgrade(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      throw HubException.invalid("Upgrade", "/ws expects a WebSocket upgrade request");
    }
    List<String> channels = ChannelList.fromQuery(ctx.queryParams().get("channels")).orElseThrow(() ->
        HubException.invalid("channels", "channels must be a comma-separated list of " + ChannelList.RULE));
    ctx.request().toWebSocket()
        .onSuccess(socket -> hub.accept(socket, channels))
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
  }
}
