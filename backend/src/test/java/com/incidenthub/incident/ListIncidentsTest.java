package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("GET /incidents")
class ListIncidentsTest extends SharedHubTest {
  private static final Comparator<JsonObject> NEWEST_FIRST = Comparator
      .comparing((JsonObject incident) -> incident.getString("createdAt"))
      .thenComparing(incident -> incident.getString("id"))
      .reversed();


  @Test
  @DisplayName("lists newest first, ties broken by id, with the page's limit, offset and total")
  void newestFirst() {
    String channel = RunningHub.freshChannel("order");
    List<JsonObject> created = IntStream.range(0, 12).mapToObj(i -> hub.create(channel, "incident " + i)).toList();

    HttpResponse<Buffer> response = hub.get("/incidents?channel=" + channel);

    assertEquals(200, response.statusCode());
    assertEquals(ids(created.stream().sorted(NEWEST_FIRST).toList()), ids(response));
    assertEquals(new JsonObject().put("limit", 100).put("offset", 0).put("total", 12),
        response.bodyAsJsonObject().getJsonObject("page"));
  }

  @Test
  @DisplayName("pages with limit and offset while total counts every match")
  void pages() {
    String channel = RunningHub.freshChannel("paging");
    List<String> all = ids(IntStream.range(0, 7).mapToObj(i -> hub.create(channel, "p" + i))
        .sorted(NEWEST_FIRST).toList());

    HttpResponse<Buffer> second = hub.get("/incidents?channel=" + channel + "&limit=3&offset=3");
    HttpResponse<Buffer> last = hub.get("/incidents?channel=" + channel + "&limit=3&offset=6");
    HttpResponse<Buffer> beyond = hub.get("/incidents?channel=" + channel + "&limit=3&offset=9");

    assertEquals(all.subList(3, 6), ids(second));
    assertEquals(new JsonObject().put("limit", 3).put("offset", 3).put("total", 7),
        second.bodyAsJsonObject().getJsonObject("page"));
    assertEquals(all.subList(6, 7), ids(last));
    assertEquals(List.of(), ids(beyond));
    assertEquals(7, beyond.bodyAsJsonObject().getJsonObject("page").getInteger("total"));
  }

  @Test
  @DisplayName("filters by any of several channels")
  void filtersByChannels() {
    String a = RunningHub.freshChannel("a");
    String b = RunningHub.freshChannel("b");
    String c = RunningHub.freshChannel("c");
    JsonObject inA = hub.create(a, "in a");
    JsonObject inB = hub.create(b, "in b");
    hub.create(c, "in c");

    HttpResponse<Buffer> response = hub.get("/incidents?channel=" + a + "," + b);

    assertEquals(newestFirst(inA, inB), ids(response));
    assertEquals(2, response.bodyAsJsonObject().getJsonObject("page").getInteger("total"));
  }

  @Test
  @DisplayName("filters by severity and status, each a comma list, combined with the channel")
  void filtersBySeverityAndStatus() {
    String channel = RunningHub.freshChannel("sev");
    JsonObject lowOpen = create(channel, "low", "open");
    JsonObject highOpen = create(channel, "high", "open");
    JsonObject highResolved = create(channel, "high", "resolved");
    JsonObject mediumAcknowledged = create(channel, "medium", "acknowledged");

    // Newest first, the id breaking ties: two of these may well share a millisecond.
    assertEquals(newestFirst(highResolved, highOpen),
        ids(hub.get("/incidents?channel=" + channel + "&severity=high")));
    assertEquals(newestFirst(mediumAcknowledged, highOpen, lowOpen),
        ids(hub.get("/incidents?channel=" + channel + "&severity=low,medium,high&status=open,acknowledged")));
    assertEquals(ids(List.of(highOpen)), ids(hub.get("/incidents?channel=" + channel + "&severity=high&status=open")));
  }

