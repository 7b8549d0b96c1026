package dev.scoville.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sender's rows in memory: one task per key, oldest first, and no row back once finished. */
class OutboxQueueTest {
  private static final Instant NOW = Instant.parse("2026-11-30T21:00:00Z");

  @Test
  void aClaimThatReadARowBeforeItFinishedDoesNotBringItBack() {
    OutboxQueue queue = new OutboxQueue();
    OutboxRow trigger = row(1, "trigger");
    assertThat(queue.add(queue.beginClaim(), List.of(trigger))).containsExactly(trigger);
    assertThat(queue.next(trigger.key(), NOW)).contains(trigger);

    // A second claim reads the table while the trigger is being sent, a third one afterwards…
    long early = queue.beginClaim();
    queue.finished(trigger);
    long late = queue.beginClaim();
    assertThat(queue.add(late, List.of())).isEmpty();
    // …and the early one, ending last, still holds the trigger as pending.
    OutboxRow acknowledge = row(2, "acknowledge");
    queue.add(early, List.of(trigger, acknowledge));

    assertThat(queue.next(trigger.key(), NOW)).contains(acknowledge);
    queue.finished(acknowledge);
    assertThat(queue.next(trigger.key(), NOW)).isEmpty();
    assertThat(queue.size()).isZero();
  }

  @Test
  void aKeyHasOneTaskAndWaitsForItsRetryWithoutHoldingUpOthers() {
    OutboxQueue queue = new OutboxQueue();
    OutboxRow trigger = row(1, "trigger");
    OutboxRow other = new OutboxRow(3, 8, "pagerduty", null, "trigger", "incident-8", 0, NOW, NOW, null, NOW.plusSeconds(60));
    assertThat(queue.add(queue.beginClaim(), List.of(trigger, other))).containsExactlyInAnyOrder(trigger, other);
    assertThat(queue.add(queue.beginClaim(), List.of(row(2, "acknowledge")))).as("its task is under way").isEmpty();

    queue.retried(trigger.retried(1, NOW.plusSeconds(5)));
    assertThat(queue.next(trigger.key(), NOW)).as("the retry is not due").isEmpty();
    assertThat(queue.next(other.key(), NOW)).contains(other);
    assertThat(queue.nextWake()).contains(NOW.plusSeconds(5));
    assertThat(queue.due(NOW.plusSeconds(4))).isEmpty();
    assertThat(queue.due(NOW.plusSeconds(5))).extracting(OutboxRow::id).containsExactly(1L);
    assertThat(queue.next(trigger.key(), NOW.plusSeconds(5))).map(OutboxRow::attempts).contains(1);
  }

  private static OutboxRow row(long id, String action) {
    return new OutboxRow(id, 7, "pagerduty", null, action, "incident-7", 0, NOW, NOW, null, NOW.plusSeconds(60));
  }
}
