package com.incidenthub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.incident.Incident;
import com.incidenthub.testing.ApiDescription;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /openapi.json")
class ApiDocumentTest extends SharedHubTest {
  private static final Path REQUEST_SCHEMAS = Path.of("src", "main", "resources", "schemas");

  private static HttpResponse<Buffer> served;
  private static ApiDescription api;

  @BeforeAll
  static void readDocument() {
    served = hub.get("/openapi.json");
    api = new ApiDescription(served.bodyAsJsonObject());
  }

  @Test
  @DisplayName("is an OpenAPI 3.1 document valid against the specification's schema, the same under /api")
  void valid() {
    OpenAPIVersion version = OpenAPIVersion.fromContract(api.document());
    SchemaRepository specification = RunningHub.await(version.getRepository(hub.vertx, "https://incident-hub/"));
    OutputUnit result = RunningHub.await(version.validateContract(hub.vertx, specification, api.document()));

    assertEquals(200, served.statusCode());
    assertEquals("application/json", served.getHeader("Content-Type"));
    assertEquals(OpenAPIVersion.V3_1, version);
    assertTrue(result.getValid(), String.valueOf(result.getErrors()));
    assertEquals(api.document(), hub.get("/api/openapi.json").bodyAsJsonObject());
  }

  @Test
  @DisplayName("shows each request body schema exactly as the file the service validates it with")
  void requestSchemas() throws IOException {
    List<String> files;
    try (Stream<Path> listed = Files.list(REQUEST_SCHEMAS)) {
      files = listed.map(file -> file.getFileName().toString()).sorted().toList();
    }
    assertFalse(files.isEmpty());
    for (String file : files) {
      JsonObject schema = new JsonObject(Files.readString(REQUEST_SCHEMAS.resolve(file)));
      schema.remove("$schema");
      schema.remove("$id");

      assertEquals(schema, api.document().getJsonObject("components").getJsonObject("schemas")
          .getJsonObject(file.replaceFirst("\\.json$", "")), file);
    }
  }

  @Test
  @DisplayName("lists severities and statuses in the contract's order, wherever they appear")
  void enumerations() {
    List<String> severities = List.of("low", "medium", "high");
    List<String> statuses = List.of("open", "acknowledged", "resolved");
    assertEquals(severities, Incident.SEVERITIES);
    assertEquals(statuses, Incident.STATUSES);
    JsonObject incident = api.schema("Incident").getJsonObject("properties");

    assertEquals(severities, enumOf(incident.getJsonObject("severity")));
    assertEquals(statuses, enumOf(incident.getJsonObject("status")));
    assertEquals(severities, enumOf(api.schema("incident-create").getJsonObject("properties").getJsonObject("severity")));
    assertEquals(statuses, enumOf(api.schema("incident-create").getJsonObject("properties").getJsonObject("status")));
    assertEquals(statuses, enumOf(api.schema("status-change").getJsonObject("properties").getJsonObject("status")));
  }

  @Test
  @DisplayName("names every error code the service answers with, and the path parameter id")
  void errorCodesAndPathParameters() {
    JsonObject code = api.schema("Error").getJsonObject("properties").getJsonObject("error")
        .getJsonObject("properties").getJsonObject("code");
    Set<String> pathParameters = api.operations().stream()
        .flatMap(operation -> operation.parameters("path").map(parameter -> parameter.getString("name")))
        .collect(Collectors.toSet());

    assertEquals(Arrays.stream(ErrorCode.values()).map(Enum::name).toList(), enumOf(code));
    assertEquals(Set.of("id"), pathParameters);
  }

  @Test
  @DisplayName("describes every WebSocket frame of a session: what the client sends and what the server answers")
  void webSocketFrames() {
    Validator clientMessage = validator("ClientMessage");
    Validator serverMessage = validator("ServerMessage");
    String channel = RunningHub.freshChannel("frames");
    String other = RunningHub.freshChannel("frames");
    List<JsonObject> sent = List.of(
        new JsonObject().put("type", "subscribe").put("channels", List.of(other)),
        new JsonObject().put("type", "unsubscribe").put("channels", List.of(other)),
        new JsonObject().put("type", "ping"));
    JsonObject unknown = new JsonObject().put("type", "dance");
    List<JsonObject> received = new ArrayList<>();

    TestSocket socket = hub.connect("/ws?channels=" + channel);
    received.add(socket.next());
    for (JsonObject message : sent) {
      socket.send(message);
      received.add(socket.next());
    }
    socket.send(unknown);
    received.add(socket.next());
    JsonObject incident = hub.create(channel, "Framed");
    received.add(socket.next());
    hub.patch("/incidents/" + incident.getString("id"), new JsonObject().put("status", "resolved"));
    received.add(socket.next());
    socket.close();

    sent.forEach(message -> assertValid(clientMessage, message));
    assertFalse(clientMessage.validate(unknown).getValid(), "an unknown type is not a client message");
    assertEquals(List.of("subscribed", "subscribed", "subscribed", "pong", "error", "incident.created",
        "incident.updated"), received.stream().map(frame -> frame.getString("type")).toList());
    received.forEach(frame -> assertValid(serverMessage, frame));
  }

  @Test
  @DisplayName("holds examples that its own schemas accept: bodies, responses and schemas")
  void examples() {
    List<String> checked = new ArrayList<>();
    forEachExample(api.document(), "#", (where, schema, example) -> {
      OutputUnit result = validator(schema).validate(example);
      assertTrue(result.getValid(), where + ": " + example + ": " + result.getErrors());
      checked.add(where);
    });

    assertTrue(checked.size() >= 10, "examples checked: " + checked);
  }

  private interface ExampleCheck {
    void check(String where, JsonObject schema, Object example);
  }

  /** Media types' {@code example} against their {@code schema}, and schemas' {@code examples} against themselves. */
  private static void forEachExample(Object node, String where, ExampleCheck check) {
    if (node instanceof JsonObject object) {
      if (where.contains("/content/") && object.containsKey("schema") && object.containsKey("example")) {
        check.check(where, object.getJsonObject("schema"), object.getValue("example"));
      }
      if (object.getValue("examples") instanceof JsonArray examples && !where.contains("/content/")) {
        examples.forEach(example -> check.check(where, object, example));
      }
      object.forEach(member -> forEachExample(member.getValue(), where + "/" + member.getKey(), check));
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        forEachExample(array.getValue(i), where + "/" + i, check);
      }
    }
  }

  private static List<Object> enumOf(JsonObject schema) {
    return api.resolve(schema).getJsonArray("enum").getList();
  }

  private static Validator validator(String component) {
    return validator(new JsonObject().put("$ref", "#/components/schemas/" + component));
  }

  /**
   * Validates against a schema of the document, its references resolved within the document. The validator marks
   * up the JSON it compiles, so it gets copies.
   */
  private static Validator validator(JsonObject schema) {
    JsonObject root = new JsonObject()
        .put("allOf", new JsonArray().add(schema.copy()))
        .put("components", api.document().getJsonObject("components").copy());
    return Validator.create(JsonSchema.of(root), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://incident-hub/").setOutputFormat(OutputFormat.Basic));
  }

  private static void assertValid(Validator validator, JsonObject message) {
    OutputUnit result = validator.validate(message);
    assertTrue(result.getValid(), message + ": " + result.getErrors());
  }
}
