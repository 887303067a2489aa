package com.incidenthub.auth;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The defence against cross-site WebSocket hijacking and cross-site writes: a WebSocket upgrade or a write whose
 * {@code Origin} is neither in ALLOWED_ORIGINS nor the request's own origin is refused with 403, in open mode too.
 * The own origin is the scheme, host and port the request was sent to: its {@code Host} header and, behind a trusted
 * proxy, the proxy's {@code X-Forwarded-Proto}. Requests without {@code Origin} (curl, k6, services) pass: browsers
 * always send one on these requests.
 */
public final class OriginCheck implements Handler<RoutingContext> {
  private final List<Origin> allowed;
  private final TrustedProxies proxies;

  public OriginCheck(List<Origin> allowed, TrustedProxies proxies) {
    this.allowed = List.copyOf(allowed);
    this.proxies = proxies;
  }

  /** ALLOWED_ORIGINS: {@code https://ops.example.com,http://localhost:8080}. */
  public static List<Origin> parseAllowed(Optional<String> setting) {
    List<Origin> origins = new ArrayList<>();
    setting.ifPresent(list -> {
      for (String entry : list.split(",", -1)) {
        origins.add(Origin.parse(entry.trim()).orElseThrow(() -> new IllegalArgumentException(
            "ALLOWED_ORIGINS must be a comma-separated list of origins such as https://ops.example.com "
                + "(scheme, host and optional port; no path), got '" + entry.trim() + "'")));
      }
    });
    return List.copyOf(origins);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader("Origin");
    if (origin == null || !(WriteLimit.isWrite(request.method()) || isWebSocketUpgrade(request))) {
      ctx.next();
      return;
    }
    Optional<Origin> sender = Origin.parse(origin);
    if (sender.isPresent() && (allowed.contains(sender.get()) || sender.equals(ownOrigin(request)))) {
      ctx.next();
      return;
    }
    ctx.fail(new HubException(ErrorCode.FORBIDDEN_ORIGIN, "Pages from " + abbreviate(origin) + " may not write to "
        + "this hub or open its WebSocket; the hub's own origin and ALLOWED_ORIGINS may"));
  }

  private Optional<Origin> ownOrigin(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority == null) {
      return Optional.empty();
    }
    return Optional.of(Origin.of(proxies.scheme(request), authority.host(), authority.port()));
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest request) {
    return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
  }

  private static String abbreviate(String origin) {
    return origin.length() <= 100 ? origin : origin.substring(0, 100) + "…";
  }

  /** A web origin: scheme, host and port, the port always explicit so that http://a and http://a:80 are one. */
  public record Origin(String scheme, String host, int port) {
    static Origin of(String scheme, String host, int port) {
      String lowerScheme = scheme.toLowerCase(Locale.ROOT);
      String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      int explicitPort = port >= 0 ? port : "https".equals(lowerScheme) ? 443 : 80;
      return new Origin(lowerScheme, bareHost.toLowerCase(Locale.ROOT), explicitPort);
    }

    /** An Origin header's value, or an ALLOWED_ORIGINS entry; "null" and anything with a path are no origin. */
    static Optional<Origin> parse(String text) {
      try {
        URI uri = new URI(text);
        boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!web || uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
            || uri.getRawQuery() != null || uri.getRawFragment() != null) {
          return Optional.empty();
        }
        return Optional.of(of(uri.getScheme(), uri.getHost(), uri.getPort()));
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
    }

    @Override
    public String toString() {
      String printedHost = host.contains(":") ? "[" + host + "]" : host;
      return scheme + "://" + printedHost + ":" + port;
    }
  }
}
