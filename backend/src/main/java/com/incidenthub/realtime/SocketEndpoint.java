package com.incidenthub.realtime;

import com.incidenthub.http.HubException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws?channels=a,b&since=<cursor>}: checks the request before the upgrade, so a bad one is an HTTP 400
 * rather than a dead socket.
 */
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
    Optional<String> since = since(ctx.queryParams().getAll("since"));
    ctx.request().toWebSocket()
        .onSuccess(socket -> hub.accept(socket, channels, since))
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
  }

  private static Optional<String> since(List<String> values) {
    if (values.size() > 1) {
      throw HubException.invalid("since", "since may be given only once");
    }
    if (values.isEmpty()) {
      return Optional.empty();
    }
    if (!Cursor.isWellFormed(values.get(0))) {
      throw HubException.invalid("since", Protocol.BAD_SINCE);
    }
    return Optional.of(values.get(0));
  }
}
