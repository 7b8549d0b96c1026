package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.rules.IncidentEvent;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.rules.intake.IntakeConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/incidents/{id}/resolve} over HTTP, with the rules module and the PagerDuty sink behind it. */
class ResolveApiTest {
  private static final String INTAKE_TOKEN = "intake-token";
  private static final String FIRING = """
      {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull",\
      "instance":"db-1","severity":"critical"},"annotations":{"summary":"Disk of db-1 is full"},\
      "startsAt":"2026-11-30T08:59:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private Database database;
  private PagerDutySink pagerDuty;
  private Rules rules;
  private Vertx vertx;
  private HttpServer server;
  private final SignInTest.TestClock signInClock = new SignInTest.TestClock();

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    pagerDuty = PagerDutySink.start(0);
    Clock clock = Clock.systemUTC();
    PagerDutyConfig pagerDutyConfig =
        new PagerDutyConfig(pagerDuty.eventsUri(), "0123456789abcdef0123456789abcdef", "shop", null);
    SeriesStore store = new SeriesStore(Duration.ofMinutes(5), clock);
    rules = Rules.start(ConfigFile.parse("scoville.yaml", "", Map.of()), RulesConfig.none(), pagerDutyConfig,
        SlackConfig.none(), List.of(), store, store::append, database, clock);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new AlertmanagerIntakeRoutes(vertx, rules.incidents(), new IntakeConfig(INTAKE_TOKEN), clock).mount(router);
    new ApiRoutes(vertx, rules.incidents(), List::of,
        new SignIn(new Users(List.of(new ConsoleConfig.User("alice", "secret", "responder"))), signInClock),
        rules::unreadiness).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    rules.close();
    pagerDuty.close();
    database.close();
  }

  @Test
  void theSignedInUserResolvesAnIncidentWithAReason() throws Exception {
    post(AlertmanagerIntakeRoutes.PATH, "Bearer " + INTAKE_TOKEN, FIRING);
    long id = rules.incidents().recent(1).get(0).id();

    HttpResponse<String> response = post("/api/incidents/" + id + "/resolve", basic("alice", "secret"),
        "{\"reason\":\"disk cleaned by hand\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("state")).isEqualTo("resolved");
    assertThat(rules.incidents().timeline(id)).extracting(IncidentEvent::kind, IncidentEvent::actor,
        IncidentEvent::detail).contains(org.assertj.core.groups.Tuple.tuple("resolved by hand", "alice",
        "disk cleaned by hand"));
    awaitPages(2);
    assertThat(pagerDuty.received()).extracting(PagerDutySink.ReceivedEvent::eventAction)
        .containsExactly("trigger", "resolve");
  }

  @Test
  void refusesAMissingReasonAnUnknownIncidentAndStrangers() throws Exception {
    post(AlertmanagerIntakeRoutes.PATH, "Bearer " + INTAKE_TOKEN, FIRING);
    long id = rules.incidents().recent(1).get(0).id();
    String alice = basic("alice", "secret");

    assertThat(post("/api/incidents/" + id + "/resolve", alice, "{}").statusCode()).isEqualTo(400);
    assertThat(post("/api/incidents/" + id + "/resolve", alice, "{\"reason\":\"  \"}").statusCode()).isEqualTo(400);
    assertThat(post("/api/incidents/" + id + "/resolve", alice, "not json").statusCode()).isEqualTo(400);
    assertThat(post("/api/incidents/" + id + "/resolve", alice, "").statusCode()).isEqualTo(400);
    assertThat(post("/api/incidents/x/resolve", alice, "{\"reason\":\"r\"}").statusCode()).isEqualTo(400);
    assertThat(post("/api/incidents/999/resolve", alice, "{\"reason\":\"r\"}").statusCode()).isEqualTo(404);
    assertThat(post("/api/incidents/" + id + "/resolve", basic("alice", "wrong"), "{\"reason\":\"r\"}").statusCode())
        .isEqualTo(401);
    assertThat(rules.incidents().find(id).orElseThrow().state().name()).isEqualTo("TRIGGERED");
  }

  @Test
  void isReadyWithTheDatabaseWritableAndEveryRuleLoaded() throws Exception {
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");

    database.close();
    HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> alive = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).startsWith("database: ");
    assertThat(alive.statusCode()).isEqualTo(200);
  }

  @Test
  void guessingOverHttpBasicIsThrottledThenLiftedOnceTheWaitIsOver() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/incidents", basic("alice", "guess" + i)).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> throttled = get("/api/incidents", basic("alice", "secret"));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(new JsonObject(throttled.body()).getString("error")).isEqualTo("too many failed sign-ins: try again in 1 s");
    signInClock.advance(Duration.ofSeconds(1));

    assertThat(get("/api/incidents", basic("alice", "secret")).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitPages(int count) throws InterruptedException {
    for (int i = 0; i < 200 && pagerDuty.received().size() < count; i++) {
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
