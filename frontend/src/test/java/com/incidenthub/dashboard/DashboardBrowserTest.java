package com.incidenthub.dashboard;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The live list: creating, status changes, validation, the channel filter, reconnects. */
@DisplayName("Dashboard in a browser")
class DashboardBrowserTest extends BrowserTestBase {
  private static final Path SCREENSHOT = Path.of(System.getProperty("screenshot.dir", "target"), "dashboard.png");

  @Test
  @DisplayName("an incident created through the form appears at the top of another open dashboard without a reload")
  void createdThroughFormAppearsInOtherPage() {
    backend.create("warehouse-madrid", "Older incident", "low");
    first.open(backend.dashboardUrl());
    second.open(backend.dashboardUrl());
    second.markDocument();

    first.fillCreateForm("Dock door 4 stuck open", "Sensor reports the door open for 10 minutes", "high",
        "warehouse-madrid");
    first.submitCreateForm();

    String id = second.awaitRowTitled("Dock door 4 stuck open");
    assertAll(
        () -> assertEquals(id, second.rowIds().get(0), "the new row is on top"),
        () -> assertEquals(2, second.rowIds().size()),
        () -> assertEquals("warehouse-madrid", second.rowText(id, ".cell-channel")),
        () -> assertEquals("High", second.rowText(id, ".badge.severity")),
        () -> assertEquals("Open", second.rowText(id, ".badge.status")),
        () -> assertTrue(second.isSameDocument(), "the second page was not reloaded"),
        () -> assertEquals("", first.inputValue("create-title"), "the form is cleared after a successful create"));
  }

  @Test
  @DisplayName("without tokens on the hub there is nothing to sign in to, and every control is enabled")
  void openModeNeedsNoSignIn() {
    String id = backend.create("line-2", "Press 7 overheating", "medium").getString("id");

    first.open(backend.dashboardUrl());

    assertAll(
        () -> assertFalse(first.isShown("sign-in"), "no sign-in form"),
        () -> assertFalse(first.isShown("identity"), "no sign-out"),
        () -> assertEquals(List.of(), first.disabledCreateControls()),
        () -> assertEquals(List.of("Acknowledge: enabled", "Resolve: enabled"), first.rowButtonStates(id)),
        () -> assertEquals("", first.rowText(id, ".created-by"), "anonymous is not worth a line"),
        () -> assertEquals(null, first.sessionToken()));
  }

  @Test
  @DisplayName("a status change made in one dashboard shows in the other")
  void statusChangeShowsInOtherPage() {
    String id = backend.create("line-2", "Press 7 overheating", "medium").getString("id");
    first.open(backend.dashboardUrl());
    second.open(backend.dashboardUrl());

    first.clickRowButton(id, "Acknowledge");

    second.awaitRowText(id, ".badge.status", "Acknowledged");
    assertAll(
        () -> assertEquals(List.of("Resolve", "Reopen"), second.rowButtons(id)),
        () -> assertEquals("Acknowledged", first.rowText(id, ".badge.status")),
        () -> assertEquals("acknowledged", backend.get(id).getString("status")),
        () -> assertEquals(2, backend.get(id).getInteger("version")));
  }

  @Test
  @DisplayName("a status change works from the keyboard, and focus stays on the row's first new button")
  void statusChangeByKeyboardKeepsFocus() {
    String id = backend.create("line-2", "Valve 3 leaking", "high").getString("id");
    first.open(backend.dashboardUrl());

    first.pressEnterOnRowButton(id, "Acknowledge");

    first.awaitRowText(id, ".badge.status", "Acknowledged");
    first.await("the buttons to be usable again", d -> first.rowButtonsEnabled(id));
    assertEquals("Resolve", first.focusedRowButton(id), "focus is on the row's first button, not lost to the page");
  }

  @Test
  @DisplayName("a field the server rejects with 400 shows the server's message next to that field and keeps the input")
  void serverValidationMessageShowsNextToField() {
    first.open(backend.dashboardUrl());
    JsonObject rejected = new JsonObject().put("title", "Forklift battery low").put("severity", "low")
        .put("channel", "Dock A!");
    RunningBackend.Response expected = backend.post(rejected);
    assertEquals(400, expected.status());
    String serverMessage = expected.body().getJsonObject("error").getJsonArray("details").getJsonObject(0)
        .getString("message");

    // A page whose own channel rule lags behind the server's: only the server can object.
    first.script("document.getElementById('create-channel').removeAttribute('pattern');");
    first.fillCreateForm("Forklift battery low", "", "low", "Dock A!");
    first.submitCreateForm();

    first.await("the channel field's message", d -> !first.text("create-channel-error").isEmpty());
    assertAll(
        () -> assertEquals(serverMessage, first.text("create-channel-error")),
        () -> assertEquals("true", first.attribute("create-channel", "aria-invalid")),
        () -> assertEquals("", first.text("create-title-error")),
        () -> assertEquals("Forklift battery low", first.inputValue("create-title")),
        () -> assertEquals("Dock A!", first.inputValue("create-channel")),
        () -> assertEquals(List.of(), first.rowIds(), "nothing was created"));
  }

