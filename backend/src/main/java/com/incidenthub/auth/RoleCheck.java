package com.incidenthub.auth;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The role each request needs, decided by method and path in front of every route: the operational paths need admin,
 * reads need viewer, creating an incident needs reporter, and every other write needs operator. Writes that a route
 * table adds later are operator's without anyone having to remember it.
 */
public final class RoleCheck implements Handler<RoutingContext> {
  private final String mountPoint;
  private final Set<String> createPaths;
  private final Set<String> adminPaths;

  /**
   * @param mountPoint  the prefix the API is also served under ("/api"), which does not change what a path needs
   * @param createPaths where a POST creates an incident ("/incidents")
   * @param adminPaths  the operational endpoints, any method ("/metrics")
   */
  public RoleCheck(String mountPoint, Set<String> createPaths, Set<String> adminPaths) {
    this.mountPoint = mountPoint;
    this.createPaths = Set.copyOf(createPaths);
    this.adminPaths = Set.copyOf(adminPaths);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Role needed = needed(ctx);
    if (caller.role().includes(needed)) {
      ctx.next();
      return;
    }
    ctx.fail(new HubException(ErrorCode.FORBIDDEN, "This needs the " + needed.label() + " role; the token '"
        + caller.actor() + "' has the " + caller.role().label() + " role"));
  }

  private Role needed(RoutingContext ctx) {
    // The router matches on the normalized path, so the rules do too: /api//incidents/ is /incidents here as there.
    String path = apiPath(ctx.normalizedPath());
    if (adminPaths.contains(path)) {
      return Role.ADMIN;
    }
    if (!WriteLimit.isWrite(ctx.request().method())) {
      return Role.VIEWER;
    }
    return ctx.request().method() == HttpMethod.POST && createPaths.contains(path) ? Role.REPORTER : Role.OPERATOR;
  }

  private String apiPath(String path) {
    String unmounted = path.startsWith(mountPoint + "/") ? path.substring(mountPoint.length()) : path;
    boolean trailingSlash = unmounted.length() > 1 && unmounted.endsWith("/");
    return trailingSlash ? unmounted.substring(0, unmounted.length() - 1) : unmounted;
  }
}
