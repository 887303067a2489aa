package com.incidenthub.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the harness's severities")
class SeveritiesTest {
  private static final Path SCHEMA = Path.of("..", "backend", "src", "main", "resources", "schemas",
      "incident-create.json");

  @Test
  @DisplayName("are the API schema's, in its order")
  void sameAsTheSchema() throws IOException {
    JsonObject severity = new JsonObject(Files.readString(SCHEMA)).getJsonObject("properties")
        .getJsonObject("severity");

    assertEquals(severity.getJsonArray("enum").getList(), Severities.ALL);
  }

  @Test
  @DisplayName("are sent in turn, so three creates in a row carry all of them")
  void inTurn() {
    assertEquals(List.of("low", "medium", "high", "low"), LongStream.range(0, 4).mapToObj(Severities::nth).toList());
  }
}
