package com.incidenthub.http;

import com.incidenthub.http.HubException.FieldError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request body's JSON schema (a resource under {@code schemas/}) and the validator built from it.
 * Violations are phrased from the schema's own rules, so a message always names the field and the rule.
 */
public final class RequestSchema {
  private final JsonObject schema;
  private final Validator validator;

  private RequestSchema(JsonObject schema) {
    this.schema = schema;
    this.validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT202012)
        .setBaseUri("https://incident-hub/")
        .setOutputFormat(OutputFormat.Basic));
  }

  public static Future<RequestSchema> load(Vertx vertx, String resource) {
    return vertx.fileSystem().readFile(resource).map(buffer -> new RequestSchema(buffer.toJsonObject()));
  }

  public JsonObject schema() {
    return schema;
  }

  /** The broken rules, one per field, in the schema's property order; empty when the body is valid. */
  public List<FieldError> violations(Object body) {
    OutputUnit result = validator.validate(body);
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    if (!(body instanceof JsonObject object)) {
      return List.of(new FieldError("body", "The body must be a JSON object"));
    }
    Map<String, FieldError> byField = new LinkedHashMap<>();
    for (OutputUnit error : result.getErrors()) {
      describe(error, object).forEach(violation -> byField.putIfAbsent(violation.field(), violation));
    }
    return new ArrayList<>(byField.values());
  }

  private List<FieldError> describe(OutputUnit error, JsonObject body) {
    String[] keywordPath = error.getKeywordLocation().replaceFirst("^#/?", "").split("/");
    String keyword = keywordPath[keywordPath.length - 1];
    JsonObject properties = schema.getJsonObject("properties");
    if (keywordPath.length == 1) {
      return switch (keyword) {
        case "required" -> missing(body);
        case "additionalProperties" -> unknown(field(error), properties);
        default -> List.of();
      };
    }
    if (keywordPath.length == 3 && "properties".equals(keywordPath[0])) {
      String field = keywordPath[1];
      return List.of(new FieldError(field, field + " " + rule(keyword, properties.getJsonObject(field))));
    }
    return List.of();
  }

  private List<FieldError> missing(JsonObject body) {
    return schema.getJsonArray("required").stream()
        .map(String.class::cast)
        .filter(name -> !body.containsKey(name))
        .map(name -> new FieldError(name, name + " is required"))
        .toList();
  }

  /** The validator also flags declared properties whose value is invalid; only truly unknown names count here. */
  private static List<FieldError> unknown(String field, JsonObject properties) {
    if (properties.containsKey(field)) {
      return List.of();
    }
    return List.of(new FieldError(field, field + " is not a known field; allowed: "
        + String.join(", ", properties.fieldNames())));
  }

  private static String field(OutputUnit error) {
    return error.getInstanceLocation().replaceFirst("^#/?", "");
  }

  private static String rule(String keyword, JsonObject property) {
    return switch (keyword) {
      case "type" -> "must be a " + property.getString("type");
      case "minLength" -> property.getInteger("minLength") == 1
          ? "must not be empty"
          : "must be at least " + property.getInteger("minLength") + " characters";
      case "maxLength" -> "must be at most " + property.getInteger("maxLength") + " characters";
      case "pattern" -> "must be " + property.getString("description", "a match for " + property.getString("pattern"));
      case "enum" -> "must be one of " + join(property.getJsonArray("enum"));
      default -> "is invalid (" + keyword + ")";
    };
  }

  private static String join(JsonArray values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
