package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.contingency.ActionRun;
import dev.scoville.reports.drills.DrillReport;
import dev.scoville.rules.Incident;
import dev.scoville.shop.PagerDutySink;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Must-show 1: the payment-outage drill, twenty times faster than written, end to end. The demo
 * shop plays the outage; Scoville scrapes it, the rule fires, the page goes through the outbox to
 * the PagerDuty stand-in marked as a drill; a commander acknowledges and switches to the backup
 * payment provider through the console's services; the shop follows the kill switch over OFREP,
 * the rule resolves, and the drill report holds exactly those moments.
 */
class PaymentOutageDrillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String DRILLS = """
      drills:
        speed: 20
        timeout: 2m
        targets:
          detect: 1m
          acknowledge: 2m
          mitigate: 3m
          recover: 5m
      """;

  private Scoville app;

  @BeforeEach
  void start() throws Exception {
    // No fault of the demo's own day: whatever fires is the drill's.
    app = DemoApp.start(Duration.ZERO, DRILLS);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void thePaymentOutageDrillIsDetectedHandledAndReportedAsItHappened() throws Exception {
    ConsoleServices services = ConsoleServices.get();
    PagerDutySink pagerDuty = app.pagerDutySink().orElseThrow();
    HttpResponse<String> refused = post("/api/drills", DemoApp.RESPONDER, "{\"scenario\":\"payment-outage\"}");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("only a commander starts a drill; carol is a responder");

    HttpResponse<String> started = post("/api/drills", DemoApp.USER, "{\"scenario\":\"payment-outage\"}");
    assertThat(started.statusCode()).isEqualTo(201);
    JsonNode drill = JSON.readTree(started.body());
    long drillId = drill.path("id").asLong();
    assertThat(drill.path("state").asText()).isEqualTo("running");
    assertThat(drill.path("speed").asDouble()).isEqualTo(20);

    Incident opened = await(Duration.ofSeconds(60), () -> services.incidents().recent(10).stream()
        .filter(i -> i.rule().equals("PaymentSuccessLow")).findFirst());
    assertThat(opened.isDrill()).isTrue();
    assertThat(opened.summary()).startsWith("[DRILL] Payment success rate is ");
    PagerDutySink.ReceivedEvent page = await(Duration.ofSeconds(30), () -> pagerDuty.received().stream()
        .filter(e -> e.eventAction().equals("trigger")).findFirst());
    assertThat(page.summary()).isEqualTo(opened.summary());
    assertThat(page.dedupKey()).isEqualTo(opened.dedupKey());

    // A commander acknowledges and runs the backup payment provider from the incident, as in the console.
    Users.Person alice = new Users.Person(DemoApp.USER, "commander");
    Incident acknowledged = services.incidents().acknowledge(opened.id(), alice.name());
    ActionRun run = services.actions().run("backup-payment-provider", Map.of(), acknowledged, alice, "drill-" + drillId);
    assertThat(run.outcome()).isEqualTo(ActionRun.Outcome.SUCCEEDED);

    DrillReport report = await(Duration.ofSeconds(120), () -> app.drills().report(drillId)
        .filter(d -> d.state() != DrillReport.State.RUNNING));
    Incident resolved = services.incidents().find(opened.id()).orElseThrow();
    ActionRun recorded = services.actions().find(run.id()).orElseThrow();

    assertThat(report.state()).isEqualTo(DrillReport.State.FINISHED);
    assertThat(resolved.state()).isEqualTo(Incident.State.RESOLVED);
    assertThat(report.incidents()).containsExactly(opened.id());
    assertThat(report.detectedAt()).isEqualTo(resolved.openedAt());
    assertThat(report.acknowledgedAt()).isEqualTo(resolved.acknowledgedAt());
    assertThat(report.mitigatedAt()).isEqualTo(recorded.finishedAt());
    assertThat(report.recoveredAt()).isEqualTo(resolved.resolvedAt());
    assertThat(report.timeToDetect()).contains(Duration.between(report.startedAt(), resolved.openedAt()));
    assertThat(report.timeToRecover()).contains(Duration.between(report.startedAt(), resolved.resolvedAt()));
    assertThat(List.of(report.detectedAt(), report.acknowledgedAt(), report.mitigatedAt(), report.recoveredAt()))
        .isSorted();
    assertThat(report.outcome()).startsWith("recovered ");
    // Generous targets against a thirty-second outage: all four met.
    assertThat(report.results()).allMatch(DrillReport.Result::met);
    assertThat(report.score()).isEqualTo(100);
    assertThat(report.runbooks()).containsExactly("payment-gateway-outage");
    assertThat(report.steps()).containsExactly("Payment gateway outage › 2. Switch to the backup provider");
    assertThat(report.actions()).singleElement().asString()
        .startsWith("backup-payment-provider by alice at ").endsWith("(succeeded)");

    // PagerDuty heard the drill's acknowledge and resolve under the same key.
    await(Duration.ofSeconds(30), () -> Optional.of(pagerDuty.received().stream()
        .filter(e -> e.dedupKey().equals(opened.dedupKey())).map(PagerDutySink.ReceivedEvent::eventAction).toList())
        .filter(actions -> actions.contains("resolve")));
    assertThat(pagerDuty.received()).filteredOn(e -> e.dedupKey().equals(opened.dedupKey()))
        .extracting(PagerDutySink.ReceivedEvent::eventAction).containsExactly("trigger", "acknowledge", "resolve");
    assertThat(pagerDuty.received()).filteredOn(e -> e.eventAction().equals("trigger"))
        .allSatisfy(e -> assertThat(e.summary()).startsWith("[DRILL] "));

    // The API reports it, and compares it with earlier runs (none yet).
    JsonNode api = JSON.readTree(get("/api/drills/" + drillId).body());
    assertThat(api.path("state").asText()).isEqualTo("finished");
    assertThat(api.path("score").asInt()).isEqualTo(100);
    assertThat(api.at("/times/detect/seconds").asDouble())
        .isEqualTo(report.timeToDetect().orElseThrow().toMillis() / 1000.0);
    JsonNode compared = JSON.readTree(get("/api/drills/" + drillId + "/compare").body());
    assertThat(compared.path("runs")).hasSize(1);
    assertThat(compared.path("scoreChange").isNull()).isTrue();
    assertThat(compared.at("/runs/0/runbookSteps/0").asText())
        .isEqualTo("Payment gateway outage › 2. Switch to the backup provider");
  }

  private HttpResponse<String> post(String path, String user, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(app.apiUrl().resolve(path)).header("Authorization", basic(user))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(app.apiUrl().resolve(path)).header("Authorization", basic(DemoApp.USER))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + DemoApp.PASSWORD).getBytes(StandardCharsets.UTF_8));
  }
}
