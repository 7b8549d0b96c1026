package dev.scoville.rules;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.rules.intake.GrafanaIntakeRoutes;
import dev.scoville.rules.intake.IntakeConfig;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Incidents, silences and the alert webhooks behind a real Vert.x server on loopback, notifying
 * the local PagerDuty sink; the outbox runs when a test calls {@link #send()}.
 */
public final class IntakeServer implements AutoCloseable {
  public static final String TOKEN = "alertmanager-test-token";
  /** Who the silence routes are told is signed in: the API's sign-in is console-ui's. */
  static final String SIGNED_IN = "alice";
  private static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";

  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
  public final Database database;
  public final PagerDutySink pagerDuty;
  public final IncidentService incidents;
  public final SilenceService silences;
  private final OutboxSender outbox;
  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private IntakeServer(String yaml) throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    pagerDuty = PagerDutySink.start(0);
    ConfigFile config = ConfigFile.parse("scoville.yaml", yaml, name -> null);
    Muting muting = Muting.of(config,
        Arrays.asList(config.section("inhibit_rules", InhibitRule[].class, new InhibitRule[0])));
    PagerDutyConfig pagerDutyConfig = new PagerDutyConfig(pagerDuty.eventsUri(), ROUTING_KEY, "shop", null);
    EscalationPolicies policies = EscalationPolicies.of(config,
        Arrays.asList(config.section("escalation", EscalationPolicy[].class, new EscalationPolicy[0])),
        pagerDutyConfig, SlackConfig.none());
    incidents = new IncidentService(database, clock, policies, muting);
    silences = new SilenceService(database, incidents, clock);
    outbox = new OutboxSender(database, incidents, new HttpPagerDutyEvents(pagerDutyConfig, Duration.ofSeconds(10)), null, clock, Duration.ZERO);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    IntakeConfig intake = new IntakeConfig(TOKEN);
    new AlertmanagerIntakeRoutes(vertx, incidents, intake, clock).mount(router);
    new GrafanaIntakeRoutes(vertx, incidents, intake, clock).mount(router);
    new SilenceRoutes(vertx, silences, clock, ctx -> SIGNED_IN).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  public static IntakeServer start() throws Exception {
    return new IntakeServer("");
  }

  /** With the {@code inhibit_rules} and {@code escalation} sections of a configuration file. */
  public static IntakeServer withConfig(String yaml) throws Exception {
    return new IntakeServer(yaml);
  }

  /** One outbox pass: silences that started or ended, escalation, sending. */
  public void send() {
    outbox.sendDue();
  }

  /** What PagerDuty received, as {@code action summary}. */
  public List<String> pages() {
    return pagerDuty.received().stream().map(e -> e.eventAction() + " " + e.body().path("payload").path("summary")
        .asText(e.dedupKey())).toList();
  }

  int outboxRows() {
    return database.inTransaction(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM outbox")) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  public HttpResponse<String> post(String path, String authorization, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  @Override
  public void close() {
    vertx.close().await();
    pagerDuty.close();
    database.close();
  }
}
