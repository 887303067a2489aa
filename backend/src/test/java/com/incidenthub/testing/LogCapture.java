package com.incidenthub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Everything the service logs at INFO and above while it is open, kept instead of printed, with the levels the
 * test configuration quiets put back to INFO, so that a test can assert what an operator would read.
 */
public final class LogCapture implements AutoCloseable {
  private static final List<String> QUIETED = List.of("com.incidenthub.http.ErrorResponder");

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      // Logback calls this holding the appender's lock, which awaitMessage waits on.
      super.append(event);
      notifyAll();
    }
  };
  private final List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
  private final Level rootLevel = root.getLevel();
  private final List<Level> quietedLevels = new ArrayList<>();

  private LogCapture() {
    events.start();
    root.iteratorForAppenders().forEachRemaining(consoles::add);
    consoles.forEach(root::detachAppender);
    root.addAppender(events);
    root.setLevel(Level.INFO);
    for (String name : QUIETED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      quietedLevels.add(logger.getLevel());
      logger.setLevel(Level.INFO);
    }
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /** The events an operator must not see for a client's mistake: at ERROR, or carrying a stack trace. */
  public List<ILoggingEvent> alarming() {
    synchronized (events) {
      return events.list.stream()
          .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null)
          .toList();
    }
  }

  /** The messages one logger wrote, without the trailing milliseconds of access-log lines. */
  public List<String> messages(String logger) {
    synchronized (events) {
      return events.list.stream()
          .filter(event -> event.getLoggerName().equals(logger))
          .map(event -> event.getFormattedMessage().replaceFirst(" \\d+ms$", ""))
          .toList();
    }
  }

  /** Waits until {@code logger} has written {@code message} (as {@link #messages} gives it), up to {@code timeout}. */
  public void awaitMessage(String logger, String message, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (!messages(logger).contains(message)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError(logger + " did not log '" + message + "' within " + timeout + "; it logged "
              + messages(logger));
        }
        try {
          events.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  public static String describe(List<ILoggingEvent> list) {
    return list.stream()
        .map(event -> event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : " [" + event.getThrowableProxy().getClassName() + ": "
            + event.getThrowableProxy().getMessage() + "]"))
        .collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    root.detachAppender(events);
    consoles.forEach(root::addAppender);
    root.setLevel(rootLevel);
    for (int i = 0; i < QUIETED.size(); i++) {
      ((Logger) LoggerFactory.getLogger(QUIETED.get(i))).setLevel(quietedLevels.get(i));
    }
  }
}
