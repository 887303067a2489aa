package com.incidenthub.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads, parses and validates a JSON request body; the handlers after it take the result with {@link #of}.
 * The body must be strict JSON (RFC 8259: no comments, no duplicate names, nothing after the value) in UTF-8, and
 * every string in it valid Unicode, so that what is stored is exactly what the client sent.
 */
public final class JsonBody {
  public static final int LIMIT_BYTES = 64 * 1024;
  private static final String KEY = "validated-body";
  /** A fresh factory: Vert.x's shared one allows comments. Duplicate names would silently keep the last value. */
  private static final JsonFactory STRICT_JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /**
   * Malformed UTF-8 becomes a lone surrogate, which the Unicode check then reports with the field that holds it,
   * exactly like a lone surrogate sent as a {@code \ud800} escape.
   */
  private static final String MALFORMED_UTF8 = "\udfff";

  private JsonBody() {}

  /**
   * Refuses a body that is not uncompressed JSON before reading it, then buffers it up to {@link #LIMIT_BYTES};
   * larger ones fail with 413 before they are read to the end.
   */
  public static Handler<RoutingContext> reader() {
    BodyHandler buffer = BodyHandler.create(false).setBodyLimit(LIMIT_BYTES);
    return ctx -> {
      if (!isJson(ctx.request().getHeader("Content-Type"))) {
        ctx.fail(new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json"));
        return;
      }
      String encoding = ctx.request().getHeader("Content-Encoding");
      if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
        ctx.fail(new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Content-Encoding '" + encoding + "' is not accepted; send the body uncompressed"));
        return;
      }
      buffer.handle(ctx);
    };
  }

  /** Parses the body, applies {@code normalise} to an object, and lets the request on only when the schema accepts it. */
  public static Handler<RoutingContext> validated(RequestSchema schema, UnaryOperator<JsonObject> normalise) {
    return ctx -> {
      Buffer raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        ctx.fail(HubException.invalid("body", "The body is empty; send a JSON object"));
        return;
      }
      Object parsed = parse(raw);
      if (parsed instanceof JsonObject object) {
        List<HubException.FieldError> broken = notUnicode(object);
        if (!broken.isEmpty()) {
          ctx.fail(HubException.invalid(broken));
          return;
        }
      }
      Object body = parsed instanceof JsonObject object ? normalise.apply(object) : parsed;
      List<HubException.FieldError> violations = schema.violations(body);
      if (!violations.isEmpty()) {
        ctx.fail(HubException.invalid(violations));
        return;
      }
      ctx.put(KEY, body);
      ctx.next();
    };
  }

  /** The body {@link #validated} accepted: always a JSON object, since every schema asks for one. */
  public static JsonObject of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** One JSON value, as Vert.x types (JsonObject, JsonArray, String, Number, Boolean or null). */
  static Object parse(Buffer raw) {
    Object value;
    try {
      value = JacksonCodec.fromParser(STRICT_JSON.createParser(decodeUtf8(raw)), Object.class);
    } catch (IOException | DecodeException e) {
      throw new HubException(ErrorCode.MALFORMED_JSON, "The body is not valid JSON: " + reason(e));
    }
    if (value instanceof Map<?, ?> map) {
      return new JsonObject(cast(map));
    }
    return value instanceof List<?> list ? new JsonArray(list) : value;
  }

  /** The parser's own words and where it stopped; Jackson leaves the body itself out of its messages. */
  private static String reason(Exception failure) {
    if (failure.getCause() instanceof JsonProcessingException parse && parse.getLocation() != null) {
      return parse.getOriginalMessage() + " (line " + parse.getLocation().getLineNr()
          + ", column " + parse.getLocation().getColumnNr() + ")";
    }
    return failure.getMessage();
  }

  private static String decodeUtf8(Buffer raw) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(MALFORMED_UTF8);
    try {
      return utf8.decode(ByteBuffer.wrap(raw.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not throw", e);
    }
  }

  /** One error per top-level field holding a lone surrogate (in its value, or in a name nested inside it). */
  private static List<HubException.FieldError> notUnicode(JsonObject body) {
    List<HubException.FieldError> errors = new ArrayList<>();
    body.forEach(field -> {
      if (!isUnicode(field.getKey())) {
        errors.add(new HubException.FieldError("body", "Field names must be valid Unicode text (UTF-8, no lone "
            + "surrogates)"));
      } else if (!holdsOnlyUnicode(field.getValue())) {
        errors.add(new HubException.FieldError(field.getKey(), field.getKey() + " must be valid Unicode text "
            + "(UTF-8, no lone surrogates)"));
      }
    });
    return errors;
  }

  private static boolean holdsOnlyUnicode(Object value) {
    if (value instanceof String text) {
      return isUnicode(text);
    }
    if (value instanceof JsonObject object) {
      return object.stream().allMatch(entry -> isUnicode(entry.getKey()) && holdsOnlyUnicode(entry.getValue()));
    }
    if (value instanceof JsonArray array) {
      return array.stream().allMatch(JsonBody::holdsOnlyUnicode);
    }
    return true;
  }

  /** True unless a surrogate stands alone: Java strings hold UTF-16, which can carry what Unicode text cannot. */
  static boolean isUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json");
  }
}
