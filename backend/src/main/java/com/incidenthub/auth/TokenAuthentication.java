package com.incidenthub.auth;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The first check after the open routes: who is calling. With tokens configured a request needs
 * {@code Authorization: Bearer <token>} (the WebSocket upgrade may send {@code access_token=<token>} in its query
 * instead, since browsers cannot set headers on it); anything else is 401 with {@code WWW-Authenticate: Bearer},
 * unknown paths included, so that the API's shape is not shown to strangers. In open mode everyone is anonymous.
 */
public final class TokenAuthentication implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer";
  private static final String QUERY_TOKEN = "access_token";

  private final AccessTokens tokens;
  private final TrustedProxies proxies;
  private final String socketPath;

  /** @param socketPath the WebSocket endpoint ("/ws"), the one place a token is read from the query */
  public TokenAuthentication(AccessTokens tokens, TrustedProxies proxies, String socketPath) {
    this.tokens = tokens;
    this.proxies = proxies;
    this.socketPath = socketPath;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (tokens.isEmpty()) {
      Caller.anonymous(proxies.clientAddress(ctx.request())).attachTo(ctx);
      ctx.next();
      return;
    }
    String token = presentedToken(ctx);
    AccessTokens.Token known = tokens.find(token).orElseThrow(() -> unauthorized(ctx, "The token is not valid"));
    Caller.of(known).attachTo(ctx);
    ctx.next();
  }

  /**
   * With tokens configured, serves {@code files} (the dashboard's) to a request that carries no token, and passes
   * the rest on: the sign-in page must load before anyone has signed in, while a request for anything else without a
   * token falls through to the 401. With a token, or in open mode, the files are served after the API as usual.
   */
  public Handler<RoutingContext> beforeSignIn(Handler<RoutingContext> files) {
    return ctx -> {
      if (tokens.isEmpty() || hasToken(ctx)) {
        ctx.next();
      } else {
        files.handle(ctx);
      }
    };
  }

  private String presentedToken(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      String[] parts = authorization.trim().split(" +", 2);
      if (parts.length != 2 || !parts[0].equalsIgnoreCase(BEARER)) {
        throw unauthorized(ctx, "Only bearer tokens are accepted: Authorization: Bearer <token>");
      }
      return parts[1];
    }
    String queryToken = queryToken(ctx);
    if (queryToken == null) {
      throw unauthorized(ctx, isSocketPath(ctx)
          ? "This needs a token: send Authorization: Bearer <token>, or access_token=<token> in the query"
          : "This needs a token: send Authorization: Bearer <token>");
    }
    return queryToken;
  }

  private boolean hasToken(RoutingContext ctx) {
    return ctx.request().getHeader("Authorization") != null || queryToken(ctx) != null;
  }

  /** Only the upgrade reads the query: elsewhere a token in a URL would end up in proxies' logs and for nothing. */
  private String queryToken(RoutingContext ctx) {
    return isSocketPath(ctx) ? ctx.request().getParam(QUERY_TOKEN) : null;
  }

  private boolean isSocketPath(RoutingContext ctx) {
    return socketPath.equals(ctx.normalizedPath());
  }

  private static HubException unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", BEARER);
    return new HubException(ErrorCode.UNAUTHORIZED, message);
  }
}
