package com.incidenthub.dashboard;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard of a hub that asks for tokens: signing in and out, and what each role may touch. */
@DisplayName("Dashboard sign-in and roles in a browser")
class SignInBrowserTest {
  private static final String VIEWER = "wall-5b7e1c9a03d2f648";
  private static final String REPORTER = "intake-e2a4c6f8091b3d57";
  private static final String OPERATOR = "night-7c3f9a1e5d2b4068";
  private static final Map<String, String> TOKENS = Map.of("AUTH_TOKENS",
      "wall:viewer:" + VIEWER + ",intake:reporter:" + REPORTER + ",night:operator:" + OPERATOR);
  private static final Path SCREENSHOT = Path.of(System.getProperty("screenshot.dir", "target"), "dashboard-viewer.png");

  private static Optional<String> missing = Optional.empty();
  private static DashboardPage page;

  private RunningBackend backend;

  @BeforeAll
  static void launchBrowser() {
    missing = Chromium.checkInstalled();
    if (missing.isPresent()) {
      return;
    }
    page = DashboardPage.launch("sign-in");
  }

  @AfterAll
  static void closeBrowser() {
    if (page != null) {
      page.close();
    }
  }

  @BeforeEach
  void startBackend() {
    assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
    backend = RunningBackend.start(TOKENS).actingAs(REPORTER);
  }

  @AfterEach
  void stopBackend() {
    if (backend == null) {
      return;
    }
    List<String> errors = page.uncaughtErrors();
    page.leave();
    backend.close();
    assertEquals(List.of(), errors, "uncaught script errors in the page");
  }

  @Test
  @DisplayName("without a token only the sign-in form shows, and nothing is loaded")
  void signInFirst() {
    backend.create("general", "Not for strangers", "high");

    page.openToSignIn(backend.dashboardUrl());

    assertAll(
        () -> assertFalse(page.isShown("workspace"), "the incidents are hidden"),
        () -> assertEquals(List.of(), page.rowIds(), "no incident reached the page"),
        () -> assertFalse(page.isShown("identity"), "nobody is signed in"),
        () -> assertEquals("Not connected: sign in for live updates", page.text("connection-text")),
        () -> assertEquals("sign-in-token", page.script("return document.activeElement.id;")));
  }

  @Test
  @DisplayName("an unknown token is refused with a message and kept nowhere")
  void wrongToken() {
    page.openToSignIn(backend.dashboardUrl());

    page.signIn("not-a-token-of-this-hub");

    page.await("the sign-in error", d -> !page.text("sign-in-error").isEmpty());
    assertAll(
        () -> assertEquals("The hub does not know this token. Check it and try again.", page.text("sign-in-error")),
        () -> assertEquals("true", page.attribute("sign-in-token", "aria-invalid")),
        () -> assertNull(page.sessionToken()),
        () -> assertFalse(page.isShown("workspace")));
  }

  @Test
  @DisplayName("the right token opens the dashboard, is kept in sessionStorage only, and survives a reload")
  void signInAndReload() {
    String id = backend.create("line-2", "Press 7 overheating", "medium").getString("id");
    page.openToSignIn(backend.dashboardUrl());

    page.signIn(OPERATOR);
    page.awaitConnected();
    page.awaitRow(id);
    page.reload();

    assertAll(
        () -> assertEquals("Signed in as night (operator)", page.text("identity-text")),
        () -> assertEquals(OPERATOR, page.sessionToken()),
        () -> assertEquals(0L, page.localStorageEntries(), "nothing in localStorage"),
        () -> assertEquals(List.of(id), page.rowIds()),
        () -> assertEquals(List.of("Acknowledge: enabled", "Resolve: enabled"), page.rowButtonStates(id)),
        () -> assertEquals(List.of(), page.disabledCreateControls()));
  }

  @Test
  @DisplayName("signing out forgets the token and shows the form again")
  void signOut() {
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(REPORTER);
    page.awaitConnected();

    page.click("sign-out");

    page.awaitSignInForm();
    assertAll(
        () -> assertNull(page.sessionToken()),
        () -> assertEquals(List.of(), page.rowIds()),
        () -> assertFalse(page.isShown("identity")));
  }

