package com.incidenthub.dashboard;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Working an incident: its details and timeline, notes, repeats, notifications, the layout and paging. */
@DisplayName("Dashboard in a browser: the incident lifecycle")
class LifecycleBrowserTest extends BrowserTestBase {
  private static final Path SCREENSHOTS = Path.of(System.getProperty("screenshot.dir", "target"));

  @Test
  @DisplayName("Details opens a dialog with every field and the timeline, one item per entry; Escape closes it and "
      + "gives focus back (saves target/details.png)")
  void detailsShowFieldsAndTimeline() throws Exception {
    backend.createWithKey("line-2", "Press 7 overheating", "medium", "press-7:temp");
    backend.createWithKey("line-2", "Press 7 overheating", "high", "press-7:temp");
    JsonObject incident = backend.createWithKey("line-2", "Press 7 overheating", "low", "press-7:temp");
    String id = incident.getString("id");
    backend.changeStatus(id, "acknowledged", 3);
    first.open(backend.dashboardUrl());

    first.openDetails(id);
    first.saveScreenshot(SCREENSHOTS.resolve("details.png"));

    assertAll(
        () -> assertEquals("Press 7 overheating", first.text("details-title")),
        () -> assertEquals("line-2", first.detailsField("channel")),
        () -> assertEquals("High", first.detailsField("severity"), "the higher severity of the repeats"),
        () -> assertEquals("Acknowledged", first.detailsField("status")),
        () -> assertEquals("3", first.detailsField("occurrences")),
        () -> assertEquals("press-7:temp", first.detailsField("dedupKey")),
        () -> assertEquals("anonymous", first.detailsField("createdBy")),
        () -> assertEquals("4", first.detailsField("version")),
        () -> assertEquals(id, first.detailsField("id")),
        () -> assertEquals(List.of("Created by anonymous", "Occurred again (reported by anonymous)",
            "Occurred again (reported by anonymous)", "Open → Acknowledged by anonymous"), first.timeline()),
        () -> assertEquals("4 entries", first.text("timeline-state")));

    first.pressEscape();
    first.await("the dialog to close", d -> !first.detailsOpen());
    assertTrue(first.detailsButtonFocused(id), "focus is back on the row's Details button");
  }

  @Test
  @DisplayName("a note added in one dashboard shows in the timeline of another one's open dialog, without a reload")
  void noteShowsLiveInAnotherDialog() {
    String id = backend.create("warehouse-madrid", "Dock door 4 stuck", "high").getString("id");
    first.open(backend.dashboardUrl());
    second.open(backend.dashboardUrl());
    second.markDocument();
    first.openDetails(id);
    second.openDetails(id);

    first.addNote("  Maintenance called, ETA 20 minutes.  ");

    second.awaitTimelineSize(2);
    first.awaitTimelineSize(2);
    assertAll(
        () -> assertEquals("Note by anonymous: Maintenance called, ETA 20 minutes.", second.timeline().get(1)),
        () -> assertEquals("2", second.detailsField("version")),
        () -> assertEquals("", first.inputValue("note-text"), "the note form is cleared"),
        () -> assertTrue(second.isSameDocument(), "the second page was not reloaded"));
  }

  @Test
  @DisplayName("a note the server refuses shows its message by the text box and adds nothing")
  void refusedNoteShowsMessage() {
    String id = backend.create("warehouse-madrid", "Dock door 4 stuck", "high").getString("id");
    first.open(backend.dashboardUrl());
    first.openDetails(id);

    // A page whose own limit lags behind the server's: only the server can object.
    first.script("document.getElementById('note-text').removeAttribute('maxlength');");
    first.addNote("n".repeat(2001));

    first.await("the note's message", d -> !first.text("note-error").isEmpty());
    assertAll(
        () -> assertEquals("text must be at most 2000 characters", first.text("note-error")),
        () -> assertEquals("true", first.attribute("note-text", "aria-invalid")),
        () -> assertEquals(List.of("Created by anonymous"), first.timeline()));
  }

  @Test
  @DisplayName("repeats of an incident show as ×N in its row, live")
  void occurrenceCountShowsLive() {
    String id = backend.createWithKey("yard", "Gate 9 sensor flapping", "low", "gate-9").getString("id");
    first.open(backend.dashboardUrl());
    assertEquals("", first.rowText(id, ".cell-title .occurrences"), "no count while it happened once");

    backend.createWithKey("yard", "Gate 9 sensor flapping", "low", "gate-9");
    backend.createWithKey("yard", "Gate 9 sensor flapping", "low", "gate-9");

    first.awaitRowText(id, ".occurrences", "×3");
    assertEquals(List.of(id), first.rowIds(), "still one row");
  }

