package com.incidenthub.realtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Which subscribers follow which channel, {@code "*"} included; no I/O, so a hub finds a change's audience fast. */
final class SubscriptionIndex<S> {
  private final Map<String, Set<S>> byChannel = new HashMap<>();

  void add(S subscriber, Collection<String> channels) {
    channels.forEach(channel -> byChannel.computeIfAbsent(channel, key -> new LinkedHashSet<>()).add(subscriber));
  }

  void remove(S subscriber, Collection<String> channels) {
    channels.forEach(channel -> {
      Set<S> subscribers = byChannel.get(channel);
      if (subscribers != null && subscribers.remove(subscriber) && subscribers.isEmpty()) {
        byChannel.remove(channel);
      }
    });
  }

  /**
   * Calls {@code action} for the subscribers of {@code "*"}, then for those of {@code channel}. A subscriber listed
   * under {@code "*"} is listed under no channel (see {@link Subscription#channels}), so each is called once.
   */
  void forEachSubscriber(String channel, Consumer<S> action) {
    Set<S> everyChannel = byChannel.get(ChannelList.EVERY_CHANNEL);
    if (everyChannel != null) {
      everyChannel.forEach(action);
    }
    Set<S> subscribers = byChannel.get(channel);
    if (subscribers != null) {
      subscribers.forEach(action);
    }
  }

  /** How many channels (and {@code "*"}) have at least one subscriber. */
  int channelCount() {
    return byChannel.size();
  }
}
