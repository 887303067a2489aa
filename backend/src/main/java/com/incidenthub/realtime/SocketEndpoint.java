package com.incidenthub.realtime;

import com.incidenthub.http.HubException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws?channels=a,b&since=<cursor>}: checks the request before the upgrade, so a bad one is an HTTP error
 * rather than a dead socket: first whether the client may open another socket (429), then the request itself (400).
 */
public final class SocketEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(SocketEndpoint.class);

  private final SocketHub hub;
  private final SocketAdmission admission;

  public SocketEndpoint(SocketHub hub, SocketAdmission admission) {
    this.hub = hub;
    this.admission = admission;
  }

  public void upgrade(RoutingContext ctx) {
    Runnable release = admission.admit(ctx);
    List<String> channels;
    Optional<String> since;
    try {
      channels = requestedChannels(ctx);
      since = since(ctx.queryParams().getAll("since"));
    } catch (RuntimeException refused) {
      release.run();
      throw refused;
    }
    ctx.request().toWebSocket()
        .onSuccess(socket -> hub.accept(socket, channels, since, release))
        .onFailure(failure -> {
          release.run();
          LOG.debug("WebSocket upgrade failed", failure);
        });
  }

  private List<String> requestedChannels(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      throw HubException.invalid("Upgrade", "/ws expects a WebSocket upgrade request");
    }
    List<String> channels = ChannelList.fromQuery(ctx.queryParams().get("channels")).orElseThrow(() ->
        HubException.invalid("channels", "channels must be a comma-separated list of " + ChannelList.RULE));
    int count = ChannelList.afterSubscribing(List.of(), channels).size();
    if (count > hub.limits().maxChannels()) {
      throw HubException.invalid("channels", "channels may name at most " + hub.limits().maxChannels()
          + " channels per socket, got " + count);
    }
    return channels;
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
