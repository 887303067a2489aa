package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("SharedFrame: one change's text frame, encoded once for every socket")
class SharedFrameTest {

  @ParameterizedTest(name = "{0} characters")
  @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 200_000})
  @DisplayName("decodes as a final text frame of the same text, whichever length field it needs")
  void decodesAsTheText(int length) {
    String text = "x".repeat(length);

    TextWebSocketFrame decoded = decode(SharedFrame.encode(text));

    assertTrue(decoded.isFinalFragment());
    assertEquals(0, decoded.rsv());
    assertEquals(text, decoded.text());
    decoded.release();
  }

  @Test
  @DisplayName("its length counts UTF-8 bytes, not characters")
  void utf8Length() {
    // 63 two-byte characters: 126 bytes, one past the longest 7-bit length.
    String text = "é".repeat(63);
    ByteBuf frame = SharedFrame.encode(text);

    assertEquals(0x81, frame.getUnsignedByte(0));
    assertEquals(126, frame.getUnsignedByte(1));
    assertEquals(126, frame.getUnsignedShort(2));
    assertEquals(4 + 126, frame.readableBytes());
    assertEquals(text, decode(frame).text());
  }

  @Test
  @DisplayName("every socket gets the same bytes, and the buffer is free once the hub and every write let go")
  void sharedByEverySocket() {
    EmbeddedChannel first = socketChannel();
    EmbeddedChannel second = socketChannel();
    SharedFrame frame = new SharedFrame("{\"type\":\"incident.created\"}");

    sink(first).write(frame);
    sink(second).write(frame);
    ByteBuf toFirst = first.readOutbound();
    ByteBuf toSecond = second.readOutbound();

    ByteBuf expected = SharedFrame.encode("{\"type\":\"incident.created\"}");
    assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(toFirst));
    expected.release();
    assertEquals(ByteBufUtil.hexDump(toFirst), ByteBufUtil.hexDump(toSecond));
    ByteBuf shared = toFirst.unwrap();
    assertSame(shared, toSecond.unwrap(), "one buffer under both writes");
    assertTrue(shared.isDirect());
    assertEquals(3, shared.refCnt(), "the hub's reference and one per write");
    frame.release();
    toFirst.release();
    assertEquals(1, shared.refCnt());
    toSecond.release();
    assertEquals(0, shared.refCnt());
  }

  @Test
  @DisplayName("a socket whose outbound buffer is over its high-water mark is full")
  void fullWhenUnwritable() {
    EmbeddedChannel channel = socketChannel();
    SharedFrame.Sink sink = sink(channel);
    assertFalse(sink.full());

    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

    assertTrue(sink.full());
  }

  /** A channel with a handler named as Vert.x names a WebSocket connection's, the context frames are written from. */
  private static EmbeddedChannel socketChannel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
    return channel;
  }

  private static SharedFrame.Sink sink(EmbeddedChannel channel) {
    return new SharedFrame.Sink(null, channel.pipeline().context("handler"));
  }

  private static TextWebSocketFrame decode(ByteBuf frame) {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
    client.writeInbound(frame);
    TextWebSocketFrame decoded = client.readInbound();
    assertFalse(client.finish(), "one frame, nothing left over");
    return decoded;
  }
}