  @Test
  @DisplayName("a title that looks like HTML is shown as text and runs no script, in the creating page and the other")
  void htmlInTitleIsText() {
    String title = "<img src=x onerror=alert(1)>";
    first.open(backend.dashboardUrl());
    second.open(backend.dashboardUrl());

    first.fillCreateForm(title, "<b>not bold</b>", "high", "general");
    first.submitCreateForm();

    String id = second.awaitRowTitled(title);
    first.awaitRowTitled(title);
    for (DashboardPage page : List.of(first, second)) {
      assertAll(
          () -> assertEquals(title, page.rowText(id, ".incident-title")),
          () -> assertEquals(0L, page.script("return document.querySelectorAll('#incident-rows img, #incident-rows b').length;")),
          () -> assertEquals(List.of(), page.dialogsOpened()),
          () -> assertFalse(page.alertShowing(), "no alert is open"));
    }
  }

  @Test
  @DisplayName("a dashboard filtered to one channel never shows, nor receives, another channel's incident")
  void channelFilterExcludesOtherChannels() {
    backend.create("warehouse-madrid", "Madrid: pallet wrapper down", "medium");
    first.open(backend.dashboardUrl());
    first.filterToChannel("warehouse-madrid");

    String other = backend.create("warehouse-lyon", "Lyon: scanner offline", "high").getString("id");
    String wanted = backend.create("warehouse-madrid", "Madrid: dock door open", "low").getString("id");
    first.awaitRow(wanted);

    assertAll(
        () -> assertFalse(first.hasRow(other), "the other channel's incident is not shown"),
        () -> assertTrue(first.socketFrames().stream().noneMatch(frame -> frame.contains(other)),
            "the socket never carried the other channel's incident"),
        () -> assertEquals(2, first.rowIds().size()),
        () -> assertEquals(List.of("warehouse-madrid", "warehouse-madrid"),
            first.rowIds().stream().map(id -> first.rowText(id, ".cell-channel")).toList()));
  }

  @Test
  @DisplayName("when the backend goes away the page says it is reconnecting, and after it returns resumes with its "
      + "cursor: what changed meanwhile is replayed, the page says how many changes it caught up on, nothing reloads")
  void reconnectsAndResumes() {
    String acknowledged = backend.create("general", "Acknowledged while the page was disconnected", "low")
        .getString("id");
    first.open(backend.dashboardUrl());
    first.awaitRow(acknowledged);
    first.markDocument();

    awaitReconnectDelay();
    backend.restart();
    String created = backend.create("general", "Created while the page was disconnected", "medium").getString("id");
    backend.changeStatus(acknowledged, "acknowledged", 1);
    assertEquals("reconnecting", first.attribute("connection", "data-state"),
        "the page must still be disconnected when the incidents change, or this test proves nothing");

    first.awaitConnected();
    first.awaitRow(created);
    first.await("the page to say what it caught up on", d -> first.text("connection-catch-up")
        .equals("· caught up on 2 changes"));
    assertAll(
        () -> assertEquals("Created while the page was disconnected", first.rowText(created, ".incident-title")),
        () -> assertTrue(first.socketFrames().stream().anyMatch(frame -> frame.contains(created)
            && frame.contains("\"replayed\":true")), "it came from the replay of the resumed socket"),
        () -> assertTrue(first.isSameDocument(), "the page was not reloaded"));
  }

  @Test
  @DisplayName("when the backend returns on another store, its cursor means nothing there: the page re-reads the "
      + "list")
  void rereadsWhenNotRecovered() {
    first.open(backend.dashboardUrl());
    first.markDocument();

    awaitReconnectDelay();
    backend.restartOnNewStore();
    String id = backend.create("general", "In the new store", "medium").getString("id");

    first.awaitConnected();
    first.awaitRow(id);
    assertAll(
        () -> assertTrue(first.socketFrames().stream().anyMatch(frame -> frame.contains("\"recovered\":false"))),
        () -> assertTrue(first.socketFrames().stream().noneMatch(frame -> frame.contains(id)),
            "it came from re-reading the list, not from a socket event"),
        () -> assertEquals("", first.text("connection-catch-up")),
        () -> assertTrue(first.isSameDocument(), "the page was not reloaded"));
  }

  /** Stops the backend and waits for a back-off long enough to change things before the page's next attempt. */
  private void awaitReconnectDelay() {
    backend.stop();
    first.await("the page to report reconnecting", d -> first.text("connection-label").startsWith("Reconnecting in "));
    first.await("a reconnect delay of at least 3 s", d -> secondsUntilRetry(first) >= 3);
  }

