package com.incidenthub.auth;

import static com.incidenthub.http.Responses.methodNotAllowed;
import static com.incidenthub.http.Responses.sendData;

import com.incidenthub.incident.Incident;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Who sent a request, as authentication found it: the actor recorded on what they change (a token's name, or
 * "anonymous" in open mode), their role, and the principal the limits count against (the token's name, or in open
 * mode the client's address).
 */
public record Caller(String actor, Role role, String principal) {
  private static final String KEY = "incident-hub.caller";

  static Caller of(AccessTokens.Token token) {
    return new Caller(token.name(), token.role(), token.name());
  }

  /** Open mode: nobody signs in, so everyone may do everything, and each client address is its own principal. */
  static Caller anonymous(String clientAddress) {
    return new Caller(Incident.ANONYMOUS, Role.ADMIN, clientAddress);
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /**
   * {@code GET /me}: the name and role of the request's token ("anonymous" and "admin" in open mode), so that the
   * dashboard can say who is signed in and enable only what the role allows.
   */
  public static Router addTo(Router router) {
    router.get("/me").handler(ctx -> sendData(ctx, of(ctx).toJson()));
    router.route("/me").handler(methodNotAllowed("GET"));
    return router;
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", actor).put("role", role.label());
  }

  /** The caller authentication attached; every route behind it has one. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException(ctx.request().path() + " is routed before authentication");
    }
    return caller;
  }
}