  @Test
  @DisplayName("filters createdAt with from inclusive and to exclusive")
  void filtersByTimeRange() {
    String channel = RunningHub.freshChannel("range");
    List<JsonObject> created = IntStream.range(0, 3).mapToObj(i -> createLater(channel)).toList();
    String first = created.get(0).getString("createdAt");
    String last = created.get(2).getString("createdAt");

    assertEquals(ids(List.of(created.get(1), created.get(0))),
        ids(hub.get("/incidents?channel=" + channel + "&from=" + first + "&to=" + last)));
    assertEquals(ids(List.of(created.get(2))), ids(hub.get("/incidents?channel=" + channel + "&from=" + last)));
    assertEquals(List.of(), ids(hub.get("/incidents?channel=" + channel + "&to=" + first)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "channel=|channel|channel values must each be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit; got ''",
      "channel=a,,b|channel|channel values must each be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit; got ''",
      "channel=Upper|channel|channel values must each be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit; got 'Upper'",
      "severity=urgent|severity|severity values must each be one of low, medium, high; got 'urgent'",
      "severity=|severity|severity values must each be one of low, medium, high; got ''",
      "status=closed|status|status values must each be one of open, acknowledged, resolved; got 'closed'",
      "limit=0|limit|limit must be a whole number from 1 to 500; got '0'",
      "limit=501|limit|limit must be a whole number from 1 to 500; got '501'",
      "limit=abc|limit|limit must be a whole number from 1 to 500; got 'abc'",
      "limit=|limit|limit must be a whole number from 1 to 500; got ''",
      "limit=1&limit=2|limit|limit may be given only once",
      "offset=-1|offset|offset must be a whole number of at least 0; got '-1'",
      "offset=1.5|offset|offset must be a whole number of at least 0; got '1.5'",
      "from=yesterday|from|from must be an ISO-8601 instant such as 2026-11-22T10:00:00Z; got 'yesterday'",
      "to=2026-11-22|to|to must be an ISO-8601 instant such as 2026-11-22T10:00:00Z; got '2026-11-22'",
      "sort=title|sort|sort is not a known parameter; allowed: channel, from, limit, offset, severity, status, to",
      "limit=%EF%BC%91|limit|limit must be a whole number from 1 to 500; got '\uff11'",
      "limit=%2B5|limit|limit must be a whole number from 1 to 500; got '+5'",
      "offset=%D9%A3|offset|offset must be a whole number of at least 0; got '\u0663'",
      "offset=99999999999|offset|offset must be a whole number of at least 0; got '99999999999'",
      "channel=abc%00|channel|channel values must each be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit; got 'abc\u0000'",
      "status=open,%20resolved|status|status values must each be one of open, acknowledged, resolved; got ' resolved'",
      "from=%2B999999999-12-31T23:59:59Z|from|from must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z; got '+999999999-12-31T23:59:59Z'",
      "from=%2B10000-01-01T00:00:00Z|from|from must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z; got '+10000-01-01T00:00:00Z'",
      "to=-999999999-01-01T00:00:00Z|to|to must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z; got '-999999999-01-01T00:00:00Z'",
      "to=-0001-12-31T23:59:59Z|to|to must be between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z; got '-0001-12-31T23:59:59Z'"})
  @DisplayName("refuses a bad query parameter with 400 naming it and its rule")
  void refusesBadParameter(String query, String field, String message) {
    HttpResponse<Buffer> response = hub.get("/incidents?" + query);

    assertEquals(400, response.statusCode());
    assertEquals(ErrorBodies.invalidField(field, message), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("a control character in a filter value is refused, never trimmed away")
  void refusesControlCharacterInFilter() {
    HttpResponse<Buffer> response = hub.get("/incidents?channel=abc%0A");

    assertEquals(ErrorBodies.invalidField("channel", "channel values must each be 1-64 characters of a-z, 0-9, '.', "
        + "'_' or '-', starting with a letter or digit; got 'abc\n'"), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("accepts the earliest and latest instants the store keeps")
  void acceptsExtremeInstants() {
    HttpResponse<Buffer> response = hub.get("/incidents?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z&limit=1");

    assertEquals(200, response.statusCode(), response.bodyAsString());
  }

  @Test
  @DisplayName("a bound finer than the store's milliseconds still compares exactly")
  void subMillisecondBounds() {
    String channel = RunningHub.freshChannel("nanos");
    JsonObject incident = hub.create(channel, "at a millisecond");
    String justAfter = Instant.parse(incident.getString("createdAt")).plusNanos(1).toString();

    assertEquals(List.of(), ids(hub.get("/incidents?channel=" + channel + "&from=" + justAfter)));
    assertEquals(ids(List.of(incident)), ids(hub.get("/incidents?channel=" + channel + "&to=" + justAfter)));
  }

  @Test
  @DisplayName("accepts the largest limit")
  void acceptsLargestLimit() {
    HttpResponse<Buffer> response = hub.get("/incidents?limit=500");

    assertEquals(200, response.statusCode());
    assertEquals(500, response.bodyAsJsonObject().getJsonObject("page").getInteger("limit"));
  }

  private static JsonObject create(String channel, String severity, String status) {
    return hub.post("/incidents", new JsonObject().put("title", severity + " " + status).put("channel", channel)
        .put("severity", severity).put("status", status)).bodyAsJsonObject().getJsonObject("data");
  }

  /** Creates an incident and lets the clock pass its createdAt, so the next one's createdAt is strictly later. */
  private static JsonObject createLater(String channel) {
    JsonObject incident = hub.create(channel, "ranged");
    Instant createdAt = Instant.parse(incident.getString("createdAt"));
    while (!Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(createdAt)) {
      Thread.onSpinWait();
    }
    return incident;
  }

  private static List<String> ids(HttpResponse<Buffer> response) {
    return ids(response.bodyAsJsonObject().getJsonArray("data").stream().map(JsonObject.class::cast).toList());
  }

  private static List<String> newestFirst(JsonObject... incidents) {
    return ids(Stream.of(incidents).sorted(NEWEST_FIRST).toList());
  }

  private static List<String> ids(List<JsonObject> incidents) {
    return incidents.stream().map(incident -> incident.getString("id")).toList();
  }
}
