package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Silences made over HTTP hold an alert's notifications back until they end, as in Alertmanager. */
class SilenceTest {
  private static final Alert ALERT = new Alert("PaymentSuccessLow",
      Labels.of("alertname", "PaymentSuccessLow", "severity", "critical", "provider", "acme-pay"),
      "Payment success rate is 0.62", 0.62, Instant.parse("2026-11-27T08:59:00Z"));

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
  void aSilencedAlertSendsNothingAndTheSilencesEndSendsTheTrigger() throws Exception {
    String id = silence("acme-pay", Duration.ofHours(1));

    Incident incident = server.incidents.open(ALERT);
    server.send();

    assertThat(incident.mutedBy()).isEqualTo("silence " + id);
    assertThat(server.pagerDuty.received()).isEmpty();
    assertThat(server.outboxRows()).isZero();

    server.clock.advance(Duration.ofMinutes(59));
    server.send();
    assertThat(server.pagerDuty.received()).isEmpty();

    server.clock.advance(Duration.ofMinutes(1));
    server.send();
    assertThat(server.pages()).containsExactly("trigger Payment success rate is 0.62");
    assertThat(server.pagerDuty.received().get(0).dedupKey()).isEqualTo(incident.dedupKey());
    Incident now = server.incidents.find(incident.id()).orElseThrow();
    assertThat(now.mutedBy()).isNull();
    assertThat(now.escalatingSince()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(server.incidents.timeline(incident.id())).extracting(IncidentEvent::kind)
        .containsExactly("triggered", "muted", "unmuted", "notified");
  }

  @Test
  void expiringTheSilenceSendsTheTriggerAndGoesOnTheIncidentsTimeline() throws Exception {
    String id = silence("acme-pay", Duration.ofHours(1));
    Incident incident = server.incidents.open(ALERT);
    server.send();

    HttpResponse<String> expired = server.delete("/api/silences/" + id);
    server.send();

    assertThat(expired.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(expired.body()).getJsonObject("status").getString("state")).isEqualTo("expired");
    assertThat(server.pages()).containsExactly("trigger Payment success rate is 0.62");
    assertThat(server.incidents.timeline(incident.id())).filteredOn(e -> !e.kind().equals("notified"))
        .extracting(e -> e.kind() + ": " + e.detail())
        .containsExactly("triggered: Payment success rate is 0.62 (value 0.62, active since 2026-11-27T08:59:00Z)",
            "muted: silence " + id + ": no notifications while it lasts",
            "silence: silence " + id + " expired by " + IntakeServer.SIGNED_IN,
            "unmuted: no longer muted by silence " + id + ": notifying as if it had just fired");
    assertThat(server.delete("/api/silences/no-such-silence").statusCode()).isEqualTo(404);
  }

  @Test
  void aSilenceCreatedOnAFiringIncidentStopsItsEscalationAndSaysSoOnItsTimeline() throws Exception {
    Incident incident = server.incidents.open(ALERT);
    server.send();

    String id = silence("acme-.*", Duration.ofMinutes(30));

    Incident muted = server.incidents.find(incident.id()).orElseThrow();
    assertThat(muted.mutedBy()).isEqualTo("silence " + id);
    assertThat(server.incidents.timeline(incident.id())).extracting(IncidentEvent::detail)
        .contains("silence " + id + " created by alice for 2026-11-27T09:00:00Z to 2026-11-27T09:30:00Z:"
            + " gateway maintenance");
    // Already paged: it is not paged again once the silence ends, and its resolve still closes the page.
    server.clock.advance(Duration.ofMinutes(31));
    server.send();
    server.incidents.resolve(ALERT);
    server.send();
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction()).containsExactly("trigger", "resolve");
  }

  @Test
  void aSilenceThatStartsLaterMutesFromItsStart() throws Exception {
    JsonObject body = silenceBody("acme-pay", server.clock.instant().plus(Duration.ofMinutes(10)),
        server.clock.instant().plus(Duration.ofMinutes(20)));
    String id = new JsonObject(server.post("/api/silences", null, body.encode()).body()).getString("silenceID");
    Incident incident = server.incidents.open(ALERT);
    assertThat(incident.mutedBy()).isNull();

    server.clock.advance(Duration.ofMinutes(10));
    server.send();

    assertThat(server.incidents.find(incident.id()).orElseThrow().mutedBy()).isEqualTo("silence " + id);
    JsonArray listed = new JsonArray(server.get("/api/silences").body());
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getJsonObject("status").getString("state")).isEqualTo("active");
    assertThat(listed.getJsonObject(0).getJsonArray("matchers").getJsonObject(0).getString("value")).isEqualTo("acme-pay");
  }

  @Test
  void refusesABadSilenceNamingTheField() throws Exception {
    Instant now = server.clock.instant();
    JsonObject badRegex = silenceBody("acme-(", now, now.plusSeconds(3600));
    badRegex.getJsonArray("matchers").getJsonObject(0).put("isRegex", true);
    JsonObject matchesEverything = silenceBody(".*", now, now.plusSeconds(3600));
    matchesEverything.getJsonArray("matchers").getJsonObject(0).put("isRegex", true);

    assertRefused(badRegex.encode(), "matchers[0].value: invalid regex");
    assertRefused(matchesEverything.encode(), "matchers: at least one matcher must not match the empty string");
    assertRefused(silenceBody("acme-pay", now, now.minusSeconds(1)).encode(), "endsAt: must be after startsAt");
    assertRefused(silenceBody("acme-pay", now, now.plusSeconds(60)).put("startsAt", "tomorrow").encode(), "startsAt");
    assertRefused(silenceBody("acme-pay", now, now.plusSeconds(60)).put("matchers", "provider=acme").encode(), "matchers");
    assertRefused("not json", "body");
    assertThat(server.silences.current()).isEmpty();
  }

  private void assertRefused(String body, String field) throws Exception {
    HttpResponse<String> response = server.post("/api/silences", null, body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("error")).startsWith(field);
  }

  @Test
  void theSilenceIsRecordedAsTheSignedInUsersAndACreatedByInTheBodyIsOnlyAComment() throws Exception {
    Instant now = server.clock.instant();
    HttpResponse<String> created = server.post("/api/silences", null,
        silenceBody("acme-pay", now, now.plusSeconds(3600)).put("createdBy", "mallory").encode());
    assertThat(created.statusCode()).isEqualTo(200);

    JsonObject listed = new JsonArray(server.get("/api/silences").body()).getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(new JsonObject(created.body()).getString("silenceID"));
    assertThat(listed.getString("createdBy")).isEqualTo(IntakeServer.SIGNED_IN);
    assertThat(listed.getString("comment")).isEqualTo("gateway maintenance (createdBy in the request: mallory)");
  }

  private String silence(String provider, Duration length) throws Exception {
    Instant now = server.clock.instant();
    HttpResponse<String> response = server.post("/api/silences", null,
        silenceBody(provider, now, now.plus(length)).encode());
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getString("silenceID");
  }

  private static JsonObject silenceBody(String provider, Instant startsAt, Instant endsAt) {
    return new JsonObject()
        .put("matchers", new JsonArray()
            .add(new JsonObject().put("name", "provider").put("value", provider)
                .put("isRegex", provider.contains("*")).put("isEqual", true))
            .add(new JsonObject().put("name", "severity").put("value", "info").put("isRegex", false).put("isEqual", false)))
        .put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
        .put("createdBy", "alice").put("comment", "gateway maintenance");
  }
}
