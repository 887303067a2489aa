package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import com.incidenthub.testing.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Tokens and roles over HTTP and WebSocket")
class AuthenticationTest {
  private static final Map<String, String> TOKENS = Map.of("viewer", TestTokens.VIEWER,
      "reporter", TestTokens.REPORTER, "operator", TestTokens.OPERATOR, "admin", TestTokens.ADMIN);
  private static final String NEEDS_TOKEN = "This needs a token: send Authorization: Bearer <token>";

  @TempDir
  static Path dashboard;
  private static RunningHub hub;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(dashboard.resolve("index.html"), "<!doctype html><title>Incident Hub</title>");
    hub = RunningHub.start(TestTokens.settings("STATIC_DIR", dashboard.toString()));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "GET, /incidents", "POST, /incidents", "GET, /incidents/some-id", "PATCH, /incidents/some-id", "GET, /channels",
      "GET, /me", "DELETE, /incidents", "GET, /api/incidents", "POST, /api/incidents", "GET, /no-such-path",
      "POST, /no-such-path", "GET, /api/no-such-path", "GET, /no-such-page.html"})
  @DisplayName("without a token every route, unknown ones included, is 401 with WWW-Authenticate: Bearer")
  void missingToken(String method, String path) {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.valueOf(method), path)
        .sendJsonObject(new JsonObject().put("title", "t").put("severity", "low")));

    assertUnauthorized(NEEDS_TOKEN, response);
  }

  @Test
  @DisplayName("an unknown token is 401")
  void unknownToken() {
    assertUnauthorized("The token is not valid", send(HttpMethod.GET, "/incidents", "no-such-token-4d2a"));
  }

  @Test
  @DisplayName("the digest of the admin's sha256: entry is not itself a token")
  void digestIsNoToken() {
    assertUnauthorized("The token is not valid", send(HttpMethod.GET, "/incidents", TestTokens.sha256(TestTokens.ADMIN)));
  }

  @Test
  @DisplayName("another scheme than Bearer is 401")
  void otherScheme() {
    HttpResponse<Buffer> response = RunningHub.await(hub.http.get("/incidents")
        .basicAuthentication("night", TestTokens.OPERATOR).send());

    assertUnauthorized("Only bearer tokens are accepted: Authorization: Bearer <token>", response);
  }

  @Test
  @DisplayName("the scheme's name is case-insensitive")
  void schemeCaseInsensitive() {
    HttpResponse<Buffer> response = RunningHub.await(hub.http.get("/me")
        .putHeader("Authorization", "bearer " + TestTokens.VIEWER).send());

    assertEquals(200, response.statusCode());
  }

  @Test
  @DisplayName("a REST request does not read a token from its query, where proxies would log it")
  void noQueryTokenOnRest() {
    assertUnauthorized(NEEDS_TOKEN, hub.get("/incidents?access_token=" + TestTokens.VIEWER));
  }

  @Test
  @DisplayName("/health needs no token, at the root and under /api, and says that auth is on")
  void healthIsOpen() {
    for (String path : new String[] {"/health", "/api/health"}) {
      HttpResponse<Buffer> response = hub.get(path);

      assertEquals(200, response.statusCode(), path);
      assertEquals("on", response.bodyAsJsonObject().getString("auth"), path);
    }
  }

  @Test
  @DisplayName("the OpenAPI document needs no token, at the root and under /api")
  void apiDocumentIsOpen() {
    for (String path : new String[] {"/openapi.json", "/api/openapi.json"}) {
      HttpResponse<Buffer> response = hub.get(path);

      assertEquals(200, response.statusCode(), path);
      assertEquals("3.1.0", response.bodyAsJsonObject().getString("openapi"), path);
    }
  }

  @Test
  @DisplayName("the dashboard's files need no token, so the sign-in page can load")
  void dashboardIsOpen() {
    for (String path : new String[] {"/", "/index.html"}) {
      HttpResponse<Buffer> response = hub.get(path);

      assertEquals(200, response.statusCode(), path);
      assertEquals("<!doctype html><title>Incident Hub</title>", response.bodyAsString(), path);
    }
    assertEquals(200, send(HttpMethod.GET, "/index.html", TestTokens.VIEWER).statusCode(), "with a token too");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"viewer, wall", "reporter, intake", "operator, night", "admin, root"})
  @DisplayName("GET /me names the token and its role")
  void me(String role, String name) {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/me", TOKENS.get(role));

    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject().put("data", new JsonObject().put("name", name).put("role", role)),
        response.bodyAsJsonObject());
  }

  @ParameterizedTest(name = "{0} reads")
  @CsvSource({"viewer", "reporter", "operator", "admin"})
  @DisplayName("every role reads the list, an incident and the channels")
  void everyRoleReads(String role) {
    String id = createAs("intake").getString("id");

    assertEquals(200, send(HttpMethod.GET, "/incidents", TOKENS.get(role)).statusCode());
    assertEquals(200, send(HttpMethod.GET, "/incidents/" + id, TOKENS.get(role)).statusCode());
    assertEquals(200, send(HttpMethod.GET, "/api/channels", TOKENS.get(role)).statusCode());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"viewer, 403", "reporter, 201", "operator, 201", "admin, 201"})
  @DisplayName("creating an incident needs reporter")
  void createNeedsReporter(String role, int status) {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", TOKENS.get(role))
        .sendJsonObject(newIncident()));

    assertEquals(status, response.statusCode());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"viewer, 403", "reporter, 403", "operator, 200", "admin, 200"})
  @DisplayName("changing the status needs operator")
  void statusNeedsOperator(String role, int status) {
    String id = createAs("intake").getString("id");

    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.PATCH, "/api/incidents/" + id,
        TOKENS.get(role)).sendJsonObject(new JsonObject().put("status", "acknowledged")));

    assertEquals(status, response.statusCode());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"viewer, 403", "reporter, 403", "operator, 201", "admin, 201"})
  @DisplayName("adding a note, a later write on an incident, needs operator")
  void noteNeedsOperator(String role, int status) {
    String id = createAs("intake").getString("id");

    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents/" + id + "/notes",
        TOKENS.get(role)).sendJsonObject(new JsonObject().put("text", "Belt replaced")));

    assertEquals(status, response.statusCode());
  }

  @Test
  @DisplayName("the history is a read: a viewer sees it, with the token names as actors")
  void historyIsARead() {
    String id = createAs("intake").getString("id");

    HttpResponse<Buffer> response = send(HttpMethod.GET, "/incidents/" + id + "/history", TestTokens.VIEWER);

    assertEquals(200, response.statusCode());
    assertEquals("intake", response.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("actor"));
  }

  @Test
  @DisplayName("a role too low is 403 FORBIDDEN, saying which role is needed and which the token has")
  void forbiddenShape() {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", TestTokens.VIEWER)
        .sendJsonObject(newIncident()));

    assertEquals(403, response.statusCode());
    assertEquals(error("FORBIDDEN", "This needs the reporter role; the token 'wall' has the viewer role"),
        response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("the role is checked before the body: a viewer's invalid create is 403, not 400")
  void roleBeforeValidation() {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", TestTokens.VIEWER)
        .sendJsonObject(new JsonObject().put("severity", "urgent")));

    assertEquals(403, response.statusCode());
  }

  @Test
  @DisplayName("the role is checked before the lookup: a reporter's change to an unknown incident is 403, not 404")
  void roleBeforeLookup() {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.PATCH, "/incidents/no-such-incident",
        TestTokens.REPORTER).sendJsonObject(new JsonObject().put("status", "resolved")));

    assertEquals(403, response.statusCode());
  }

  @Test
  @DisplayName("a write to a path no route serves needs operator, then it is 404")
  void unknownWriteNeedsOperator() {
    assertEquals(403, send(HttpMethod.DELETE, "/incidents/some-id/attachments", TestTokens.REPORTER).statusCode());
    assertEquals(404, send(HttpMethod.DELETE, "/incidents/some-id/attachments", TestTokens.OPERATOR).statusCode());
  }

  @Test
  @DisplayName("createdBy and updatedBy are the names of the tokens that created and last changed the incident")
  void actors() {
    JsonObject created = createAs("intake");
    HttpResponse<Buffer> changed = RunningHub.await(hub.request(HttpMethod.PATCH,
        "/incidents/" + created.getString("id"), TestTokens.OPERATOR)
        .sendJsonObject(new JsonObject().put("status", "acknowledged")));
    JsonObject stored = send(HttpMethod.GET, "/incidents/" + created.getString("id"), TestTokens.VIEWER)
        .bodyAsJsonObject().getJsonObject("data");

    assertEquals("intake", created.getString("createdBy"));
    assertEquals("intake", created.getString("updatedBy"));
    assertEquals("intake", changed.bodyAsJsonObject().getJsonObject("data").getString("createdBy"));
    assertEquals("night", changed.bodyAsJsonObject().getJsonObject("data").getString("updatedBy"));
    assertEquals(changed.bodyAsJsonObject().getJsonObject("data"), stored);
  }

  @Test
  @DisplayName("a socket's events carry the actors too")
  void actorsOnTheSocket() {
    String channel = RunningHub.freshChannel("actors");
    TestSocket socket = hub.connect(new WebSocketConnectOptions().setURI("/ws?channels=" + channel)
        .addHeader("Authorization", "Bearer " + TestTokens.VIEWER)).afterGreeting();

    JsonObject created = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", TestTokens.REPORTER)
        .sendJsonObject(newIncident().put("channel", channel))).bodyAsJsonObject().getJsonObject("data");

    assertEquals(created, socket.next().getJsonObject("incident"));
    assertEquals("intake", created.getString("createdBy"));
    socket.close();
  }

  @Test
  @DisplayName("a socket opens with the token in the Authorization header or in access_token")
  void socketTokens() {
    TestSocket byHeader = hub.connect(new WebSocketConnectOptions().setURI("/ws")
        .addHeader("Authorization", "Bearer " + TestTokens.VIEWER));
    TestSocket byQuery = hub.connect(new WebSocketConnectOptions().setURI("/ws?access_token=" + TestTokens.VIEWER));

    assertEquals("subscribed", byHeader.next().getString("type"));
    assertEquals("subscribed", byQuery.next().getString("type"));
    byHeader.close();
    byQuery.close();
  }

  @Test
  @DisplayName("an upgrade without a valid token is refused with 401 before it happens")
  void socketWithoutToken() {
    assertUnauthorized("This needs a token: send Authorization: Bearer <token>, or access_token=<token> in the query",
        hub.refusedUpgrade("/ws", Map.of()));
    assertUnauthorized("The token is not valid", hub.refusedUpgrade("/ws?access_token=not-a-token", Map.of()));
  }

  private static JsonObject createAs(String name) {
    String token = Map.of("intake", TestTokens.REPORTER, "night", TestTokens.OPERATOR).get(name);
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", token)
        .sendJsonObject(newIncident()));
    assertEquals(201, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonObject("data");
  }

  private static JsonObject newIncident() {
    return new JsonObject().put("title", "Dock door 4 stuck").put("severity", "high")
        .put("channel", RunningHub.freshChannel("auth"));
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String uri, String token) {
    HttpRequest<Buffer> request = hub.request(method, uri, token);
    return RunningHub.await(request.send());
  }

  private static void assertUnauthorized(String message, HttpResponse<Buffer> response) {
    assertEquals(401, response.statusCode());
    assertEquals("Bearer", response.getHeader("WWW-Authenticate"));
    assertEquals(error("UNAUTHORIZED", message), response.bodyAsJsonObject());
  }

  static JsonObject error(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)
        .put("details", new JsonArray()));
  }
}
