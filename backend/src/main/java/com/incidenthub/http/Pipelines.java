package com.incidenthub.http;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import java.util.Optional;

/**
 * The Netty pipeline under an HTTP/1.x server connection, for the few rules Vert.x has no option for. Vert.x's public
 * API does not expose it; its connection implementation does, and this is the one place that relies on that.
 */
public final class Pipelines {
  private Pipelines() {}

  public static Optional<ChannelPipeline> of(HttpConnection connection) {
    return connection instanceof io.vertx.core.http.impl.HttpServerConnection internal
        ? Optional.of(internal.channelHandlerContext().pipeline())
        : Optional.empty();
  }
}
