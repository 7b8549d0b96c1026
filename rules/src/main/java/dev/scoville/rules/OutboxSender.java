package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.core.GroupCommitter;
import dev.scoville.rules.notify.Delivery;
import dev.scoville.rules.notify.DeliveryConfig;
import dev.scoville.rules.notify.FallbackRoute;
import dev.scoville.rules.notify.HttpWebhooks;
import dev.scoville.rules.notify.OutboxClaims;
import dev.scoville.rules.notify.OutboxQueue;
import dev.scoville.rules.notify.OutboxRow;
import dev.scoville.rules.notify.PagerDutyEvents;
import dev.scoville.rules.notify.ReceiverHealth;
import dev.scoville.rules.notify.ReceiverHealthTable;
import dev.scoville.rules.notify.ReceiverLanes;
import dev.scoville.rules.notify.ReceiverStatus;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. The incidents whose notifications were just committed are handed
 * to a dispatcher thread, which claims their rows ({@link OutboxClaims}: instances sharing a
 * database never send the same row) and queues them in memory ({@link OutboxQueue}); an incident
 * opened here has its rows written claimed and queued as it commits ({@link
 * IncidentService.OpeningRows}), so that
 * what it costs follows what changed, not how much waits; the table is read whole only at start
 * and every few seconds for rows no instance holds. Each key (an incident at one receiver) whose
 * next row is due goes to that receiver's lane ({@link ReceiverLanes}): receivers send
 * concurrently, a stalled or throttled one delays only its own queue, and a key's rows go out
 * one at a time, oldest first (so PagerDuty never sees a resolve before its trigger, nor Slack an
 * update before its post). A row that failed waits for its retry, exponential with jitter,
 * holding up only its key. Timers run on a thread of their own, never behind a send: silences
 * that started or ended mute or unmute incidents, escalation notifies the levels now due,
 * reminders go to the receivers of incidents still unacknowledged. A restart resumes from the
 * tables.
 *
 * <p>A receiver whose attempts have all failed for longer than its fallback route's {@code after}
 * has its paging rows (trigger, remind, Slack post) copied to the fallback receiver, once each
 * ({@code mirror_of}), while its own rows stay queued and retried: on its first success it takes
 * over again, and what it still owed reaches it (PagerDuty folds repeats by dedup_key). An
 * incident paged through the fallback has reached it as any escalation level does, so its
 * acknowledge and resolve go there too and nothing stays open at the fallback.
 */
