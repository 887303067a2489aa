package com.incidenthub.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** One browser showing the dashboard, with the operator's actions and what the tests read back. */
final class DashboardPage implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /**
   * Installed before any page script runs: records alert/confirm/prompt calls and every socket frame, and lets a test
   * hold incoming frames back, as a slow network would. Its listener is registered before the page's own, so it sees
   * each frame first. Headless Chromium shows no desktop notifications and its tab is never hidden, so the probe
   * stands in for both: Notification records what the page raises and grants permission when asked (remembered per
   * origin, as a browser does), and document.hidden reads probe.hidden.
   */
  private static final String PROBE = """
      (() => {
        const probe = { dialogs: [], frames: [], dropFrames: false, hidden: false, notifications: [],
          permissionRequests: 0 };
        Object.defineProperty(window, '__probe', { value: probe });
        Object.defineProperty(document, 'hidden', { get: () => probe.hidden });
        const granted = () => { try { return localStorage.getItem('probe.permission') === 'granted'; } catch { return false; } };
        window.Notification = class {
          static permission = granted() ? 'granted' : 'default';
          static requestPermission() {
            probe.permissionRequests += 1;
            localStorage.setItem('probe.permission', 'granted');
            window.Notification.permission = 'granted';
            return Promise.resolve('granted');
          }
          constructor(title, options) { probe.notifications.push({ title, body: options.body }); }
          addEventListener() {}
        };
        for (const name of ['alert', 'confirm', 'prompt']) {
          const original = window[name].bind(window);
          window[name] = (...args) => { probe.dialogs.push(name); return original(...args); };
        }
        const NativeWebSocket = window.WebSocket;
        window.WebSocket = class extends NativeWebSocket {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', (event) => {
              probe.frames.push(String(event.data));
              if (probe.dropFrames) event.stopImmediatePropagation();
            });
          }
        };
      })();
      """;

  private final Chromium.Browser browser;
  private final ChromeDriver driver;

  private DashboardPage(Chromium.Browser browser) {
    this.browser = browser;
    this.driver = browser.driver();
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
  }

  static DashboardPage launch(String name) {
    return new DashboardPage(Chromium.launch(name));
  }

  /** Loads the dashboard and waits until it is live: socket subscribed and the list read after that. */
  void open(String url) {
    driver.get(url);
    awaitConnected();
    await("the incident list to load", d -> text("list-summary").startsWith("Showing "));
  }

  /** Loads the page of a hub that asks for a token and waits for its sign-in form. */
  void openToSignIn(String url) {
    driver.get(url);
    awaitSignInForm();
  }

  void awaitSignInForm() {
    await("the sign-in form", d -> isShown("sign-in") && !isShown("workspace"));
  }

  /** Types the token into the sign-in form and sends it. */
  void signIn(String token) {
    type("sign-in-token", token);
    driver.findElement(By.id("sign-in-submit")).click();
  }

  /** Reloads the page and waits until it is live again. */
  void reload() {
    driver.navigate().refresh();
    awaitConnected();
    await("the incident list to load", d -> text("list-summary").startsWith("Showing "));
  }

  void awaitConnected() {
    await("the connection state to read Connected with a confirmed subscription",
        d -> "connected".equals(attribute("connection", "data-state")) && !text("connection-scope").isEmpty());
  }

  /** Leaves a mark in the current document; a reload would lose it. */
  void markDocument() {
    script("window.__sameDocument = true;");
  }

  boolean isSameDocument() {
    return Boolean.TRUE.equals(script("return window.__sameDocument === true;"));
  }

  // ---- reading --------------------------------------------------------------------------------------------------

  <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(50))
        .withMessage("waiting for " + what)
        // Signing in and out reload the page: an element found a moment before belongs to the old document.
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  Object script(String source, Object... args) {
    return driver.executeScript(source, args);
  }

  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  String attribute(String id, String name) {
    return driver.findElement(By.id(id)).getDomAttribute(name);
  }

  boolean isShown(String id) {
    return driver.findElement(By.id(id)).isDisplayed();
  }

  /** The token the page keeps for this tab, or null. */
  String sessionToken() {
    return (String) script("return sessionStorage.getItem('incident-hub.token');");
  }

  long localStorageEntries() {
    return (Long) script("return localStorage.length;");
  }

  /** The ids of the create form's controls that are disabled. */
  @SuppressWarnings("unchecked")
  List<String> disabledCreateControls() {
    return (List<String>) script("return [...document.getElementById('create-form').elements]"
        + ".filter(e => e.disabled).map(e => e.id);");
  }

  /** Each status button of a row as "label: enabled" or "label: disabled (title)". */
  List<String> rowButtonStates(String id) {
    return awaitRow(id).findElements(By.cssSelector(".actions button")).stream()
        .map(button -> button.getText() + (button.isEnabled() ? ": enabled"
            : ": disabled (" + button.getDomAttribute("title") + ")"))
        .toList();
  }

  String inputValue(String id) {
    return driver.findElement(By.id(id)).getDomProperty("value");
  }

  /** The ids of the table's rows, top to bottom. */
  @SuppressWarnings("unchecked")
  List<String> rowIds() {
    return (List<String>) script("return [...document.querySelectorAll('#incident-rows tr')].map(r => r.dataset.id);");
  }

  /** The rows' titles, top to bottom. */
  @SuppressWarnings("unchecked")
  List<String> rowTitles() {
    return (List<String>) script(
        "return [...document.querySelectorAll('#incident-rows tr')].map(r => r.querySelector('.incident-title').textContent);");
  }

  boolean isDisplayed(String id) {
    return driver.findElement(By.id(id)).isDisplayed();
  }

  boolean hasRow(String id) {
    return rowIds().contains(id);
  }

  WebElement awaitRow(String id) {
    return await("the row of incident " + id, d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#incident-rows tr[data-id='" + id + "']"));
      return rows.isEmpty() ? null : rows.get(0);
    });
  }

  /** The id of the row whose title reads exactly `title`, once there is one. */
  String awaitRowTitled(String title) {
    return await("a row titled " + title, d -> (String) script(
        "const row = [...document.querySelectorAll('#incident-rows tr')]"
            + ".find(r => r.querySelector('.incident-title').textContent === arguments[0]);"
            + "return row ? row.dataset.id : null;", title));
  }

  /** The text of one cell of a row: `.incident-title`, `.cell-channel`, `.badge.severity`, `.badge.status`, ... */
  String rowText(String id, String selector) {
    return awaitRow(id).findElement(By.cssSelector(selector)).getText();
  }

  List<String> rowButtons(String id) {
    return awaitRow(id).findElements(By.cssSelector(".actions button")).stream().map(WebElement::getText).toList();
  }

  /** True when no action button of the row is marked busy (the page uses aria-disabled, which keeps focus). */
  boolean rowButtonsEnabled(String id) {
    return awaitRow(id).findElements(By.cssSelector(".actions button")).stream()
        .noneMatch(button -> "true".equals(button.getDomAttribute("aria-disabled")));
  }

  void awaitRowText(String id, String selector, String expected) {
    await("'" + expected + "' in " + selector + " of incident " + id, d -> {
      List<WebElement> cells = d.findElements(By.cssSelector("#incident-rows tr[data-id='" + id + "'] " + selector));
      return !cells.isEmpty() && expected.equals(cells.get(0).getText());
    });
  }

  @SuppressWarnings("unchecked")
  List<String> socketFrames() {
    return (List<String>) script("return window.__probe.frames.slice();");
  }

  @SuppressWarnings("unchecked")
  List<String> dialogsOpened() {
    return (List<String>) script("return window.__probe.dialogs.slice();");
  }

  boolean alertShowing() {
    try {
      driver.switchTo().alert();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /** Script errors nobody caught since the last call (the browser's log is drained by reading it). */
  List<String> uncaughtErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .filter(message -> message.contains("Uncaught"))
        .toList();
  }

  /** The notifications the page raised, as "title | body". */
  @SuppressWarnings("unchecked")
  List<String> notificationsRaised() {
    return (List<String>) script("return window.__probe.notifications.map(n => n.title + ' | ' + n.body);");
  }

  long permissionRequests() {
    return (Long) script("return window.__probe.permissionRequests;");
  }

  /** As if the operator switched to another tab (true) or back (false). */
  void setTabHidden(boolean hidden) {
    script("window.__probe.hidden = arguments[0];", hidden);
  }

  void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  boolean isChecked(String id) {
    return driver.findElement(By.id(id)).isSelected();
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
  }

  /** Sets a field's value as typing would, and fires the change event the page listens to. */
  void setValue(String id, String value) {
    script("const field = document.getElementById(arguments[0]); field.value = arguments[1];"
        + "field.dispatchEvent(new Event('change', { bubbles: true }));", id, value);
  }

  // ---- the details dialog ---------------------------------------------------------------------------------------

  /** Clicks the row's Details button and waits for the dialog and its timeline. */
  void openDetails(String id) {
    awaitRow(id).findElement(By.cssSelector(".open-details")).click();
    await("the details dialog", d -> detailsOpen() && !text("timeline-state").startsWith("Loading"));
  }

  boolean detailsOpen() {
    return Boolean.TRUE.equals(script("return document.getElementById('details-dialog').open;"));
  }

  String detailsField(String field) {
    return driver.findElement(By.cssSelector("#details-dialog [data-field='" + field + "']")).getText();
  }

  /** The timeline's items, top (oldest) to bottom, each as its text without the time. */
  @SuppressWarnings("unchecked")
  List<String> timeline() {
    return (List<String>) script("return [...document.querySelectorAll('#details-timeline li')]"
        + ".map(li => li.querySelector('.timeline-text').textContent);");
  }

  void awaitTimelineSize(int entries) {
    await(entries + " timeline entries", d -> timeline().size() == entries);
  }

  void addNote(String text) {
    type("note-text", text);
    driver.findElement(By.id("note-submit")).click();
  }

  void pressEscape() {
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
  }

  /** True when keyboard focus is on the Details button of the row. */
  boolean detailsButtonFocused(String id) {
    return Boolean.TRUE.equals(script("const e = document.activeElement;"
        + "return !!e && e.matches('#incident-rows tr[data-id=\"' + arguments[0] + '\"] .open-details');", id));
  }

  /** From now on incoming socket frames are recorded but not handed to the page. */
  void holdBackSocketFrames() {
    script("window.__probe.dropFrames = true;");
  }

  // ---- acting ---------------------------------------------------------------------------------------------------

  void fillCreateForm(String title, String message, String severity, String channel) {
    type("create-title", title);
    type("create-message", message);
    new Select(driver.findElement(By.id("create-severity"))).selectByValue(severity);
    type("create-channel", channel);
  }

  void submitCreateForm() {
    driver.findElement(By.id("create-submit")).click();
  }

  private void type(String id, String value) {
    WebElement field = driver.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  void clickRowButton(String id, String label) {
    awaitRow(id).findElements(By.cssSelector(".actions button")).stream()
        .filter(button -> button.getText().equals(label))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + label + "' button in the row of " + id))
        .click();
  }

  /** Moves keyboard focus to a row's button and presses Enter, as a keyboard user would. */
  void pressEnterOnRowButton(String id, String label) {
    WebElement button = awaitRow(id).findElements(By.cssSelector(".actions button")).stream()
        .filter(candidate -> candidate.getText().equals(label))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + label + "' button in the row of " + id));
    script("arguments[0].focus();", button);
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
  }

  /** The text of the focused button if it is one of the row's action buttons, else null. */
  String focusedRowButton(String id) {
    return (String) script("const e = document.activeElement;"
        + "return e && e.matches('#incident-rows tr[data-id=\"' + arguments[0] + '\"] .actions button')"
        + " ? e.textContent : null;", id);
  }

  /** Ticks one channel in the filter and waits until the server confirmed the matching subscription. */
  void filterToChannel(String channel) {
    WebElement box = await("the channel checkbox " + channel,
        d -> d.findElements(By.cssSelector("#channel-list input.channel-checkbox[value='" + channel + "']"))
            .stream().findFirst().orElse(null));
    box.click();
    await("the live subscription to cover only " + channel,
        d -> text("connection-scope").equals("· live updates for " + channel));
  }

  void saveScreenshot(Path target) throws java.io.IOException {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(target.getParent());
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Leaves the dashboard, so its socket stops retrying a backend that is about to go away. */
  void leave() {
    driver.get("about:blank");
  }

  @Override
  public void close() {
    browser.close();
  }
}
