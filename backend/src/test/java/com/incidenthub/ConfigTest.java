package com.incidenthub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.incidenthub.auth.AccessTokens;
import com.incidenthub.auth.OriginCheck;
import com.incidenthub.auth.TrustedProxies;
import com.incidenthub.ops.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration from the environment")
class ConfigTest {

  @Test
  @DisplayName("every setting has a default")
  void defaults() {
    assertEquals(new Config(8081, Optional.empty(), "incidents", "data", Path.of("frontend/public"), "INFO",
        Duration.ofSeconds(30), LogFormat.TEXT, Optional.empty(), AccessTokens.NONE, List.of(), TrustedProxies.NONE, 50,
        100, 1000, 100, 20, Runtime.getRuntime().availableProcessors(), List.of(), Optional.empty(), 5701, 1000,
        true, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(2)), Config.fromEnv(Map.of()));
  }

  @Test
  @DisplayName("every setting is read from its variable")
  void readsVariables() {
    Config config = Config.fromEnv(Map.ofEntries(Map.entry("HTTP_PORT", "9000"),
        Map.entry("MONGO_URI", "mongodb://mongo:27017"), Map.entry("MONGO_DB", "ops"), Map.entry("DATA_DIR", "memory"),
        Map.entry("STATIC_DIR", "/srv/www"), Map.entry("LOG_LEVEL", "DEBUG"), Map.entry("WS_PING_INTERVAL_SECONDS", "5"),
        Map.entry("LOG_FORMAT", "json"), Map.entry("RETENTION_DAYS", "90"),
        Map.entry("AUTH_TOKENS", "ci:reporter:ci-token-0123456789"),
        Map.entry("ALLOWED_ORIGINS", "https://ops.example.com"), Map.entry("TRUSTED_PROXIES", "10.0.0.0/8"),
        Map.entry("WRITES_PER_SECOND", "5"), Map.entry("WRITE_BURST", "10"), Map.entry("MAX_SOCKETS_PER_CLIENT", "3"),
        Map.entry("MAX_CHANNELS_PER_SOCKET", "7"), Map.entry("MAX_MESSAGES_PER_SECOND", "2"),
        Map.entry("HUB_INSTANCES", "3"), Map.entry("CLUSTER_MEMBERS", "backend-a:5701, backend-b:5702"),
        Map.entry("CLUSTER_HOST", "backend-a"), Map.entry("CLUSTER_PORT", "5702"), Map.entry("RESUME_MAX_EVENTS", "50"),
        Map.entry("METRICS_ENABLED", "false"), Map.entry("HTTP_IDLE_TIMEOUT_SECONDS", "120"),
        Map.entry("HTTP_REQUEST_TIMEOUT_SECONDS", "10"), Map.entry("POSITION_CHECK_SECONDS", "5")));

    assertEquals(new Config(9000, Optional.of("mongodb://mongo:27017"), "ops", "memory", Path.of("/srv/www"), "DEBUG",
        Duration.ofSeconds(5), LogFormat.JSON, Optional.of(Duration.ofDays(90)),
        AccessTokens.parse(Optional.of("ci:reporter:ci-token-0123456789"), Optional.empty()),
        OriginCheck.parseAllowed(Optional.of("https://ops.example.com")),
        TrustedProxies.parse(Optional.of("10.0.0.0/8")), 5, 10, 3, 7, 2, 3, List.of("backend-a:5701", "backend-b:5702"),
        Optional.of("backend-a"), 5702, 50, false, Duration.ofSeconds(120), Duration.ofSeconds(10),
        Duration.ofSeconds(5)), config);
  }

