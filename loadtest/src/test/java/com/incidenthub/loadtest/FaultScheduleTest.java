package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault commands a fan-out run is given: run on time, bounded in time, and a heal never left behind. */
class FaultScheduleTest {

  @Test
  @DisplayName("a command that outlives its timeout is killed and its step failed, its output still on its way")
  void commandTimeout() throws InterruptedException {
    CountDownLatch began = new CountDownLatch(1);
    FaultSchedule schedule = new FaultSchedule(List.of(
        new FaultSchedule.Step("cut", 0, "echo cutting; sleep 30", false, at -> began.countDown(), at -> { })),
        Duration.ofMillis(500));
    schedule.start(System.nanoTime());
    assertTrue(began.await(30, TimeUnit.SECONDS), "the cut never began");
    schedule.close();

    assertEquals(List.of("cut command exited -1: echo cutting; sleep 30"), schedule.failures());
    assertEquals(-1, schedule.toJson().getJsonObject(0).getInteger("exitCode"));
  }

  @Test
  @DisplayName("closed before their time, a step marked always still runs and the others do not")
  void healRunsWhenTheRunEndsEarly() throws InterruptedException {
    CountDownLatch cut = new CountDownLatch(1);
    FaultSchedule schedule = new FaultSchedule(List.of(
        new FaultSchedule.Step("cut", 0, "true", false, at -> { }, at -> cut.countDown()),
        new FaultSchedule.Step("kill", 3600, "true", false, at -> { }, at -> { }),
        new FaultSchedule.Step("heal", 3600, "true", true, at -> { }, at -> { })));
    schedule.start(System.nanoTime());
    assertTrue(cut.await(30, TimeUnit.SECONDS), "the cut never ran");
    schedule.close();

    List<JsonObject> outcomes = schedule.toJson().stream().map(JsonObject.class::cast).toList();
    assertEquals(List.of("cut", "heal"), outcomes.stream().map(outcome -> outcome.getString("step")).toList());
    assertEquals(List.of(0, 0), outcomes.stream().map(outcome -> outcome.getInteger("exitCode")).toList());
    assertTrue(outcomes.get(1).getDouble("ranAtSeconds") < 3600, "the heal waited for its time");
    assertEquals(List.of(), schedule.failures());
  }
}
