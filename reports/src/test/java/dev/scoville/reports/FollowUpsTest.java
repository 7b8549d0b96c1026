package dev.scoville.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.Database;
import dev.scoville.core.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FollowUpsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private final Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final FollowUps followUps;

  FollowUpsTest() {
    database.migrate("reports");
    followUps = new FollowUps(database, clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void openItemsComeHighestPriorityFirstThenOldestAndDoneOnesLeaveTheList() {
    FollowUp pool = followUps.add("Raise the checkout database pool", FollowUp.Priority.MEDIUM, 3L, "alice");
    clock.advance(Duration.ofMinutes(1));
    FollowUp cdn = followUps.add("  Second CDN for static assets ", FollowUp.Priority.LOW, null, "bob");
    clock.advance(Duration.ofMinutes(1));
    FollowUp retries = followUps.add("Payment retries without a timeout", FollowUp.Priority.MEDIUM, null, "alice");

    assertThat(followUps.prioritise(cdn.id(), FollowUp.Priority.HIGH)).isTrue();
    assertThat(followUps.open()).extracting(FollowUp::title).containsExactly("Second CDN for static assets",
        "Raise the checkout database pool", "Payment retries without a timeout");
    assertThat(followUps.open().get(1).incidentId()).isEqualTo(3L);
    assertThat(followUps.open().get(0).incidentId()).isNull();

    assertThat(followUps.close(pool.id(), "carol")).isTrue();
    assertThat(followUps.close(pool.id(), "carol")).as("already done").isFalse();
    assertThat(followUps.prioritise(pool.id(), FollowUp.Priority.LOW)).as("done items keep their priority").isFalse();
    assertThat(followUps.open()).extracting(FollowUp::id).containsExactly(cdn.id(), retries.id());
    assertThat(followUps.find(pool.id()).orElseThrow()).satisfies(done -> {
      assertThat(done.doneBy()).isEqualTo("carol");
      assertThat(done.doneAt()).isEqualTo(clock.instant());
      assertThat(done.open()).isFalse();
    });
  }

  @Test
  void aBlankOrOverlongTitleIsRefusedSayingWhy() {
    assertThatThrownBy(() -> followUps.add("  ", FollowUp.Priority.LOW, null, "alice"))
        .hasMessage("a follow-up needs a title");
    assertThatThrownBy(() -> followUps.add("x".repeat(301), FollowUp.Priority.LOW, null, "alice"))
        .hasMessage("a follow-up's title is at most 300 characters, got 301");
    assertThat(followUps.open()).isEmpty();
  }
}
