package com.incidenthub.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The seeded generator of hostile input the fuzz test sends: valid requests and frames first, then mutated the way
 * attackers and buggy clients mutate them. One seed gives one sequence, so a failure replays exactly.
 */
public final class Hostile {
  /** Strings that have broken parsers, validators and stores somewhere. */
  private static final List<String> NASTY = List.of(
      "", " ", "\t", "\n", "\r\n", "\u0000", "a\u0000b", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u2028",
      "\ufeff", "\ufffd", "\uffff", "\ud800", "\udc00", "\udc00\ud800", "\ud83d\ude9a", "e\u0301", "\u202e", "abc\n",
      "abc\r", " abc ", "ABC", "*", "..", ".hidden", "-dash", "a b", "a/b", "a\\b", "%", "%00", "%zz", "$gt",
      "{\"$gt\":\"\"}", "null", "true", "0", "-1", "1e999", "<script>alert(1)</script>", "' OR 1=1 --",
      "../../etc/passwd",
      "\u0661\u0662", "\uff11", "x".repeat(64), "x".repeat(65), "t".repeat(200), "t".repeat(201), "m".repeat(2000),
      "m".repeat(2001), "low", "medium", "high", "open", "acknowledged", "resolved", "general", "warehouse-madrid");
  private static final List<String> FIELDS = List.of("title", "severity", "channel", "message", "status");

  private final Random random;

