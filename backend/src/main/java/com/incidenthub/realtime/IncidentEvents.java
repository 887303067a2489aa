package com.incidenthub.realtime;

import com.incidenthub.incident.Change;
import com.incidenthub.incident.ChangeListener;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The event bus leg of fan-out, clustered or not. Every stored change is published once, as the ready-to-send socket
 * frame, to one address; its store's epoch, number, channel, incident id and version travel as headers, so that a hub
 * orders and routes it without decoding the frame. A number taken by a write that stored nothing is published as a
 * skip notice.
 */
public final class IncidentEvents implements ChangeListener {
  public static final String ADDRESS = "incidents.events";
  private static final String KIND = "kind";
  private static final String SKIP = "skip";
  private static final String SEQ = "seq";
  private static final String EPOCH = "epoch";
  private static final String CHANNEL = "channel";
  private static final String INCIDENT_ID = "incident-id";
  private static final String VERSION = "version";

  private final EventBus bus;
  private final String epoch;

  public IncidentEvents(EventBus bus, String epoch) {
    this.bus = bus;
    this.epoch = epoch;
  }

  @Override
  public void changed(Change change) {
    Event event = Event.of(change, epoch);
    bus.publish(ADDRESS, event.frame(), new DeliveryOptions()
        .addHeader(EPOCH, epoch)
        .addHeader(SEQ, Long.toString(event.seq()))
        .addHeader(CHANNEL, event.channel())
        .addHeader(INCIDENT_ID, event.incidentId())
        .addHeader(VERSION, Integer.toString(event.version())));
  }

  @Override
  public void skipped(long seq) {
    bus.publish(ADDRESS, "", new DeliveryOptions().addHeader(KIND, SKIP).addHeader(EPOCH, epoch)
        .addHeader(SEQ, Long.toString(seq)));
  }

  /**
   * Registers one hub's consumer of every change and skip notice of the store whose epoch is {@code epoch}. Those of
   * another store (a node of the cluster on another database) go to {@code onForeign} with their epoch: their numbers
   * are of another sequence, and their cursors mean nothing to this store.
   */
  static MessageConsumer<String> consume(EventBus bus, String epoch, Consumer<Event> onChange, LongConsumer onSkip,
      Consumer<String> onForeign) {
    return bus.consumer(ADDRESS, message -> {
      String from = message.headers().get(EPOCH);
      if (!epoch.equals(from)) {
        onForeign.accept(String.valueOf(from));
        return;
      }
      long seq = Long.parseLong(message.headers().get(SEQ));
      if (SKIP.equals(message.headers().get(KIND))) {
        onSkip.accept(seq);
      } else {
        onChange.accept(Event.of(seq, message));
      }
    });
  }

  /** One change as a hub routes it: its number, where it goes, which version of which incident, and its frame. */
  record Event(long seq, String channel, String incidentId, int version, String frame) {
    Event withFrame(String other) {
      return new Event(seq, channel, incidentId, version, other);
    }

    static Event of(Change change, String epoch) {
      return new Event(change.seq(), change.incident().channel(), change.incident().id(),
          change.incident().version(), Protocol.live(change, epoch));
    }

    private static Event of(long seq, Message<String> message) {
      return new Event(seq, message.headers().get(CHANNEL), message.headers().get(INCIDENT_ID),
          Integer.parseInt(message.headers().get(VERSION)), message.body());
    }
  }
}
