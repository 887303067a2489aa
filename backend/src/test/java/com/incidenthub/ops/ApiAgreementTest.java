package com.incidenthub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.incidenthub.testing.ApiDescription;
import com.incidenthub.testing.ApiDescription.Operation;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The OpenAPI document is the API's contract: these tests hold the route table, the responses and the request
 * validation to it, operation by operation, so that a route added without its description (or the other way round)
 * fails here. Add a route: add its path to {@code backend/src/main/resources/openapi.json}, with an example body.
 */
@DisplayName("The OpenAPI document, the routes and the validation agree")
class ApiAgreementTest extends SharedHubTest {
  /** Breaks every string rule the API has at once: enums, patterns, constants and formats. */
  /** Breaks every pattern of the document: the names' character classes, and the texts' ban on control characters. */
  private static final String INVALID_TEXT = "NOT VALID !\u0000";
  private static final List<HttpMethod> PROBES =
      List.of(HttpMethod.DELETE, HttpMethod.PUT, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.GET);

  private static ApiDescription api;
  private static ResponseValidator documented;

  @BeforeAll
  static void readDocument() {
    JsonObject document = hub.get("/openapi.json").bodyAsJsonObject();
    api = new ApiDescription(document);
    documented = ResponseValidator.create(hub.vertx, RunningHub.await(OpenAPIContract.from(hub.vertx,
        withoutServers(document))));
  }

  @Test
  @DisplayName("every route is documented, and every documented path and method is routed, at the root and under /api")
  void routesAreDocumented() {
    Set<String> routed = new TreeSet<>();
    collectRoutes(hub.routes(), "", routed);
    Set<String> described = new TreeSet<>();
    api.operations().forEach(operation -> operation.prefixes.forEach(prefix -> {
      described.add(operation.method + " " + prefix + operation.routePath());
      described.add("ANY " + prefix + operation.routePath());
    }));

    assertEquals(Set.of(), difference(routed, described), "routed but not in openapi.json");
    assertEquals(Set.of(), difference(described, routed), "in openapi.json but not routed");
  }

  @TestFactory
  @DisplayName("every documented operation answers its example as documented: status, headers and body")
  Stream<DynamicTest> operationsAnswer() {
    return api.operations().stream().flatMap(operation -> operation.prefixes.stream().map(prefix ->
        dynamicTest(operation.method + " " + prefix + operation.path, () -> {
          if (operation.upgradesToWebSocket()) {
            hub.connect(prefix + operation.path).afterGreeting().close();
            return;
          }
          HttpResponse<Buffer> response = send(operation, prefix, operation.bodyExample(), Map.of());
          assertTrue(response.statusCode() / 100 == 2, response.statusCode() + " " + response.bodyAsString());
          assertDocumented(operation, response);
        })));
  }

  @TestFactory
  @DisplayName("every documented path answers any other method with 405, its Allow listing the documented methods")
  Stream<DynamicTest> otherMethods() {
    Map<String, List<Operation>> byPath = api.operations().stream()
        .collect(Collectors.groupingBy(operation -> operation.path, LinkedHashMap::new, Collectors.toList()));
    return byPath.values().stream().flatMap(operations -> operations.get(0).prefixes.stream().map(prefix -> {
      Set<String> methods = operations.stream().map(operation -> operation.method.name()).collect(Collectors.toSet());
      HttpMethod other = PROBES.stream().filter(method -> !methods.contains(method.name())).findFirst().orElseThrow();
      String uri = prefix + withIds(operations.get(0).path);
      return dynamicTest(other + " " + prefix + operations.get(0).path, () -> {
        HttpResponse<Buffer> response = RunningHub.await(hub.request(other, uri).send());

        assertEquals(405, response.statusCode());
        assertEquals(methods, Set.of(response.getHeader("Allow").split(", ")));
      });
    }));
  }

  @TestFactory
  @DisplayName("every rule of a documented body schema is enforced: a body breaking it answers 400 naming the field")
  Stream<DynamicTest> bodyRules() {
    return api.operations().stream().filter(operation -> operation.bodySchema().isPresent()).flatMap(operation -> {
      JsonObject example = operation.bodyExample().orElseThrow();
      return bodyViolations(operation.bodySchema().orElseThrow(), example).stream().map(violation ->
          dynamicTest(operation + ": " + violation.rule, () -> {
            HttpResponse<Buffer> response = send(operation, operation.prefixes.get(0), Optional.of(violation.body),
                Map.of());
            assertRejects(operation, response, violation.field);
          }));
    });
  }

  @TestFactory
  @DisplayName("every rule of a documented query parameter is enforced: a value breaking it answers 400 naming it")
  Stream<DynamicTest> queryRules() {
    return api.operations().stream().flatMap(operation -> operation.parameters("query").flatMap(parameter ->
        invalidValues(operation.valueSchema(parameter)).stream().map(value -> {
          String name = parameter.getString("name");
          return dynamicTest(operation + " ?" + name + "=" + value, () -> {
            HttpResponse<Buffer> response = send(operation, operation.prefixes.get(0), operation.bodyExample(),
                Map.of(name, value));
            assertRejects(operation, response, name);
          });
        })));
  }

