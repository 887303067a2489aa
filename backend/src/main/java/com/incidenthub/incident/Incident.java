package com.incidenthub.incident;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An event operators must see, as every client receives it. {@code createdBy} and {@code updatedBy} are actors: the
 * name of the token that made the change, or "anonymous" when the hub runs without tokens. {@code dedupKey} is there
 * when it was created with one, {@code lastOccurredAt} from its first repeat on.
 */
public record Incident(
    String id,
    String channel,
    String title,
    String message,
    String severity,
    String status,
    Instant createdAt,
    Instant updatedAt,
    int version,
    String createdBy,
    String updatedBy,
    int occurrences,
    Optional<String> dedupKey,
    Optional<Instant> lastOccurredAt) {

  /** Least severe first: a repeat keeps the later of the two in this list. */
  public static final List<String> SEVERITIES = List.of("low", "medium", "high");
  public static final List<String> STATUSES = List.of("open", "acknowledged", "resolved");
  public static final String DEFAULT_CHANNEL = "general";
  public static final String DEFAULT_STATUS = "open";
  public static final String RESOLVED = "resolved";
  /** The actor of changes made without a token, and of incidents stored before actors were recorded. */
  public static final String ANONYMOUS = "anonymous";
  /** What createdBy and updatedBy may hold: token names (and "anonymous"); the same text as mongo-init's validator. */
  public static final String ACTOR_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}(?![\\s\\S])";

  /**
   * The channel-name rule, the same source text as the schema's (and the dashboard's rules.js). It ends in
   * {@code (?![\s\S])}, not {@code $}, which Java's and MongoDB's regex engines let match before a final newline.
   */
  public static final String CHANNEL_PATTERN = "^[a-z0-9][a-z0-9._\\-]{0,63}(?![\\s\\S])";

  /** The channel-name rule in words, for error messages; the schema's channel description says the same. */
  public static final String CHANNEL_RULE =
      "1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

  private static final Pattern CHANNEL_NAME = Pattern.compile(CHANNEL_PATTERN);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A new incident as it is first stored: version 1, one occurrence, created and updated by {@code actor}. */
  static Incident first(String id, NewIncident fields, Instant now, String actor) {
    return new Incident(id, fields.channel(), fields.title(), fields.message(), fields.severity(), fields.status(),
        now, now, 1, actor, actor, 1, fields.dedupKey(), Optional.empty());
  }

  public static boolean isChannelName(String name) {
    return name != null && CHANNEL_NAME.matcher(name).matches();
  }

  /** The more severe of two severities. */
  public static String higherSeverity(String a, String b) {
    return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
  }

  /** Renders an instant the way the API promises: UTC, always with milliseconds. */
  public static String iso(Instant instant) {
    return ISO_MILLIS.format(instant);
  }

  public boolean resolved() {
    return RESOLVED.equals(status);
  }

  /** The same incident after a stored change by {@code actor} at {@code at}: one version further. */
  Incident changedBy(String actor, Instant at) {
    return new Incident(id, channel, title, message, severity, status, createdAt, at, version + 1, createdBy, actor,
        occurrences, dedupKey, lastOccurredAt);
  }

  Incident withStatus(String newStatus, String actor, Instant at) {
    return new Incident(id, channel, title, message, severity, newStatus, createdAt, at, version + 1, createdBy,
        actor, occurrences, dedupKey, lastOccurredAt);
  }

  /** Another occurrence: the higher severity, the newer message unless it is empty. */
  Incident repeatedBy(NewIncident repeat, String actor, Instant at) {
    String newMessage = repeat.message().isEmpty() ? message : repeat.message();
    return new Incident(id, channel, title, newMessage, higherSeverity(severity, repeat.severity()), status,
        createdAt, at, version + 1, createdBy, actor, occurrences + 1, dedupKey, Optional.of(at));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("channel", channel)
        .put("title", title)
        .put("message", message)
        .put("severity", severity)
        .put("status", status)
        .put("createdAt", iso(createdAt))
        .put("updatedAt", iso(updatedAt))
        .put("version", version)
        .put("createdBy", createdBy)
        .put("updatedBy", updatedBy)
        .put("occurrences", occurrences);
    dedupKey.ifPresent(key -> json.put("dedupKey", key));
    lastOccurredAt.ifPresent(at -> json.put("lastOccurredAt", iso(at)));
    return json;
  }
}
