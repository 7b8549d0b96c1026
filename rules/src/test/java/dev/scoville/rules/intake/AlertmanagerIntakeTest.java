package dev.scoville.rules.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentEvent;
import dev.scoville.rules.IntakeServer;
import dev.scoville.rules.Silence;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's webhook (payload version 4) over HTTP: its alerts become incidents that page
 * through the PagerDuty sink, and its resolved alerts resolve them.
 */
class AlertmanagerIntakeTest {
  private static final String PATH = AlertmanagerIntakeRoutes.PATH;
  private static final String BEARER = "Bearer " + IntakeServer.TOKEN;
  /** As a real Alertmanager posted it for a Prometheus rule on JVM heap usage. */
  private static final String FIRING = """
      {"receiver":"web\\\\.hook","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"high-memory-usage",\
      "area":"heap","instance":"127.0.0.1:8080","job":"spring-creed-prometheus","severity":"warning"},"annotations":\
      {"description":"127.0.0.1:8080 of job spring-creed-prometheus Memory usage is above 80% (current value is: 93.22807667648608)",\
      "summary":"127.0.0.1:8080 of job spring-creed-prometheus High Memory usage detected"},\
      "startsAt":"2022-11-02T08:12:16.003Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":\
      "http://10CNL5CG203849X:9090/graph?g0.expr=%28sum+by+%28area%29+%28jvm_memory_used_bytes%7Barea%3D%22heap%22%7D%29%29+%2A+100+%3E+80\\u0026g0.tab=1",\
      "fingerprint":"fa65a21db3335b7d"}],"groupLabels":{"alertname":"high-memory-usage"},"commonLabels":\
      {"alertname":"high-memory-usage","area":"heap","instance":"127.0.0.1:8080","job":"spring-creed-prometheus","severity":"warning"},\
      "commonAnnotations":{"summary":"127.0.0.1:8080 of job spring-creed-prometheus High Memory usage detected"},\
      "externalURL":"http://10CNL5CG203849X:9093","version":"4","groupKey":"{}:{alertname=\\"high-memory-usage\\"}",\
      "truncatedAlerts":0}""";
  private static final String RESOLVED = FIRING.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
      .replace("\"endsAt\":\"0001-01-01T00:00:00Z\"", "\"endsAt\":\"2022-11-02T08:12:31.003Z\"");
  private static final String SUMMARY = "127.0.0.1:8080 of job spring-creed-prometheus High Memory usage detected";

  private IntakeServer server;

  @BeforeEach
  void start() throws Exception {
    server = IntakeServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aFiringAlertBecomesAnIncidentThatPagesPagerDuty() throws Exception {
    HttpResponse<String> response = server.post(PATH, BEARER, FIRING);
    server.send();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).singleElement().satisfies(incident -> {
      assertThat(incident.rule()).isEqualTo("high-memory-usage");
      assertThat(incident.summary()).isEqualTo(SUMMARY);
      assertThat(incident.severity()).isEqualTo(Incident.Severity.WARNING);
      assertThat(incident.labels()).contains("job=\"spring-creed-prometheus\"");
    });
    assertThat(server.pages()).containsExactly("trigger " + SUMMARY);
    assertThat(server.pagerDuty.received().get(0).body().path("payload").path("severity").asText()).isEqualTo("warning");
  }

