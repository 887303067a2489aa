package com.incidenthub.realtime;

import com.incidenthub.incident.Incident;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The event bus leg of fan-out. Every create and change is published once, as the ready-to-send socket frame, to one
 * address; the channel and the incident's version travel as headers so that a hub routes without decoding the frame.
 */
public final class IncidentEvents {
  public static final String ADDRESS = "incidents.events";
  static final String CHANNEL = "channel";
  static final String INCIDENT_ID = "incident-id";
  static final String VERSION = "version";

  private final EventBus bus;

  public IncidentEvents(EventBus bus) {
    this.bus = bus;
  }

  public void created(Incident incident) {
    publish("incident.created", incident);
  }

  public void updated(Incident incident) {
    publish("incident.updated", incident);
  }

  private void publish(String type, Incident incident) {
    String frame = new JsonObject().put("type", type).put("incident", incident.toJson()).encode();
    bus.publish(ADDRESS, frame, new DeliveryOptions()
        .addHeader(CHANNEL, incident.channel())
        .addHeader(INCIDENT_ID, incident.id())
        .addHeader(VERSION, Integer.toString(incident.version())));
  }

  /** What a hub needs to route one published event. */
  record Event(String channel, String incidentId, int version, String frame) {
    static Event of(Message<String> message) {
      return new Event(
          message.headers().get(CHANNEL),
          message.headers().get(INCIDENT_ID),
          Integer.parseInt(message.headers().get(VERSION)),
          message.body());
    }
  }
}
