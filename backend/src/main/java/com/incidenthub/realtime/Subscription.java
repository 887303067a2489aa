package com.incidenthub.realtime;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The channels one socket follows, each with the position after which that channel's changes reach the socket live.
 * No I/O. A channel absorbed by {@code "*"} keeps its own, earlier position, so that a late change or a replay never
 * sends the socket what it already had through that channel.
 */
final class Subscription {
  private final TreeMap<String, Long> liveAfter = new TreeMap<>();
  /** The highest position of any entry: a change after it is live for every channel followed. */
  private long newest = Long.MIN_VALUE;

  Subscription() {}

  private Subscription(Subscription other) {
    liveAfter.putAll(other.liveAfter);
    newest = other.newest;
  }

  Subscription copy() {
    return new Subscription(this);
  }

  /** The channels as the client sees them: {@code ["*"]} alone while it follows every channel, else sorted names. */
  List<String> channels() {
    return liveAfter.containsKey(ChannelList.EVERY_CHANNEL)
        ? List.of(ChannelList.EVERY_CHANNEL)
        : List.copyOf(liveAfter.keySet());
  }

  /** Follows {@code names} from after {@code seq}; a name already followed keeps its earlier position. */
  void add(Collection<String> names, long seq) {
    names.forEach(name -> liveAfter.putIfAbsent(name, seq));
    recomputeNewest();
  }

  /** Moves the entries of {@code names} up to {@code seq}: the client has shown it has every change up to there. */
  void advance(Collection<String> names, long seq) {
    names.forEach(name -> liveAfter.computeIfPresent(name, (key, current) -> Math.max(current, seq)));
    recomputeNewest();
  }

  /** Stops following {@code names}; unfollowing {@code "*"} leaves nothing. */
  void remove(Collection<String> names) {
    if (names.contains(ChannelList.EVERY_CHANNEL)) {
      liveAfter.clear();
    } else {
      names.forEach(liveAfter::remove);
    }
    recomputeNewest();
  }

  /** After which position changes of {@code channel} reach this socket live; empty when it does not follow it. */
  OptionalLong liveAfter(String channel) {
    Long own = liveAfter.get(channel);
    Long every = liveAfter.get(ChannelList.EVERY_CHANNEL);
    if (own == null && every == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.min(own == null ? Long.MAX_VALUE : own, every == null ? Long.MAX_VALUE : every));
  }

  /** Whether the change of {@code channel} at {@code seq} is one this socket gets live. */
  boolean wants(String channel, long seq) {
    if (seq > newest) {
      return !liveAfter.isEmpty() && (liveAfter.containsKey(channel)
          || liveAfter.containsKey(ChannelList.EVERY_CHANNEL));
    }
    OptionalLong from = liveAfter(channel);
    return from.isPresent() && seq > from.getAsLong();
  }

  private void recomputeNewest() {
    newest = liveAfter.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
  }

  @Override
  public String toString() {
    return liveAfter.toString();
  }
}