  @Test
  @DisplayName("a status change based on a stale version gets the 412 message and shows the newer state")
  void staleStatusChangeShowsConflict() {
    String id = backend.create("line-3", "Label printer jammed", "low").getString("id");
    first.open(backend.dashboardUrl());
    first.awaitRow(id);

    // Someone else acknowledges it; the event has not reached this page yet.
    first.holdBackSocketFrames();
    backend.changeStatus(id, "acknowledged", 1);
    assertEquals("Open", first.rowText(id, ".badge.status"));
    first.clickRowButton(id, "Resolve");

    first.awaitRowText(id, ".row-note",
        "Not changed: someone else updated this incident first. It is now Acknowledged.");
    JsonObject stored = backend.get(id);
    assertAll(
        () -> assertEquals("Acknowledged", first.rowText(id, ".badge.status")),
        () -> assertEquals(List.of("Resolve", "Reopen"), first.rowButtons(id)),
        () -> assertEquals("acknowledged", stored.getString("status"), "the other operator's change stands"),
        () -> assertEquals(2, stored.getInteger("version")));
  }

  @Test
  @DisplayName("when the database is unavailable, a status change shows the server's 503 message in the row")
  void unavailableDatabaseShowsMessage() {
    String id = backend.create("line-4", "Robot arm 2 stalled", "high").getString("id");
    first.open(backend.dashboardUrl());
    first.awaitRow(id);

    backend.stopDatabase();
    first.clickRowButton(id, "Acknowledge");

    first.await("the row's message", d -> !first.rowText(id, ".row-note").isEmpty());
    RunningBackend.Response answer = backend.patch(id, "acknowledged", 1);
    assertAll(
        () -> assertEquals(503, answer.status()),
        () -> assertEquals("Not changed: " + answer.body().getJsonObject("error").getString("message"),
            first.rowText(id, ".row-note")),
        () -> assertEquals("Open", first.rowText(id, ".badge.status")),
        () -> assertEquals(List.of("Acknowledge", "Resolve"), first.rowButtons(id)),
        () -> assertTrue(first.rowButtonsEnabled(id), "the buttons can be used again"));
  }

  @Test
  @DisplayName("the table lists incidents newest first with severity and status in words (saves target/dashboard.png)")
  void listsNewestFirstAndSavesScreenshot() throws Exception {
    List<JsonObject> created = List.of(
        backend.create(new JsonObject().put("channel", "warehouse-madrid").put("title", "Conveyor 3 jammed")
            .put("severity", "high").put("message", "Belt stopped at bay 12; items piling up at the merge.")),
        backend.create("warehouse-lyon", "Scanner 2 offline", "medium"),
        backend.create("warehouse-madrid", "Dock door 4 sensor flapping", "low"),
        backend.create("line-2", "Press 7 temperature above threshold", "high"));
    backend.changeStatus(created.get(1).getString("id"), "acknowledged", 1);
    backend.changeStatus(created.get(2).getString("id"), "resolved", 1);
    List<String> newestFirst = created.stream()
        .sorted(Comparator.comparing((JsonObject incident) -> incident.getString("createdAt"))
            .thenComparing(incident -> incident.getString("id")).reversed())
        .map(incident -> incident.getString("id"))
        .toList();

    first.open(backend.dashboardUrl());
    String conveyor = created.get(0).getString("id");
    first.awaitRow(conveyor).findElement(org.openqa.selenium.By.cssSelector("summary")).click();
    first.saveScreenshot(SCREENSHOT);

    assertAll(
        () -> assertEquals(newestFirst, first.rowIds()),
        () -> assertEquals(List.of("High", "Medium", "Low", "High"),
            created.stream().map(i -> first.rowText(i.getString("id"), ".badge.severity")).toList()),
        () -> assertEquals(List.of("Open", "Acknowledged", "Resolved", "Open"),
            created.stream().map(i -> first.rowText(i.getString("id"), ".badge.status")).toList()),
        () -> assertEquals("Belt stopped at bay 12; items piling up at the merge.",
            first.rowText(conveyor, ".incident-message")),
        () -> assertEquals("Showing 4 of 4 incidents, newest first.", first.text("list-summary")),
        () -> assertTrue(Files.size(SCREENSHOT) > 0, "the screenshot was written"));
  }

  private static int secondsUntilRetry(DashboardPage page) {
    String countdown = page.text("connection-countdown").trim(); // "in 4 s"
    if (!"reconnecting".equals(page.attribute("connection", "data-state")) || !countdown.startsWith("in ")) {
      return -1;
    }
    return Integer.parseInt(countdown.substring(3, countdown.indexOf(' ', 3)));
  }
}
