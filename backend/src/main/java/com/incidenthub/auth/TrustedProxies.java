package com.incidenthub.auth;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * TRUSTED_PROXIES: the peers (CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed. Behind nginx every
 * connection comes from the proxy, so the client is the right-most X-Forwarded-For entry that is not itself a trusted
 * proxy; anything further left was written by the client and proves nothing. From any other peer the headers are
 * ignored, so a client cannot choose its own address.
 */
public record TrustedProxies(List<Cidr> ranges) {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  public TrustedProxies {
    ranges = List.copyOf(ranges);
  }

  /** {@code 172.30.57.10/32,10.0.0.0/8,::1}: CIDRs or single addresses. */
  public static TrustedProxies parse(Optional<String> setting) {
    List<Cidr> ranges = new ArrayList<>();
    setting.ifPresent(list -> {
      for (String entry : list.split(",", -1)) {
        ranges.add(Cidr.parse(entry.trim()).orElseThrow(() -> new IllegalArgumentException(
            "TRUSTED_PROXIES must be a comma-separated list of addresses or CIDRs such as 10.0.0.0/8, got '"
                + entry.trim() + "'")));
      }
    });
    return new TrustedProxies(ranges);
  }

  /** The address of the client that sent the request, as the trusted proxies in front of us saw it. */
  public String clientAddress(HttpServerRequest request) {
    String peer = peerAddress(request);
    if (!trusts(peer)) {
      return peer;
    }
    List<String> forwarded = forwardedFor(request);
    String client = peer;
    for (int i = forwarded.size() - 1; i >= 0; i--) {
      client = forwarded.get(i);
      if (!trusts(client)) {
        break;
      }
    }
    return client;
  }

  /** {@code http} or {@code https} as the client used it: a trusted proxy's X-Forwarded-Proto, else our own. */
  public String scheme(HttpServerRequest request) {
    String proto = request.getHeader("X-Forwarded-Proto");
    if (proto != null && trusts(peerAddress(request))) {
      String first = proto.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (first.equals("http") || first.equals("https")) {
        return first;
      }
    }
    return request.isSSL() ? "https" : "http";
  }

  private boolean trusts(String address) {
    if (ranges.isEmpty()) {
      return false;
    }
    byte[] bytes = Cidr.bytes(address);
    return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
  }

  private static String peerAddress(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
  }

  private static List<String> forwardedFor(HttpServerRequest request) {
    List<String> entries = new ArrayList<>();
    for (String header : request.headers().getAll("X-Forwarded-For")) {
      Arrays.stream(header.split(",")).map(String::trim).filter(entry -> !entry.isEmpty()).forEach(entries::add);
    }
    return entries;
  }

  @Override
  public String toString() {
    return ranges.isEmpty() ? "(none)" : String.join(",", ranges.stream().map(Cidr::toString).toList());
  }

  /** An address range; IPv4 addresses mapped into IPv6 count as IPv4. */
  public record Cidr(byte[] network, int prefixLength, String text) {
    static Optional<Cidr> parse(String text) {
      String[] parts = text.split("/", -1);
      byte[] network = bytes(parts[0]);
      if (network == null || parts.length > 2) {
        return Optional.empty();
      }
      int bits = network.length * 8;
      int prefix = bits;
      if (parts.length == 2) {
        if (!parts[1].matches("[0-9]{1,3}") || Integer.parseInt(parts[1]) > bits) {
          return Optional.empty();
        }
        prefix = Integer.parseInt(parts[1]);
      }
      return Optional.of(new Cidr(network, prefix, text));
    }

    /** The address's bytes, or null when the text is no address literal (never a DNS lookup, unlike InetAddress). */
    static byte[] bytes(String address) {
      String literal = address.startsWith("[") && address.endsWith("]")
          ? address.substring(1, address.length() - 1) : address;
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
      if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
        return Arrays.copyOfRange(bytes, 12, 16);
      }
      return bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
      for (int i = 0; i < 10; i++) {
        if (bytes[i] != 0) {
          return false;
        }
      }
      return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefixLength / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixLength % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Cidr that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
