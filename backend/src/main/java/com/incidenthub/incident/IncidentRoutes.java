package com.incidenthub.incident;

import static com.incidenthub.http.Responses.methodNotAllowed;
import static com.incidenthub.http.Responses.read;
import static com.incidenthub.http.Responses.send;
import static com.incidenthub.http.Responses.sendData;

import com.incidenthub.http.ErrorResponder;
import com.incidenthub.http.HubException;
import com.incidenthub.http.JsonBody;
import com.incidenthub.http.RequestSchema;
import com.incidenthub.http.Responses;
import com.incidenthub.realtime.IncidentEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The incidents API as a route table, and its small handlers. */
public final class IncidentRoutes {
  static final String NEW_INCIDENT_SCHEMA = "schemas/incident-create.json";
  static final String STATUS_CHANGE_SCHEMA = "schemas/status-change.json";
  private static final Pattern EDGE_BLANKS = Pattern.compile("^[ \\t]+|[ \\t]+\\z");
  /** A version as the API writes it: from 1, ASCII digits without a sign or leading zeros, small enough for an int. */
  private static final Pattern VERSION_DIGITS = Pattern.compile("[1-9][0-9]{0,8}");

  private final Vertx vertx;
  private final IncidentRepository repository;
  private final IncidentEvents events;
  private final RequestSchema newIncident;
  private final RequestSchema statusChange;

  private IncidentRoutes(Vertx vertx, IncidentRepository repository, IncidentEvents events, RequestSchema newIncident,
      RequestSchema statusChange) {
    this.vertx = vertx;
    this.repository = repository;
    this.events = events;
    this.newIncident = newIncident;
    this.statusChange = statusChange;
  }

  /** The routes, once their request schemas are loaded and compiled. */
  public static Future<IncidentRoutes> create(Vertx vertx, IncidentRepository repository, IncidentEvents events) {
    Future<RequestSchema> newIncident = RequestSchema.load(vertx, NEW_INCIDENT_SCHEMA);
    Future<RequestSchema> statusChange = RequestSchema.load(vertx, STATUS_CHANGE_SCHEMA);
    return Future.all(newIncident, statusChange).map(loaded -> new IncidentRoutes(vertx, repository, events,
        newIncident.result(), statusChange.result()));
  }

  /** Adds the API's routes to {@code router}; unknown paths are left to whoever mounts them. */
  public Router addTo(Router router) {
    router.post("/incidents").handler(JsonBody.reader()).handler(JsonBody.validated(newIncident, IncidentRoutes::trimTitle))
        .handler(this::create);
    read(router, "/incidents").handler(this::list);
    router.route("/incidents").handler(methodNotAllowed("GET, HEAD, POST"));
    read(router, "/incidents/:id").handler(this::get);
    router.patch("/incidents/:id").handler(JsonBody.reader())
        .handler(JsonBody.validated(statusChange, UnaryOperator.identity())).handler(this::changeStatus);
    router.route("/incidents/:id").handler(methodNotAllowed("GET, HEAD, PATCH"));
    read(router, "/channels").handler(this::channels);
    router.route("/channels").handler(methodNotAllowed("GET, HEAD"));
    return router;
  }

  /** A router holding only the API, answering unknown paths with 404 in the error shape. */
  public Router standalone() {
    Router router = addTo(Router.router(vertx));
    router.route().handler(Responses::notFound);
    router.route().failureHandler(ErrorResponder::respond);
    return router;
  }

  private void create(RoutingContext ctx) {
    repository.create(JsonBody.of(ctx))
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
    repository.changeStatus(ctx.pathParam("id"), JsonBody.of(ctx).getString("status"), expectedVersion)
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

  /**
   * Titles count "after trimming", so trim before the length rules apply: spaces and tabs only. Any other control
   * character is left in place for the schema to refuse, never silently removed.
   */
  private static JsonObject trimTitle(JsonObject body) {
    if (body.getValue("title") instanceof String title) {
      body.put("title", EDGE_BLANKS.matcher(title).replaceAll(""));
    }
    return body;
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
    if (VERSION_DIGITS.matcher(tag).matches()) {
      return Optional.of(Integer.parseInt(tag));
    }
    throw HubException.invalid("If-Match", "If-Match must be an incident version in quotes, such as \"3\"");
  }

  private static void sendIncident(RoutingContext ctx, Incident incident) {
    ctx.response().putHeader("ETag", "\"" + incident.version() + "\"");
    sendData(ctx, incident.toJson());
  }
}
