package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.rules.PagerDutyEvents.Delivery;
import io.prometheus.client.Counter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, on its own thread: oldest first, one event at a time per dedup
 * key (so PagerDuty never sees a resolve before its trigger), retrying with exponential backoff
 * and jitter until the receiver accepts. A restart resumes from the table.
 */
final class OutboxSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
  private static final Counter SENT = Counter.build("scoville_notifications_total",
      "Notification attempts, by channel and result (sent, retry, rejected).")
      .labelNames("channel", "result").register();
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final Database database;
  private final IncidentService incidents;
  private final PagerDutyEvents pagerDuty;
  private final Clock clock;
  private final Duration firstBackoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private boolean signalled;
  private volatile boolean running = true;

  OutboxSender(Database database, IncidentService incidents, PagerDutyEvents pagerDuty, Clock clock,
      Duration firstBackoff) {
    this.database = database;
    this.incidents = incidents;
    this.pagerDuty = pagerDuty;
    this.clock = clock;
    this.firstBackoff = firstBackoff;
    this.thread = new Thread(this::run, "outbox-sender");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Asks for a pass now rather than at the next poll. */
  void signal() {
    lock.lock();
    try {
      signalled = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (running) {
      try {
        sendDue();
      } catch (RuntimeException e) {
        LOG.warn("Outbox pass failed; will try again: {}", e.toString());
      }
      awaitSignal();
    }
  }

  private void awaitSignal() {
    lock.lock();
    try {
      if (!signalled && running) {
        wake.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** One pass over the rows due now. */
  void sendDue() {
    Set<String> blockedKeys = new HashSet<>();
    for (Row row : pending()) {
      // An earlier event for this dedup key is still waiting: keep the order.
      if (!blockedKeys.add(row.dedupKey()) || !running) {
        continue;
      }
      if (row.nextAttemptAt().isAfter(clock.instant())) {
        continue;
      }
      Incident incident = incidents.find(row.incidentId()).orElseThrow();
      Delivery delivery = pagerDuty.send(row.action(), incident);
      SENT.labels("pagerduty", delivery.outcome().name().toLowerCase()).inc();
      record(row, delivery);
      if (delivery.outcome() != PagerDutyEvents.Outcome.RETRY) {
        blockedKeys.remove(row.dedupKey());
      }
    }
  }

  private List<Row> pending() {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT id, incident_id, action, dedup_key,"
          + " attempts, next_attempt_at FROM outbox WHERE status = 'PENDING' ORDER BY id")) {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getInt(5), rs.getTimestamp(6).toInstant()));
          }
        }
        return rows;
      }
    });
  }

  private void record(Row row, Delivery delivery) {
    Instant now = clock.instant();
    int attempts = row.attempts() + 1;
    database.inTransaction(c -> {
      String sql = switch (delivery.outcome()) {
        case SENT -> "UPDATE outbox SET status = 'SENT', attempts = ?, sent_at = ?, last_error = NULL WHERE id = ?";
        case REJECTED -> "UPDATE outbox SET status = 'FAILED', attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
        case RETRY -> "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
      };
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setInt(1, attempts);
        if (delivery.outcome() == PagerDutyEvents.Outcome.SENT) {
          st.setTimestamp(2, Timestamp.from(now));
          st.setLong(3, row.id());
        } else {
          st.setTimestamp(2, Timestamp.from(now.plus(backoff(attempts))));
          st.setString(3, delivery.detail());
          st.setLong(4, row.id());
        }
        st.executeUpdate();
      }
      return null;
    });
    switch (delivery.outcome()) {
      case SENT -> incidents.addEvent(row.incidentId(), "notified", "pagerduty", row.action() + " sent to PagerDuty");
      case REJECTED -> {
        LOG.warn("PagerDuty {} for incident {} refused, not retried: {}", row.action(), row.incidentId(), delivery.detail());
        incidents.addEvent(row.incidentId(), "notification-failed", "pagerduty", delivery.detail());
      }
      case RETRY -> LOG.info("PagerDuty {} for incident {} will be retried (attempt {}): {}",
          row.action(), row.incidentId(), attempts, delivery.detail());
    }
  }

  /** Exponential from {@code firstBackoff}, capped, with ±50 % jitter so retries don't march in step. */
  Duration backoff(int attempts) {
    long base = firstBackoff.toMillis() << Math.min(attempts - 1, 20);
    long capped = Math.min(base, MAX_BACKOFF.toMillis());
    return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble())));
  }

  @Override
  public void close() {
    running = false;
    signal();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Row(long id, long incidentId, String action, String dedupKey, int attempts, Instant nextAttemptAt) {}
}
