package com.incidenthub.realtime;

import com.incidenthub.http.Pipelines;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;

/**
 * One change's text frame, encoded once for every socket of a hub that gets it: the WebSocket header and the UTF-8
 * payload in one pooled direct buffer, of which each socket is written a retained duplicate with a void promise.
 * Written per socket with {@code writeTextMessage}, the same text is encoded, framed and given a promise once per
 * socket: about 540 bytes of garbage per delivery (docs/BENCHMARKS.md). Vert.x 5's public API cannot write one
 * encoded text frame to many sockets: a frame built from a {@code Buffer} is binary, and a frame object is consumed by
 * its first write.
 *
 * <p>This is the one class that writes below Vert.x, to a socket's Netty context: the context Vert.x's internal
 * {@code WebSocketInternal.channelHandlerContext()} returns, reached here through the upgraded connection's pipeline
 * (by the name Vert.x gives its handler there), because vertx-web's socket wrapper does not implement that interface.
 * Vert.x's internal API carries no compatibility promise: on a Vert.x upgrade, SharedFrameTest and the fan-out tests
 * say whether it still holds. What it keeps of Vert.x's rules: frames written this way fill the same outbound buffer
 * whose high-water mark {@code setWriteQueueMaxSize} sets, so a socket that stops reading is still found full (and
 * closed with 1013); Vert.x's own bytes-written meter does not count them.
 */
final class SharedFrame {
  /** FIN and the text opcode (RFC 6455, 5.2): the whole message in one frame. */
  private static final int FINAL_TEXT_FRAME = 0x81;
  private static final int LONGEST_7_BIT_LENGTH = 125;
  private static final int LENGTH_16_BIT = 126;
  private static final int LENGTH_64_BIT = 127;
  /** The name Vert.x gives the handler of an upgraded WebSocket connection in its pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final String text;
  /** Encoded on the first write, so that a change no socket of this hub follows costs nothing. */
  private ByteBuf encoded;

  SharedFrame(String text) {
    this.text = text;
  }

  /** Gives the buffer back to the pool; the duplicates already written hold references of their own. */
  void release() {
    if (encoded != null) {
      encoded.release();
      encoded = null;
    }
  }

  /** The frame as a server sends it: unmasked, uncompressed, in one fragment. */
  static ByteBuf encode(String text) {
    int length = ByteBufUtil.utf8Bytes(text);
    ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(headerLength(length) + length);
    frame.writeByte(FINAL_TEXT_FRAME);
    if (length <= LONGEST_7_BIT_LENGTH) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(LENGTH_16_BIT).writeShort(length);
    } else {
      frame.writeByte(LENGTH_64_BIT).writeLong(length);
    }
    ByteBufUtil.writeUtf8(frame, text);
    return frame;
  }

  private static int headerLength(int payloadLength) {
    return payloadLength <= LONGEST_7_BIT_LENGTH ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
  }

  private ByteBuf encoded() {
    if (encoded == null) {
      encoded = encode(text);
    }
    return encoded;
  }

  /** Where one socket's shared frames go: its Netty context, under Vert.x's write queue. */
  static final class Sink {
    private final ServerWebSocket socket;
    /** Null when the connection had no WebSocket handler any more (it closed during the upgrade). */
    private final ChannelHandlerContext context;

    Sink(ServerWebSocket socket, ChannelHandlerContext context) {
      this.socket = socket;
      this.context = context;
    }

    /** The sink of a socket just upgraded on {@code connection}, called on its event loop. */
    static Sink of(ServerWebSocket socket, HttpConnection connection) {
      return new Sink(socket, Pipelines.of(connection).map(pipeline -> pipeline.context(VERTX_HANDLER)).orElse(null));
    }

    /**
     * Whether the socket's outbound buffer is over the write queue's high-water mark. Vert.x's own
     * {@code writeQueueFull()} turns true only once its queue in front of that buffer fills too, which frames written
     * here never enter; the buffer is where they wait.
     */
    boolean full() {
      return context == null ? socket.writeQueueFull() : !context.channel().isWritable();
    }

    /** Writes the frame and flushes it, as {@code writeTextMessage} would, but without encoding it again. */
    void write(SharedFrame frame) {
      if (context == null) {
        socket.writeTextMessage(frame.text);
      } else {
        context.writeAndFlush(frame.encoded().retainedDuplicate(), context.voidPromise());
      }
    }
  }
}