  @Test
  @DisplayName("a viewer follows incidents live, but no action is enabled, and each says which role it needs")
  void viewerSeesNoActions() throws Exception {
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(VIEWER);
    page.awaitConnected();

    String id = backend.create("warehouse-madrid", "Conveyor 3 jammed", "high").getString("id");
    page.awaitRow(id);
    page.saveScreenshot(SCREENSHOT);

    assertAll(
        () -> assertEquals("Signed in as wall (viewer)", page.text("identity-text")),
        () -> assertEquals(List.of(
            "Acknowledge: disabled (Changing an incident’s status needs the operator role; you are signed in as "
                + "wall (viewer).)",
            "Resolve: disabled (Changing an incident’s status needs the operator role; you are signed in as "
                + "wall (viewer).)"), page.rowButtonStates(id)),
        () -> assertEquals(List.of("create-title", "create-message", "create-severity", "create-channel",
            "create-submit"), page.disabledCreateControls()),
        () -> assertEquals("Creating incidents needs the reporter role; you are signed in as wall (viewer).",
            page.text("create-permission")),
        () -> assertEquals("by intake", page.rowText(id, ".created-by")));
  }

  @Test
  @DisplayName("below operator the note box is off and says why; the timeline still shows")
  void notesNeedOperator() {
    String id = backend.create("warehouse-madrid", "Dock door 4 stuck", "high").getString("id");
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(REPORTER);
    page.awaitConnected();

    page.openDetails(id);

    assertAll(
        () -> assertEquals("true", page.attribute("note-text", "disabled")),
        () -> assertEquals("true", page.attribute("note-submit", "disabled")),
        () -> assertEquals("Adding a note needs the operator role; you are signed in as intake (reporter).",
            page.text("note-permission")),
        () -> assertEquals(List.of("Created by intake"), page.timeline()));
  }

  @Test
  @DisplayName("an operator's note names them in every open timeline, and the incident as its last updater")
  void operatorsNoteNamesThem() {
    String id = backend.create("warehouse-madrid", "Dock door 4 stuck", "high").getString("id");
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(OPERATOR);
    page.awaitConnected();
    page.openDetails(id);

    page.addNote("Door closed by hand.");

    page.awaitTimelineSize(2);
    assertAll(
        () -> assertEquals(List.of("Created by intake", "Note by night: Door closed by hand."), page.timeline()),
        () -> page.await("the new version in the dialog", d -> "night".equals(page.detailsField("updatedBy"))));
  }

  @Test
  @DisplayName("a 403 shows the hub's words: which role is needed and which the token has")
  void forbiddenSaysWhichRole() {
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(VIEWER);
    page.awaitConnected();

    // A page whose idea of the role lags behind the hub's: only the hub can object.
    page.script("for (const e of document.getElementById('create-form').elements) e.disabled = false;");
    page.fillCreateForm("Forklift battery low", "", "low", "general");
    page.submitCreateForm();

    page.await("the form's message", d -> !page.text("create-form-error").isEmpty());
    assertEquals("Not created: This needs the reporter role; the token 'wall' has the viewer role",
        page.text("create-form-error"));
  }

  @Test
  @DisplayName("the table names who created an incident and who changed it last")
  void actorsInTheTable() {
    String id = backend.create("line-3", "Label printer jammed", "low").getString("id");
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(OPERATOR);
    page.awaitConnected();

    page.clickRowButton(id, "Acknowledge");

    page.awaitRowText(id, ".updated-by", "by night");
    assertAll(
        () -> assertEquals("by intake", page.rowText(id, ".created-by")),
        () -> assertEquals("Acknowledged", page.rowText(id, ".badge.status")),
        () -> assertEquals("night", backend.get(id).getString("updatedBy")));
  }

  @Test
  @DisplayName("when the hub stops accepting the token, the page asks to sign in again")
  void sessionEnds() {
    page.openToSignIn(backend.dashboardUrl());
    page.signIn(VIEWER);
    page.awaitConnected();

    backend.restartWith(Map.of("AUTH_TOKENS", "night:operator:" + OPERATOR));

    page.awaitSignInForm();
    assertAll(
        () -> assertEquals("The hub no longer accepts your token. Sign in again.", page.text("sign-in-reason")),
        () -> assertNull(page.sessionToken()),
        () -> assertTrue(page.isShown("sign-in")));
  }
}
