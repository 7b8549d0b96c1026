package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The session cookie as a real browser holds it: out of scripts' reach, not sent cross-site, renewed at sign-in. */
class SignInBrowserIT {
  private static Scoville app;

  @BeforeAll
  static void start() throws Exception {
    app = DemoApp.start();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void theSessionCookieIsHttpOnlyLaxAndANewOneIsIssuedAtSignIn() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1280, 900)) {
      browser.open("login");
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#vaadinLoginUsername input")));
      Cookie before = browser.driver.manage().getCookieNamed("JSESSIONID");
      assertThat(before).isNotNull();
      assertThat(before.isHttpOnly()).isTrue();
      assertThat(before.getSameSite()).isEqualTo("Lax");
      assertThat(before.isSecure()).as("served over http://").isFalse();
      assertThat((String) browser.script("return document.cookie")).doesNotContain("JSESSIONID");

      browser.signIn("", DemoApp.USER);
      browser.element("incidents");

      Cookie after = browser.driver.manage().getCookieNamed("JSESSIONID");
      assertThat(after.getValue()).as("session id after sign-in").isNotEqualTo(before.getValue());
      assertThat(after.isHttpOnly()).isTrue();
      assertThat(after.getSameSite()).isEqualTo("Lax");
      // the old id no longer signs anyone in
      browser.driver.manage().deleteAllCookies();
      browser.driver.manage().addCookie(new Cookie("JSESSIONID", before.getValue(), "/"));
      browser.open("");
      browser.wait.until(ExpectedConditions.urlContains("/login"));
    }
  }
}