  public Hostile(long seed) {
    this.random = new Random(seed);
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  public <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  @SafeVarargs
  public final <T> T pickOf(Supplier<T>... makers) {
    return makers[random.nextInt(makers.length)].get();
  }

  /** A body the API accepts. */
  public JsonObject validIncident() {
    JsonObject body = new JsonObject()
        .put("title", pick(List.of("Conveyor 3 jammed", "  Scanner offline\t", "F\u00f6rderband \ud83d\ude9a",
            "t".repeat(1 + nextInt(200)))))
        .put("severity", pick(List.of("low", "medium", "high")));
    if (chance(0.7)) {
      body.put("channel", pick(List.of("general", "dock-1", "warehouse.madrid", "a", "z9_-.", "c".repeat(64))));
    }
    if (chance(0.5)) {
      body.put("message", pick(List.of("", "Belt stopped.\nSecond line\r\n\tindented", "m".repeat(nextInt(2001)))));
    }
    if (chance(0.3)) {
      body.put("status", pick(List.of("open", "acknowledged", "resolved")));
    }
    return body;
  }

  /** A value of any JSON type, often one that breaks a rule. */
  public Object value() {
    return pickOf(
        () -> pick(NASTY),
        () -> pick(NASTY) + pick(NASTY),
        () -> randomText(1 + nextInt(40)),
        () -> nextInt(1000) - 500,
        () -> random.nextDouble(),
        () -> random.nextBoolean(),
        () -> null,
        () -> new JsonArray().add(pick(NASTY)),
        () -> new JsonObject().put("$gt", ""),
        () -> new JsonObject().put(pick(NASTY), pick(NASTY)));
  }

  /** A create body, valid or broken in one to three ways, as the bytes sent. */
  public byte[] incidentBody() {
    JsonObject body = validIncident();
    int mutations = nextInt(3);
    for (int i = 0; i < mutations; i++) {
      String field = pick(FIELDS);
      switch (nextInt(6)) {
        case 0 -> body.put(field, value());
        case 1 -> body.remove(field);
        case 2 -> body.put(pick(List.of("version", "id", "createdAt", "owner", "", "$where", "title ")), value());
        case 3 -> body.put(field, pick(NASTY));
        default -> body.put(field, nudge(body.getValue(field) instanceof String text ? text : "general"));
      }
    }
    byte[] encoded = body.encode().getBytes(StandardCharsets.UTF_8);
    return chance(0.4) ? mutateText(encoded) : encoded;
  }

  /** A valid value with one character added where validators tend not to look: at either end, or inside. */
  public String nudge(String valid) {
    String added = pick(List.of("\n", "\r\n", "\r", "\u0000", " ", "\t", "\u2028", "\u0085", "\u007f", "\ud800",
        "\udc00", "\ufeff", "A", "*", "%00", "\u0301"));
    int at = pick(List.of(0, valid.length(), valid.isEmpty() ? 0 : nextInt(valid.length())));
    return valid.substring(0, at) + added + valid.substring(at);
  }

  /** A status change body, valid or not. */
  public byte[] statusBody() {
    String status = pick(List.of("open", "acknowledged", "resolved"));
    JsonObject body = new JsonObject().put("status", pickOf(() -> status, () -> status, () -> nudge(status),
        this::value));
    if (chance(0.2)) {
      body.put(pick(FIELDS), value());
    }
    byte[] encoded = body.encode().getBytes(StandardCharsets.UTF_8);
    return chance(0.3) ? mutateText(encoded) : encoded;
  }

  /** JSON text made non-strict or broken: comments, duplicates, trailing bytes, bad bytes, deep nesting, truncation. */
  public byte[] mutateText(byte[] json) {
    String text = new String(json, StandardCharsets.UTF_8);
    return switch (nextInt(12)) {
      case 0 -> bytes(text.replaceFirst(",", ", /* c */ "));
      case 1 -> bytes(text + " // c");
      case 2 -> bytes(text.replaceFirst("\\{", "{\"title\":\"dup\","));
      case 3 -> bytes(text + pick(List.of("x", "{}", " ", "\u0000", ",")));
      case 4 -> bytes(text.replace('"', '\''));
      case 5 -> bytes("[".repeat(1 + nextInt(3000)) + text);
      case 6 -> text.isEmpty() ? json : bytes(text.substring(0, nextInt(text.length())));
      case 7 -> bytes(text.replaceFirst("\"title\":\"", "\"title\":\"\\\\ud800"));
      default -> mutateBytes(json);
    };
  }

  /** Bytes flipped, inserted, removed or repeated at random places. */
  public byte[] mutateBytes(byte[] input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(input);
    byte[] bytes = out.toByteArray();
    int edits = 1 + nextInt(3);
    for (int i = 0; i < edits && bytes.length > 0; i++) {
      int at = nextInt(bytes.length);
      bytes = switch (nextInt(5)) {
        case 0 -> replaceAt(bytes, at, (byte) random.nextInt(256));
        case 1 -> insertAt(bytes, at, pick(List.of(new byte[] {0}, new byte[] {'\r'}, new byte[] {'\n'},
            new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0,
                (byte) 0x80}, new byte[] {'%'}, new byte[] {' '}, new byte[] {'"'})));
        case 2 -> removeAt(bytes, at);
        case 3 -> insertAt(bytes, at, Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 1
            + nextInt(16))));
        default -> Arrays.copyOf(bytes, at);
      };
    }
    return bytes;
  }

  /** A query string for GET /incidents: mostly valid parameters, and one hostile name, value or separator. */
  public String query() {
    List<String> parameters = new ArrayList<>();
    int valid = nextInt(4);
    for (int i = 0; i < valid; i++) {
      parameters.add(pick(List.of("channel=general", "channel=dock-1,general", "severity=low,high", "status=open",
          "from=2026-01-01T00:00:00Z", "to=9999-12-31T23:59:59.999Z", "limit=" + (1 + nextInt(500)),
          "offset=" + nextInt(50))));
    }
    if (chance(0.85)) {
      String name = pick(List.of("channel", "severity", "status", "from", "to", "limit", "offset", "from", "to",
          "limit", "LIMIT", "sort", "channel[]", "", "%00", "%zz"));
      parameters.add(nextInt(parameters.size() + 1), chance(0.95) ? name + "=" + queryValue() : name);
    }
    return String.join(pick(List.of("&", "&", "&", "&&", ";")), parameters);
  }

  private String queryValue() {
    return pickOf(
        () -> pick(List.of("general", "dock-1,general", "low", "high,medium", "open,resolved", "1", "500", "501", "0",
            "-1", "+5", "007", "99999999999", "%EF%BC%91", "%D9%A3", "1.5", "abc", "")),
        () -> pick(List.of("2026-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "%2B999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2026-01-01T00:00:00.0000001Z",
            "2026-01-01", "yesterday", "2026-01-01T00:00:00%2B01:00")),
        () -> percentEncode(pick(NASTY)),
        () -> pick(List.of("%", "%z", "%zz", "%FF", "%C0%AF", "%ED%A0%80", "a%00b", "%0A", "+", "%20open")),
        () -> percentEncode(randomText(1 + nextInt(10))));
  }

  /** A request target: known routes, ids, traversal attempts and broken escapes, sometimes with a query. */
  public String path(List<String> knownIds) {
    int segments = 1 + nextInt(3);
    StringBuilder path = new StringBuilder(chance(0.5) ? "" : pick(List.of("/api", "/api/", "")));
    for (int i = 0; i < segments; i++) {
      path.append('/').append(pickOf(
          () -> pick(List.of("incidents", "channels", "health", "ws", "api", "index.html", "js", "main.js",
              "styles.css", "favicon.svg")),
          () -> knownIds.isEmpty() ? "incidents" : pick(knownIds),
          () -> pick(List.of("..", "%2e%2e", "%2E%2E%2F", ".%2e", "%", "%zz", "%FF", "%00", "%2F", "~", "*", "",
              "..%5c..%5cetc%5cpasswd", "%C0%AE%C0%AE", "WEB-INF", ".git", "etc", "passwd")),
          () -> percentEncode(pick(NASTY))));
    }
    if (chance(0.2)) {
      path.append('?').append(query());
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  public String method() {
    return pick(List.of("GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "get"));
  }

  /** A whole HTTP/1.1 request, as text, with one header made hostile. */
  public String requestWithHostileHeader(byte[] body) {
    String method = pick(List.of("POST", "GET", "PATCH"));
    String target = method.equals("POST") ? "/incidents" : pick(List.of("/incidents", "/health", "/channels"));
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    String contentType = "Content-Type: application/json\r\n";
    String length = "Content-Length: " + body.length + "\r\n";
    String host = "Host: 127.0.0.1\r\n";
    String hostile = pick(List.of(
        "Content-Type: " + pick(List.of("text/plain", "application/json; charset=latin1", "application/x-www-form-"
            + "urlencoded", "multipart/form-data; boundary=x", "", "application/json;;", "APPLICATION/JSON")) + "\r\n",
        "Content-Length: " + pick(List.of("-1", "abc", "99999999999999999999", "0", Integer.toString(body.length + 5),
            body.length + ", " + body.length, " " + body.length)) + "\r\n",
        "Transfer-Encoding: " + pick(List.of("chunked", "gzip", "gzip, chunked", "identity", "chunked, gzip", "x"))
            + "\r\n",
        "Content-Encoding: " + pick(List.of("gzip", "deflate", "br", "identity", "bogus", "")) + "\r\n",
        "Expect: " + pick(List.of("100-continue", "200-ok", "", "100-continue, foo")) + "\r\n",
        "Host: " + pick(List.of("", "a b", "x:99999", "[::1", "\u00ff")) + "\r\n",
        "Host: second\r\n",
        "If-Match: " + pick(List.of("\"1\"", "\"+1\"", "W/\"1\"", "*", "\"\"", "\"1\", \"2\"", "1")) + "\r\n",
        "Upgrade: " + pick(List.of("h2c", "websocket", "TLS/1.0")) + "\r\nConnection: Upgrade\r\n",
        "Connection: " + pick(List.of("close", "keep-alive", "Upgrade", "TE, close")) + "\r\n",
        "X-" + randomText(5) + ": " + randomText(20) + "\r\n",
        "X-Long: " + "a".repeat(nextInt(9000)) + "\r\n",
        "Bad Name: value\r\n",
        "X-Folded: a\r\n folded\r\n",
        "X-Nul: a\u0000b\r\n"));
    head.append(hostile.startsWith("Host:") ? "" : host);
    if (!hostile.startsWith("Content-Type:")) {
      head.append(contentType);
    }
    if (!hostile.startsWith("Content-Length:") && !hostile.startsWith("Transfer-Encoding:")) {
      head.append(length);
    }
    head.append(hostile).append("Connection: close\r\n\r\n");
    String bodyText = new String(body, StandardCharsets.ISO_8859_1);
    if (hostile.startsWith("Transfer-Encoding: chunked")) {
      bodyText = Integer.toHexString(body.length) + "\r\n" + bodyText + "\r\n0\r\n\r\n";
    }
    return head + bodyText;
  }

  /** A text frame payload for the socket protocol: commands, often broken. */
  public byte[] socketMessage() {
    JsonObject message = new JsonObject().put("type", pick(List.of("ping", "subscribe", "unsubscribe", "shout", "",
        "PING")));
    if (chance(0.7)) {
      message.put("channels", chance(0.5)
          ? new JsonArray().add(pick(List.of("*", "general", "dock-1"))).add(pick(NASTY))
          : value());
    }
    if (chance(0.2)) {
      message.put("type", value());
    }
    byte[] encoded = message.encode().getBytes(StandardCharsets.UTF_8);
    return chance(0.3) ? mutateBytes(encoded) : encoded;
  }

  /**
   * What one hostile client sends after the handshake: frames built now, sent later, said in words, and the close
   * code RFC 6455 calls for (or {@link SocketClient#STAYS_OPEN}).
   */
  public SocketClient frames() {
    byte[] message = socketMessage();
    int split = message.length == 0 ? 0 : nextInt(message.length);
    byte[] noise = randomBytes(1 + nextInt(64));
    int code = pick(List.of(nextInt(65536), 1000, 1001, 4000, 1005, 999, 5000));
    byte[] reason = chance(0.5) ? new byte[0] : chance(0.5) ? noise : bytes("bye \u00e9");
    int opcode = pick(List.of(3, 4, 5, 6, 7, 11, 12, 13, 14, 15));
    int controlLength = pick(List.of(0, 125, 126, 200));
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int textOutcome = isUtf8(message) ? SocketClient.STAYS_OPEN : 1007;
    return switch (nextInt(14)) {
      case 0, 1, 2 -> new SocketClient("text " + text, textOutcome,
          socket -> socket.send(RawWebSocket.TEXT, message, true));
      case 3 -> new SocketClient("text of random bytes", isUtf8(noise) ? SocketClient.STAYS_OPEN : 1007,
          socket -> socket.send(RawWebSocket.TEXT, noise, true));
      case 4 -> new SocketClient("binary", SocketClient.STAYS_OPEN,
          socket -> socket.send(RawWebSocket.BINARY, noise, true));
      case 5 -> new SocketClient("text in two fragments at " + split + ": " + text, textOutcome, socket -> socket
          .send(RawWebSocket.TEXT, Arrays.copyOfRange(message, 0, split), false)
          .send(RawWebSocket.CONTINUATION, Arrays.copyOfRange(message, split, message.length), true));
      case 6 -> new SocketClient("continuation with nothing to continue", 1002,
          socket -> socket.send(RawWebSocket.CONTINUATION, message, true));
      case 7 -> new SocketClient("ping of " + controlLength + " bytes", controlLength <= 125 ? SocketClient.STAYS_OPEN
          : 1002, socket -> socket.send(RawWebSocket.PING, new byte[controlLength], true));
      case 8 -> new SocketClient("close " + code + " with " + reason.length + " bytes of reason",
          closeAnswer(code, reason),
          socket -> socket.send(RawWebSocket.CLOSE, closePayload(code, reason), true));
      case 9 -> new SocketClient("unmasked text", 1002, socket -> socket.sendUnmasked(RawWebSocket.TEXT, message));
      case 10 -> new SocketClient("opcode " + opcode, 1002, socket -> socket.send(opcode, message, true));
      case 11 -> new SocketClient("a frame declaring 2^40 bytes", 1009,
          socket -> socket.sendRaw(new byte[] {(byte) 0x81, (byte) 0xff, 0, 0, 1, 0, 0, 0, 0, 0}));
      case 12 -> new SocketClient("a new text frame inside a fragmented one", 1002, socket -> socket
          .send(RawWebSocket.TEXT, bytes("{\"type\":"), false).send(RawWebSocket.TEXT, bytes("\"ping\"}"), true));
      default -> new SocketClient("reserved bits set", 1002, socket -> socket.sendRaw(new byte[] {
          (byte) (0xc1 | nextIntOf(noise) << 4 & 0x30), (byte) 0x80, 1, 2, 3, 4}));
    };
  }

  /** One hostile WebSocket client: what it does, in words, and the close code it must get. */
  public record SocketClient(String description, int expectedClose, Consumer<RawWebSocket> action) {
    public static final int STAYS_OPEN = 0;
  }

  /**
   * The answer to a client's close frame: the same code when the frame is valid, else the error of the first rule
   * it breaks, in the order the server checks them (the code's range, the reason's UTF-8, then codes above 4999).
   */
  private static int closeAnswer(int code, byte[] reason) {
    boolean knownRange = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000;
    if (!knownRange) {
      return 1002;
    }
    if (!isUtf8(reason)) {
      return 1007;
    }
    return code <= 4999 ? code : 1002;
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static int nextIntOf(byte[] bytes) {
    return bytes.length == 0 ? 0 : bytes[0];
  }

  private static byte[] closePayload(int code, byte[] reason) {
    byte[] payload = new byte[2 + Math.min(reason.length, 100)];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(reason, 0, payload, 2, payload.length - 2);
    return payload;
  }

  public byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private String randomText(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) pick(List.of(0x20 + nextInt(0x5f), nextInt(0x20), 0x80 + nextInt(0x780),
          0x4e00 + nextInt(0x100), 0xd800 + nextInt(0x800))).intValue());
    }
    return text.toString();
  }

  private static String percentEncode(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      if (Character.isLetterOrDigit(b) && b > 0) {
        encoded.append((char) b);
      } else {
        encoded.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return encoded.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] replaceAt(byte[] bytes, int at, byte value) {
    byte[] copy = bytes.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] insertAt(byte[] bytes, int at, byte[] inserted) {
    byte[] copy = new byte[bytes.length + inserted.length];
    System.arraycopy(bytes, 0, copy, 0, at);
    System.arraycopy(inserted, 0, copy, at, inserted.length);
    System.arraycopy(bytes, at, copy, at + inserted.length, bytes.length - at);
    return copy;
  }

  private static byte[] removeAt(byte[] bytes, int at) {
    byte[] copy = new byte[bytes.length - 1];
    System.arraycopy(bytes, 0, copy, 0, at);
    System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
    return copy;
  }
}