  @Test
  @DisplayName("the notifications control asks for permission, then notifies of new high-severity incidents while the "
      + "tab is hidden, and is remembered with the sound choice")
  void notificationsForHighSeverityWhileHidden() {
    first.open(backend.dashboardUrl());
    assertFalse(first.isChecked("notify-sound"), "the sound is off by default");

    first.click("notify-enabled");
    first.await("the notifications to be on", d -> "Notifications on.".equals(first.text("notify-status")));
    first.setTabHidden(true);
    String high = backend.create(new JsonObject().put("channel", "cold-room").put("title", "Temperature 9.5 C")
        .put("severity", "high").put("message", "Limit 8 C")).getString("id");
    String low = backend.create("cold-room", "Door ajar", "low").getString("id");
    first.awaitRow(low);
    first.setTabHidden(false);
    String seen = backend.create("cold-room", "Compressor stopped", "high").getString("id");
    first.awaitRow(seen);

    assertAll(
        () -> assertEquals(1L, first.permissionRequests()),
        () -> assertTrue(first.hasRow(high)),
        () -> assertEquals(List.of("High: Temperature 9.5 C | cold-room · Limit 8 C"), first.notificationsRaised(),
            "only the high one that arrived while the tab was hidden"));

    first.click("notify-sound");
    first.open(backend.dashboardUrl());
    assertAll(
        () -> assertTrue(first.isChecked("notify-enabled"), "notifications are remembered"),
        () -> assertTrue(first.isChecked("notify-sound"), "the sound is remembered"),
        () -> assertEquals(1L, first.permissionRequests() + 1, "no new permission request after a reload"));
  }

  @Test
  @DisplayName("at 1280 x 800 every column, each row's action buttons included, is fully visible, even with the "
      + "longest channel name and an unbroken title (saves target/dashboard-1280x800.png)")
  void everyColumnFitsAt1280x800() throws Exception {
    String longChannel = "warehouse-" + "x".repeat(54);
    String open = backend.create(longChannel, "Temperature above threshold in cold room 4 near the loading dock",
        "high").getString("id");
    String acknowledged = backend.create("warehouse-lyon", "A".repeat(200), "medium").getString("id");
    backend.changeStatus(acknowledged, "acknowledged", 1);
    String resolved = backend.create("line-2", "Label printer ribbon low", "low").getString("id");
    backend.changeStatus(resolved, "resolved", 1);
    try {
      first.resize(1280, 800);
      first.open(backend.dashboardUrl());
      first.saveScreenshot(SCREENSHOTS.resolve("dashboard-1280x800.png"));

      @SuppressWarnings("unchecked")
      List<String> outside = (List<String>) first.script("""
          const limit = document.documentElement.clientWidth;
          const section = document.querySelector('.incidents');
          const out = [];
          if (section.scrollWidth > section.clientWidth) out.push('the table scrolls sideways');
          for (const cell of document.querySelectorAll('#incident-rows td, #incident-rows td button')) {
            const box = cell.getBoundingClientRect();
            if (box.left < 0 || box.right > limit) out.push(cell.className + ' ' + cell.textContent.slice(0, 20));
          }
          return out;""");
      assertEquals(List.of(), outside, "cells or buttons beyond the right edge");
      assertEquals(List.of("Acknowledge", "Resolve"), first.rowButtons(open), "the widest set of buttons is there");
    } finally {
      first.resize(1280, 1000);
    }
  }

  @Test
  @DisplayName("\"Load more\" adds the next page below, newest first without gaps or repeats, and disappears at the end")
  void loadMorePagesThrough() {
    List<String> newestFirst = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      newestFirst.add(0, backend.create("paging", "Incident " + i, "low").getString("id"));
    }
    first.open(backend.dashboardUrl());
    assertEquals("Showing 50 of 55 incidents, newest first.", first.text("list-summary"));
    assertEquals(newestFirst.subList(0, 50), first.rowIds());

    first.click("load-more");

    first.await("the second page", d -> first.text("list-summary").equals("Showing 55 of 55 incidents, newest first."));
    assertAll(
        () -> assertEquals(newestFirst, first.rowIds()),
        () -> assertEquals(55, new HashSet<>(first.rowIds()).size()),
        () -> assertFalse(first.isDisplayed("load-more"), "nothing more to load"));
  }

  @Test
  @DisplayName("the created-from and created-before filters show only the incidents created in that range")
  void dateRangeFilters() {
    Map<String, String> created = Map.of(
        "Early January", "2026-01-05T12:00:00.000Z",
        "Mid January", "2026-01-10T12:00:00.000Z",
        "Late January", "2026-01-15T12:00:00.000Z");
    created.forEach((title, at) -> backend.insertDirectly(new JsonObject()
        .put("_id", UUID.randomUUID().toString()).put("channel", "archive").put("title", title).put("message", "")
        .put("severity", "low").put("status", "resolved").put("createdAt", new JsonObject().put("$date", at))
        .put("updatedAt", new JsonObject().put("$date", at)).put("version", 1)));
    first.open(backend.dashboardUrl());
    assertEquals(3, first.rowIds().size());

    // Local times, as the operator types them; noon UTC keeps each incident on its day in every time zone.
    first.setValue("filter-from", "2026-01-08T00:00:00");
    first.await("the list from 8 January", d -> first.rowTitles().equals(List.of("Late January", "Mid January")));
    first.setValue("filter-to", "2026-01-12T00:00:00");
    first.await("the list from 8 to 12 January", d -> first.rowTitles().equals(List.of("Mid January")));
    assertEquals("Showing 1 of 1 incident, newest first.", first.text("list-summary"));

    first.click("filters-reset");
    first.await("every incident again", d -> first.rowIds().size() == 3);
  }
}
