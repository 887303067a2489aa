package com.incidenthub.realtime;

import com.incidenthub.incident.Change;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The WebSocket protocol in one place: what a client may send, parsed, and every frame the server sends, built. */
final class Protocol {
  static final int MAX_MESSAGE_BYTES = 64 * 1024;
  static final String BAD_CHANNELS = "channels must be a non-empty array of " + ChannelList.RULE;
  static final String BAD_SINCE = "since must be " + Cursor.RULE;

  private Protocol() {}

  /** One message from a client. */
  sealed interface Request permits Ping, Subscribe, Unsubscribe, Invalid {}

  record Ping() implements Request {}

  /** Adds channels; with {@code since}, also replays what changed in them after that cursor. */
  record Subscribe(List<String> channels, Optional<String> since) implements Request {}

  record Unsubscribe(List<String> channels) implements Request {}

  /** Anything else, answered with a BAD_MESSAGE error naming the problem; the socket stays open. */
  record Invalid(String reason) implements Request {}

  static Request parse(String text) {
    if (utf8Length(text) > MAX_MESSAGE_BYTES) {
      return new Invalid("Messages must be at most " + MAX_MESSAGE_BYTES + " bytes");
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new Invalid("Messages must be JSON objects");
    }
    String type = message.getValue("type") instanceof String value ? value : null;
    if ("ping".equals(type)) {
      return new Ping();
    }
    if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
      return new Invalid("Unknown message type " + (type == null ? "(missing)" : "'" + type + "'")
          + "; expected subscribe, unsubscribe or ping");
    }
    Optional<List<String>> channels = ChannelList.fromJson(message.getValue("channels"));
    if (channels.isEmpty()) {
      return new Invalid(BAD_CHANNELS);
    }
    if ("unsubscribe".equals(type)) {
      return new Unsubscribe(channels.get());
    }
    Object since = message.getValue("since");
    if (since != null && !Cursor.isWellFormed(since)) {
      return new Invalid(BAD_SINCE);
    }
    return new Subscribe(channels.get(), Optional.ofNullable((String) since));
  }

  /** Only a long text can exceed the limit, so the common short message is never encoded just to be measured. */
  private static int utf8Length(String text) {
    return text.length() <= MAX_MESSAGE_BYTES / 3 ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The subscription as it now is, and the position from which the socket is live. */
  static String subscribed(Collection<String> channels, Cursor cursor) {
    return subscribedFrame(channels, cursor).encode();
  }

  /** The answer to a resume: {@code recovered} says whether every change after {@code since} follows. */
  static String resumed(Collection<String> channels, Cursor cursor, boolean recovered) {
    return subscribedFrame(channels, cursor).put("recovered", recovered).encode();
  }

  private static JsonObject subscribedFrame(Collection<String> channels, Cursor cursor) {
    return new JsonObject().put("type", "subscribed").put("channels", new JsonArray(List.copyOf(channels)))
        .put("cursor", cursor.encode());
  }

  static String pong() {
    return new JsonObject().put("type", "pong").encode();
  }

  static String error(String message) {
    return error("BAD_MESSAGE", message);
  }

  static String error(String code, String message) {
    return new JsonObject().put("type", "error").put("code", code).put("message", message).encode();
  }

  /** A change as it happens. */
  static String live(Change change, String epoch) {
    return changeFrame(change, epoch).encode();
  }

  /** A change sent again to a client that resumed after missing it. */
  static String replayed(Change change, String epoch) {
    return changeFrame(change, epoch).put("replayed", true).encode();
  }

  /** A first version is a creation to every client, whether it arrives live or in a replay. */
  private static JsonObject changeFrame(Change change, String epoch) {
    String type = change.incident().version() == 1 ? "incident.created" : "incident.updated";
    return new JsonObject().put("type", type).put("incident", change.incident().toJson())
        .put("cursor", new Cursor(epoch, change.seq()).encode());
  }
}
