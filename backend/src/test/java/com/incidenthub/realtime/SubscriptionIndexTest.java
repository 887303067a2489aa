package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SubscriptionIndex: a channel's subscribers")
class SubscriptionIndexTest {
  private final SubscriptionIndex<String> index = new SubscriptionIndex<>();

  @Test
  @DisplayName("a channel's audience is the \"*\" subscribers, then the channel's own")
  void audience() {
    index.add("alice", List.of("dock-a"));
    index.add("bob", List.of("*"));
    index.add("carol", List.of("dock-b"));

    assertEquals(List.of("bob", "alice"), subscribersOf("dock-a"));
    assertEquals(List.of("bob"), subscribersOf("dock-c"));
  }

  @Test
  @DisplayName("removing the last subscriber of a channel forgets the channel")
  void removeForgetsEmptyChannels() {
    index.add("alice", List.of("dock-a", "dock-b"));
    index.remove("alice", List.of("dock-a"));

    assertEquals(List.of(), subscribersOf("dock-a"));
    assertEquals(List.of("alice"), subscribersOf("dock-b"));
    assertEquals(1, index.channelCount());
  }

  @Test
  @DisplayName("removing a subscriber from a channel it never followed changes nothing")
  void removeUnknown() {
    index.add("alice", List.of("dock-a"));
    index.remove("bob", List.of("dock-a", "dock-z"));

    assertEquals(List.of("alice"), subscribersOf("dock-a"));
  }

  private List<String> subscribersOf(String channel) {
    List<String> audience = new ArrayList<>();
    index.forEachSubscriber(channel, audience::add);
    return audience;
  }
}
