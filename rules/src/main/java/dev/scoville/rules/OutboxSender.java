package dev.scoville.rules;

import dev.scoville.core.Database;
import io.prometheus.client.Counter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds, on its own thread: oldest first, one event at a time per incident
 * and receiver (so PagerDuty never sees a resolve before its trigger, nor Slack an update before
 * its post), retrying with exponential backoff and jitter until the receiver accepts. Each pass
 * first lets silences that started or ended mute or unmute incidents, escalation notify the
 * levels now due, and reminders go to the receivers of incidents still unacknowledged. A restart
 * resumes from the tables.
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
  private final SlackMessages slack;
  private final Clock clock;
  private final Duration firstBackoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private boolean signalled;
  private volatile boolean running = true;

  /** {@code slack} is null when Slack is not configured. */
  OutboxSender(Database database, IncidentService incidents, PagerDutyEvents pagerDuty, SlackMessages slack,
      Clock clock, Duration firstBackoff) {
    this.database = database;
    this.incidents = incidents;
    this.pagerDuty = pagerDuty;
    this.slack = slack;
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

  /** One pass: silences that started or ended, escalation, reminders, then the rows due now. */
  void sendDue() {
    incidents.applySilenceBoundaries();
    incidents.escalateDue();
    incidents.remindDue();
    List<Row> pending = pending();
    // Slack shows the incident as it is now: of several waiting updates, the last one is enough.
    Map<String, Long> lastUpdate = new HashMap<>();
    pending.stream().filter(r -> r.action().equals("update")).forEach(r -> lastUpdate.put(r.receiver(), r.id()));
    Set<String> blocked = new HashSet<>();
    for (Row row : pending) {
      // An earlier notification to this receiver is still waiting: keep the order.
      if (!blocked.add(row.receiver()) || !running) {
        continue;
      }
      if (row.nextAttemptAt().isAfter(clock.instant())) {
        continue;
      }
      if (row.action().equals("update") && lastUpdate.get(row.receiver()) > row.id()) {
        supersede(row);
        blocked.remove(row.receiver());
        continue;
      }
      Incident incident = incidents.find(row.incidentId()).orElseThrow();
      // Acknowledged, resolved or muted while the reminder waited behind a retry: it would now be untrue.
      if (row.action().equals("remind") && (incident.state() != Incident.State.TRIGGERED || incident.isMuted())) {
        supersede(row);
        blocked.remove(row.receiver());
        continue;
      }
      Delivery delivery = switch (row.channel()) {
        case "pagerduty" -> pagerDuty.send(row.action(), incident, row.target());
        case "slack" -> slack == null ? Delivery.rejected("Slack is not configured") : slack.send(row.action(), incident, row.target());
        default -> Delivery.rejected("unknown channel " + row.channel());
      };
      SENT.labels(row.channel(), delivery.outcome().name().toLowerCase()).inc();
      record(row, delivery);
      if (delivery.outcome() != Delivery.Outcome.RETRY) {
        blocked.remove(row.receiver());
      }
    }
  }

  private List<Row> pending() {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT id, incident_id, channel, target, action,"
          + " dedup_key, attempts, next_attempt_at FROM outbox WHERE status = 'PENDING' ORDER BY id")) {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant()));
          }
        }
        return rows;
      }
    });
  }

  private void supersede(Row row) {
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET status = 'SUPERSEDED' WHERE id = ?")) {
        st.setLong(1, row.id());
        st.executeUpdate();
      }
      return null;
    });
  }

  /** The attempt's outcome and, when it is final, its line on the timeline: one commit for both. */
  private void record(Row row, Delivery delivery) {
    Instant now = clock.instant();
    int attempts = row.attempts() + 1;
    String receiver = row.target() == null ? row.channel() : row.channel() + ":" + row.target();
    database.inTransaction(c -> {
      String sql = switch (delivery.outcome()) {
        case SENT -> "UPDATE outbox SET status = 'SENT', attempts = ?, sent_at = ?, last_error = NULL WHERE id = ?";
        case REJECTED -> "UPDATE outbox SET status = 'FAILED', attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
        case RETRY -> "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
      };
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setInt(1, attempts);
        if (delivery.outcome() == Delivery.Outcome.SENT) {
          st.setTimestamp(2, Timestamp.from(now));
          st.setLong(3, row.id());
        } else {
          Duration wait = backoff(attempts);
          // The receiver's own Retry-After is a floor: coming back earlier only earns another 429.
          st.setTimestamp(2, Timestamp.from(now.plus(wait.compareTo(delivery.retryAfter()) < 0 ? delivery.retryAfter() : wait)));
          st.setString(3, delivery.detail());
          st.setLong(4, row.id());
        }
        st.executeUpdate();
      }
      switch (delivery.outcome()) {
        case SENT -> IncidentService.addEvent(c, row.incidentId(), now, "notified", row.channel(),
            row.action() + " sent to " + receiver);
        case REJECTED -> IncidentService.addEvent(c, row.incidentId(), now, "notification-failed", row.channel(),
            delivery.detail());
        case RETRY -> { }
      }
      return null;
    });
    switch (delivery.outcome()) {
      case REJECTED -> LOG.warn("{} {} for incident {} refused, not retried: {}",
          receiver, row.action(), row.incidentId(), delivery.detail());
      case RETRY -> LOG.info("{} {} for incident {} will be retried (attempt {}): {}",
          receiver, row.action(), row.incidentId(), attempts, delivery.detail());
      case SENT -> { }
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

  private record Row(long id, long incidentId, String channel, String target, String action, String dedupKey,
      int attempts, Instant nextAttemptAt) {
    /** The incident at one receiver: its notifications go out in order. */
    String receiver() {
      return dedupKey + "\n" + channel + "\n" + target;
    }
  }
}
