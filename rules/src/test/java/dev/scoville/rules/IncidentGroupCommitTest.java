package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.Database;
import dev.scoville.core.GroupCommitter;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts of one moment share a transaction; one that cannot be stored fails alone. */
class IncidentGroupCommitTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private Database database;
  private IncidentService incidents;

  @BeforeEach
  void start() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
  }

  @AfterEach
  void stop() {
    incidents.close();
    database.close();
  }

  @Test
  void anAlertThatCannotBeStoredFailsAloneAndTheOthersOfItsBatchOpenTheirIncidents() {
    CountDownLatch release = new CountDownLatch(1);
    // Holds the committer, so that the three alerts are queued together and committed as one batch.
    HeldCommits.hold(incidents, release);
    CompletableFuture<Incident> first = incidents.openLater(alert("db-1"));
    CompletableFuture<Incident> tooLong = incidents.openLater(alert("x".repeat(5000)));
    CompletableFuture<Incident> last = incidents.openLater(alert("db-2"));
    release.countDown();

    assertThat(first.join().labels()).contains("db-1");
    assertThat(last.join().labels()).contains("db-2");
    assertThatThrownBy(() -> GroupCommitter.join(tooLong)).isInstanceOf(Database.DatabaseException.class)
        .hasMessageContaining("Value too long");
    assertThat(incidents.recent(10)).hasSize(2);
  }

  private static Alert alert(String instance) {
    return new Alert("DiskFull", Labels.of("alertname", "DiskFull", "instance", instance), "Disk full", 1,
        Instant.parse("2026-11-30T08:59:00Z"));
  }
}
