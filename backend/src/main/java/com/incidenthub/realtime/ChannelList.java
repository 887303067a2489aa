package com.incidenthub.realtime;

import com.incidenthub.incident.Incident;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The channels a socket asks for, from the upgrade's query or a subscribe message: {@code "*"} or channel names. */
final class ChannelList {
  static final String EVERY_CHANNEL = "*";
  static final String RULE = "\"*\" or channel names (" + Incident.CHANNEL_RULE + ")";

  private ChannelList() {}

  /** {@code ?channels=a,b}; no parameter at all means every channel. */
  static Optional<List<String>> fromQuery(String parameter) {
    if (parameter == null) {
      return Optional.of(List.of(EVERY_CHANNEL));
    }
    return fromJson(new JsonArray(Arrays.asList(parameter.split(",", -1))));
  }

  /** A message's {@code channels}: a non-empty array whose every element is a name or {@code "*"}. */
  static Optional<List<String>> fromJson(Object channels) {
    if (!(channels instanceof JsonArray array) || array.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>(array.size());
    for (Object name : array) {
      if (!(name instanceof String text) || !(EVERY_CHANNEL.equals(text) || Incident.isChannelName(text))) {
        return Optional.empty();
      }
      names.add(text);
    }
    return Optional.of(names);
  }

  /** The channels a socket follows once it subscribed to {@code names}: {@code "*"} absorbs every other name. */
  static SortedSet<String> afterSubscribing(Collection<String> current, Collection<String> names) {
    SortedSet<String> channels = new TreeSet<>();
    if (current.contains(EVERY_CHANNEL) || names.contains(EVERY_CHANNEL)) {
      channels.add(EVERY_CHANNEL);
    } else {
      channels.addAll(current);
      channels.addAll(names);
    }
    return channels;
  }
}
