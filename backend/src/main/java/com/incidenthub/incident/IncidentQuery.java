package com.incidenthub.incident;

import com.incidenthub.http.HubException.FieldError;
import com.incidenthub.http.HubException;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The filters and page of {@code GET /incidents}, checked before anything reaches the database. */
public record IncidentQuery(
    List<String> channels,
    List<String> severities,
    List<String> statuses,
    Optional<Instant> from,
    Optional<Instant> to,
    int limit,
    int offset) {

  /** The instants a filter may name: those with four-digit years, which the store keeps as milliseconds. */
  public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;
  private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]{1,10}");
  private static final Set<String> PARAMETERS = Set.of("channel", "severity", "status", "from", "to", "limit", "offset");

  /** Parses the query string; every broken rule becomes one {@link FieldError} naming its parameter. */
  public static IncidentQuery fromParams(MultiMap params) {
    List<FieldError> errors = new ArrayList<>();
    params.names().stream()
        .filter(name -> !PARAMETERS.contains(name))
        .sorted()
        .forEach(name -> errors.add(new FieldError(name, name + " is not a known parameter; allowed: "
            + String.join(", ", PARAMETERS.stream().sorted().toList()))));
    IncidentQuery query = new IncidentQuery(
        list(params, "channel", Incident::isChannelName, Incident.CHANNEL_RULE, errors),
        list(params, "severity", Incident.SEVERITIES::contains, "one of " + String.join(", ", Incident.SEVERITIES), errors),
        list(params, "status", Incident.STATUSES::contains, "one of " + String.join(", ", Incident.STATUSES), errors),
        instant(params, "from", errors),
        instant(params, "to", errors),
        integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors),
        integer(params, "offset", 0, 0, Integer.MAX_VALUE, errors));
    if (!errors.isEmpty()) {
      throw HubException.invalid(errors);
    }
    return query;
  }

  private static List<String> list(MultiMap params, String name, Predicate<String> valid, String rule,
      List<FieldError> errors) {
    List<String> values = params.getAll(name).stream()
        .flatMap(value -> Arrays.stream(value.split(",", -1)))
        .distinct()
        .toList();
    Optional<String> invalid = values.stream().filter(valid.negate()).findFirst();
    if (invalid.isPresent()) {
      errors.add(new FieldError(name, name + " values must each be " + rule + "; got '" + invalid.get() + "'"));
      return List.of();
    }
    return values;
  }

  private static Optional<Instant> instant(MultiMap params, String name, List<FieldError> errors) {
    String value = single(params, name, errors);
    if (value == null) {
      return Optional.empty();
    }
    Instant instant;
    try {
      instant = Instant.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, name + " must be an ISO-8601 instant such as 2026-11-22T10:00:00Z; got '"
          + value + "'"));
      return Optional.empty();
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      errors.add(new FieldError(name, name + " must be between " + EARLIEST + " and " + LATEST + "; got '"
          + value + "'"));
      return Optional.empty();
    }
    return Optional.of(toStoredPrecision(instant));
  }

  /**
   * The store keeps milliseconds. Rounding a bound up to the next millisecond keeps both comparisons exact:
   * {@code createdAt >= from} and {@code createdAt < to} hold for the same stored instants as before rounding.
   */
  private static Instant toStoredPrecision(Instant instant) {
    Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
    return millis.equals(instant) ? millis : millis.plusMillis(1);
  }

  private static int integer(MultiMap params, String name, int fallback, int min, int max, List<FieldError> errors) {
    String value = single(params, name, errors);
    if (value == null) {
      return fallback;
    }
    String rule = max == Integer.MAX_VALUE ? "a whole number of at least " + min : "a whole number from " + min + " to " + max;
    // ASCII digits only: parseInt alone would also take a sign and digits of any script, such as "１".
    if (ASCII_DIGITS.matcher(value).matches()) {
      try {
        int number = Integer.parseInt(value);
        if (number >= min && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // too large for an int: reported below, with the same wording as an out-of-range number
      }
    }
    errors.add(new FieldError(name, name + " must be " + rule + "; got '" + value + "'"));
    return fallback;
  }

  private static String single(MultiMap params, String name, List<FieldError> errors) {
    List<String> values = params.getAll(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      errors.add(new FieldError(name, name + " may be given only once"));
      return null;
    }
    return values.get(0);
  }
}
