package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Subscription: channels and the positions they are live after")
class SubscriptionTest {
  private final Subscription subscription = new Subscription();

  @Test
  @DisplayName("channels are listed sorted; \"*\" alone stands for every channel and absorbs the names")
  void channels() {
    subscription.add(List.of("dock-b", "dock-a"), 5);
    assertEquals(List.of("dock-a", "dock-b"), subscription.channels());

    subscription.add(List.of("*"), 7);
    assertEquals(List.of("*"), subscription.channels());
  }

  @Test
  @DisplayName("a change is wanted only after the position its channel became live at")
  void wantsAfterLivePosition() {
    subscription.add(List.of("dock-a"), 5);

    assertEquals(false, subscription.wants("dock-a", 5));
    assertEquals(true, subscription.wants("dock-a", 6));
    assertEquals(false, subscription.wants("dock-b", 6));
  }

  @Test
  @DisplayName("subscribing to a channel again keeps its earlier position")
  void keepsEarlierPosition() {
    subscription.add(List.of("dock-a"), 5);
    subscription.add(List.of("dock-a"), 9);

    assertEquals(OptionalLong.of(5), subscription.liveAfter("dock-a"));
  }

  @Test
  @DisplayName("a channel absorbed by \"*\" keeps its own earlier position")
  void absorbedChannelKeepsPosition() {
    subscription.add(List.of("dock-a"), 5);
    subscription.add(List.of("*"), 9);

    assertEquals(OptionalLong.of(5), subscription.liveAfter("dock-a"));
    assertEquals(OptionalLong.of(9), subscription.liveAfter("dock-b"));
    assertEquals(true, subscription.wants("dock-a", 7));
    assertEquals(false, subscription.wants("dock-b", 7));
  }

  @Test
  @DisplayName("advancing moves a position up, never down")
  void advance() {
    subscription.add(List.of("dock-a", "dock-b"), 5);
    subscription.advance(List.of("dock-a"), 8);
    subscription.advance(List.of("dock-b"), 3);

    assertEquals(OptionalLong.of(8), subscription.liveAfter("dock-a"));
    assertEquals(OptionalLong.of(5), subscription.liveAfter("dock-b"));
  }

  @Test
  @DisplayName("unsubscribing removes a name; unsubscribing \"*\" removes everything")
  void remove() {
    subscription.add(List.of("dock-a", "dock-b"), 5);
    subscription.remove(List.of("dock-a"));
    assertEquals(List.of("dock-b"), subscription.channels());

    subscription.add(List.of("*"), 6);
    subscription.remove(List.of("*"));
    assertEquals(List.of(), subscription.channels());
    assertEquals(OptionalLong.empty(), subscription.liveAfter("dock-b"));
    assertEquals(false, subscription.wants("dock-b", 100));
  }
}
