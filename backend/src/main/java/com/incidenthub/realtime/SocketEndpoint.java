package com.incidenthub.realtime;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws?channels=a,b&since=<cursor>}: checks the request before the upgrade, so a bad one is an HTTP error
 * rather than a dead socket: first whether the client may open another socket (429), then the request itself (400,
 * or 426 for another WebSocket version).
 */
public final class SocketEndpoint {
  /**
   * The largest frame, and the largest message however fragmented, that the server reads. It sits well above the
   * protocol's 64 KiB message limit, which {@link SocketHub} answers with BAD_MESSAGE on an open socket; beyond it
   * the socket is closed with 1009.
   */
  public static final int MAX_FRAME_BYTES = 1024 * 1024;
  private static final String VERSION = "13";
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
      checkHandshake(ctx);
      channels = requestedChannels(ctx);
      since = since(ctx.queryParams().getAll("since"));
    } catch (RuntimeException refused) {
      release.run();
      throw refused;
    }
    ctx.request().toWebSocket()
        .onSuccess(socket -> {
          FrameRules.install(ctx.request().connection());
          hub.accept(socket, SharedFrame.Sink.of(socket, ctx.request().connection()), channels, since, release);
        })
        .onFailure(failure -> {
          release.run();
          LOG.debug("WebSocket upgrade failed", failure);
        });
  }

  /** The opening handshake's headers (RFC 6455, 4.2.1), which Netty would accept with an invalid key or version 8. */
  private static void checkHandshake(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      throw HubException.invalid("Upgrade", "/ws expects a WebSocket upgrade request");
    }
    if (!hasToken(request.getHeader("Connection"), "upgrade")) {
      throw HubException.invalid("Connection", "A WebSocket upgrade needs Connection: Upgrade");
    }
    if (!VERSION.equals(request.getHeader("Sec-WebSocket-Version"))) {
      ctx.response().putHeader("Sec-WebSocket-Version", VERSION);
      throw new HubException(ErrorCode.UPGRADE_REQUIRED, "Only WebSocket version " + VERSION + " (RFC 6455) is "
          + "spoken; got Sec-WebSocket-Version: " + request.getHeader("Sec-WebSocket-Version"));
    }
    if (!isKey(request.getHeader("Sec-WebSocket-Key"))) {
      throw HubException.invalid("Sec-WebSocket-Key", "Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455, 4.1)");
    }
  }

  private List<String> requestedChannels(RoutingContext ctx) {
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

  private static boolean hasToken(String header, String token) {
    return header != null && Arrays.stream(header.split(",")).anyMatch(part -> part.trim().equalsIgnoreCase(token));
  }

  private static boolean isKey(String key) {
    try {
      return key != null && key.length() == 24 && Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
