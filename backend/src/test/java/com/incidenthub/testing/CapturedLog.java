package com.incidenthub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger writes while a test runs, with the MDC each had when it was written (logback reads the MDC
 * lazily, which on an event loop would be another request's or none). Close it to detach and restore the level.
 */
public final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final boolean previouslyAdditive;
  private final List<ILoggingEvent> events = new ArrayList<>();

  private CapturedLog(Class<?> source, Level level) {
    logger = (Logger) LoggerFactory.getLogger(source);
    previousLevel = logger.getLevel();
    previouslyAdditive = logger.isAdditive();
    logger.setLevel(level);
    // Captured, not printed: the test asserts on the lines, the console stays quiet.
    logger.setAdditive(false);
    start();
    logger.addAppender(this);
  }

  public static CapturedLog of(Class<?> source, Level level) {
    return new CapturedLog(source, level);
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    synchronized (events) {
      events.add(event);
      events.notifyAll();
    }
  }

  public List<ILoggingEvent> lines() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Waits up to five seconds until {@code count} lines match, and returns the matching lines. */
  public List<ILoggingEvent> await(int count, Predicate<ILoggingEvent> matching) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (events) {
      List<ILoggingEvent> matched = events.stream().filter(matching).toList();
      while (matched.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " matching lines within 5 s, got " + matched.size()
              + " among " + events.size());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        matched = events.stream().filter(matching).toList();
      }
      return matched;
    }
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previousLevel);
    logger.setAdditive(previouslyAdditive);
    stop();
  }
}
