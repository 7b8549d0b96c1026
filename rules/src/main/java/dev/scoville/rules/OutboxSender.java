package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.rules.notify.Delivery;
import dev.scoville.rules.notify.DeliveryConfig;
import dev.scoville.rules.notify.PagerDutyEvents;
import dev.scoville.rules.notify.ReceiverLanes;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. A dispatcher thread hands each key (an incident at one receiver)
 * whose next row is due to that receiver's lane ({@link ReceiverLanes}): receivers send
 * concurrently, a stalled or throttled one delays only its own queue, and a key's rows go out
 * one at a time, oldest first (so PagerDuty never sees a resolve before its trigger, nor Slack an
 * update before its post). A row that failed waits for its retry, exponential with jitter,
 * holding up only its key. Timers run on a thread of their own, never behind a send: silences
 * that started or ended mute or unmute incidents, escalation notifies the levels now due,
 * reminders go to the receivers of incidents still unacknowledged. A restart resumes from the
 * tables.
 */
final class OutboxSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
  private static final Counter SENT = Counter.build("scoville_notifications_total",
      "Notification attempts, by channel and result (sent, retry, rejected).")
      .labelNames("channel", "result").register();
  private static final Gauge PENDING = Gauge.build("scoville_outbox_pending",
      "Notifications waiting in the outbox, sent or retried.").register();
  private static final Gauge OLDEST_PENDING = Gauge.build("scoville_outbox_oldest_pending_age_seconds",
      "Age of the oldest notification still waiting in the outbox (0 when none waits).").register();
  /** A due row that waited this long for its first attempt means the dispatcher is not moving. */
  private static final Duration STUCK = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final String ROW_COLUMNS =
      "id, incident_id, channel, target, action, dedup_key, attempts, next_attempt_at, created_at";

  private final Database database;
  private final IncidentService incidents;
  private final PagerDutyEvents pagerDuty;
  private final SlackMessages slack;
  private final Clock clock;
  private final Duration firstBackoff;
  private final ReceiverLanes lanes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread dispatcher;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "incident-timers");
    t.setDaemon(true);
    return t;
  });
  private boolean signalled;
  /** When the dispatcher last read the outbox; it reads at least every poll. */
  private volatile Instant lastDispatch;
  private volatile boolean running = true;

  /** {@code slack} is null when Slack is not configured. */
  OutboxSender(Database database, IncidentService incidents, PagerDutyEvents pagerDuty, SlackMessages slack,
      Clock clock, Duration firstBackoff) {
    this(database, incidents, pagerDuty, slack, clock, firstBackoff, DeliveryConfig.DEFAULT_THREADS_PER_RECEIVER);
  }

  OutboxSender(Database database, IncidentService incidents, PagerDutyEvents pagerDuty, SlackMessages slack,
      Clock clock, Duration firstBackoff, int threadsPerReceiver) {
    this.database = database;
    this.incidents = incidents;
    this.pagerDuty = pagerDuty;
    this.slack = slack;
    this.clock = clock;
    this.firstBackoff = firstBackoff;
    this.lanes = new ReceiverLanes(threadsPerReceiver);
    this.dispatcher = new Thread(this::run, "outbox-dispatcher");
    this.dispatcher.setDaemon(true);
  }

  void start() {
    dispatcher.start();
    timers.scheduleWithFixedDelay(this::runTimers, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a dispatch now rather than at the next poll. */
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
        dispatchDue();
      } catch (RuntimeException e) {
        LOG.warn("Outbox dispatch failed; will try again: {}", e.toString());
      }
      awaitSignal();
    }
  }

  private void runTimers() {
    try {
      incidents.applySilenceBoundaries();
      incidents.escalateDue();
      incidents.remindDue();
    } catch (RuntimeException e) {
      LOG.warn("Escalation, reminders or silence boundaries failed; will try again: {}", e.toString());
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

  /**
   * One pass, as the threads do it but waiting for it: silences that started or ended,
   * escalation, reminders, then every key whose next row is due, returning once they are sent or
   * wait for a retry. Tests and drills call it in place of {@link #start()}.
   */
  void sendDue() {
    runTimers();
    CompletableFuture.allOf(dispatchDue().toArray(CompletableFuture[]::new)).join();
  }

  /** Hands every key whose oldest pending row is due, and that is not being sent already, to its receiver's lane. */
  private List<CompletableFuture<Void>> dispatchDue() {
    Map<String, List<Row>> byKey = new LinkedHashMap<>();
    List<Row> pending = pending();
    for (Row row : pending) {
      byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
    }
    Instant now = clock.instant();
    lastDispatch = now;
    PENDING.set(pending.size());
    OLDEST_PENDING.set(pending.isEmpty() ? 0 : Duration.between(pending.get(0).createdAt(), now).toMillis() / 1000.0);
    List<CompletableFuture<Void>> sending = new ArrayList<>();
    for (List<Row> rows : byKey.values()) {
      Row first = rows.get(0);
      if (!running || first.nextAttemptAt().isAfter(now)) {
        continue;
      }
      lanes.submit(first.receiver(), first.key(), () -> {
        try {
          // Read again: a task of this key may have sent some of them since the read above.
          sendInOrder(pendingOf(first));
        } finally {
          // Rows written for this key while it was being sent wait for the next dispatch.
          signal();
        }
      }).ifPresent(sending::add);
    }
    return sending;
  }

  /** One key's rows, oldest first, until one has to wait for a retry. */
  private void sendInOrder(List<Row> rows) {
    for (int i = 0; i < rows.size() && running; i++) {
      Row row = rows.get(i);
      if (row.nextAttemptAt().isAfter(clock.instant())) {
        return;
      }
      // Slack shows the incident as it is now: of several waiting updates, the last one is enough.
      boolean laterUpdate = row.action().equals("update")
          && rows.subList(i + 1, rows.size()).stream().anyMatch(r -> r.action().equals("update"));
      if (laterUpdate) {
        supersede(row);
        continue;
      }
      Incident incident = incidents.find(row.incidentId()).orElseThrow();
      // Acknowledged, resolved or muted while the reminder waited behind a retry: it would now be untrue.
      if (row.action().equals("remind") && (incident.state() != Incident.State.TRIGGERED || incident.isMuted())) {
        supersede(row);
        continue;
      }
      Delivery delivery = switch (row.channel()) {
        case "pagerduty" -> pagerDuty.send(row.action(), incident, row.target());
        case "slack" -> slack == null ? Delivery.rejected("Slack is not configured") : slack.send(row.action(), incident, row.target());
        default -> Delivery.rejected("unknown channel " + row.channel());
      };
      SENT.labels(row.channel(), delivery.outcome().name().toLowerCase()).inc();
      record(row, delivery);
      if (delivery.outcome() == Delivery.Outcome.RETRY) {
        return;
      }
    }
  }

  private List<Row> pending() {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + ROW_COLUMNS
          + " FROM outbox WHERE status = 'PENDING' ORDER BY id")) {
        return rows(st);
      }
    });
  }

  /** The pending rows of {@code row}'s key, oldest first. */
  private List<Row> pendingOf(Row row) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM outbox WHERE dedup_key = ?"
          + " AND status = 'PENDING' AND channel = ? AND target IS NOT DISTINCT FROM ? ORDER BY id")) {
        st.setString(1, row.dedupKey());
        st.setString(2, row.channel());
        st.setString(3, row.target());
        return rows(st);
      }
    });
  }

  private static List<Row> rows(PreparedStatement st) throws java.sql.SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant()));
      }
    }
    return rows;
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

  /**
   * The attempt's outcome and, when it is final, its line on the timeline: one commit for both,
   * shared with the other lanes' and the incidents' writes of the moment (a group commit).
   */
  private void record(Row row, Delivery delivery) {
    Instant now = clock.instant();
    int attempts = row.attempts() + 1;
    String receiver = row.target() == null ? row.channel() : row.channel() + ":" + row.target();
    incidents.commits().run(c -> {
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

  /**
   * Why the outbox is not moving, or empty: the dispatcher has not read it for a while, or a row
   * due for its first attempt has waited longer than {@link #STUCK}.
   */
  Optional<String> stuck() {
    Instant now = clock.instant();
    Instant last = lastDispatch;
    if (last != null && last.isBefore(now.minus(STUCK))) {
      return Optional.of("outbox: not read since " + last);
    }
    Optional<Instant> waiting = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT MIN(next_attempt_at) FROM outbox"
          + " WHERE status = 'PENDING' AND attempts = 0")) {
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() && rs.getTimestamp(1) != null ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
        }
      }
    });
    return waiting.filter(due -> due.isBefore(now.minus(STUCK)))
        .map(due -> "outbox: a notification due since " + due + " was never attempted");
  }

  @Override
  public void close() {
    running = false;
    signal();
    timers.shutdownNow();
    try {
      if (dispatcher.isAlive()) {
        dispatcher.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lanes.close();
  }

  private record Row(long id, long incidentId, String channel, String target, String action, String dedupKey,
      int attempts, Instant nextAttemptAt, Instant createdAt) {
    /** Where it goes: a PagerDuty routing key or a Slack channel, with a lane of its own. */
    String receiver() {
      return channel + ":" + (target == null ? "" : target);
    }

    /** The incident at one receiver: its notifications go out in order. */
    String key() {
      return dedupKey + "\n" + receiver();
    }
  }
}
