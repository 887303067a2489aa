package com.incidenthub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
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
        Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(30)), Config.fromEnv(Map.of()));
  }

  @Test
  @DisplayName("every setting is read from its variable")
  void readsVariables() {
    Config config = Config.fromEnv(Map.of("HTTP_PORT", "9000", "MONGO_URI", "mongodb://mongo:27017",
        "MONGO_DB", "ops", "DATA_DIR", "memory", "STATIC_DIR", "/srv/www", "LOG_LEVEL", "DEBUG",
        "WS_PING_INTERVAL_SECONDS", "5", "HTTP_IDLE_TIMEOUT_SECONDS", "120", "HTTP_REQUEST_TIMEOUT_SECONDS", "10"));

    assertEquals(new Config(9000, Optional.of("mongodb://mongo:27017"), "ops", "memory", Path.of("/srv/www"), "DEBUG",
        Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(10)), config);
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
  @DisplayName("the start-up description hides MongoDB credentials")
  void hidesCredentials() {
    String description = Config.fromEnv(Map.of("MONGO_URI", "mongodb://ops:secret@mongo:27017/?authSource=admin"))
        .describe();

    assertEquals(true, description.contains("MONGO_URI=mongodb://***@mongo:27017/?authSource=admin"), description);
    assertEquals(false, description.contains("secret"), description);
  }
}
