package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A person in the war room, in Debian's headless Chromium: signs in and handles an incident. */
class WarRoomBrowserIT {
  private Scoville app;
  private WebDriver browser;

  @BeforeEach
  void start() throws Exception {
    app = DemoApp.start();
    browser = HeadlessChromium.start(1280, 1000);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      Files.write(Path.of("target", "war-room.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void signsInSeesTheIncidentArriveAndAcknowledgesIt() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get(app.consoleUrl().toString());

    WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#vaadinLoginUsername input")));
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    username.sendKeys(DemoApp.USER);
    browser.findElement(By.cssSelector("#vaadinLoginPassword input")).sendKeys(DemoApp.PASSWORD, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("incidents")));
    String boardUrl = browser.getCurrentUrl();

    // No reload from here on: the incident must arrive by server push.
    WebElement card = await(Duration.ofSeconds(60), () -> firstElement(By.cssSelector("#incidents .incident")));
    String id = card.getAttribute("id").substring("incident-".length());
    assertThat(browser.findElement(By.id("state-" + id)).getText()).isEqualTo("▲ triggered");
    assertThat(card.getText()).contains("PaymentSuccessLow");

    browser.findElement(By.id("ack-" + id)).click();

    wait.until(ExpectedConditions.textToBe(By.id("state-" + id), "◐ acknowledged"));
    assertThat(browser.findElement(By.id("incident-" + id)).getText()).contains("acknowledged by " + DemoApp.USER);
    assertThat(browser.getCurrentUrl()).isEqualTo(boardUrl);
  }

  private Optional<WebElement> firstElement(By selector) {
    List<WebElement> found = browser.findElements(selector);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }
}
