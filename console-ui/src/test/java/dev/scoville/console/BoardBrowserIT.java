package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.rules.Incident;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The board in Debian's headless Chromium while the demo's payment fault runs, compressed. */
class BoardBrowserIT {
  private static Scoville app;

  @BeforeAll
  static void start() throws Exception {
    app = DemoApp.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void tilesShowTheShopAndTurnFiringLiveDuringTheFault() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1100)) {
      browser.signIn("", DemoApp.USER);
      browser.markPage();
      WebElement requests = browser.element("tile-0");
      await(Duration.ofSeconds(30), () -> Optional.of(requests.findElement(By.className("tile-value")).getText())
          .filter(v -> v.endsWith("/s")));
      assertThat(requests.getAttribute("data-state")).isEqualTo("ok");
      assertThat(requests.findElements(By.cssSelector("scoville-chart canvas"))).as("its trend chart").isNotEmpty();

      WebElement payments = browser.element("tile-3");
      browser.wait.until(ExpectedConditions.attributeToBe(payments, "data-state", "firing"));
      assertThat(payments.getText()).contains("PaymentSuccessLow is firing");
      WebElement paymentValue = payments.findElement(By.className("tile-value"));
      String shown = paymentValue.getText();
      assertThat(shown).endsWith("%");
      browser.wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElement(paymentValue, shown)));
      await(Duration.ofSeconds(30), () -> browser.first(By.cssSelector("#incidents .incident")));
      assertThat(browser.stillMarked()).as("all of it came by push, without a reload").isTrue();
      // the status page tile follows the gateway's own admission
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tile-4"), "major"));
      browser.screenshot("board.png");
    }
  }

  @Test
  void focusAndSelectionSurviveLiveUpdates() throws Exception {
    Incident incident = await(Duration.ofSeconds(60), () -> ConsoleServices.get().incidents().recent(1).stream()
        .filter(i -> i.state() == Incident.State.TRIGGERED).findFirst());
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1100)) {
      browser.signIn("", DemoApp.USER);
      WebElement ack = browser.element("ack-" + incident.id());
      browser.script("arguments[0].focus()", ack);
      browser.script("""
          const title = document.querySelector('#tile-0 h3');
          const range = document.createRange();
          range.selectNodeContents(title);
          getSelection().removeAllRanges();
          getSelection().addRange(range);""");
      WebElement value = browser.element("tile-0").findElement(By.className("tile-value"));
      for (int updates = 0; updates < 2; updates++) {
        String shown = value.getText();
        browser.wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElement(value, shown)));
      }
      assertThat(browser.script("return document.activeElement.id")).isEqualTo("ack-" + incident.id());
      assertThat(browser.script("return getSelection().toString()")).isEqualTo("Request rate");
    }
  }

  @Test
  void wallModeFillsTheScreenWithLargeType() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1280, 800)) {
      browser.signIn("wall", DemoApp.USER);
      browser.element("tile-0");
      double laptop = fontSize(browser);
      assertThat(browser.first(By.id("nav-board"))).as("no navigation on the wall").isEmpty();
      browser.driver.manage().window().setSize(new Dimension(3840, 2160));
      browser.wait.until(d -> fontSize(browser) > 2 * laptop);
      browser.driver.manage().window().setSize(new Dimension(1920, 1080));
      await(Duration.ofSeconds(30), () -> browser.first(By.cssSelector("#incidents .incident")));
      browser.screenshot("wall.png");

      browser.element("theme-toggle").click();
      browser.wait.until(d -> "".equals(browser.script("return document.documentElement.getAttribute('theme')")));
      browser.open("?wall");
      browser.wait.until(ExpectedConditions.urlContains("/wall"));
      browser.element("tile-0");
      assertThat(browser.script("return document.documentElement.getAttribute('theme')")).as("light is kept").isEqualTo("");
    }
  }

  @Test
  void theIncidentListFilters() throws Exception {
    await(Duration.ofSeconds(60), () -> ConsoleServices.get().incidents().recent(1).stream().findFirst());
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 900)) {
      browser.signIn("incidents", DemoApp.USER);
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), "PaymentSuccessLow"));
      assertThat(browser.driver.getTitle()).isEqualTo("Incidents · Scoville");

      browser.element("filter-rule").findElement(By.tagName("input")).sendKeys("NoSuchRule");
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), "No incident matches."));
      WebElement rule = browser.element("filter-rule").findElement(By.tagName("input"));
      rule.sendKeys(Keys.chord(Keys.CONTROL, "a"), "PaymentSuccessLow");
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), "PaymentSuccessLow"));
      browser.element("filter-label").findElement(By.tagName("input")).sendKeys("severity=critical");
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), "critical"));
      browser.element("filter-text").findElement(By.tagName("input")).sendKeys("no such words");
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), "No incident matches."));
      browser.element("filter-text").findElement(By.tagName("input"))
          .sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
      browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("incident-list"), "PaymentSuccessLow"));
      browser.screenshot("incidents.png");
    }
  }

  private static double fontSize(ConsoleBrowser browser) {
    return Double.parseDouble(String.valueOf(browser.script(
        "return parseFloat(getComputedStyle(document.documentElement).fontSize)")));
  }
}
