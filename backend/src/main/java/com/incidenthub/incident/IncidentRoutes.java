package com.incidenthub.incident;

import static com.incidenthub.http.Responses.methodNotAllowed;
import static com.incidenthub.http.Responses.send;
import static com.incidenthub.http.Responses.sendData;

import com.incidenthub.http.ErrorResponder;
import com.incidenthub.http.HubException;
import com.incidenthub.http.JsonBody;
import com.incidenthub.http.RequestSchema;
import com.incidenthub.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The incidents API as a route table, and its small handlers. */
public final class IncidentRoutes {
  static final String NEW_INCIDENT_SCHEMA = "schemas/incident-create.json";
  static final String STATUS_CHANGE_SCHEMA = "schemas/status-change.json";
  static final String NOTE_SCHEMA = "schemas/note.json";
  private static final Pattern EDGE_BLANKS = Pattern.compile("^[ \\t\\r\\n]+|[ \\t\\r\\n]+\\z");
  /** A version as the API writes it: from 1, ASCII digits without a sign or leading zeros, small enough for an int. */
  private static final Pattern VERSION_DIGITS = Pattern.compile("[1-9][0-9]{0,8}");

  private final Vertx vertx;
  private final IncidentRepository repository;
  private final ChangeListener changes;
  private final Function<RoutingContext, String> actorOf;
  private final RequestSchema newIncident;
  private final RequestSchema statusChange;
  private final RequestSchema note;

  private IncidentRoutes(Vertx vertx, IncidentRepository repository, ChangeListener changes,
      Function<RoutingContext, String> actorOf, RequestSchema newIncident, RequestSchema statusChange,
      RequestSchema note) {
    this.vertx = vertx;
    this.repository = repository;
    this.changes = changes;
    this.actorOf = actorOf;
    this.newIncident = newIncident;
    this.statusChange = statusChange;
    this.note = note;
  }

  /**
   * The routes, once their request schemas are loaded and compiled. {@code actorOf} names who sent a request (the
   * access layer in front of these routes knows); it is recorded as the incident's createdBy and updatedBy and as the
   * actor of the history entries the request writes. Every change the routes store is told to {@code changes}.
   */
  public static Future<IncidentRoutes> create(Vertx vertx, IncidentRepository repository, ChangeListener changes,
      Function<RoutingContext, String> actorOf) {
    Future<RequestSchema> newIncident = RequestSchema.load(vertx, NEW_INCIDENT_SCHEMA);
    Future<RequestSchema> statusChange = RequestSchema.load(vertx, STATUS_CHANGE_SCHEMA);
    Future<RequestSchema> note = RequestSchema.load(vertx, NOTE_SCHEMA);
    return Future.all(newIncident, statusChange, note).map(loaded -> new IncidentRoutes(vertx, repository, changes,
        actorOf, newIncident.result(), statusChange.result(), note.result()));
  }

  /** Adds the API's routes to {@code router}; unknown paths are left to whoever mounts them. */
  public Router addTo(Router router) {
    router.post("/incidents").handler(JsonBody.reader()).handler(JsonBody.validated(newIncident, trimmed("title")))
        .handler(this::create);
    router.get("/incidents").handler(this::list);
    router.route("/incidents").handler(methodNotAllowed("GET, POST"));
    router.get("/incidents/:id").handler(this::get);
    router.patch("/incidents/:id").handler(JsonBody.reader())
        .handler(JsonBody.validated(statusChange, UnaryOperator.identity())).handler(this::changeStatus);
    router.route("/incidents/:id").handler(methodNotAllowed("GET, PATCH"));
    router.get("/incidents/:id/history").handler(this::history);
    router.route("/incidents/:id/history").handler(methodNotAllowed("GET"));
    router.post("/incidents/:id/notes").handler(JsonBody.reader()).handler(JsonBody.validated(note, trimmed("text")))
        .handler(this::addNote);
    router.route("/incidents/:id/notes").handler(methodNotAllowed("POST"));
    router.get("/channels").handler(this::channels);
    router.route("/channels").handler(methodNotAllowed("GET"));
    return router;
  }

  /** A router holding only the API, answering unknown paths with 404 in the error shape. */
  public Router standalone() {
    Router router = addTo(Router.router(vertx));
    router.route().handler(Responses::notFound);
    router.route().failureHandler(ErrorResponder::respond);
    return router;
  }

  /** 201 with a new incident, or 200 with the unresolved incident this create repeated (same channel and key). */
  private void create(RoutingContext ctx) {
    repository.create(NewIncident.fromBody(JsonBody.of(ctx)), actorOf.apply(ctx))
        .onSuccess(creation -> {
          Incident incident = creation.incident();
          changes.changed(creation.change());
          if (creation.repeated()) {
            sendIncident(ctx, incident);
            return;
          }
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
    repository.changeStatus(ctx.pathParam("id"), JsonBody.of(ctx).getString("status"), expectedVersion,
            actorOf.apply(ctx))
        .onSuccess(update -> {
          update.change().ifPresent(changes::changed);
          sendIncident(ctx, update.incident());
        })
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    repository.history(ctx.pathParam("id"))
        .onSuccess(entries -> sendData(ctx, new JsonArray(entries.stream().map(HistoryEntry::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void addNote(RoutingContext ctx) {
    repository.addNote(ctx.pathParam("id"), JsonBody.of(ctx).getString("text"), actorOf.apply(ctx))
        .onSuccess(added -> {
          changes.changed(added.change());
          ctx.response().setStatusCode(201);
          sendData(ctx, added.note().toJson());
        })
        .onFailure(ctx::fail);
  }

  private void channels(RoutingContext ctx) {
    repository.channelSummaries()
        .onSuccess(summaries -> sendData(ctx, new JsonArray(summaries.stream().map(ChannelSummary::toJson).toList())))
        .onFailure(ctx::fail);
  }

  /**
   * Lengths count "after trimming", so trim the field before the schema's rules apply: spaces, tabs and line breaks
   * only. Any other control character is left in place for the schema to refuse, never silently removed.
   */
  private static UnaryOperator<JsonObject> trimmed(String field) {
    return body -> {
      if (body.getValue(field) instanceof String text) {
        body.put(field, EDGE_BLANKS.matcher(text).replaceAll(""));
      }
      return body;
    };
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
