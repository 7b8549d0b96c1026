package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resolving an incident by hand, with Alertmanager re-sending its alert as it does every repeat_interval. */
class ManualResolveTest {
  private static final String BEARER = "Bearer " + IntakeServer.TOKEN;
  private static final String FIRING = """
      {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DiskFull",\
      "instance":"db-1","severity":"critical"},"annotations":{"summary":"Disk of db-1 is full"},\
      "startsAt":"%s","endsAt":"0001-01-01T00:00:00Z"}]}""";

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
  void resolvesByHandWithActorAndReasonAndResolvesThePage() throws Exception {
    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, FIRING.formatted("2026-11-27T08:59:00Z"));
    server.send();
    Incident open = server.incidents.recent(1).get(0);

    server.clock.advance(Duration.ofMinutes(3));
    Incident resolved = server.incidents.resolveByHand(open.id(), "alice", "  disk cleaned by hand ");
    server.send();

    assertThat(resolved.state()).isEqualTo(Incident.State.RESOLVED);
    assertThat(resolved.resolvedAt()).isEqualTo(server.clock.instant());
    assertThat(server.incidents.timeline(open.id())).filteredOn(e -> e.kind().equals("resolved by hand"))
        .singleElement().satisfies(e -> {
          assertThat(e.actor()).isEqualTo("alice");
          assertThat(e.detail()).isEqualTo("disk cleaned by hand");
        });
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction() + " " + e.dedupKey())
        .containsExactly("trigger " + open.dedupKey(), "resolve " + open.dedupKey());
  }

  @Test
  void theSameAlertResentOpensNothingButAFiringAgainOpensANewIncident() throws Exception {
    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, FIRING.formatted("2026-11-27T08:59:00Z"));
    Incident first = server.incidents.recent(1).get(0);
    server.clock.advance(Duration.ofMinutes(1));
    server.incidents.resolveByHand(first.id(), "alice", "known maintenance");

    server.clock.advance(Duration.ofMinutes(4));
    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, FIRING.formatted("2026-11-27T08:59:00Z"));
    assertThat(server.incidents.recent(10)).extracting(Incident::id).containsExactly(first.id());

    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, FIRING.formatted("2026-11-27T09:04:30Z"));
    server.send();

    Incident second = server.incidents.recent(10).get(0);
    assertThat(server.incidents.recent(10)).hasSize(2);
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(second.state()).isEqualTo(Incident.State.TRIGGERED);
    assertThat(server.pagerDuty.received()).filteredOn(e -> e.dedupKey().equals(first.dedupKey()))
        .extracting(e -> e.eventAction()).containsExactly("trigger", "resolve");
    assertThat(server.pagerDuty.received()).filteredOn(e -> e.dedupKey().equals(second.dedupKey()))
        .extracting(e -> e.eventAction()).containsExactly("trigger");
  }

  @Test
  void resolvingAResolvedIncidentChangesNothing() throws Exception {
    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, FIRING.formatted("2026-11-27T08:59:00Z"));
    Incident open = server.incidents.recent(1).get(0);
    server.incidents.resolveByHand(open.id(), "alice", "fixed");

    Incident again = server.incidents.resolveByHand(open.id(), "bob", "fixed too");
    server.send();

    assertThat(again.resolvedAt()).isEqualTo(server.clock.instant());
    assertThat(server.incidents.timeline(open.id())).extracting(IncidentEvent::actor).doesNotContain("bob");
    assertThat(server.pagerDuty.received()).extracting(e -> e.eventAction()).containsExactly("trigger", "resolve");
  }

  @Test
  void refusesWithoutAReasonOrAnIncident() throws Exception {
    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, FIRING.formatted("2026-11-27T08:59:00Z"));
    Incident open = server.incidents.recent(1).get(0);

    assertThatThrownBy(() -> server.incidents.resolveByHand(open.id(), "alice", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    assertThatThrownBy(() -> server.incidents.resolveByHand(999, "alice", "gone"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no incident 999");
    assertThat(server.incidents.find(open.id()).orElseThrow().state()).isEqualTo(Incident.State.TRIGGERED);
  }
}
