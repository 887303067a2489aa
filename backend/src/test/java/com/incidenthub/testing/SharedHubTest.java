package com.incidenthub.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One running service for all tests of a class; tests isolate themselves with fresh channel names. */
public abstract class SharedHubTest {
  public static RunningHub hub;

  @BeforeAll
  static void startHub() {
    hub = RunningHub.start();
  }

  @AfterAll
  static void stopHub() {
    hub.close();
  }
}