  @Test
  @DisplayName("a timeout of zero is refused: there is no setting that turns a deadline off")
  void zeroTimeout() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "0")));

    assertEquals("HTTP_REQUEST_TIMEOUT_SECONDS must be between 1 and 3600, got 0", error.getMessage());
  }

  @Test
  @DisplayName("a blank MONGO_URI means the embedded store")
  void blankMongoUri() {
    assertEquals(Optional.empty(), Config.fromEnv(Map.of("MONGO_URI", " ")).mongoUri());
  }

  @Test
  @DisplayName("a port that is not a number is refused with a message naming the variable")
  void badPort() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("HTTP_PORT", "http")));

    assertEquals("HTTP_PORT must be a whole number, got 'http'", error.getMessage());
  }

  @Test
  @DisplayName("a port out of range is refused")
  void portOutOfRange() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("HTTP_PORT", "70000")));

    assertEquals("HTTP_PORT must be between 0 and 65535, got 70000", error.getMessage());
  }

  @Test
  @DisplayName("a retention of zero days is refused: unset keeps everything")
  void zeroRetention() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("RETENTION_DAYS", "0")));

    assertEquals("RETENTION_DAYS must be between 1 and 36500, got 0", error.getMessage());
  }

  @Test
  @DisplayName("CLUSTER_MEMBERS must be host:port pairs")
  void badMembers() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("CLUSTER_MEMBERS", "backend-a:5701,backend-b", "CLUSTER_HOST", "backend-a")));

    assertEquals("CLUSTER_MEMBERS must be a comma-separated list of host:port, got 'backend-a:5701,backend-b'",
        error.getMessage());
  }

  @Test
  @DisplayName("a clustered node must be told its own address")
  void clusterNeedsHost() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("CLUSTER_MEMBERS", "backend-a:5701")));

    assertEquals("CLUSTER_HOST must be set when CLUSTER_MEMBERS is: the address this node binds and advertises to "
        + "the others", error.getMessage());
  }

  @Test
  @DisplayName("without CLUSTER_MEMBERS the node is standalone")
  void standaloneByDefault() {
    assertEquals(false, Config.fromEnv(Map.of("CLUSTER_HOST", "backend-a")).clustered());
  }

  @Test
  @DisplayName("METRICS_ENABLED must be true or false")
  void badMetricsEnabled() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("METRICS_ENABLED", "yes")));

    assertEquals("METRICS_ENABLED must be true or false, got 'yes'", error.getMessage());
  }

  @Test
  @DisplayName("the start-up description hides MongoDB credentials")
  void hidesCredentials() {
    String description = Config.fromEnv(Map.of("MONGO_URI", "mongodb://ops:secret@mongo:27017/?authSource=admin"))
        .describe();

    assertEquals(true, description.contains("MONGO_URI=mongodb://***@mongo:27017/?authSource=admin"), description);
    assertEquals(false, description.contains("secret"), description);
  }

  @Test
  @DisplayName("a LOG_FORMAT other than text or json is refused")
  void badLogFormat() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("LOG_FORMAT", "xml")));

    assertEquals("LOG_FORMAT must be text or json, got 'xml'", error.getMessage());
  }

  @Test
  @DisplayName("the start-up description names the tokens, never their secrets")
  void describesTokensByName() {
    String description = Config.fromEnv(Map.of("AUTH_TOKENS",
        "wall:viewer:wall-secret-0123456789,ops:operator:ops-secret-0123456789")).describe();

    assertEquals(true, description.contains("AUTH_TOKENS=2 tokens [wall, ops]"), description);
    assertEquals(false, description.contains("secret"), description);
  }

  @Test
  @DisplayName("a blank AUTH_TOKENS is open mode, as when it is unset (Compose passes empty defaults)")
  void blankTokensAreOpenMode() {
    assertEquals(AccessTokens.NONE, Config.fromEnv(Map.of("AUTH_TOKENS", " ", "AUTH_TOKENS_FILE", "")).authTokens());
  }

  @Test
  @DisplayName("a limit out of range is refused with a message naming the variable")
  void limitOutOfRange() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Config.fromEnv(Map.of("WRITES_PER_SECOND", "0")));

    assertEquals("WRITES_PER_SECOND must be between 1 and 1000000, got 0", error.getMessage());
  }
}
