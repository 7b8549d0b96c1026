package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.rules.cluster.TimelineWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An instance's console hears of the incidents another instance on the same database opens and acknowledges. */
class TimelineWatchTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));

  @Test
  void tellsOfIncidentsAnotherInstanceOpensAndChanges() throws Exception {
    try (Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      database.migrate("rules");
      Semaphore told = new Semaphore(0);
      try (IncidentService other = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
          TimelineWatch watch = TimelineWatch.start(database, Duration.ofMillis(50), told::release)) {
        assertThat(told.tryAcquire(300, TimeUnit.MILLISECONDS)).as("nothing changed yet").isFalse();

        Incident opened = other.open(new Alert("DiskFull", Labels.of("alertname", "DiskFull", "instance", "db-1"),
            "Disk full", 1, clock.instant()));
        assertThat(told.tryAcquire(10, TimeUnit.SECONDS)).as("told of the opening").isTrue();
        while (told.tryAcquire(300, TimeUnit.MILLISECONDS)) {
          // the opening's last rows: told before the acknowledgement is made
        }

        other.acknowledge(opened.id(), "alice");
        assertThat(told.tryAcquire(10, TimeUnit.SECONDS)).as("told of the acknowledgement").isTrue();
      }
    }
  }
}
