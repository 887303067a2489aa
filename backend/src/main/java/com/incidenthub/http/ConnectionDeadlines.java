package com.incidenthub.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two deadlines of an HTTP/1.x connection, which Vert.x has no option for. Between requests a connection may be
 * silent for the idle timeout, then it is closed. Once a request's first bytes arrive, the whole request (line,
 * headers and body) must be in within the request timeout, however slowly the bytes trickle: otherwise the client
 * gets 408 and the connection is closed. Vert.x's own idle timeout could not tell the two apart, resets on every
 * byte of a slow body, and would close WebSockets, whose liveness is the hub's ping; so it stays off, and this
 * handler leaves the connection the moment it is upgraded to a WebSocket.
 *
 * <p>It also answers a request of an HTTP version other than 1.0 or 1.1 with 400 in the error shape, which Vert.x
 * would answer with a bare 501.
 *
 * <p>It sits in the pipeline after the HTTP codec, so it sees parsed requests and unencoded responses; the bytes of
 * a request whose head has not been parsed yet show only as a finished read that produced nothing.
 */
public final class ConnectionDeadlines extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);
  private static final long NOT_RECEIVING = Long.MIN_VALUE;

  private final long idleNanos;
  private final long requestNanos;
  private long lastActivity;
  private long requestStarted = NOT_RECEIVING;
  private boolean requestEndedInThisRead;
  private boolean responding;
  private ScheduledFuture<?> check;

  private ConnectionDeadlines(Duration idle, Duration request) {
    this.idleNanos = idle.toNanos();
    this.requestNanos = request.toNanos();
  }

  /** Adds the deadlines to a connection the server has just accepted, before it read anything. */
  public static void install(HttpConnection connection, Duration idle, Duration request) {
    Pipelines.of(connection)
        .filter(pipeline -> pipeline.get("httpEncoder") != null)
        .ifPresent(pipeline -> pipeline.addAfter("httpEncoder", "deadlines", new ConnectionDeadlines(idle, request)));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    lastActivity = System.nanoTime();
    scheduleCheck(ctx, Math.min(idleNanos, requestNanos));
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelCheck();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelCheck();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    lastActivity = System.nanoTime();
    if (message instanceof HttpRequest request) {
      if (requestStarted == NOT_RECEIVING) {
        requestStarted = lastActivity;
      }
      refuseUnknownVersion(request);
    }
    if (message instanceof LastHttpContent) {
      requestStarted = NOT_RECEIVING;
      requestEndedInThisRead = true;
    }
    ctx.fireChannelRead(message);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lastActivity = System.nanoTime();
    if (requestStarted == NOT_RECEIVING && !requestEndedInThisRead) {
      // Bytes arrived and made no whole request head yet: a request has begun.
      requestStarted = lastActivity;
    }
    requestEndedInThisRead = false;
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    lastActivity = System.nanoTime();
    if (message instanceof HttpResponse response && response.status().code() == 101) {
      // Upgraded to a WebSocket: from now on the hub's pings decide whether the connection lives.
      ctx.write(message, promise);
      ctx.pipeline().remove(this);
      return;
    }
    boolean interim = message instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (!interim) {
      if (message instanceof HttpResponse) {
        responding = true;
      }
      if (message instanceof LastHttpContent) {
        responding = false;
      }
    }
    ctx.write(message, promise);
  }

  /** Vert.x serves only 1.0 and 1.1; a parse failure sends any other version to the invalid-request handler. */
  private static void refuseUnknownVersion(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0 && request.decoderResult().isSuccess()) {
      request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
          "HTTP version " + version.text() + " is not served; use HTTP/1.1")));
    }
  }

  /**
   * Runs at least every request timeout, so a request that begins between two runs is caught at its own deadline,
   * without rescheduling on every request.
   */
  private void check(ChannelHandlerContext ctx) {
    long now = System.nanoTime();
    if (requestStarted != NOT_RECEIVING) {
      long left = requestStarted + requestNanos - now;
      if (left <= 0) {
        timeOut(ctx);
        return;
      }
      scheduleCheck(ctx, left);
    } else if (!responding) {
      long left = lastActivity + idleNanos - now;
      if (left <= 0) {
        LOG.debug("Closing the idle connection from {} after {} s", ctx.channel().remoteAddress(),
            TimeUnit.NANOSECONDS.toSeconds(idleNanos));
        ctx.close();
        return;
      }
      scheduleCheck(ctx, Math.min(left, requestNanos));
    } else {
      scheduleCheck(ctx, requestNanos);
    }
  }

  private void timeOut(ChannelHandlerContext ctx) {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(requestNanos);
    if (responding) {
      // Half an answer is already on its way; a 408 cannot follow it.
      LOG.info("{} did not send a whole request within {} s; closed the connection", ctx.channel().remoteAddress(),
          seconds);
      ctx.close();
      return;
    }
    LOG.info("{} did not send a whole request within {} s; answered 408 and closed the connection",
        ctx.channel().remoteAddress(), seconds);
    byte[] body = new HubException(ErrorCode.REQUEST_TIMEOUT, "The request did not arrive whole within " + seconds
        + " s").toJson().encode().getBytes(StandardCharsets.UTF_8);
    FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
        Unpooled.wrappedBuffer(body));
    answer.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(answer).addListener(written -> ctx.close());
  }

  private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
    check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void cancelCheck() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }
}
