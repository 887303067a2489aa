package com.incidenthub.ops;

import static com.incidenthub.http.Responses.methodNotAllowed;
import static com.incidenthub.http.Responses.send;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /health}: 200 while MongoDB answers a ping, 503 while it does not, with the node's open sockets,
 * whether it asks for tokens and, when clustered, how many members the cluster has. It never needs a token itself: probes and load balancers have none.
 */
public final class HealthCheck {
  private static final long MONGO_TIMEOUT_SECONDS = 4;

  private final Supplier<Future<Void>> mongoPing;
  private final IntSupplier websockets;
  private final boolean tokensRequired;
  private final Optional<IntSupplier> clusterMembers;

  public HealthCheck(Supplier<Future<Void>> mongoPing, IntSupplier websockets, boolean tokensRequired,
      Optional<IntSupplier> clusterMembers) {
    this.mongoPing = mongoPing;
    this.websockets = websockets;
    this.tokensRequired = tokensRequired;
    this.clusterMembers = clusterMembers;
  }

  public Router addTo(Router router) {
    router.get("/health").handler(this::health);
    router.route("/health").handler(methodNotAllowed("GET"));
    return router;
  }

  private void health(RoutingContext ctx) {
    mongoPing.get()
        .timeout(MONGO_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .map(ok -> "UP")
        .otherwise("DOWN")
        .onSuccess(mongo -> {
          ctx.response().setStatusCode("UP".equals(mongo) ? 200 : 503);
          JsonObject body = new JsonObject()
              .put("status", mongo)
              .put("checks", new JsonObject().put("mongo", mongo))
              .put("websockets", websockets.getAsInt())
              .put("auth", tokensRequired ? "on" : "off");
          clusterMembers.ifPresent(members ->
              body.put("cluster", new JsonObject().put("members", members.getAsInt())));
          send(ctx, body);
        });
  }
}
