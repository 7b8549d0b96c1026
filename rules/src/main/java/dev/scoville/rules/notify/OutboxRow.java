package dev.scoville.rules.notify;

import java.time.Instant;

/**
 * One notification waiting in the outbox, as the sender holds it: {@code claimedUntil} is when
 * this instance's claim on it ends (null: not claimed).
 */
public record OutboxRow(long id, long incidentId, String channel, String target, String action, String dedupKey,
    int attempts, Instant nextAttemptAt, Instant createdAt, Long mirrorOf, Instant claimedUntil) {

  /**
   * Where it goes, with a lane of its own, named as in the configuration: {@code pagerduty}
   * (the default key), {@code pagerduty:<name>}, {@code slack:#channel}, {@code webhook:<name>}.
   */
  public String receiver() {
    return target == null ? channel : channel + ":" + target;
  }

  /** The incident at one receiver: its notifications go out in order. */
  public String key() {
    return dedupKey + "\n" + receiver();
  }

  /** After a failed attempt: tried {@code attempts} times, next no sooner than {@code next}. */
  public OutboxRow retried(int attempts, Instant next) {
    return new OutboxRow(id, incidentId, channel, target, action, dedupKey, attempts, next, createdAt, mirrorOf,
        claimedUntil);
  }

  /** The same row, claimed until {@code until}. */
  public OutboxRow claimedUntil(Instant until) {
    return new OutboxRow(id, incidentId, channel, target, action, dedupKey, attempts, nextAttemptAt, createdAt,
        mirrorOf, until);
  }
}
