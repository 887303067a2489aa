package com.incidenthub.ops;

import static com.incidenthub.http.Responses.methodNotAllowed;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.RequestId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /openapi.json}: the API's OpenAPI document. Its paths are written in the resource {@code openapi.json};
 * each request schema it refers to ({@code #/components/schemas/NAME}) is the file {@code schemas/NAME.json} the
 * service validates that body with, read at start-up; the error codes are {@link ErrorCode}'s, and every operation
 * declares {@code X-Request-Id}. So the document cannot drift from the rules the service enforces.
 */
public final class ApiDocument {
  static final String RESOURCE = "openapi.json";
  private static final String SCHEMAS = "schemas/";
  private static final String SCHEMA_REF = "#/components/schemas/";

  private final String document;

  private ApiDocument(JsonObject document) {
    this.document = document.encode();
  }

  public static Future<ApiDocument> load(Vertx vertx) {
    return vertx.fileSystem().readFile(RESOURCE)
        .map(buffer -> buffer.toJsonObject())
        .compose(skeleton -> withRequestSchemas(vertx, skeleton))
        .map(ApiDocument::withErrorCodes)
        .map(ApiDocument::withRequestId)
        .map(ApiDocument::new);
  }

  public Router addTo(Router router) {
    router.get("/openapi.json").handler(this::serve);
    router.route("/openapi.json").handler(methodNotAllowed("GET"));
    return router;
  }

  private void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }

  /** Adds, under its own name, every schema the document refers to but does not define itself. */
  private static Future<JsonObject> withRequestSchemas(Vertx vertx, JsonObject skeleton) {
    JsonObject schemas = skeleton.getJsonObject("components").getJsonObject("schemas");
    List<Future<Void>> loaded = referencedSchemas(skeleton).stream()
        .filter(name -> !schemas.containsKey(name))
        .map(name -> vertx.fileSystem().readFile(SCHEMAS + name + ".json").map(buffer -> {
          JsonObject schema = buffer.toJsonObject();
          // Identifiers of a file of its own; inside the document, refs resolve against the document.
          schema.remove("$schema");
          schema.remove("$id");
          schemas.put(name, schema);
          return (Void) null;
        }))
        .toList();
    return Future.all(loaded).map(all -> skeleton);
  }

  private static Set<String> referencedSchemas(JsonObject skeleton) {
    Set<String> names = new TreeSet<>();
    collectSchemaRefs(skeleton, names);
    return names;
  }

  private static void collectSchemaRefs(Object node, Set<String> names) {
    if (node instanceof JsonObject object) {
      if (object.getValue("$ref") instanceof String ref && ref.startsWith(SCHEMA_REF)) {
        names.add(ref.substring(SCHEMA_REF.length()).split("/", 2)[0]);
      }
      object.forEach(member -> collectSchemaRefs(member.getValue(), names));
    } else if (node instanceof JsonArray array) {
      array.forEach(element -> collectSchemaRefs(element, names));
    }
  }

  private static JsonObject withErrorCodes(JsonObject document) {
    JsonObject code = document.getJsonObject("components").getJsonObject("schemas").getJsonObject("Error")
        .getJsonObject("properties").getJsonObject("error").getJsonObject("properties").getJsonObject("code");
    code.put("enum", new JsonArray(Arrays.stream(ErrorCode.values()).map(Enum::name).toList()));
    return document;
  }

  /** Every operation takes an optional {@code X-Request-Id}, and every response answers one. */
  private static JsonObject withRequestId(JsonObject document) {
    JsonObject parameter = new JsonObject().put("$ref", "#/components/parameters/" + RequestId.HEADER);
    JsonObject header = new JsonObject().put("$ref", "#/components/headers/" + RequestId.HEADER);
    document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(member -> {
      if (member.getValue() instanceof JsonObject operation && operation.containsKey("responses")) {
        operation.put("parameters", operation.getJsonArray("parameters", new JsonArray()).add(parameter.copy()));
        operation.getJsonObject("responses").forEach(response -> withHeader((JsonObject) response.getValue(), header));
      }
    }));
    document.getJsonObject("components").getJsonObject("responses")
        .forEach(response -> withHeader((JsonObject) response.getValue(), header));
    return document;
  }

  /** A response that is a reference gets the header where the reference points. */
  private static void withHeader(JsonObject response, JsonObject header) {
    if (!response.containsKey("$ref")) {
      JsonObject headers = response.getJsonObject("headers", new JsonObject());
      response.put("headers", headers.put(RequestId.HEADER, header.copy()));
    }
  }
}
