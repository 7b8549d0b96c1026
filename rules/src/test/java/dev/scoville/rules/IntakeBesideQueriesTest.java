package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.rules.intake.IntakeConfig;
import dev.scoville.rules.query.QueryRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One API server for queries and the Alertmanager webhook, as in the application: while heavy
 * queries are being evaluated, more than the query pool runs at once, an alert is still stored
 * and answered.
 */
class IntakeBesideQueriesTest {
  private static final String FIRING = """
      {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull",\
      "instance":"db-1"},"annotations":{"summary":"Disk of db-1 is full"},\
      "startsAt":"2026-11-30T08:59:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""";

  private final CountDownLatch queryStarted = new CountDownLatch(1);
  private final CountDownLatch releaseQueries = new CountDownLatch(1);
  private final HttpClient http = HttpClient.newHttpClient();
  private Database database;
  private IncidentService incidents;
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    Clock clock = Clock.systemUTC();
    incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new AlertmanagerIntakeRoutes(vertx, incidents, new IntakeConfig("token"), clock).mount(router);
    new QueryRoutes(vertx, new SlowSeries(), clock).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    releaseQueries.countDown();
    vertx.close().await();
    database.close();
  }

  @Test
  void anAlertIsStoredAndAnsweredWhileSlowQueriesRun() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> queries = new java.util.ArrayList<>();
    for (int i = 0; i < 2 * QueryRoutes.MAX_CONCURRENCY; i++) {
      queries.add(http.sendAsync(HttpRequest.newBuilder(uri("/api/v1/query?query=up")).GET().build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    assertThat(queryStarted.await(10, TimeUnit.SECONDS)).as("a query is being evaluated").isTrue();

    // Generous: a webhook queued behind the queries would wait for them (60 s here).
    HttpResponse<String> webhook = http.send(HttpRequest.newBuilder(uri(AlertmanagerIntakeRoutes.PATH))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer token").POST(HttpRequest.BodyPublishers.ofString(FIRING)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(webhook.statusCode()).isEqualTo(200);
    assertThat(incidents.recent(10)).extracting(Incident::summary).containsExactly("Disk of db-1 is full");
    assertThat(queries).as("the queries were still running").noneMatch(CompletableFuture::isDone);

    releaseQueries.countDown();
    for (CompletableFuture<HttpResponse<String>> query : queries) {
      assertThat(query.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  /** Series that take until the test lets them go. */
  private final class SlowSeries implements SeriesReader {
    @Override
    public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
      queryStarted.countDown();
      try {
        releaseQueries.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }

    @Override
    public void onAppend(Consumer<Set<String>> metricNames) {
    }
  }
}
