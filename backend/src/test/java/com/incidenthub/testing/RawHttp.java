package com.incidenthub.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A hand-written HTTP exchange over a plain TCP socket, for the requests no HTTP client would send. */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean closedByServer;

  private RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
  }

  public static RawHttp connect(int port) {
    try {
      return new RawHttp(port);
    } catch (IOException e) {
      throw new AssertionError("cannot connect to port " + port, e);
    }
  }

  /** Sends the bytes of {@code text} as ISO-8859-1, so that every char below 256 is one byte on the wire. */
  public RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new AssertionError("cannot send", e);
    }
  }

  /** Reads until the server closes the connection; fails when it is still open after {@code timeout}. */
  public String untilClosed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closedByServer) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !read(Duration.ofNanos(left))) {
        throw new AssertionError("the server did not close the connection within " + timeout + "; received: "
            + text());
      }
    }
    return text();
  }

  /** Reads one whole response (the head and a Content-Length body); fails when none arrives within five seconds. */
  public Response response() {
    return read(true);
  }

  /** Reads the head of the answer to a HEAD request, which has a Content-Length but never a body. */
  public Response responseToHead() {
    return read(false);
  }

  private Response read(boolean withBody) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      Response response = Response.parse(text(), withBody);
      if (response != null) {
        byte[] all = received.toByteArray();
        received.reset();
        received.write(all, response.length(), all.length - response.length());
        return response;
      }
      long left = deadline - System.nanoTime();
      if (closedByServer || left <= 0 || !read(Duration.ofNanos(left))) {
        throw new AssertionError("no whole response within 5 s; received: " + text());
      }
    }
  }

  public boolean closedByServer() {
    return closedByServer;
  }

  /** True when bytes arrived (or the server closed) within {@code timeout}. */
  private boolean read(Duration timeout) {
    byte[] buffer = new byte[16 * 1024];
    try {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      int count = in.read(buffer);
      if (count < 0) {
        closedByServer = true;
      } else {
        received.write(buffer, 0, count);
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset: the server is gone as surely as after a FIN.
      closedByServer = true;
      return true;
    }
  }

  private String text() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** One response as it came over the wire: header names in lower case, the body decoded as UTF-8. */
  public record Response(int status, Map<String, String> headers, String body, int length) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every whole response in {@code stream}, in order, skipping interim 1xx answers and a partial last one. */
    public static List<Response> all(String stream) {
      List<Response> responses = new ArrayList<>();
      String rest = stream;
      Response next;
      while ((next = parse(rest, true)) != null) {
        if (next.status() >= 200) {
          responses.add(next);
        }
        rest = rest.substring(next.length());
      }
      return responses;
    }

    /** The first whole response at the start of {@code text}, or null when it has not all arrived yet. */
    static Response parse(String text, boolean withBody) {
      int headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        return null;
      }
      String[] lines = text.substring(0, headEnd).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      int bodyStart = headEnd + 4;
      int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
      if (text.length() < bodyStart + length) {
        return null;
      }
      byte[] body = text.substring(bodyStart, bodyStart + length).getBytes(StandardCharsets.ISO_8859_1);
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8),
          bodyStart + length);
    }
  }
}
