package com.incidenthub.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Debian's Chromium, driven through Debian's chromedriver: both named by path, so nothing is ever downloaded. */
final class Chromium {
  private static final Logger LOG = LoggerFactory.getLogger(Chromium.class);
  // Debian's paths; the properties exist to try the suite against another build, or to see the skip path.
  private static final Path BROWSER = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  private static final Path DRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
  private static final Path LOG_DIR = Path.of(System.getProperty("screenshot.dir", "target"));

  // Selenium logs through java.util.logging; held here so the level setting is not garbage-collected away.
  private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

  static {
    // It warns on every start that it has no CDP bindings for this Chromium version; the tests use none.
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  private Chromium() {}

  /**
   * What is missing to run the browser tests, or empty when Chromium and its driver are both installed. A missing
   * browser is logged loudly; with E2E_REQUIRED=true (as CI sets it) it fails instead, so a CI machine without
   * Chromium cannot pass by skipping.
   */
  static Optional<String> checkInstalled() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(BROWSER)) {
      missing.add(BROWSER + " (apt-get install chromium)");
    }
    if (!Files.isExecutable(DRIVER)) {
      missing.add(DRIVER + " (apt-get install chromium-driver)");
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    String message = "Browser tests need " + String.join(" and ", missing);
    if ("true".equalsIgnoreCase(System.getenv("E2E_REQUIRED"))) {
      fail(message + "; E2E_REQUIRED=true, so this is a failure rather than a skip");
    }
    LOG.warn("!!!!! BROWSER TESTS SKIPPED: {}. Set E2E_REQUIRED=true to make this a failure. !!!!!", message);
    return Optional.of(message);
  }

  /** A fresh headless browser with its own empty profile; `name` labels its chromedriver log under target/. */
  static Browser launch(String name) {
    Path profile;
    try {
      profile = Files.createTempDirectory("incident-hub-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        // Without these Chromium keeps trying to reach Google's services, which this network refuses.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    // Leave any alert() open instead of dismissing it, so a test can see that one appeared.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);

    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(new File(LOG_DIR.toFile(), "chromedriver-" + name + ".log"))
        .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /** A running browser and the profile directory it owns. */
  record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {
    @Override
    public void close() {
      try {
        driver.quit();
      } finally {
        deleteTree(profile);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete the browser profile {}: {}", root, e.getMessage());
    }
  }
}
