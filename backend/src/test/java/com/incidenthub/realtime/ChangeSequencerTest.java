package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ChangeSequencer: changes released in sequence order, with a bounded hold")
class ChangeSequencerTest {
  private static final long HOLD = 1000;

  private final ChangeSequencer<String> sequencer = new ChangeSequencer<>(10, 0, HOLD);

  @Test
  @DisplayName("changes that arrive in order are released at once")
  void inOrder() {
    assertEquals(List.of("11"), sequencer.offer(11, "11", 5000));
    assertEquals(List.of("12"), sequencer.offer(12, "12", 5000));
    assertEquals(12, sequencer.released());
  }

  @Test
  @DisplayName("a change ahead of a missing number waits, and is released right after it")
  void waitsForGap() {
    assertEquals(List.of(), sequencer.offer(12, "12", 5000));
    assertEquals(List.of(), sequencer.offer(13, "13", 5000));
    assertEquals(10, sequencer.released());

    assertEquals(List.of("11", "12", "13"), sequencer.offer(11, "11", 5001));
    assertEquals(13, sequencer.released());
  }

  @Test
  @DisplayName("a skip notice ends the wait at once")
  void skipReleases() {
    sequencer.offer(12, "12", 5000);

    assertEquals(List.of("12"), sequencer.skip(11));
    assertEquals(12, sequencer.released());
  }

  @Test
  @DisplayName("a skip notice ahead of the position is remembered until the position reaches it")
  void skipAhead() {
    assertEquals(List.of(), sequencer.skip(12));
    assertEquals(List.of("11", "13"), concat(sequencer.offer(13, "13", 5000), sequencer.offer(11, "11", 5000)));
  }

  @Test
  @DisplayName("a number nobody announces is given up when the oldest waiting change has waited the hold")
  void holdExpires() {
    sequencer.offer(12, "12", 5000);
    sequencer.offer(14, "14", 5400);

    assertEquals(OptionalLong.of(6000), sequencer.deadline());
    assertEquals(List.of(), sequencer.expire(5999));
    assertEquals(List.of("12"), sequencer.expire(6000));
    assertEquals(12, sequencer.released());
    assertEquals(OptionalLong.of(6400), sequencer.deadline());
    assertEquals(List.of("14"), sequencer.expire(6400));
    assertEquals(OptionalLong.empty(), sequencer.deadline());
  }

  @Test
  @DisplayName("a change whose number was given up is released late, once")
  void lateChange() {
    sequencer.offer(12, "12", 5000);
    sequencer.expire(6000);

    assertEquals(List.of("11"), sequencer.offer(11, "11", 7000));
    assertEquals(List.of(), sequencer.offer(11, "11 again", 7001));
  }

  @Test
  @DisplayName("a change already released is not released again")
  void duplicate() {
    sequencer.offer(11, "11", 5000);

    assertEquals(List.of(), sequencer.offer(11, "11", 5001));
  }

  @Test
  @DisplayName("numbers up to the start may still be in flight: their changes are released for one hold after it")
  void inFlightAtStart() {
    assertEquals(List.of("9"), sequencer.offer(9, "9", HOLD - 1));
    assertEquals(List.of(), sequencer.offer(8, "8", HOLD));
  }

  @Test
  @DisplayName("a fill from the store releases every change up to its end in order, waiting ones included")
  void fillReleasesInOrder() {
    sequencer.offer(13, "13 from the bus", 5000);

    assertEquals(List.of("11", "12", "13 from the bus", "14"),
        sequencer.fill(new TreeMap<>(Map.of(11L, "11", 12L, "12", 13L, "13", 14L, "14")), 14));
    assertEquals(14, sequencer.released());
    assertEquals(List.of(), sequencer.offer(12, "12 from the bus", 5001));
  }

  @Test
  @DisplayName("a fill gives up the numbers the store has no change for, so that they hold nothing back")
  void fillGivesUpMissingNumbers() {
    assertEquals(List.of("13"), sequencer.fill(new TreeMap<>(Map.of(13L, "13")), 15));
    assertEquals(15, sequencer.released());
    assertEquals(OptionalLong.empty(), sequencer.deadline());

    assertEquals(List.of("12 stored late"), sequencer.offer(12, "12 stored late", 5000));
  }

  @Test
  @DisplayName("a fill releases what waited beyond its end once the numbers between are there")
  void fillThenDrain() {
    sequencer.offer(13, "13", 5000);

    assertEquals(List.of("11", "13"), sequencer.fill(new TreeMap<>(Map.of(11L, "11")), 12));
    assertEquals(13, sequencer.released());
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }
}
