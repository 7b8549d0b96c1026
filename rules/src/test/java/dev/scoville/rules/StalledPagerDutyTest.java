package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PagerDuty takes connections and never answers, while Slack works: the Slack message goes out
 * at once, not behind PagerDuty's stalled attempts, and the page arrives once PagerDuty answers
 * again. The outbox runs on its own threads, as in the application.
 */
class StalledPagerDutyTest {
  private static final Alert ALERT = new Alert("CheckoutDown", Labels.of("alertname", "CheckoutDown",
      "severity", "critical"), "Checkout answers 503", 1, Instant.parse("2026-11-30T09:00:00Z"), Handling.DEFAULT);

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private SlackApiFake slack;
  private StallingPagerDuty pagerDuty;
  private OutboxSender outbox;

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    slack = SlackApiFake.start();
    pagerDuty = StallingPagerDuty.start();
  }

  @AfterEach
  void stop() {
    outbox.close();
    pagerDuty.close();
    slack.close();
    database.close();
  }

  @Test
  void slackIsNotifiedWhilePagerDutyHangsAndThePageArrivesOnceItRecovers() throws Exception {
    SlackConfig slackConfig = new SlackConfig(slack.methodsUrl(), "xoxb-test", "secret", "#war-room", null);
    EscalationPolicies escalation = EscalationPolicies.defaults(slackConfig);
    IncidentService incidents = new IncidentService(database, clock, escalation);
    PagerDutyConfig pagerDutyConfig =
        new PagerDutyConfig(pagerDuty.eventsUri(), "0123456789abcdef0123456789abcdef", "shop", null);
    Duration deadline = Duration.ofMillis(500);
    outbox = new OutboxSender(database, incidents, new HttpPagerDutyEvents(pagerDutyConfig, deadline),
        new SlackMessages(slackConfig, database, escalation, clock, deadline), clock, Duration.ofMillis(100));
    incidents.onOutboxWrite(outbox::signal);
    outbox.start();

    Incident incident = incidents.open(ALERT);

    assertThat(Eventually.await(() -> slack.messages() == 1, Duration.ofSeconds(20))).as("the Slack message arrived").isTrue();
    assertThat(pagerDuty.stalledRequests()).as("PagerDuty was still stalled").isPositive();
    assertThat(pagerDuty.answered()).isEmpty();

    pagerDuty.recover();

    assertThat(Eventually.await(() -> !pagerDuty.answered().isEmpty(), Duration.ofSeconds(20))).as("the page arrived").isTrue();
    JsonObject page = pagerDuty.answered().get(0);
    assertThat(page.getString("event_action")).isEqualTo("trigger");
    assertThat(page.getString("dedup_key")).isEqualTo(incident.dedupKey());
    assertThat(page.getJsonObject("payload").getString("summary")).isEqualTo("Checkout answers 503");
    assertThat(Eventually.await(() -> incidents.timeline(incident.id()).stream()
        .anyMatch(e -> "trigger sent to pagerduty".equals(e.detail())), Duration.ofSeconds(20)))
        .as("the page is on the timeline").isTrue();
  }

  /** Events API v2 that holds every request without answering until it recovers, then answers 202. */
  private static final class StallingPagerDuty implements AutoCloseable {
    private final HttpServer server;
    private final CountDownLatch recovered = new CountDownLatch(1);
    private final List<JsonObject> answered = new CopyOnWriteArrayList<>();
    private volatile int stalled;

    private StallingPagerDuty(HttpServer server) {
      this.server = server;
    }

    static StallingPagerDuty start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      StallingPagerDuty pagerDuty = new StallingPagerDuty(server);
      server.createContext("/v2/enqueue", pagerDuty::handle);
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
      return pagerDuty;
    }

    private void handle(HttpExchange exchange) throws IOException {
      JsonObject event = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (recovered.getCount() > 0) {
        stalled++;
        try {
          // Longer than the sender's deadline: it gives up and retries; this answer goes nowhere.
          recovered.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      answered.add(event);
      byte[] body = new JsonObject().put("status", "success").put("message", "Event processed")
          .put("dedup_key", event.getString("dedup_key")).encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(202, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }

    void recover() {
      recovered.countDown();
    }

    int stalledRequests() {
      return stalled;
    }

    List<JsonObject> answered() {
      return answered;
    }

    URI eventsUri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue");
    }

    @Override
    public void close() {
      recover();
      server.stop(0);
    }
  }
}
