package com.incidenthub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger (or every logger) writes while a test runs, kept instead of printed, with the MDC each had
 * when it was written (logback reads the MDC lazily, which on an event loop would be another request's or none).
 * Close it to detach and restore the levels.
 */
public final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final String CONSOLE = "STDOUT";
  /** Loggers that logback-test.xml silences because their lines are expected in failure tests. */
  private static final List<String> QUIETED = List.of("com.incidenthub.http.ErrorResponder");

  private final Logger logger;
  private final boolean previouslyAdditive;
  private final Appender<ILoggingEvent> console;
  private final Map<Logger, Level> previousLevels = new LinkedHashMap<>();
  private final List<ILoggingEvent> events = new ArrayList<>();

  private CapturedLog(Logger logger, Level level) {
    this.logger = logger;
    previouslyAdditive = logger.isAdditive();
    setLevel(logger, level);
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
    return new CapturedLog(root(), Level.DEBUG);
  }

  /** What an operator would read: every logger from INFO up, the ones the tests quiet included. */
  public static CapturedLog operatorView() {
    CapturedLog log = new CapturedLog(root(), Level.INFO);
    QUIETED.forEach(name -> log.setLevel((Logger) LoggerFactory.getLogger(name), Level.INFO));
    return log;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private void setLevel(Logger target, Level level) {
    previousLevels.putIfAbsent(target, target.getLevel());
    target.setLevel(level);
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

  /** The lines an operator must not see for a client's mistake: at ERROR, or carrying a stack trace. */
  public List<ILoggingEvent> alarming() {
    return lines().stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null)
        .toList();
  }

  /** The lines as an operator's log would hold them. */
  public String text() {
    return describe(lines());
  }

  /** Lines as an operator's log would hold them: level, logger, MDC, message and any stack trace. */
  public static String describe(List<ILoggingEvent> lines) {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent event : lines) {
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
              + " among " + events.size() + ":\n" + describe(events));
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

  /** Waits up to five seconds until {@code source} has written {@code message}, access-log milliseconds aside. */
  public void awaitMessage(Class<?> source, String message) {
    await(1, event -> event.getLoggerName().equals(source.getName())
        && event.getFormattedMessage().replaceFirst(" \\d+ms$", "").equals(message));
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    if (console != null) {
      logger.addAppender(console);
    }
    previousLevels.forEach(Logger::setLevel);
    logger.setAdditive(previouslyAdditive);
    stop();
  }
}
