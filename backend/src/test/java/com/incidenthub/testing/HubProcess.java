package com.incidenthub.testing;

import com.incidenthub.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The service in a JVM of its own, started like {@code java -jar} starts it: with the main resources' logback.xml
 * (the test classes, and their logback-test.xml, are left off the class path), the embedded store in memory, a
 * free port, and every line it prints on stdout and stderr kept for the test.
 */
public final class HubProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("HTTP server listening on port (\\d+)");
  /** In JSON the slashes may come escaped ({@code \/}). */
  private static final Pattern EMBEDDED_STORE =
      Pattern.compile("EMBEDDED DEVELOPMENT STORE at mongodb:\\\\?/\\\\?/([0-9.]+:\\d+)");

  private final Process process;
  private final Output stdout;
  private final Output stderr;
  public final int port;

  private HubProcess(Map<String, String> settings) {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", mainClassPath(), Main.class.getName());
    Map<String, String> env = builder.environment();
    env.remove("MONGO_URI");
    env.remove("LOG_FORMAT");
    env.put("HTTP_PORT", "0");
    env.put("DATA_DIR", "memory");
    env.put("STATIC_DIR", "target/no-static-files");
    env.put("LOG_LEVEL", "INFO");
    env.putAll(settings);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stdout = new Output(process.getInputStream(), "stdout");
    stderr = new Output(process.getErrorStream(), "stderr");
    port = Integer.parseInt(stdout.await(LISTENING).group(1));
  }

  public static HubProcess start(Map<String, String> settings) {
    return new HubProcess(settings);
  }

  /** The embedded store's connection string, as the start-up warning names it. */
  public String storeUri() {
    return "mongodb://" + stdout.await(EMBEDDED_STORE).group(1);
  }

  /** Waits up to ten seconds for a line on stdout that passes {@code test}. */
  public String awaitLine(Predicate<String> test) {
    return stdout.await(test);
  }

  /** Stops the service as {@code docker stop} would (SIGTERM), waits for it to exit, and returns its exit code. */
  public int stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the service did not exit within 20 s of SIGTERM");
      }
      stdout.reader.join(5000);
      stderr.reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  public List<String> stdoutLines() {
    return stdout.lines();
  }

  public List<String> stderrLines() {
    return stderr.lines();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static String mainClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(System.getProperty("path.separator")))
        .filter(entry -> !Path.of(entry).endsWith("test-classes"))
        .collect(Collectors.joining(System.getProperty("path.separator")));
  }

  /** One of the process's streams, read line by line on a thread of its own. */
  private static final class Output {
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Output(InputStream stream, String name) {
      reader = new Thread(() -> read(stream), "hub-process-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    private void read(InputStream stream) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // The process is gone; what it printed until then is kept.
      } finally {
        synchronized (lines) {
          lines.notifyAll();
        }
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    Matcher await(Pattern pattern) {
      Matcher matcher = pattern.matcher(await(line -> pattern.matcher(line).find()));
      matcher.find();
      return matcher;
    }

    String await(Predicate<String> test) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      synchronized (lines) {
        for (int seen = 0; ; ) {
          for (; seen < lines.size(); seen++) {
            if (test.test(lines.get(seen))) {
              return lines.get(seen);
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0 || !reader.isAlive() && seen == lines.size()) {
            throw new AssertionError("no such line within 10 s; the process printed:\n" + String.join("\n", lines));
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(lines, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      }
    }
  }
}
