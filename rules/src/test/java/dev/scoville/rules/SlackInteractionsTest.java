package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interactivity endpoint, called as Slack calls it: signed form posts carrying a JSON payload. */
class SlackInteractionsTest {
  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final Alert ALERT = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "severity", "critical"),
      "Payment success rate is 0.62", 0.62, Instant.parse("2026-11-27T09:00:00Z"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:01:00.250Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private Database database;
  private IncidentService incidents;
  private Vertx vertx;
  private URI endpoint;
  private Incident incident;

  @BeforeEach
  void start() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    SlackConfig slack = new SlackConfig(null, "xoxb-test", SECRET, "#war-room", null);
    incidents = new IncidentService(database, clock, EscalationPolicies.defaults(slack));
    incident = incidents.open(ALERT);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new SlackInteractions(vertx, incidents, slack, clock).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    endpoint = URI.create("http://127.0.0.1:" + server.actualPort() + SlackInteractions.PATH);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    database.close();
  }

  @Test
  void acknowledgesAsTheSlackUserWhoPressedTheButton() throws Exception {
    String body = acknowledgeBody(incident.id());
    long now = clock.instant().getEpochSecond();

    assertThat(post(body, String.valueOf(now), sign(SECRET, now, body))).isEqualTo(200);

    Incident acknowledged = awaitAcknowledged();
    assertThat(acknowledged.acknowledgedBy()).isEqualTo("slack:alice");
    assertThat(incidents.timeline(incident.id())).extracting(IncidentEvent::kind).contains("acknowledged");
    assertThat(pendingOutbox()).contains("slack update");
  }

  @Test
  void acceptsATimestampJustInsideTheReplayWindow() throws Exception {
    String body = acknowledgeBody(incident.id());
    long past = clock.instant().getEpochSecond() - 299;

    assertThat(post(body, String.valueOf(past), sign(SECRET, past, body))).isEqualTo(200);
    assertThat(awaitAcknowledged().acknowledgedBy()).isEqualTo("slack:alice");
  }

  @Test
  void refusesAnUnsignedCallback() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(acknowledgeBody(incident.id()))).build();

    assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    assertStillTriggered();
  }

  @Test
  void refusesACallbackSignedWithAnotherSecret() throws Exception {
    String body = acknowledgeBody(incident.id());
    long now = clock.instant().getEpochSecond();

    assertThat(post(body, String.valueOf(now), sign("not-the-secret", now, body))).isEqualTo(401);
    assertStillTriggered();
  }

  @Test
  void refusesABodyChangedAfterSigning() throws Exception {
    long now = clock.instant().getEpochSecond();
    String signature = sign(SECRET, now, acknowledgeBody(999));

    assertThat(post(acknowledgeBody(incident.id()), String.valueOf(now), signature)).isEqualTo(401);
    assertStillTriggered();
  }

  @Test
  void refusesTimestampsMoreThanFiveMinutesAwayEitherWay() throws Exception {
    String body = acknowledgeBody(incident.id());
    long stale = clock.instant().getEpochSecond() - 301;
    long future = clock.instant().getEpochSecond() + 301;

    assertThat(post(body, String.valueOf(stale), sign(SECRET, stale, body))).isEqualTo(401);
    assertThat(post(body, String.valueOf(future), sign(SECRET, future, body))).isEqualTo(401);
    assertThat(post(body, "not-a-number", sign(SECRET, "not-a-number", body))).isEqualTo(401);
    assertStillTriggered();
  }

  private static String acknowledgeBody(long incidentId) {
    String payload = """
        {"type":"block_actions","user":{"id":"U024BE7LH","username":"alice","name":"alice","team_id":"T0"},\
        "container":{"type":"message","message_ts":"1764234000.000001","channel_id":"C0WARROOM"},\
        "actions":[{"type":"button","action_id":"acknowledge:%d","block_id":"incident:%d","value":"%d",\
        "action_ts":"1764234061.000200"}]}""".formatted(incidentId, incidentId, incidentId);
    return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
  }

  /** Slack's recipe, written out independently of the code under test. */
  private static String sign(String secret, Object timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
  }

  private int post(String body, String timestamp, String signature) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", timestamp)
        .header("X-Slack-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private Incident awaitAcknowledged() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < deadline) {
      Incident current = incidents.find(incident.id()).orElseThrow();
      if (current.state() == Incident.State.ACKNOWLEDGED) {
        return current;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("incident " + incident.id() + " was not acknowledged within 2 s");
  }

  private void assertStillTriggered() throws InterruptedException {
    // Long enough for a wrongly accepted callback's worker to have acknowledged.
    Thread.sleep(200);
    assertThat(incidents.find(incident.id()).orElseThrow().state()).isEqualTo(Incident.State.TRIGGERED);
  }

  private List<String> pendingOutbox() {
    return database.inTransaction(c -> {
      List<String> rows = new ArrayList<>();
      try (var rs = c.createStatement().executeQuery(
          "SELECT channel, action FROM outbox WHERE status = 'PENDING' ORDER BY id")) {
        while (rs.next()) {
          rows.add(rs.getString(1) + " " + rs.getString(2));
        }
      }
      return rows;
    });
  }
}
