package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.contingency.ActionRun;
import dev.scoville.rules.Incident;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The incident room in Debian's headless Chromium, reached as a PagerDuty link reaches it. */
class IncidentRoomBrowserIT {
  private static Scoville app;
  private static Incident incident;

  @BeforeAll
  static void start() throws Exception {
    // the fault outlasts the tests: the incident stays open until they resolve it by hand
    app = DemoApp.start(Duration.ofMinutes(10));
    incident = await(Duration.ofSeconds(60), () -> ConsoleServices.get().incidents().recent(1).stream().findFirst());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aDeepLinkLandsThereAfterSignInWithTheActionReadyToConfirm() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1000)) {
      browser.signIn("incidents/" + incident.id() + "?action=backup-payment-provider", DemoApp.USER);
      browser.wait.until(ExpectedConditions.urlContains("/incidents/" + incident.id()));
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-sent"),
          "flag payment-provider: \"primary\" → \"backup\""));
      browser.wait.until(ExpectedConditions.titleContains("#" + incident.id() + " PaymentSuccessLow"));
      assertThat(browser.driver.getTitle()).endsWith(" · Scoville");
    }
  }

  @Test
  void handlesTheIncidentFromItsRoom() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1400)) {
      browser.signIn("incidents/" + incident.id(), DemoApp.USER);
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident"), "PaymentSuccessLow"));
      browser.wait.until(d -> !d.findElements(By.cssSelector("#incident-chart canvas")).isEmpty());
      assertThat(browser.text("incident-now")).startsWith("Now: ").contains("fires < 0.95");
      assertThat(browser.text("timeline")).contains("triggered").contains("notified");

      browser.element("incident-ack").click();
      browser.wait.until(ExpectedConditions.textToBe(By.id("incident-state"), "◐ acknowledged"));

      browser.element("note").findElement(By.tagName("textarea")).sendKeys("Card gateway admits the fault on its status page");
      browser.element("add-note").click();
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#timeline .kind-note"),
          DemoApp.USER + " · Card gateway admits the fault on its status page"));

      browser.element("commander").findElement(By.tagName("input")).sendKeys(DemoApp.SECOND_USER);
      browser.element("assign-commander").click();
      browser.wait.until(ExpectedConditions.textToBe(By.id("incident-commander"), "Incident commander: " + DemoApp.SECOND_USER));
      browser.screenshot("incident.png");

      browser.element("incident-resolve").click();
      browser.element("confirm-resolve").click();
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("vaadin-dialog-overlay"),
          "Say why"));
      browser.element("resolve-reason").findElement(By.tagName("textarea")).sendKeys("Traffic moved to the backup gateway");
      browser.element("confirm-resolve").click();
      browser.wait.until(ExpectedConditions.textToBe(By.id("incident-state"), "✓ resolved"));
      assertThat(browser.driver.findElement(By.cssSelector("#timeline .kind-resolved-by-hand")).getText())
          .contains(DemoApp.USER + " · Traffic moved to the backup gateway");
      assertThat(browser.driver.getTitle()).contains("resolved");
    }
  }

  @Test
  void aRunbookStepOpensTheChartOfItsSeries() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1000)) {
      browser.signIn("incidents/" + incident.id(), DemoApp.USER);
      browser.wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#runbook a.runbook-query"))).click();
      browser.wait.until(ExpectedConditions.urlContains("/chart?query="));
      assertThat(browser.element("chart-expression").getText())
          .isEqualTo("sum by (provider, outcome) (rate(shop_payments_total[1m]))");
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-now"), "Now: "));
      browser.wait.until(d -> !d.findElements(By.cssSelector("#chart canvas")).isEmpty());
    }
  }

  @Test
  void thePostPeakReportListsTheIncidentAndOffersItsPdfAndCsvAndEndsWithTheFollowUpList() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1200)) {
      browser.signIn("report", DemoApp.USER);
      browser.driver.findElement(By.cssSelector("#follow-up-title input")).sendKeys("Raise the checkout database pool");
      browser.element("follow-up-add").click();
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("follow-ups"),
          "Raise the checkout database pool · added by " + DemoApp.USER));
      browser.element("report-build").click();
      browser.element("report-pdf");
      assertThat(browser.element("report-downloads").getText()).contains("PDF", "incidents.csv", "actions.csv",
          "measures.csv");
      browser.driver.switchTo().frame(browser.element("report"));
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "How incidents were handled"));
      assertThat(browser.driver.findElement(By.tagName("body")).getText()).contains("PaymentSuccessLow",
          "Forecast for the next peak", "Raise the checkout database pool");
      browser.driver.switchTo().defaultContent();
    }
  }

  @Test
  void aResponderIsNotOfferedWhatOnlyCommandersMayRun() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1000)) {
      browser.signIn("incidents/" + incident.id(), DemoApp.RESPONDER);
      // anyone may tell customers; only a commander switches payment providers
      browser.element("action-customer-message-delay");
      assertThat(browser.driver.findElements(By.id("action-backup-payment-provider"))).isEmpty();
      assertThat(browser.driver.findElement(By.cssSelector(
          "#runbook button.runbook-action[data-action='backup-payment-provider']")).isEnabled()).isFalse();
    }
    // and the server refuses it all the same
    ActionRun refused = ConsoleServices.get().actions().run("backup-payment-provider", Map.of(), incident,
        new Users.Person(DemoApp.RESPONDER, "responder"), "responder-it");
    assertThat(refused.outcome()).isEqualTo(ActionRun.Outcome.REFUSED);
  }
}
