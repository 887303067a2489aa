package com.incidenthub.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand on a plain TCP socket, so that a test can send frames no library would: invalid
 * UTF-8, invalid close codes, unmasked frames, messages in any fragmentation.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CONTINUATION = 0;
  public static final int CLOSE = 8;
  public static final int PING = 9;
  public static final int PONG = 10;

  private final Socket socket;
  private final DataInputStream in;

  private RawWebSocket(Socket socket, DataInputStream in) {
    this.socket = socket;
    this.in = in;
  }

  /** Connects to {@code path} and completes the opening handshake; fails unless the server answers 101. */
  public static RawWebSocket open(int port, String path) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        head.write(in.readUnsignedByte());
      }
      if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101 ")) {
        throw new AssertionError("the upgrade was refused: " + head);
      }
      return new RawWebSocket(socket, in);
    } catch (IOException e) {
      throw new AssertionError("cannot open a WebSocket on " + path, e);
    }
  }

  public RawWebSocket sendText(String text) {
    return send(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** One masked frame, as a client must send it. */
  public RawWebSocket send(int opcode, byte[] payload, boolean fin) {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return write(header(opcode, payload.length, fin, true), mask, masked);
  }

  /** A frame without the mask every client frame must carry (RFC 6455, 5.1). */
  public RawWebSocket sendUnmasked(int opcode, byte[] payload) {
    return write(header(opcode, payload.length, true, false), new byte[0], payload);
  }

  /** Bytes as they are, for frames no method here would build. */
  public RawWebSocket sendRaw(byte[] bytes) {
    return write(new byte[0], new byte[0], bytes);
  }

  /** A close frame with {@code code} and no reason. */
  public RawWebSocket sendClose(int code) {
    return send(CLOSE, new byte[] {(byte) (code >> 8), (byte) code}, true);
  }

  /** The next frame from the server, waiting up to five seconds. */
  public Frame next() {
    try {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      return new Frame(first & 0x0f, payload);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame within 5 s", e);
    } catch (IOException e) {
      throw new AssertionError("the connection ended without a frame (as a client would see 1006)", e);
    }
  }

  /** Skips text frames until the server's close frame, and checks that the server then ends the connection. */
  public Frame awaitClose() {
    Frame frame = next();
    while (frame.opcode() != CLOSE) {
      frame = next();
    }
    try {
      if (in.read() != -1) {
        throw new AssertionError("the server sent more after its close frame");
      }
    } catch (EOFException e) {
      // ended, as it should
    } catch (IOException e) {
      // reset after the close frame: ended too
    }
    return frame;
  }

  private static byte[] header(int opcode, int length, boolean fin, boolean masked) {
    ByteBuffer header = ByteBuffer.allocate(10);
    header.put((byte) ((fin ? 0x80 : 0) | opcode));
    int maskBit = masked ? 0x80 : 0;
    if (length < 126) {
      header.put((byte) (maskBit | length));
    } else if (length < 65536) {
      header.put((byte) (maskBit | 126)).putShort((short) length);
    } else {
      header.put((byte) (maskBit | 127)).putLong(length);
    }
    byte[] bytes = new byte[header.position()];
    header.flip().get(bytes);
    return bytes;
  }

  private RawWebSocket write(byte[] header, byte[] mask, byte[] payload) {
    try {
      var out = socket.getOutputStream();
      out.write(header);
      out.write(mask);
      out.write(payload);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new AssertionError("cannot send a frame", e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A frame from the server. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public int closeCode() {
      return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
    }

    public String closeReason() {
      return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }
}
