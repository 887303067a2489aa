package com.incidenthub.realtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts the changes a hub receives back into sequence order, so that no socket is handed a cursor past a change it has
 * not been sent. Writers on several nodes take numbers in one order and finish their writes in another; a change that
 * arrives ahead of a missing number waits for it, but at most the hold: a number whose write failed is announced as
 * skipped and ends the wait at once, and one that nobody announces (its writer died, or the notice was lost) is given up
 * when the hold ends. A change that arrives after its number was given up is released late, once. No I/O and no clock
 * of its own: the hub passes the time in.
 */
final class ChangeSequencer<E> {
  private static final int REMEMBERED_GIVEN_UP = 10_000;

  private final long holdMillis;
  private final long startSeq;
  private final long lateUntil;
  /** Every number up to here was released: delivered, skipped or given up. */
  private long released;
  private final TreeMap<Long, Waiting<E>> waiting = new TreeMap<>();
  private final TreeSet<Long> skipped = new TreeSet<>();
  private final Set<Long> givenUp = new LinkedHashSet<>();

  /**
   * Starts after {@code startSeq}, the store's head when the hub started. Numbers up to it may still be in flight, so
   * for one hold after the start their changes are released late, as given-up numbers are.
   */
  ChangeSequencer(long startSeq, long now, long holdMillis) {
    this.holdMillis = holdMillis;
    this.startSeq = startSeq;
    this.lateUntil = now + holdMillis;
    this.released = startSeq;
  }

  /** The position up to which every change has been released. */
  long released() {
    return released;
  }

  /** A change arrived; returns every change that can now be released, in order (empty while it waits). */
  List<E> offer(long seq, E change, long now) {
    if (seq <= released) {
      boolean late = givenUp.remove(seq) || (seq <= startSeq && now < lateUntil);
      return late ? List.of(change) : List.of();
    }
    if (seq != released + 1) {
      waiting.putIfAbsent(seq, new Waiting<>(change, now));
      return List.of();
    }
    List<E> out = new ArrayList<>();
    out.add(change);
    released = seq;
    drain(out);
    return out;
  }

  /** The number's write stored nothing; returns the changes that waited for it and can now be released. */
  List<E> skip(long seq) {
    if (seq <= released) {
      return List.of();
    }
    skipped.add(seq);
    List<E> out = new ArrayList<>();
    drain(out);
    return out;
  }

  /** The newest waiting change that has waited the hold: the numbers missing below it are overdue. */
  OptionalLong holdOver(long now) {
    OptionalLong upTo = OptionalLong.empty();
    for (Map.Entry<Long, Waiting<E>> entry : waiting.entrySet()) {
      if (entry.getValue().arrivedAt() + holdMillis <= now) {
        upTo = OptionalLong.of(entry.getKey());
      }
    }
    return upTo;
  }

  /** Gives up every number missing below a change that has waited the hold; returns what that releases. */
  List<E> expire(long now) {
    return fill(Collections.emptySortedMap(), holdOver(now).orElse(Long.MIN_VALUE));
  }

  /**
   * Changes read from the store ({@code read}, by number, every one after {@link #released}), which holds every change
   * up to {@code upTo}: releases everything up to there in order, a change that arrived and waits before the same
   * number read. A number up to {@code upTo} that neither brings nor announced is given up at once: the store has no
   * change with it (its write failed, or a later change of the same incident took its place), or its write is still
   * in flight, and then it arrives late. Returns what is released, in order.
   */
  List<E> fill(SortedMap<Long, E> read, long upTo) {
    List<E> out = new ArrayList<>();
    while (released < upTo) {
      long next = released + 1;
      Waiting<E> arrived = waiting.remove(next);
      if (arrived != null) {
        out.add(arrived.change());
      } else if (read.containsKey(next)) {
        out.add(read.get(next));
      } else if (!skipped.remove(next)) {
        remember(next);
      }
      released = next;
    }
    drain(out);
    return out;
  }

  /** When {@link #expire} will next have something to give up; empty while nothing waits. */
  OptionalLong deadline() {
    return waiting.values().stream().mapToLong(held -> held.arrivedAt() + holdMillis).min();
  }

  /** How many changes wait for a missing number. */
  int waitingCount() {
    return waiting.size();
  }

  private void drain(List<E> out) {
    while (true) {
      long next = released + 1;
      Waiting<E> arrived = waiting.remove(next);
      if (arrived != null) {
        out.add(arrived.change());
      } else if (!skipped.remove(next)) {
        return;
      }
      released = next;
    }
  }

  private void remember(long seq) {
    givenUp.add(seq);
    if (givenUp.size() > REMEMBERED_GIVEN_UP) {
      Iterator<Long> oldest = givenUp.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private record Waiting<E>(E change, long arrivedAt) {}
}
