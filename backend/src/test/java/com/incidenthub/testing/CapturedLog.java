package com.incidenthub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger (or every logger) writes while a test runs, with the MDC each had when it was written (logback
 * reads the MDC lazily, which on an event loop would be another request's or none). Close it to detach and restore
 * the level.
 */
public final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final String CONSOLE = "STDOUT";

  private final Logger logger;
  private final Level previousLevel;
  private final boolean previouslyAdditive;
  private final Appender<ILoggingEvent> console;
  private final List<ILoggingEvent> events = new ArrayList<>();

  private CapturedLog(Logger logger, Level level) {
    this.logger = logger;
    previousLevel = logger.getLevel();
    previouslyAdditive = logger.isAdditive();
    logger.setLevel(level);
    // Captured, not printed: the test asserts on the lines, the console stays quiet.
    logger.setAdditive(false);
    console = logger.getAppender(CONSOLE);
    logger.detachAppender(CONSOLE);
    start();
    logger.addAppender(this);
  }

  public static CapturedLog of(Class<?> source, Level level) {
    return new CapturedLog((Logger) LoggerFactory.getLogger(source), level);
  }

  /** Every logger's lines from DEBUG up, except those whose level logback-test.xml sets itself (drivers, Netty). */
  public static CapturedLog everything() {
    return new CapturedLog((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), Level.DEBUG);
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

  /** The lines as an operator's log would hold them: level, logger, MDC, message and any stack trace. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : lines()) {
      text.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(' ')
          .append(event.getMDCPropertyMap()).append(" - ").append(event.getFormattedMessage()).append('\n');
      if (event.getThrowableProxy() != null) {
        text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
    }
    return text.toString();
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
    if (console != null) {
      logger.addAppender(console);
    }
    logger.setLevel(previousLevel);
    logger.setAdditive(previouslyAdditive);
    stop();
  }
}
