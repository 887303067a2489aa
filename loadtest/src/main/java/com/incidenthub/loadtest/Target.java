package com.incidenthub.loadtest;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where the hub is: the REST base (root or {@code /api} behind nginx) and the WebSocket endpoint.
 *
 * <p>Only loopback hosts are accepted unless {@code --allow-remote} is given, so a mistyped URL cannot
 * turn the harness against somebody else's server.
 */
final class Target {

  static final String DEFAULT_URL = "http://127.0.0.1:8081";

  final String url;
  final String wsUrl;
  private final String httpHost;
  private final int httpPort;
  private final String basePath;
  private final String wsHost;
  private final int wsPort;
  private final String wsPath;
  private final String authorization;

  private Target(String url, URI http, String wsUrl, URI ws, String token) {
    this.url = url;
    this.wsUrl = wsUrl;
    this.httpHost = http.getHost();
    this.httpPort = http.getPort() > 0 ? http.getPort() : 80;
    this.basePath = stripTrailingSlash(http.getRawPath());
    this.wsHost = ws.getHost();
    this.wsPort = ws.getPort() > 0 ? ws.getPort() : 80;
    this.wsPath = ws.getRawPath() == null || ws.getRawPath().isEmpty() ? "/" : ws.getRawPath();
    this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.trim();
  }

  /**
   * @param wsUrl the socket endpoint, or null for the same host and port as {@code url} with path /ws
   *              (the socket is never under /api, even behind nginx)
   * @param token the bearer token every request and socket sends, or null for a hub in open mode
   */
  static Target of(String url, String wsUrl, boolean allowRemote, String token) {
    URI http = parse(url, "http", "--url");
    if (wsUrl == null) {
      wsUrl = "ws://" + http.getHost() + (http.getPort() > 0 ? ":" + http.getPort() : "") + "/ws";
    }
    URI ws = parse(wsUrl, "ws", "--ws-url");
    if (!allowRemote) {
      requireLoopback(http.getHost(), "--url");
      requireLoopback(ws.getHost(), "--ws-url");
    }
    return new Target(url, http, wsUrl, ws, token);
  }

  /** Request options for {@code path} relative to the REST base, e.g. {@code /incidents}. */
  RequestOptions request(HttpMethod method, String path) {
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setHost(httpHost)
        .setPort(httpPort)
        .setURI(basePath + path)
        .setConnectTimeout(10_000)
        .setIdleTimeout(30_000);
    return authorization == null ? options : options.putHeader("Authorization", authorization);
  }

  /** Connect options for the socket endpoint; {@code query} is appended as is (may be empty). */
  WebSocketConnectOptions socket(String query) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(wsHost)
        .setPort(wsPort)
        .setURI(query.isEmpty() ? wsPath : wsPath + "?" + query)
        .setConnectTimeout(10_000);
    return authorization == null ? options : options.addHeader("Authorization", authorization);
  }

  private static URI parse(String value, String scheme, String option) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + " is not a URL: " + value);
    }
    if (!scheme.equals(uri.getScheme()) || uri.getHost() == null) {
      throw new UsageException(option + " must look like " + scheme + "://host:port/path, got " + value);
    }
    return uri;
  }

  private static void requireLoopback(String host, String option) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new UsageException(option + " host " + host
            + " is not a loopback address; pass --allow-remote to load a server you own elsewhere");
      }
    } catch (UnknownHostException e) {
      throw new UsageException(option + " host " + host + " does not resolve");
    }
  }

  private static String stripTrailingSlash(String path) {
    if (path == null) {
      return "";
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
