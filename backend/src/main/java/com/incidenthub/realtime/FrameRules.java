package com.incidenthub.realtime;

import com.incidenthub.http.Pipelines;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 6455 rules Vert.x leaves to the application, on one upgraded connection. Text must be UTF-8, or the socket
 * is closed with 1007. A message may not outgrow {@link SocketEndpoint#MAX_FRAME_BYTES}, in one frame (Netty's
 * decoder) or in fragments (assembled here into one frame before Vert.x sees it), or it is closed with 1009. A frame
 * that breaks the protocol otherwise (an invalid close code, an unmasked frame, a reserved opcode) is closed with
 * 1002, a close reason that is not UTF-8 with 1007. Each ends with a close frame naming the reason; Vert.x would have
 * dropped an oversized fragmented message without a word, passed invalid UTF-8 on as replacement characters, and cut
 * the TCP connection on a protocol error with no close frame at all.
 */
final class FrameRules extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrameRules.class);
  /** A close frame's reason may hold 123 bytes (RFC 6455, 5.5). */
  private static final int MAX_REASON_LENGTH = 123;
  /** The last of the private-use close codes (RFC 6455, 7.4.2). */
  private static final int MAX_CLOSE_CODE = 4999;

  /** The message being received in fragments, or null. */
  private ByteBuf fragments;
  private boolean fragmentsAreText;
  private boolean closing;

  private FrameRules() {}

  /** Adds the rules to a connection just upgraded, before Vert.x's handler reads its first frame. */
  static void install(HttpConnection upgraded) {
    Pipelines.of(upgraded).ifPresent(pipeline -> {
      pipeline.addBefore("handler", "utf8", new Utf8FrameValidator(false));
      pipeline.addBefore("handler", "frameRules", new FrameRules());
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (closing) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (message instanceof CloseWebSocketFrame close && !isValidClose(close)) {
      WebSocketCloseStatus status = isUtf8(close.content(), 2) ? WebSocketCloseStatus.PROTOCOL_ERROR
          : WebSocketCloseStatus.INVALID_PAYLOAD_DATA;
      String reason = status == WebSocketCloseStatus.PROTOCOL_ERROR ? "Invalid close code " + close.statusCode()
          : "The close reason is not UTF-8";
      close.release();
      close(ctx, status.code(), reason);
      return;
    }
    if (message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame
        || message instanceof ContinuationWebSocketFrame) {
      receive(ctx, (WebSocketFrame) message);
      return;
    }
    ctx.fireChannelRead(message);
  }

  /**
   * Passes a whole message on as one frame, assembling fragments here: Vert.x's own assembly loses a message whose
   * first fragment is empty (and the next one with it), and drops an oversized one without a word.
   */
  private void receive(ChannelHandlerContext ctx, WebSocketFrame frame) {
    boolean first = !(frame instanceof ContinuationWebSocketFrame);
    if (first && frame.isFinalFragment()) {
      // The common case, passed on untouched; Netty's decoder has already held it to the frame limit.
      ctx.fireChannelRead(frame);
      return;
    }
    if (first) {
      fragments = ctx.alloc().buffer();
      fragmentsAreText = frame instanceof TextWebSocketFrame;
    }
    boolean fits = fragments.readableBytes() + frame.content().readableBytes() <= SocketEndpoint.MAX_FRAME_BYTES;
    if (fits) {
      fragments.writeBytes(frame.content());
    }
    frame.release();
    if (!fits) {
      tooBig(ctx);
    } else if (frame.isFinalFragment()) {
      ByteBuf whole = fragments;
      fragments = null;
      ctx.fireChannelRead(fragmentsAreText ? new TextWebSocketFrame(true, 0, whole)
          : new BinaryWebSocketFrame(true, 0, whole));
    }
  }

  private void tooBig(ChannelHandlerContext ctx) {
    close(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
        "Messages must be at most " + SocketEndpoint.MAX_FRAME_BYTES + " bytes");
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseFragments();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      close(ctx, corrupted.closeStatus().code(), corrupted.getMessage());
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void close(ChannelHandlerContext ctx, int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    releaseFragments();
    String text = reason == null ? "" : reason.substring(0, Math.min(reason.length(), MAX_REASON_LENGTH));
    LOG.debug("WebSocket {} broke the protocol; closing it with {}: {}", ctx.channel().remoteAddress(), code, text);
    // ctx.close(), not the channel's: closing through Vert.x would send a second close frame of its own.
    ctx.writeAndFlush(new CloseWebSocketFrame(code, text)).addListener(written -> ctx.close());
  }

  /**
   * What Netty's decoder leaves unchecked in a close frame: a code above 4999, which no range defines, and a reason
   * whose last character is cut off.
   */
  private static boolean isValidClose(CloseWebSocketFrame close) {
    return close.statusCode() <= MAX_CLOSE_CODE && isUtf8(close.content(), 2);
  }

  private static boolean isUtf8(ByteBuf content, int from) {
    if (content.readableBytes() <= from) {
      return true;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(content.nioBuffer(content.readerIndex() + from,
          content.readableBytes() - from));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private void releaseFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }
}
