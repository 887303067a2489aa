package com.incidenthub.testing;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The served OpenAPI document, read the way the agreement tests need it: operations, servers, references. */
public final class ApiDescription {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private final JsonObject document;

  public ApiDescription(JsonObject document) {
    this.document = document;
  }

  public JsonObject document() {
    return document;
  }

  /** Every documented operation, in the document's order. */
  public List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    document.getJsonObject("paths").forEach(path -> {
      JsonObject item = (JsonObject) path.getValue();
      List<String> prefixes = prefixes(item.getJsonArray("servers", document.getJsonArray("servers")));
      item.forEach(member -> {
        if (METHODS.contains(member.getKey())) {
          operations.add(new Operation(HttpMethod.valueOf(member.getKey().toUpperCase(Locale.ROOT)), path.getKey(),
              prefixes, (JsonObject) member.getValue(), item.getJsonArray("parameters", new JsonArray())));
        }
      });
    });
    return operations;
  }

  /** Follows {@code $ref}s within the document until it reaches an object that is not one. */
  public JsonObject resolve(JsonObject node) {
    JsonObject resolved = node;
    while (resolved.getValue("$ref") instanceof String ref) {
      if (!ref.startsWith("#/")) {
        throw new AssertionError("a reference outside the document: " + ref);
      }
      Object target = document;
      for (String token : ref.substring(2).split("/")) {
        target = ((JsonObject) target).getValue(token.replace("~1", "/").replace("~0", "~"));
      }
      if (!(target instanceof JsonObject object)) {
        throw new AssertionError("a reference to nothing: " + ref);
      }
      resolved = object;
    }
    return resolved;
  }

  public JsonObject schema(String component) {
    return resolve(document.getJsonObject("components").getJsonObject("schemas").getJsonObject(component));
  }

  /** The servers' URLs as path prefixes: {@code "/"} is no prefix. */
  private static List<String> prefixes(JsonArray servers) {
    return servers.stream()
        .map(server -> ((JsonObject) server).getString("url").replaceFirst("/$", ""))
        .toList();
  }

  /** One documented method on one documented path. */
  public final class Operation {
    public final HttpMethod method;
    public final String path;
    public final List<String> prefixes;
    private final JsonObject spec;
    private final JsonArray pathParameters;

    Operation(HttpMethod method, String path, List<String> prefixes, JsonObject spec, JsonArray pathParameters) {
      this.method = method;
      this.path = path;
      this.prefixes = prefixes;
      this.spec = spec;
      this.pathParameters = pathParameters;
    }

    public String id() {
      return spec.getString("operationId");
    }

    /** The path as Vert.x routes it: {@code /incidents/{id}} is {@code /incidents/:id}. */
    public String routePath() {
      return path.replaceAll("\\{([^}]+)}", ":$1");
    }

    public boolean upgradesToWebSocket() {
      return spec.getJsonObject("responses").containsKey("101");
    }

    /** The JSON body's schema and its example, when the operation takes a body. */
    public Optional<JsonObject> bodySchema() {
      return jsonBody().map(media -> resolve(media.getJsonObject("schema")));
    }

    public Optional<JsonObject> bodyExample() {
      return jsonBody().map(media -> media.getJsonObject("example").copy());
    }

    /** The media types the document gives the response with {@code status}; none for an undocumented status. */
    public Set<String> mediaTypes(int status) {
      return Optional.ofNullable(spec.getJsonObject("responses").getJsonObject(String.valueOf(status)))
          .map(response -> resolve(response).getJsonObject("content", new JsonObject()).fieldNames())
          .orElse(Set.of());
    }

    /** Path-level and operation-level parameters, references followed. */
    public Stream<JsonObject> parameters(String in) {
      return Stream.concat(pathParameters.stream(), spec.getJsonArray("parameters", new JsonArray()).stream())
          .map(parameter -> resolve((JsonObject) parameter))
          .filter(parameter -> in.equals(parameter.getString("in")));
    }

    /** The schema of a parameter's single value: an array's items, references followed. */
    public JsonObject valueSchema(JsonObject parameter) {
      JsonObject schema = resolve(parameter.getJsonObject("schema"));
      return "array".equals(schema.getString("type")) ? resolve(schema.getJsonObject("items")) : schema;
    }

    private Optional<JsonObject> jsonBody() {
      return Optional.ofNullable(spec.getJsonObject("requestBody"))
          .map(body -> body.getJsonObject("content").getJsonObject("application/json"));
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }
}
