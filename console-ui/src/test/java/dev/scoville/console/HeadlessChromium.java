package dev.scoville.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium and its driver, headless, with a fresh profile and nothing phoning home. */
final class HeadlessChromium {
  private HeadlessChromium() {}

  static WebDriver start(int width, int height) throws IOException {
    ChromeOptions options = new ChromeOptions()
        .setBinary("/usr/bin/chromium")
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--window-size=" + width + "," + height,
            "--user-data-dir=" + Files.createTempDirectory("scoville-chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
    return new ChromeDriver(service, options);
  }
}
