package dev.scoville.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** One person's headless Chromium on the console: signs in, waits for what push brings, takes pictures. */
final class ConsoleBrowser implements AutoCloseable {
  /** README's screenshots: the browser tests write them, so that they show the console as it is. */
  static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

  final WebDriver driver;
  final WebDriverWait wait;
  private final Scoville app;

  ConsoleBrowser(Scoville app, int width, int height) throws Exception {
    this.app = app;
    this.driver = HeadlessChromium.start(width, height);
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  /** Opens {@code path} and signs in on the login form it lands on. */
  void signIn(String path, String user) {
    driver.get(app.consoleUrl().resolve(path).toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#vaadinLoginUsername input"))).sendKeys(user);
    driver.findElement(By.cssSelector("#vaadinLoginPassword input")).sendKeys(DemoApp.PASSWORD, Keys.ENTER);
    wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
  }

  void open(String path) {
    driver.get(app.consoleUrl().resolve(path).toString());
  }

  WebElement element(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  Optional<WebElement> first(By selector) {
    List<WebElement> found = driver.findElements(selector);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Marks the page, so that a test can tell a live update from a reload (which loses the mark). */
  void markPage() {
    script("window.scovilleMark = 'not reloaded'");
  }

  boolean stillMarked() {
    return "not reloaded".equals(script("return window.scovilleMark"));
  }

  void screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  /** Keeps the last picture of every browser in target/, to see what a failed test saw. */
  @Override
  public void close() {
    try {
      String name = "browser-" + System.nanoTime();
      Files.write(Path.of("target", name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      Files.writeString(Path.of("target", name + ".txt"), String.valueOf(script("return document.body.innerText")));
    } catch (Exception e) {
      System.err.println("No last picture: " + e);
    } finally {
      driver.quit();
    }
  }
}