  /**
   * vertx-openapi models neither relative server URLs nor servers with different base paths, both of which the
   * document has; its response validator finds operations by id and needs no server, so its copy goes without.
   */
  private static JsonObject withoutServers(JsonObject document) {
    JsonObject copy = document.copy();
    copy.remove("servers");
    copy.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).remove("servers"));
    return copy;
  }

  /** The route table as "METHOD path" for each routed method, and "ANY path" for a path's catch-all (its 405). */
  private static void collectRoutes(List<Route> routes, String prefix, Set<String> into) {
    for (Route route : routes) {
      if (route.getSubRouter() != null) {
        collectRoutes(route.getSubRouter().getRoutes(), prefix + route.getPath().replaceFirst("/?\\*?$", ""), into);
      } else if (route.getPath() != null) {
        if (route.methods() == null || route.methods().isEmpty()) {
          into.add("ANY " + prefix + route.getPath());
        } else {
          route.methods().forEach(method -> into.add(method + " " + prefix + route.getPath()));
        }
      }
    }
  }

  private static Set<String> difference(Set<String> these, Set<String> those) {
    Set<String> left = new TreeSet<>(these);
    left.removeAll(those);
    return left;
  }

  private static HttpResponse<Buffer> send(Operation operation, String prefix, Optional<JsonObject> body,
      Map<String, String> query) {
    String queryString = query.entrySet().stream()
        .map(parameter -> parameter.getKey() + "=" + URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    String uri = prefix + withIds(operation.path) + (queryString.isEmpty() ? "" : "?" + queryString);
    HttpRequest<Buffer> request = hub.request(operation.method, uri);
    operation.parameters("header").filter(header -> header.getBoolean("required", false))
        .forEach(header -> request.putHeader(header.getString("name"), requiredValue(operation, header)));
    Future<HttpResponse<Buffer>> sent = body.isPresent() ? request.sendJsonObject(body.get()) : request.send();
    return RunningHub.await(sent);
  }

  private static String requiredValue(Operation operation, JsonObject parameter) {
    JsonObject schema = operation.valueSchema(parameter);
    return String.valueOf(parameter.getValue("example", schema.getValue("const", schema.getValue("default"))));
  }

  /** Every path parameter is an incident's id: a fresh incident's, so that each request finds one. */
  private static String withIds(String path) {
    return path.contains("{id}")
        ? path.replace("{id}", hub.create(RunningHub.freshChannel("openapi"), "Documented").getString("id"))
        : path;
  }

  private static void assertRejects(Operation operation, HttpResponse<Buffer> response, String field) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals("VALIDATION_FAILED", error.getString("code"));
    assertTrue(error.getJsonArray("details").stream().anyMatch(detail -> field.equals(((JsonObject) detail)
        .getString("field"))), "no detail names " + field + ": " + error);
    assertDocumented(operation, response);
  }

  private static void assertDocumented(Operation operation, HttpResponse<Buffer> response) {
    String mediaType = response.getHeader("Content-Type").split(";", 2)[0].trim();
    if (!"application/json".equals(mediaType)) {
      // vertx-openapi validates JSON bodies only; of any other, the status and the media type must be documented.
      assertEquals(Set.of(mediaType), operation.mediaTypes(response.statusCode()), operation + " " + response.statusCode());
      return;
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
    ValidatableResponse answer = ValidatableResponse.create(response.statusCode(), headers, response.body(),
        response.getHeader("Content-Type"));
    try {
      documented.validate(answer, operation.id()).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(operation + " answered " + response.statusCode() + " " + response.bodyAsString()
          + ", which the document does not describe: " + e.getMessage(), e);
    }
  }

  /** A body that breaks one documented rule, and the field the answer must name. */
  private record Violation(String rule, JsonObject body, String field) {}

  private static List<Violation> bodyViolations(JsonObject schema, JsonObject example) {
    List<Violation> violations = new ArrayList<>();
    schema.getJsonArray("required").forEach(name -> {
      JsonObject body = example.copy();
      body.remove((String) name);
      violations.add(new Violation(name + " missing", body, (String) name));
    });
    if (Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      violations.add(new Violation("an unknown field", example.copy().put("unknownField", 1), "unknownField"));
    }
    schema.getJsonObject("properties").forEach(property -> {
      String name = property.getKey();
      JsonObject rules = api.resolve((JsonObject) property.getValue());
      if ("string".equals(rules.getString("type"))) {
        violations.add(new Violation(name + " as a number", example.copy().put(name, 42), name));
      }
      if (rules.containsKey("enum") || rules.containsKey("pattern")) {
        violations.add(new Violation(name + " " + INVALID_TEXT, example.copy().put(name, INVALID_TEXT), name));
      }
      if (rules.containsKey("maxLength")) {
        int longest = rules.getInteger("maxLength");
        violations.add(new Violation(name + " of " + (longest + 1) + " characters",
            example.copy().put(name, "x".repeat(longest + 1)), name));
      }
      if (rules.getInteger("minLength", 0) > 0) {
        violations.add(new Violation(name + " empty", example.copy().put(name, ""), name));
      }
    });
    return violations;
  }

  /** Values that break a documented parameter schema's rules, one rule each. */
  private static List<String> invalidValues(JsonObject schema) {
    List<String> values = new ArrayList<>();
    if ("integer".equals(schema.getString("type"))) {
      values.add("abc");
      Optional.ofNullable(schema.getInteger("minimum")).ifPresent(minimum -> values.add(String.valueOf(minimum - 1)));
      Optional.ofNullable(schema.getInteger("maximum")).ifPresent(maximum -> values.add(String.valueOf(maximum + 1)));
    } else if (Stream.of("enum", "pattern", "const", "anyOf", "format").anyMatch(schema::containsKey)) {
      values.add(INVALID_TEXT);
    }
    return values;
  }
}
