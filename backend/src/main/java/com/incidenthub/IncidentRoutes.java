package com.incidenthub;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The REST API as a route table, and its small handlers. */
public final class IncidentRoutes {
  public static final int BODY_LIMIT_BYTES = 64 * 1024;
  private static final String BODY = "body";
  private static final long HEALTH_TIMEOUT_SECONDS = 4;

  private final Vertx vertx;
  private final IncidentRepository repository;
  private final IncidentEvents events;
  private final SocketHub hub;
  private final RequestSchema newIncident;
  private final RequestSchema statusChange;

  public IncidentRoutes(Vertx vertx, IncidentRepository repository, IncidentEvents events, SocketHub hub,
      RequestSchema newIncident, RequestSchema statusChange) {
    this.vertx = vertx;
    this.repository = repository;
    this.events = events;
    this.hub = hub;
    this.newIncident = newIncident;
    this.statusChange = statusChange;
  }

  /** Adds the API's routes to {@code router}; unknown paths are left to whoever mounts them. */
  public Router addTo(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES);
    router.post("/incidents").handler(body).handler(validBody(newIncident, IncidentRoutes::trimTitle)).handler(this::create);
    router.get("/incidents").handler(this::list);
    router.route("/incidents").handler(methodNotAllowed("GET, POST"));
    router.get("/incidents/:id").handler(this::get);
    router.patch("/incidents/:id").handler(body).handler(validBody(statusChange, UnaryOperator.identity()))
        .handler(this::changeStatus);
    router.route("/incidents/:id").handler(methodNotAllowed("GET, PATCH"));
    router.get("/channels").handler(this::channels);
    router.route("/channels").handler(methodNotAllowed("GET"));
    router.get("/health").handler(this::health);
    return router;
  }

  /** A router holding only the API, answering unknown paths with 404 in the error shape. */
  public Router standalone() {
    Router router = addTo(Router.router(vertx));
    router.route().handler(IncidentRoutes::notFound);
    router.route().failureHandler(ErrorResponder::respond);
    return router;
  }

  private void create(RoutingContext ctx) {
    repository.create(ctx.get(BODY))
        .onSuccess(incident -> {
          events.created(incident);
          ctx.response().setStatusCode(201).putHeader("Location", "/incidents/" + incident.id());
          sendData(ctx, incident.toJson());
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    IncidentQuery query = IncidentQuery.fromParams(ctx.queryParams());
    repository.list(query)
        .onSuccess(page -> send(ctx, new JsonObject()
            .put("data", new JsonArray(page.incidents().stream().map(Incident::toJson).toList()))
            .put("page", new JsonObject()
                .put("limit", query.limit())
                .put("offset", query.offset())
                .put("total", page.total()))))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    repository.find(ctx.pathParam("id"))
        .onSuccess(incident -> sendIncident(ctx, incident))
        .onFailure(ctx::fail);
  }

  private void changeStatus(RoutingContext ctx) {
    Optional<Integer> expectedVersion = expectedVersion(ctx.request().getHeader("If-Match"));
    JsonObject body = ctx.get(BODY);
    repository.changeStatus(ctx.pathParam("id"), body.getString("status"), expectedVersion)
        .onSuccess(change -> {
          if (change.changed()) {
            events.updated(change.incident());
          }
          sendIncident(ctx, change.incident());
        })
        .onFailure(ctx::fail);
  }

  private void channels(RoutingContext ctx) {
    repository.channelSummaries()
        .onSuccess(summaries -> sendData(ctx, new JsonArray(summaries)))
        .onFailure(ctx::fail);
  }

  private void health(RoutingContext ctx) {
    repository.ping()
        .timeout(HEALTH_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .map(ok -> "UP")
        .otherwise("DOWN")
        .onSuccess(mongo -> {
          ctx.response().setStatusCode("UP".equals(mongo) ? 200 : 503);
          send(ctx, new JsonObject()
              .put("status", mongo)
              .put("checks", new JsonObject().put("mongo", mongo))
              .put("websockets", hub.connections()));
        });
  }

  /** Parses, normalises and validates a JSON body; the handlers after it find it under {@link #BODY}. */
  private static Handler<RoutingContext> validBody(RequestSchema schema, UnaryOperator<JsonObject> normalise) {
    return ctx -> {
      if (!isJson(ctx.request().getHeader("Content-Type"))) {
        ctx.fail(new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json"));
        return;
      }
      Buffer raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        ctx.fail(HubException.invalid("body", "The body is empty; send a JSON object"));
        return;
      }
      Object parsed = Json.decodeValue(raw);
      Object body = parsed instanceof JsonObject object ? normalise.apply(object) : parsed;
      List<HubException.FieldError> violations = schema.violations(body);
      if (!violations.isEmpty()) {
        ctx.fail(HubException.invalid(violations));
        return;
      }
      ctx.put(BODY, body);
      ctx.next();
    };
  }

  /** Titles count "after trimming", so trim before the length rules apply. */
  private static JsonObject trimTitle(JsonObject body) {
    if (body.getValue("title") instanceof String title) {
      body.put("title", title.trim());
    }
    return body;
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json");
  }

  /** Reads {@code If-Match: "3"}; a missing header or {@code *} means "whatever the current version is". */
  private static Optional<Integer> expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return Optional.empty();
    }
    String tag = ifMatch.trim().replaceFirst("^W/", "");
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    try {
      return Optional.of(Integer.parseInt(tag));
    } catch (NumberFormatException e) {
      throw HubException.invalid("If-Match", "If-Match must be an incident version in quotes, such as \"3\"");
    }
  }

  private static Handler<RoutingContext> methodNotAllowed(String allowed) {
    return ctx -> {
      ctx.response().putHeader("Allow", allowed);
      ctx.fail(new HubException(ErrorCode.METHOD_NOT_ALLOWED,
          ctx.request().method() + " is not allowed on " + ctx.request().path() + "; allowed: " + allowed));
    };
  }

  static void notFound(RoutingContext ctx) {
    ctx.fail(new HubException(ErrorCode.NOT_FOUND, "Nothing at " + ctx.request().method() + " " + ctx.request().path()));
  }

  private static void sendIncident(RoutingContext ctx, Incident incident) {
    ctx.response().putHeader("ETag", "\"" + incident.version() + "\"");
    sendData(ctx, incident.toJson());
  }

  private static void sendData(RoutingContext ctx, Object data) {
    send(ctx, new JsonObject().put("data", data));
  }

  private static void send(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}
