package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.contingency.ActionRun;
import dev.scoville.rules.Incident;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Commanders in headless Chromium: one answers a payment incident from its runbook (switches to the
 * backup payment provider after a dry run, sees the shop's flag change over OFREP, rolls it back);
 * another approves a high-risk switch waiting on the actions page.
 */
class ActionsBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private Scoville app;
  private WebDriver browser;

  @BeforeEach
  void start() throws Exception {
    app = DemoApp.start();
    browser = HeadlessChromium.start(1400, 1100);
  }

  @AfterEach
  void stop(TestInfo test) throws Exception {
    if (browser != null) {
      screenshot("actions-" + test.getTestMethod().orElseThrow().getName() + ".png");
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void switchesToTheBackupProviderFromTheRunbookAndRollsItBack() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    signIn(wait, DemoApp.USER);
    assertThat(servedFlag("payment-provider")).isEqualTo("primary");

    WebElement card = await(Duration.ofSeconds(60), () -> firstElement(By.cssSelector("#incidents .incident")));
    String incident = card.getAttribute("id").substring("incident-".length());
    browser.findElement(By.id("open-" + incident)).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("runbook"), "Payment gateway outage"));
    assertThat(browser.findElement(By.id("incident")).getText()).contains("PaymentSuccessLow");

    // the button in the runbook's own text, not the one beside it
    wait.until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("#runbook button.runbook-action[data-action='backup-payment-provider']"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-sent"),
        "flag payment-provider: \"primary\" → \"backup\""));
    assertThat(servedFlag("payment-provider")).as("a dry run sends nothing").isEqualTo("primary");
    screenshot("actions-dialog.png");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-run"))).click();

    WebElement rollback = wait.until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("#incident-runs [id^='rollback-']")));
    String run = rollback.getAttribute("id").substring("rollback-".length());
    assertThat(browser.findElement(By.id("run-" + run)).getText())
        .contains("#" + run + " backup-payment-provider · succeeded · " + DemoApp.USER + " (commander)")
        .contains("flag payment-provider changed from \"primary\" to \"backup\"");
    assertThat(servedFlag("payment-provider")).isEqualTo("backup");
    // The shop reads the switch over OFREP and its card payments go to the backup gateway.
    await(Duration.ofSeconds(30), () -> query("shop_payments_total{provider=\"backup-gateway\"}").isEmpty()
        ? Optional.empty() : Optional.of(true));
    screenshot("actions-incident.png");

    rollback.click();
    // nothing is sent before the confirmation, which shows what will be
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollback-preview"),
        "Kill switch 'payment-provider' goes back to \"primary\" (it serves \"backup\" now)"));
    assertThat(servedFlag("payment-provider")).isEqualTo("backup");
    browser.findElement(By.id("confirm-rollback")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-" + run), "rolled back by #"));
    assertThat(servedFlag("payment-provider")).isEqualTo("primary");

    browser.findElement(By.id("nav-actions")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-" + run),
        "backup-payment-provider · succeeded"));
    assertThat(browser.findElement(By.id("audit")).getText())
        .contains("rollback of #" + run + " backup-payment-provider · succeeded")
        .contains("backup-payment-provider · dry run");
    assertThat(browser.findElement(By.id("flag-payment-provider")).getText())
        .contains("payment-provider = \"primary\"").contains("set by " + DemoApp.USER);
  }

  @Test
  void aSecondCommanderApprovesAHighRiskSwitchOnTheActionsPage() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    ConsoleServices services = ConsoleServices.get();
    Incident incident = await(Duration.ofSeconds(60), () -> services.incidents().recent(1).stream().findFirst());
    ActionRun asked = services.actions().run("maintenance-page", Map.of(), incident,
        new Users.Person(DemoApp.USER, "commander"), "approval-it");
    assertThat(asked.outcome()).isEqualTo(ActionRun.Outcome.AWAITING_APPROVAL);
    assertThat(servedFlag("maintenance")).isEqualTo("false");

    signIn(wait, DemoApp.SECOND_USER);
    // the board puts it first, with everything it will send
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("board-approval-" + asked.id()),
        DemoApp.USER + " asks to run maintenance-page for incident #" + incident.id()));
    browser.findElement(By.cssSelector("#board-approval-" + asked.id() + " vaadin-details")).click();
    assertThat(browser.findElement(By.id("board-approval-" + asked.id())).getText()).contains("maintenance");
    assertThat(browser.findElements(By.id("board-approve-" + asked.id()))).hasSize(1);
    browser.findElement(By.id("nav-actions")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("approval-" + asked.id()),
        "maintenance-page · awaiting approval · " + DemoApp.USER));
    browser.findElement(By.id("approve-" + asked.id())).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("approvals"), "Nothing waits for approval."));
    assertThat(browser.findElement(By.id("audit-" + asked.id())).getText())
        .contains("maintenance-page · succeeded · " + DemoApp.USER + " (commander)")
        .contains("approved by " + DemoApp.SECOND_USER);
    assertThat(servedFlag("maintenance")).isEqualTo("true");
  }

  @Test
  void slacksLinksOpenTheRunbookAndTheActionReadyToConfirm() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    Incident incident = await(Duration.ofSeconds(60),
        () -> ConsoleServices.get().incidents().recent(1).stream().findFirst());
    signIn(wait, DemoApp.USER);

    browser.get(app.consoleUrl().resolve("runbooks/payment-gateway-outage").toString());
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("runbook"), "Payment gateway outage"));
    // no incident here to run it for
    assertThat(browser.findElement(By.cssSelector("#runbook button.runbook-action[data-action='backup-payment-provider']"))
        .isEnabled()).isFalse();

    browser.get(app.consoleUrl().resolve("incidents/" + incident.id() + "?action=backup-payment-provider").toString());
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-sent"),
        "flag payment-provider: \"primary\" → \"backup\""));
    browser.findElement(By.id("cancel-run")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-run")));
    assertThat(servedFlag("payment-provider")).isEqualTo("primary");
  }

  private void signIn(WebDriverWait wait, String user) {
    browser.get(app.consoleUrl().toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#vaadinLoginUsername input")))
        .sendKeys(user);
    browser.findElement(By.cssSelector("#vaadinLoginPassword input")).sendKeys(DemoApp.PASSWORD, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("incidents")));
  }

  /** What the shop would read: the flag's value from OFREP's single-flag evaluation. */
  private String servedFlag(String key) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(app.apiUrl().resolve("ofrep/v1/evaluate/flags/" + key))
            .header("Authorization", "Bearer " + DemoApp.OFREP_TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"context\":{\"targetingKey\":\"shop\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode evaluation = JSON.readTree(response.body());
    assertThat(evaluation.path("key").asText()).isEqualTo(key);
    return evaluation.path("value").asText();
  }

  /** The series Scoville's query API returns for {@code promql}, as the shop's scrapes filled them. */
  private JsonNode query(String promql) throws Exception {
    String credentials = Base64.getEncoder().encodeToString(
        (DemoApp.USER + ":" + DemoApp.PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(app.apiUrl().resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
            .header("Authorization", "Basic " + credentials).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).at("/data/result");
  }

  private void screenshot(String name) throws Exception {
    Files.write(Path.of("target", name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private Optional<WebElement> firstElement(By selector) {
    List<WebElement> found = browser.findElements(selector);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }
}
