package com.incidenthub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The dashboard in headless Chromium against the real backend (embedded store, random port) serving public/.
 * Two browsers stay open for a whole test class; each test gets a fresh backend, so tests share no data.
 */
abstract class BrowserTestBase {
  private static Optional<String> missing = Optional.empty();
  static DashboardPage first;
  static DashboardPage second;

  RunningBackend backend;

  @BeforeAll
  static void launchBrowsers() {
    missing = Chromium.checkInstalled();
    if (missing.isPresent()) {
      return;
    }
    first = DashboardPage.launch("first");
    second = DashboardPage.launch("second");
  }

  @AfterAll
  static void closeBrowsers() {
    for (AutoCloseable resource : new AutoCloseable[] {first, second}) {
      if (resource != null) {
        try {
          resource.close();
        } catch (Exception e) {
          // one browser failing to quit must not keep the other running
        }
      }
    }
    first = null;
    second = null;
  }

  @BeforeEach
  void startBackend() {
    // Checked per test, so a skipped run still lists every test as skipped.
    assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
    backend = RunningBackend.start();
  }

  @AfterEach
  void stopBackend() {
    if (backend == null) {
      return;
    }
    List<String> firstErrors = first.uncaughtErrors();
    List<String> secondErrors = second.uncaughtErrors();
    first.leave();
    second.leave();
    backend.close();
    assertEquals(List.of(), firstErrors, "uncaught script errors in the first page");
    assertEquals(List.of(), secondErrors, "uncaught script errors in the second page");
  }
}
