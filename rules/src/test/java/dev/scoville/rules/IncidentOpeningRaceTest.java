package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.PostgresServer;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one database evaluating the same alerts at the same moment (as during a
 * rebalance of targets) open one incident per alert, page once for it, and the loser of each race
 * attaches to the winner's incident. On H2 and on a real PostgreSQL server (skipped, saying so,
 * where Debian's {@code postgresql} is not installed).
 */
class IncidentOpeningRaceTest {
  private static final int ALERTS = 40;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));

  @Test
  void twoInstancesOnH2OpenOneIncidentPerAlert() {
    try (Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      race(database);
    }
  }

  @Test
  void twoInstancesOnPostgresqlOpenOneIncidentPerAlert() throws Exception {
    Optional<Path> binaries = PostgresServer.binaries();
    assumeTrue(binaries.isPresent(),
        "PostgreSQL is not installed (apt-get install postgresql): PostgreSQL race skipped");
    try (PostgresServer postgres = PostgresServer.start(binaries.get());
        Database database = Database.open(postgres.jdbcUrl(), PostgresServer.USER, null)) {
      race(database);
    }
  }

  private void race(Database database) {
    database.migrate("rules");
    EscalationPolicies policies = EscalationPolicies.defaults(SlackConfig.none());
    try (IncidentService first = new IncidentService(database, clock, policies);
        IncidentService second = new IncidentService(database, clock, policies)) {
      CountDownLatch go = new CountDownLatch(1);
      HeldCommits.hold(first, go);
      HeldCommits.hold(second, go);
      List<CompletableFuture<Incident>> fromFirst = new ArrayList<>();
      List<CompletableFuture<Incident>> fromSecond = new ArrayList<>();
      for (int i = 0; i < ALERTS; i++) {
        fromFirst.add(first.openLater(alert("db-" + i)));
        fromSecond.add(second.openLater(alert("db-" + i)));
      }
      // Both committers now start a batch of the same alerts at the same time.
      go.countDown();

      for (int i = 0; i < ALERTS; i++) {
        Incident a = fromFirst.get(i).join();
        Incident b = fromSecond.get(i).join();
        assertThat(a == null ? b : a).as("alert db-%d opened by one of them", i).isNotNull();
        assertThat(a != null && b != null).as("alert db-%d opened by both", i).isFalse();
      }
      assertThat(first.recent(1000)).hasSize(ALERTS);
      assertThat(triggersPerDedupKey(database)).hasSize(ALERTS).allSatisfy((key, count) -> assertThat(count).isOne());

      // The alert fires again on the loser: it finds the winner's incident open and opens nothing.
      assertThat(second.open(alert("db-0"))).isNull();
      assertThat(first.open(alert("db-0"))).isNull();
      // Once resolved, the next episode opens a new incident wherever it is evaluated.
      first.resolve(alert("db-0"));
      assertThat(second.open(new Alert("DiskFull", Labels.of("alertname", "DiskFull", "instance", "db-0"),
          "Disk full", 1, Instant.parse("2026-11-30T09:30:00Z")))).isNotNull();
      assertThat(first.recent(1000)).hasSize(ALERTS + 1);
    }
  }

  private static Map<String, Integer> triggersPerDedupKey(Database database) {
    return database.inTransaction(c -> {
      Map<String, Integer> counts = new HashMap<>();
      try (PreparedStatement st = c.prepareStatement("SELECT dedup_key FROM outbox WHERE action = 'trigger'");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          counts.merge(rs.getString(1), 1, Integer::sum);
        }
      }
      return counts;
    });
  }

  private static Alert alert(String instance) {
    return new Alert("DiskFull", Labels.of("alertname", "DiskFull", "instance", instance), "Disk full", 1,
        Instant.parse("2026-11-30T08:59:00Z"));
  }
}
