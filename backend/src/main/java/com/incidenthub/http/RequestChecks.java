package com.incidenthub.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first handler of every request: refuses what the router and the handlers after it would otherwise misread.
 * A path or query string that is not percent-encoded UTF-8 would fail deep inside route matching, or be decoded
 * with replacement characters; a second Host header, or a transfer coding other than chunked, leaves the request's
 * target or its length in doubt (RFC 9112, 3.2 and 6.1), so that connection is closed after the answer.
 */
public final class RequestChecks {
  private RequestChecks() {}

  public static void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String problem = problem(request);
    if (problem == null) {
      ctx.next();
      return;
    }
    // Answered here, not through ctx.fail(): failure routing matches paths too, and this path may not decode.
    request.response().putHeader("Connection", "close");
    ErrorResponder.respond(request, new HubException(ErrorCode.MALFORMED_REQUEST, problem));
  }

  private static String problem(HttpServerRequest request) {
    String transferEncoding = request.getHeader("Transfer-Encoding");
    if (transferEncoding != null && !transferEncoding.trim().equalsIgnoreCase("chunked")) {
      return "Transfer-Encoding '" + transferEncoding + "' is not understood; send the body with Content-Length or "
          + "Transfer-Encoding: chunked";
    }
    List<String> hosts = request.headers().getAll("Host");
    if (request.version() == HttpVersion.HTTP_1_1 && hosts.size() > 1) {
      return "An HTTP/1.1 request must have exactly one Host header; this one has " + hosts.size();
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    if (!isPercentEncodedUtf8(path)) {
      return "The path is not valid: only visible ASCII characters and %XX escapes of UTF-8 are allowed";
    }
    if (query >= 0 && !isPercentEncodedUtf8(uri.substring(query + 1))) {
      return "The query string is not valid: only visible ASCII characters and %XX escapes of UTF-8 are allowed";
    }
    return null;
  }

  /** Visible ASCII with every {@code %XX} escape well formed, and the bytes they stand for valid UTF-8. */
  static boolean isPercentEncodedUtf8(String text) {
    byte[] bytes = new byte[text.length()];
    int length = 0;
    boolean escaped = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
      if (c == '%') {
        int high = i + 2 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
        int low = high >= 0 ? hexDigit(text.charAt(i + 2)) : -1;
        if (low < 0) {
          return false;
        }
        bytes[length++] = (byte) (high << 4 | low);
        escaped = true;
        i += 2;
      } else {
        bytes[length++] = (byte) c;
      }
    }
    if (!escaped) {
      return true;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }
}
