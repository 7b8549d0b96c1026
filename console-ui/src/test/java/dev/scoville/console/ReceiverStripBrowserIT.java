package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A PagerDuty that answers 500 while the demo's payment fault pages: the board tells everyone that
 * paging fails, live, and stops saying so once PagerDuty takes the page.
 */
class ReceiverStripBrowserIT {
  private final AtomicBoolean pagerDutyDown = new AtomicBoolean(true);
  private final AtomicInteger attempts = new AtomicInteger();
  private HttpServer pagerDuty;
  private Scoville app;

  @BeforeEach
  void start() throws Exception {
    pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", exchange -> {
      exchange.getRequestBody().readAllBytes();
      attempts.incrementAndGet();
      boolean down = pagerDutyDown.get();
      byte[] body = (down ? "{\"status\":\"error\",\"message\":\"Internal Server Error\"}"
          : "{\"status\":\"success\",\"message\":\"Event processed\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(down ? 500 : 202, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    pagerDuty.start();
    app = DemoApp.startPagingTo("http://127.0.0.1:" + pagerDuty.getAddress().getPort() + "/v2/enqueue");
  }

  @AfterEach
  void stop() {
    app.close();
    pagerDuty.stop(0);
  }

  @Test
  void theBoardSaysWhilePagingFails() throws Exception {
    try (ConsoleBrowser browser = new ConsoleBrowser(app, 1400, 1100)) {
      browser.signIn("", DemoApp.RESPONDER);
      browser.markPage();
      await(Duration.ofSeconds(90), () -> browser.first(By.id("receiver-pagerduty")));
      assertThat(browser.element("receiver-pagerduty").getText())
          .startsWith("⚠ Paging through pagerduty fails since")
          .contains("retrying; pages wait for it");
      assertThat(attempts.get()).isPositive();

      pagerDutyDown.set(false);
      // the next retry, after its backoff, reaches PagerDuty
      await(Duration.ofSeconds(90), () -> browser.first(By.id("receiver-pagerduty")).isEmpty()
          ? Optional.of(true) : Optional.empty());
      assertThat(browser.stillMarked()).as("shown and cleared by push, without a reload").isTrue();
    }
  }
}