final class OutboxSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
  private static final Counter SENT = Counter.build("scoville_notifications_total",
      "Notification attempts, by channel and result (sent, retry, rejected).")
      .labelNames("channel", "result").register();
  private static final Counter ATTEMPTS = Counter.build("scoville_delivery_attempts_total",
      "Attempts to send a notification, by receiver and outcome (sent, retry, rejected).")
      .labelNames("receiver", "outcome").register();
  private static final Histogram LATENCY = Histogram.build("scoville_delivery_duration_seconds",
      "How long one attempt to send a notification took, answer or deadline included, by receiver.")
      .labelNames("receiver").buckets(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register();
  /** The rows a receiver's fallback route takes over: what pages, not edits of what already paged. */
  private static final Set<String> PAGING = Set.of("trigger", "remind", "post");
  private static final Gauge PENDING = Gauge.build("scoville_outbox_pending",
      "Notifications waiting in the outbox, sent or retried.").register();
  private static final Gauge OLDEST_PENDING = Gauge.build("scoville_outbox_oldest_pending_age_seconds",
      "Age of the oldest notification still waiting in the outbox (0 when none waits).").register();
  /** A due row that waited this long for its first attempt means the dispatcher is not moving. */
  private static final Duration STUCK = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /**
   * How often the table is read for rows no instance holds (another instance's, a killed one's
   * once their lease ended, or ones this instance was not told of), and for the gauges.
   */
  private static final Duration SCAN = Duration.ofSeconds(5);
  /** Incidents claimed per transaction. */
  private static final int MAX_CLAIM = 256;

  private final Database database;
  private final IncidentService incidents;
  private final PagerDutyEvents pagerDuty;
  private final SlackMessages slack;
  private final HttpWebhooks webhooks;
  private final Clock clock;
  private final Duration firstBackoff;
  private final ReceiverLanes lanes;
  private final ReceiverHealth health;
  private final OutboxClaims claims;
  private final OutboxQueue queue = new OutboxQueue();
  /**
   * Where claims and the attempts' outcomes are committed: the incidents' committer, so that the
   * openings, claims and outcomes of the moment share one transaction. On an H2 file every commit
   * writes each page it changed, and all three change the same newest pages of the outbox and the
   * timeline: separate committers wrote those pages once each.
   */
  private final GroupCommitter commits;
  /** The dedup keys of incidents whose notifications were written since the dispatcher last looked. */
  private final Queue<String> changedIncidents = new ConcurrentLinkedQueue<>();
  /** Dedup keys whose claim found their rows locked or held elsewhere: tried again at the next poll. */
  private final Set<String> deferred = ConcurrentHashMap.newKeySet();
  /** Rows known to be copied to a fallback already, so that each pass need not ask the database. */
  private final Set<Long> mirrored = ConcurrentHashMap.newKeySet();
  /** By failing receiver, the incidents told on their timeline that its fallback pages for it. */
  private final Map<String, Set<Long>> pagedThroughFallback = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  /** Written under the receivers' health lock, in the order of their changes. */
  private volatile CompletableFuture<Void> lastHealthSave = CompletableFuture.completedFuture(null);
  private final Condition wake = lock.newCondition();
  private final Thread dispatcher;
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "incident-timers");
    t.setDaemon(true);
    return t;
  });
  private boolean signalled;
  private boolean firstPass = true;
  private volatile boolean scanNow = true;
  private long nextScan;
  private long nextPoll;
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
    this(database, incidents, pagerDuty, slack, null, clock, firstBackoff, threadsPerReceiver, List.of());
  }

  OutboxSender(Database database, IncidentService incidents, PagerDutyEvents pagerDuty, SlackMessages slack,
      HttpWebhooks webhooks, Clock clock, Duration firstBackoff, int threadsPerReceiver,
      List<FallbackRoute> fallbacks) {
    this(database, incidents, pagerDuty, slack, webhooks, clock, firstBackoff, threadsPerReceiver, fallbacks,
        DeliveryConfig.DEFAULT_TIMEOUT);
  }

  /**
   * {@code webhooks} is null when none is configured; {@code fallbacks} name receivers as the
   * outbox does ({@code pagerduty}, {@code pagerduty:<name>}, {@code slack:#channel}, {@code
   * webhook:<name>}); {@code deadline} bounds one attempt, and the claim on a row outlasts it
   * with room to spare (a Slack attempt may make a few calls).
   */
  OutboxSender(Database database, IncidentService incidents, PagerDutyEvents pagerDuty, SlackMessages slack,
      HttpWebhooks webhooks, Clock clock, Duration firstBackoff, int threadsPerReceiver,
      List<FallbackRoute> fallbacks, Duration deadline) {
    this.database = database;
    this.incidents = incidents;
    this.pagerDuty = pagerDuty;
    this.slack = slack;
    this.webhooks = webhooks;
    this.clock = clock;
    this.firstBackoff = firstBackoff;
    this.lanes = new ReceiverLanes(threadsPerReceiver);
    this.commits = incidents.commits();
    this.health = new ReceiverHealth(fallbacks, database.inTransaction(ReceiverHealthTable::load), healthSaver());
    this.claims = new OutboxClaims(Duration.ofSeconds(30).plus(deadline.multipliedBy(3)));
    this.dispatcher = new Thread(this::run, "outbox-dispatcher");
    this.dispatcher.setDaemon(true);
  }

  /**
   * Receivers' health goes with the delivery outcomes' commits, unawaited: its changes come with
   * theirs. {@link #close} waits for the last.
   */
  private ReceiverHealth.Saver healthSaver() {
    return new ReceiverHealth.Saver() {
      @Override
      public void failing(ReceiverHealth.Failing failing) {
        lastHealthSave = commits.submit(c -> {
          ReceiverHealthTable.failing(c, failing);
          return null;
        });
      }

      @Override
      public void healthy(String receiver) {
        lastHealthSave = commits.submit(c -> {
          ReceiverHealthTable.healthy(c, receiver);
          return null;
        });
      }
    };
  }

  void start() {
    incidents.handOpeningsTo(new Openings());
    dispatcher.start();
    timers.scheduleWithFixedDelay(this::runTimers, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes the rows of the incidents opened here, claimed as they were written. */
  private final class Openings implements IncidentService.OpeningRows {
    @Override
    public long begin() {
      return queue.beginClaim();
    }

    @Override
    public String claimant() {
      return claims.instance();
    }

    @Override
    public Instant claimedUntil(Instant now) {
      return now.plus(claims.lease());
    }

    @Override
    public void committed(long ticket, List<OutboxRow> rows) {
      List<OutboxRow> start = queue.add(ticket, rows);
      if (running) {
        start.forEach(OutboxSender.this::sendKey);
      }
    }
  }

  /**
   * {@code incident} changed and its notifications, if any, are committed: they are claimed and
   * sent at once rather than at the next look at the table.
   */
  void signal(Incident incident) {
    changedIncidents.add(incident.dedupKey());
    wake();
  }

  private void wake() {
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
        dispatch().forEach(this::sendKey);
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
        long wait = POLL.toMillis();
        Optional<Instant> wakeAt = queue.nextWake();
        if (wakeAt.isPresent()) {
          wait = Math.max(1, Math.min(wait, Duration.between(clock.instant(), wakeAt.get()).toMillis() + 1));
        }
        wake.await(wait, TimeUnit.MILLISECONDS);
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
   * escalation, reminders, then every pending row nobody else holds is claimed and each key
   * whose next row is due is sent, returning once they are sent or wait for a retry. Tests and
   * drills call it in place of {@link #start()}.
   */
  void sendDue() {
    runTimers();
    scanNow = true;
    CompletableFuture.allOf(dispatch().stream().map(this::sendKey).toArray(CompletableFuture[]::new)).join();
  }

  /**
   * Claims what changed (the incidents signalled) and, every {@link #SCAN}, what nobody holds
   * (after a restart, another instance's rows); routes around failing receivers; returns the
   * first row of each key that is due and has no task yet.
   */
  private List<OutboxRow> dispatch() {
    Instant now = clock.instant();
    List<OutboxRow> start = new ArrayList<>();
    if (firstPass) {
      firstPass = false;
      releaseClaimsOfKilledProcess();
    }
    long nanos = System.nanoTime();
    if (scanNow || nanos - nextScan >= 0) {
      scanNow = false;
      nextScan = nanos + SCAN.toNanos();
      nextPoll = nanos;
      deferred.clear();
      start.addAll(claimUnclaimed(now));
      updateGauges(now);
    }
    Set<String> changed = new LinkedHashSet<>();
    if (nanos - nextPoll >= 0) {
      nextPoll = nanos + POLL.toNanos();
      routeAroundFailingReceivers(now);
      changed.addAll(deferred);
      deferred.clear();
    }
    String key;
    while (changed.size() < MAX_CLAIM && (key = changedIncidents.poll()) != null) {
      changed.add(key);
    }
    if (!changed.isEmpty()) {
      start.addAll(claim(changed, now));
    }
    start.addAll(queue.due(now));
    lastDispatch = now;
    if (!changedIncidents.isEmpty()) {
      wake();
    }
    return start;
  }

  /** Claims the pending rows of the incidents with {@code dedupKeys}; returns the first rows of keys to start. */
  private List<OutboxRow> claim(Collection<String> dedupKeys, Instant now) {
    long ticket = queue.beginClaim();
    OutboxClaims.Claimed claimed;
    try {
      claimed = commits.run(c -> claims.claim(c, dedupKeys, now));
    } catch (RuntimeException e) {
      queue.add(ticket, List.of());
      deferred.addAll(dedupKeys);
      throw e;
    }
    // Another transaction held their rows for a moment: tried again at the next poll.
    deferred.addAll(claimed.locked());
    // Held by another instance: tried again at the next poll, once its rows may be sent.
    deferred.addAll(claimed.heldElsewhere());
    List<OutboxRow> start = queue.add(ticket, claimed.rows());
    return running ? start : List.of();
  }

  /** Claims every incident whose pending rows no instance holds; returns the first rows of keys to start. */
  private List<OutboxRow> claimUnclaimed(Instant now) {
    List<OutboxRow> start = new ArrayList<>();
    List<String> keys;
    do {
      keys = database.inTransaction(c -> claims.unclaimed(c, now, MAX_CLAIM));
      if (!keys.isEmpty()) {
        start.addAll(claim(keys, now));
      }
    } while (keys.size() == MAX_CLAIM && running);
    return start;
  }

  /**
   * An embedded H2 file is open in this process only: claims found in it at start are those of a
   * process that was killed, and its rows are taken over without waiting for their lease.
   */
  private void releaseClaimsOfKilledProcess() {
    if (database.embeddedFile()) {
      database.inTransaction(c -> {
        OutboxClaims.releaseAll(c);
        return null;
      });
    }
  }

  private void updateGauges(Instant now) {
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'PENDING'")) {
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          PENDING.set(rs.getLong(1));
          Timestamp oldest = rs.getTimestamp(2);
          OLDEST_PENDING.set(oldest == null ? 0 : Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
        }
      }
      return null;
    });
  }

  /** Runs the task of {@code first}'s key in its receiver's lane. */
  private CompletableFuture<Void> sendKey(OutboxRow first) {
    return lanes.submit(first.receiver(), () -> {
      try {
        sendInOrder(first.key());
      } catch (RuntimeException e) {
        // Its rows stay claimed and queued: the key is tried again after a pause.
        queue.pause(first.key(), clock.instant().plus(POLL));
        throw e;
      }
    });
  }

  /** One key's rows, oldest first, until one has to wait for a retry. */
  private void sendInOrder(String key) {
    Optional<OutboxRow> next;
    while (running && (next = queue.next(key, clock.instant())).isPresent()) {
      OutboxRow row = next.get();
      if (row.claimedUntil() == null || row.claimedUntil().isBefore(clock.instant().plus(claims.lease().dividedBy(2)))) {
        row = renewClaim(row);
        if (row == null) {
          return;
        }
      }
      // Slack shows the incident as it is now: of several waiting updates, the last one is enough.
      boolean laterUpdate = row.action().equals("update")
          && queue.after(row).stream().anyMatch(r -> r.action().equals("update"));
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
      long started = System.nanoTime();
      Delivery delivery = switch (row.channel()) {
        case "pagerduty" -> pagerDuty.send(row.action(), incident, row.target());
        case "slack" -> slack == null ? Delivery.rejected("Slack is not configured") : slack.send(row.action(), incident, row.target());
        case "webhook" -> webhooks == null ? Delivery.rejected("no webhooks are configured")
            : sendToWebhook(row, incident);
        default -> Delivery.rejected("unknown channel " + row.channel());
      };
      LATENCY.labels(row.receiver()).observe((System.nanoTime() - started) / 1e9);
      SENT.labels(row.channel(), delivery.outcome().name().toLowerCase()).inc();
      ATTEMPTS.labels(row.receiver(), delivery.outcome().name().toLowerCase()).inc();
      record(row, delivery);
      if (health.attempted(row.receiver(), delivery, clock.instant())) {
        handBack(row.receiver());
      }
      if (delivery.outcome() == Delivery.Outcome.RETRY) {
        // One attempt per key and pass, however soon the retry is due.
        queue.pause(row.key(), clock.instant());
        return;
      }
    }
  }

  /**
   * Claims {@code row}'s incident again before an attempt that its claim might not outlast;
   * returns the row with its new lease, or null when another instance holds it now (its key is
   * then forgotten here) or its rows were locked (its key is tried again shortly).
   */
  private OutboxRow renewClaim(OutboxRow row) {
    Instant now = clock.instant();
    long ticket = queue.beginClaim();
    OutboxClaims.Claimed claimed;
    try {
      claimed = commits.run(c -> claims.claim(c, List.of(row.dedupKey()), now));
    } catch (RuntimeException e) {
      queue.add(ticket, List.of());
      throw e;
    }
    // The incident's rows to other receivers, claimed with it, may be new here.
    queue.add(ticket, claimed.rows()).forEach(this::sendKey);
    Optional<OutboxRow> renewed = claimed.rows().stream().filter(r -> r.id() == row.id()).findFirst();
    if (renewed.isPresent()) {
      return row.claimedUntil(renewed.get().claimedUntil());
    }
    if (claimed.locked().contains(row.dedupKey())) {
      queue.pause(row.key(), now.plus(Duration.ofMillis(200)));
    } else {
      // Sent or taken over by another instance meanwhile.
      queue.drop(row.key());
    }
    return null;
  }

  /** When the oldest notification still waiting to be sent was written; empty when none waits. */
  Optional<Instant> oldestPending() {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT MIN(created_at) FROM outbox WHERE status = 'PENDING'")) {
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() && rs.getTimestamp(1) != null ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
        }
      }
    });
  }

  /** Each receiver's health: ok, failing since when, or paging through which fallback. */
  List<ReceiverStatus> receivers() {
    return health.snapshot();
  }

  /**
   * Copies the paging rows queued here for every receiver whose fallback route is in force to its
   * fallback; the copies are claimed as the incident's other rows are.
   */
  private void routeAroundFailingReceivers(Instant now) {
    List<ReceiverHealth.Active> active = health.active(now);
    if (active.isEmpty()) {
      return;
    }
    for (OutboxRow row : queue.all()) {
      for (ReceiverHealth.Active route : active) {
        if (row.mirrorOf() == null && PAGING.contains(row.action()) && !mirrored.contains(row.id())
            && row.receiver().equals(route.route().receiver()) && mirror(row, route, now)) {
          changedIncidents.add(row.dedupKey());
        }
      }
    }
  }

  /**
   * Copies {@code row} to its receiver's fallback, with a line on the incident's timeline, in one
   * commit. The copy is written as done (superseded) when nobody needs paging: the incident was
   * acknowledged, resolved or muted meanwhile, or the fallback already has it (an escalation
   * level reached it, and so do its reminders).
   */
  private boolean mirror(OutboxRow row, ReceiverHealth.Active route, Instant now) {
    String to = route.route().to();
    int colon = to.indexOf(':');
    String channel = colon < 0 ? to : to.substring(0, colon);
    String target = colon < 0 ? null : to.substring(colon + 1);
    boolean written = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM outbox WHERE mirror_of = ?")) {
        st.setLong(1, row.id());
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            return false;
          }
        }
      }
      // Locks the incident: an acknowledge or resolve committing meanwhile either comes first and
      // is seen here, or comes after and finds the copy among the receivers it tells.
      boolean needsPaging;
      try (PreparedStatement st = c.prepareStatement(
          "SELECT state = 'TRIGGERED' AND muted_by IS NULL FROM incident WHERE id = ? FOR UPDATE")) {
        st.setLong(1, row.incidentId());
        try (ResultSet rs = st.executeQuery()) {
          needsPaging = rs.next() && rs.getBoolean(1);
        }
      }
      boolean reached;
      try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM outbox WHERE incident_id = ? AND channel = ?"
          + " AND target IS NOT DISTINCT FROM ? AND action IN ('trigger', 'post')")) {
        st.setLong(1, row.incidentId());
        st.setString(2, channel);
        st.setString(3, target);
        try (ResultSet rs = st.executeQuery()) {
          reached = rs.next();
        }
      }
      boolean pages = needsPaging && !reached;
      try (PreparedStatement st = c.prepareStatement("INSERT INTO outbox (incident_id, channel, target, action,"
          + " dedup_key, created_at, status, next_attempt_at, mirror_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        st.setLong(1, row.incidentId());
        st.setString(2, channel);
        st.setString(3, target);
        st.setString(4, channel.equals("slack") ? "post" : "trigger");
        st.setString(5, row.dedupKey());
        st.setTimestamp(6, Timestamp.from(now));
        st.setString(7, pages ? "PENDING" : "SUPERSEDED");
        st.setTimestamp(8, Timestamp.from(now));
        st.setLong(9, row.id());
        st.executeUpdate();
      }
      String failing = row.receiver() + " failing since " + route.failingSince() + ": ";
      if (pages) {
        IncidentService.addEvent(c, row.incidentId(), now, "fallback", "scoville", failing + "paging through " + to);
      } else if (needsPaging && !row.action().equals("remind")) {
        IncidentService.addEvent(c, row.incidentId(), now, "fallback", "scoville", failing + to + " already has it");
      }
      return pages;
    });
    mirrored.add(row.id());
    if (written) {
      pagedThroughFallback.computeIfAbsent(row.receiver(), r -> ConcurrentHashMap.newKeySet()).add(row.incidentId());
      LOG.warn("{} failing since {}: incident {} paged through {}", row.receiver(), route.failingSince(),
          row.incidentId(), to);
    }
    return written;
  }

  /** {@code receiver} took a notification again: the incidents its fallback paged for hear that it is back. */
  private void handBack(String receiver) {
    Set<Long> incidentIds = pagedThroughFallback.remove(receiver);
    LOG.info("{} answers again: its fallback route hands back", receiver);
    if (incidentIds == null || incidentIds.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    database.inTransaction(c -> {
      for (long id : incidentIds) {
        IncidentService.addEvent(c, id, now, "fallback-ended", "scoville", receiver
            + " answers again: notifications go to it again (the fallback still hears how this incident ends)");
      }
      return null;
    });
  }

  private Delivery sendToWebhook(OutboxRow row, Incident incident) {
    record AlertLabels(Map<String, String> labels, String fingerprint) {}
    AlertLabels alert = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT label_set, fingerprint FROM incident WHERE id = ?")) {
        st.setLong(1, incident.id());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          Map<String, String> labels = new HashMap<>();
          if (rs.getString(1) == null) {
            // Incidents opened before label sets were kept: the rule's name is what is known.
            labels.put("alertname", incident.rule());
          } else {
            new JsonObject(rs.getString(1)).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
          }
          return new AlertLabels(labels, rs.getString(2));
        }
      }
    });
    return webhooks.send(row.action(), incident, alert.labels(), alert.fingerprint(), row.target());
  }

  private void supersede(OutboxRow row) {
    commits.run(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET status = 'SUPERSEDED' WHERE id = ?")) {
        st.setLong(1, row.id());
        st.executeUpdate();
      }
      return null;
    });
    queue.finished(row);
  }

  /**
   * The attempt's outcome and, when it is final, its line on the timeline: one commit for both,
   * shared with whatever else is being committed at the moment. The key's next row waits for it,
   * so a crash can resend only this row.
   */
  private void record(OutboxRow row, Delivery delivery) {
    Instant now = clock.instant();
    int attempts = row.attempts() + 1;
    String receiver = row.receiver();
    Duration wait = backoff(attempts);
    // The receiver's own Retry-After is a floor: coming back earlier only earns another 429.
    Instant next = now.plus(wait.compareTo(delivery.retryAfter()) < 0 ? delivery.retryAfter() : wait);
    commits.run(c -> {
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
          st.setTimestamp(2, Timestamp.from(next));
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
      case REJECTED -> {
        queue.finished(row);
        LOG.warn("{} {} for incident {} refused, not retried: {}",
            receiver, row.action(), row.incidentId(), delivery.detail());
      }
      case RETRY -> {
        queue.retried(row.retried(attempts, next));
        LOG.info("{} {} for incident {} will be retried (attempt {}): {}",
            receiver, row.action(), row.incidentId(), attempts, delivery.detail());
      }
      case SENT -> queue.finished(row);
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
    incidents.handOpeningsTo(null);
    running = false;
    wake();
    timers.shutdownNow();
    try {
      if (dispatcher.isAlive()) {
        dispatcher.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lanes.close();
    try {
      lastHealthSave.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Receivers' health may not be saved as it last changed: {}", e.toString());
    }
    Database.SqlWork<Void> release = c -> {
      claims.release(c);
      return null;
    };
    try {
      try {
        // Behind every opening submitted before they stopped being handed here: their rows, claimed
        // as written, are released too.
        commits.run(release);
      } catch (IllegalStateException committerClosed) {
        database.inTransaction(release);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not give up this instance's outbox claims; they end with their lease: {}", e.toString());
    }
  }
}