  @Test
  void theWebhookUrlPicksTheEscalationPolicyAndRunbookUrlBecomesTheRunbook() throws Exception {
    server.close();
    server = IntakeServer.withConfig("""
        escalation:
          - name: platform
            levels:
              - notify: pagerduty
        """);
    String withRunbook = FIRING.replace("\"annotations\":{", "\"annotations\":{\"runbook_url\":\"https://runbooks.example/heap\",");

    HttpResponse<String> response = server.post(PATH + "?escalation=platform", BEARER, withRunbook);
    HttpResponse<String> unknown = server.post(PATH + "?escalation=nobody", BEARER, FIRING);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).singleElement().satisfies(incident -> {
      assertThat(incident.escalation()).isEqualTo("platform");
      assertThat(incident.runbook()).isEqualTo("https://runbooks.example/heap");
    });
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("error"))
        .isEqualTo("escalation: no policy named 'nobody' in the escalation section");
  }

  @Test
  void theSameAlertPostedAgainKeepsItsOneIncident() throws Exception {
    server.post(PATH, BEARER, FIRING);
    server.post(PATH, BEARER, FIRING);
    server.send();

    assertThat(server.incidents.recent(10)).hasSize(1);
    assertThat(server.pages()).hasSize(1);
  }

  @Test
  void aResolvedAlertResolvesItsIncident() throws Exception {
    server.post(PATH, BEARER, FIRING);
    server.send();

    HttpResponse<String> response = server.post(PATH, BEARER, FIRING.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
        .replace("\"endsAt\":\"0001-01-01T00:00:00Z\"", "\"endsAt\":\"2022-11-02T08:12:31.003Z\""));
    server.send();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).singleElement().extracting(Incident::state).isEqualTo(Incident.State.RESOLVED);
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction()).containsExactly("trigger", "resolve");
    long id = server.incidents.recent(1).get(0).id();
    assertThat(server.incidents.timeline(id)).extracting(IncidentEvent::detail).contains("Alertmanager reports it resolved");
  }

  /**
   * The lost alert of the fault harness: with several senders and retries, the resolve of an
   * episode arrived before its firing. Alertmanager merges both by fingerprint into an alert that
   * fired and resolved; so does Scoville: the firing pages and the kept resolve follows at once.
   */
  @Test
  void aFiringOvertakenByItsResolvePagesAndResolvesOnceItArrives() throws Exception {
    HttpResponse<String> resolve = server.post(PATH, BEARER, RESOLVED);
    server.send();
    assertThat(resolve.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).isEmpty();

    HttpResponse<String> firing = server.post(PATH, BEARER, FIRING);
    server.send();

    assertThat(firing.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).singleElement().extracting(Incident::state).isEqualTo(Incident.State.RESOLVED);
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction()).containsExactly("trigger", "resolve");
    long id = server.incidents.recent(1).get(0).id();
    assertThat(server.incidents.timeline(id)).extracting(IncidentEvent::detail)
        .contains("Alertmanager reports it resolved before its firing arrived");
  }

  @Test
  void aFiringRetriedAfterItsResolveReopensNothingAndSaysSo() throws Exception {
    server.post(PATH, BEARER, FIRING);
    server.post(PATH, BEARER, RESOLVED);
    server.send();

    HttpResponse<String> late = server.post(PATH, BEARER, FIRING);
    server.send();

    assertThat(late.statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).singleElement().extracting(Incident::state).isEqualTo(Incident.State.RESOLVED);
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction()).containsExactly("trigger", "resolve");
    long id = server.incidents.recent(1).get(0).id();
    assertThat(server.incidents.timeline(id)).extracting(IncidentEvent::kind).endsWith("late firing");
  }

  @Test
  void theNextEpisodeOfAResolvedAlertOpensANewIncident() throws Exception {
    server.post(PATH, BEARER, FIRING);
    server.post(PATH, BEARER, RESOLVED);
    server.send();

    server.post(PATH, BEARER, FIRING.replace("2022-11-02T08:12:16.003Z", "2022-11-02T09:00:01.5Z"));
    server.send();

    assertThat(server.incidents.recent(10)).extracting(Incident::state)
        .containsExactly(Incident.State.TRIGGERED, Incident.State.RESOLVED);
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction()).containsExactly("trigger", "resolve", "trigger");
  }

  @Test
  void anAlertWhoseEndIsPastResolvesEvenIfStillCalledFiring() throws Exception {
    server.post(PATH, BEARER, FIRING);

    server.post(PATH, BEARER, FIRING.replace("\"endsAt\":\"0001-01-01T00:00:00Z\"", "\"endsAt\":\"2026-11-27T08:59:00Z\""));

    assertThat(server.incidents.recent(10)).singleElement().extracting(Incident::state).isEqualTo(Incident.State.RESOLVED);
  }

  @Test
  void ignoresFieldsItDoesNotKnow() throws Exception {
    String newer = FIRING.replace("\"truncatedAlerts\":0", "\"truncatedAlerts\":0,\"futureField\":{\"nested\":[1,2]}")
        .replace("\"fingerprint\":", "\"silenceURL\":\"http://am/silence\",\"fingerprint\":");

    assertThat(server.post(PATH, BEARER, newer).statusCode()).isEqualTo(200);
    assertThat(server.incidents.recent(10)).hasSize(1);
  }

  @Test
  void refusesAnotherPayloadVersionNamingTheField() throws Exception {
    HttpResponse<String> response = server.post(PATH, BEARER, FIRING.replace("\"version\":\"4\"", "\"version\":\"3\""));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("error")).startsWith("version:").contains("\"4\"");
    assertThat(server.incidents.recent(10)).isEmpty();
  }

  @Test
  void refusesWhatIsNotJsonOrHasABadAlertNamingTheField() throws Exception {
    assertThat(server.post(PATH, BEARER, "<alerts/>").body()).contains("body: not JSON");
    HttpResponse<String> badTime = server.post(PATH, BEARER, FIRING.replace("2022-11-02T08:12:16.003Z", "yesterday"));
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badTime.body()).getString("error")).startsWith("alerts[0].startsAt:");
  }

  @Test
  void refusesARequestWithoutTheToken() throws Exception {
    assertThat(server.post(PATH, null, FIRING).statusCode()).isEqualTo(401);
    assertThat(server.post(PATH, "Bearer not-the-token", FIRING).statusCode()).isEqualTo(401);
    assertThat(server.post(PATH, "Basic " + IntakeServer.TOKEN, FIRING).statusCode()).isEqualTo(401);
    assertThat(server.incidents.recent(10)).isEmpty();
  }

  @Test
  void answers5xxWhenItCannotStoreSoThatAlertmanagerRetries() throws Exception {
    server.database.inTransaction(c -> c.createStatement().execute("ALTER TABLE incident RENAME TO incident_away"));

    HttpResponse<String> response = server.post(PATH, BEARER, FIRING);

    assertThat(response.statusCode()).isEqualTo(500);
  }

  @Test
  void aSilenceMutesAnAlertFromAlertmanagerToo() throws Exception {
    server.silences.create(java.util.List.of(new Silence.Matcher("job", "spring-creed-prometheus", false, true)),
        server.clock.instant(), server.clock.instant().plusSeconds(3600), "alice", "load test");

    server.post(PATH, BEARER, FIRING);
    server.send();

    assertThat(server.incidents.recent(10)).singleElement().extracting(Incident::isMuted).isEqualTo(true);
    assertThat(server.pagerDuty.received()).isEmpty();
  }
}
