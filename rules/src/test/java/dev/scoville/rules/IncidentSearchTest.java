package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's incident list: filters, open ones first, pages; and notes and commanders on the timeline. */
class IncidentSearchTest {
  private static final String BEARER = "Bearer " + IntakeServer.TOKEN;
  private static final String ALERT = """
      {"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"%s",\
      "instance":"%s","severity":"%s"},"annotations":{"summary":"%s"},\
      "startsAt":"2026-11-27T08:59:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""";

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
  void filtersByStateSeverityRuleLabelTextAndTime() throws Exception {
    long disk = fire("DiskFull", "db-1", "critical", "Disk of db-1 is full");
    server.clock.advance(Duration.ofMinutes(10));
    Instant afterFirst = server.clock.instant();
    long payments = fire("PaymentSuccessLow", "shop-1", "critical", "Payments fail at the card gateway");
    long latency = fire("CheckoutLatencyHigh", "shop-1", "warning", "Checkout is slow");
    server.incidents.resolveByHand(latency, "alice", "a deploy rolled back");

    assertThat(ids(IncidentFilter.all())).containsExactly(payments, disk, latency);
    assertThat(ids(new IncidentFilter(Set.of(Incident.State.RESOLVED), null, null, null, null, null, null)))
        .containsExactly(latency);
    assertThat(ids(new IncidentFilter(Set.of(), Incident.Severity.WARNING, null, null, null, null, null)))
        .containsExactly(latency);
    assertThat(ids(new IncidentFilter(Set.of(), null, "DiskFull", null, null, null, null))).containsExactly(disk);
    assertThat(ids(new IncidentFilter(Set.of(), null, null, "instance=shop-1", null, null, null)))
        .containsExactly(payments, latency);
    assertThat(ids(new IncidentFilter(Set.of(), null, null, null, "card GATEWAY", null, null))).containsExactly(payments);
    assertThat(ids(new IncidentFilter(Set.of(), null, null, null, null, afterFirst, null))).containsExactly(payments, latency);
    assertThat(ids(new IncidentFilter(Set.of(), null, null, null, null, null, afterFirst))).containsExactly(disk);
    assertThat(ids(new IncidentFilter(Set.of(), null, null, null, "100%_!", null, null))).isEmpty();
    assertThatThrownBy(() -> ids(new IncidentFilter(Set.of(), null, null, "shop-1", null, null, null)))
        .hasMessageContaining("name=value");
  }

  @Test
  void pagesReadOneMoreToTellWhetherANextPageExists() throws Exception {
    for (int i = 0; i < 5; i++) {
      fire("Rule" + i, "host-" + i, "error", "number " + i);
      server.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(server.incidents.search().find(IncidentFilter.all(), 0, 2)).hasSize(3);
    assertThat(server.incidents.search().find(IncidentFilter.all(), 4, 2)).extracting(Incident::rule).containsExactly("Rule0");
  }

  @Test
  void notesAndTheCommanderGoOnTheTimelineWithoutNotifying() throws Exception {
    long id = fire("DiskFull", "db-1", "critical", "Disk of db-1 is full");
    server.send();
    int pages = server.pagerDuty.received().size();

    server.incidents.addNote(id, "alice", "  cleaning /var/log  ");
    server.incidents.assignCommander(id, "alice", "bob");
    server.send();

    assertThat(server.incidents.timeline(id)).filteredOn(e -> e.kind().equals("note") || e.kind().equals("commander"))
        .extracting(e -> e.kind() + " " + e.actor() + " " + e.detail())
        .containsExactly("note alice cleaning /var/log", "commander alice bob");
    assertThat(server.pagerDuty.received()).hasSize(pages);
    assertThatThrownBy(() -> server.incidents.addNote(id, "alice", " ")).hasMessageContaining("text");
  }

  private long fire(String rule, String instance, String severity, String summary) throws Exception {
    server.post(AlertmanagerIntakeRoutes.PATH, BEARER, ALERT.formatted(rule, instance, severity, summary));
    return server.incidents.search().find(new IncidentFilter(Set.of(), null, rule, "instance=" + instance, null, null, null),
        0, 1).get(0).id();
  }

  private List<Long> ids(IncidentFilter filter) {
    return server.incidents.search().find(filter, 0, 50).stream().map(Incident::id).toList();
  }
}
