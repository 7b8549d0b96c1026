package dev.scoville.console;

import static dev.scoville.console.DemoApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.contingency.Actor;
import dev.scoville.reports.drills.DrillReport;
import dev.scoville.rules.Incident;
import dev.scoville.shop.PagerDutySink;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 150 % surge drill, twenty times faster than written, end to end: the demo shop's traffic
 * climbs over its day, Scoville scrapes it, the capacity rule (the demo file's, with the test
 * shop's baseline and compressed windows) fires, and the drill report holds the time to detect;
 * before the drill, at the day's own traffic, nothing fires.
 */
class SurgeDrillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String DRILLS = """
      drills:
        speed: 20
        timeout: 1m
        targets:
          detect: 1m
          acknowledge: 2m
          mitigate: 3m
          recover: 5m
      """;
  /** The demo file's rule for the test shop: 60 visits/s of about 2.24 requests each is 134 requests/s. */
  private static final String CAPACITY_RULE = """
                - alert: TrafficAboveCapacity
                  expr: sum(rate(shop_http_requests_total[6s])) / 134 > 2
                  for: 2s
                  labels:
                    severity: error
                  annotations:
                    summary: "Requests are at {{ $value | humanizePercentage }} of baseline"
                  runbook: traffic-surge
        """;

  private Scoville app;

  @BeforeEach
  void start() throws Exception {
    app = DemoApp.start(Duration.ZERO, DRILLS, CAPACITY_RULE);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void theSurgeDrillFiresTheCapacityRuleAndReportsTheTimeToDetect() throws Exception {
    ConsoleServices services = ConsoleServices.get();
    // The day's peak (175 % for 2 s) is over and the six-second rate has settled at 150 %.
    Thread.sleep(12_000);
    assertThat(services.incidents().recent(10)).as("the demo at its own traffic").isEmpty();

    DrillReport started = app.drills().start("surge-150", null, new Actor(DemoApp.USER, Actor.Role.COMMANDER));
    DrillReport report = await(Duration.ofSeconds(150), () -> app.drills().report(started.id())
        .filter(d -> d.state() != DrillReport.State.RUNNING));
    Incident incident = services.incidents().find(report.incidents().get(0)).orElseThrow();

    assertThat(report.state()).isEqualTo(DrillReport.State.FINISHED);
    assertThat(report.incidents()).as("the drill's incidents: %s", report.incidents().stream()
        .map(id -> services.incidents().find(id).map(i -> i.rule() + " " + i.openedAt() + "–" + i.resolvedAt())
            .orElse("?")).toList()).singleElement();
    assertThat(incident.rule()).isEqualTo("TrafficAboveCapacity");
    assertThat(incident.summary()).startsWith("[DRILL] Requests are at ");
    assertThat(report.runbooks()).containsExactly("traffic-surge");
    assertThat(report.timeToDetect()).contains(Duration.between(report.startedAt(), incident.openedAt()));
    // 125 % of the day for 6 s, then 150 %: the rate passes 200 % of baseline a few seconds after that
    assertThat(report.timeToDetect().orElseThrow()).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(30));
    assertThat(report.timeToRecover()).contains(Duration.between(report.startedAt(), incident.resolvedAt()));
    // nobody acknowledged or acted: detect and recover met, 50 points
    assertThat(report.results()).extracting(DrillReport.Result::met).containsExactly(true, false, false, true);
    assertThat(report.score()).isEqualTo(50);
    assertThat(app.pagerDutySink().orElseThrow().received()).filteredOn(e -> e.eventAction().equals("trigger"))
        .extracting(PagerDutySink.ReceivedEvent::summary).containsExactly(incident.summary());

    JsonNode api = JSON.readTree(HTTP.send(HttpRequest.newBuilder(app.apiUrl().resolve("/api/drills/" + started.id()))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (DemoApp.USER + ":" + DemoApp.PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertThat(api.at("/times/detect/seconds").asDouble())
        .isEqualTo(report.timeToDetect().orElseThrow().toMillis() / 1000.0);
    assertThat(api.at("/times/detect/met").asBoolean()).isTrue();
  }
}
