package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.core.GroupCommitter;
import dev.scoville.core.Labels;
import dev.scoville.core.PrometheusDuration;
import dev.scoville.rules.Incident.Severity;
import dev.scoville.rules.Incident.State;
import dev.scoville.rules.notify.OutboxRow;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Incidents and their timeline in the database. Every change writes its notifications to the
 * outbox in the same transaction, so a crash can lose neither. Methods block on JDBC: call them
 * from worker threads, never from an event loop. Alerts open and resolve incidents through a
 * {@link GroupCommitter}: the alerts of one moment share a transaction, and muting is decided on
 * its thread too, one decision at a time.
 */
public final class IncidentService implements AutoCloseable {
  static final String COLUMNS =
      "id, dedup_key, rule, labels, summary, severity, state, opened_at, acknowledged_at,"
          + " acknowledged_by, resolved_at, escalation, escalation_level, runbook, actions, muted_by,"
          + " COALESCE(escalation_from, opened_at)";

  /** The SQLSTATE of a unique index refusing a row, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** The timeline kind of a resolve by hand; it also tells the alert's later re-sends apart from a new firing. */
  static final String RESOLVED_BY_HAND = "resolved by hand";

  private final Database database;
  private final Clock clock;
  private final EscalationPolicies escalation;
  private final Muting muting;
  private final GroupCommitter commits;
  private final List<Consumer<Incident>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Incident>> outboxListeners = new CopyOnWriteArrayList<>();
  private volatile Instant lastSilenceCheck = Instant.EPOCH;
  private volatile DrillMarking drillMarking;
  private volatile OpeningRows openingRows;

  /** Without inhibit rules; silences still mute. */
  IncidentService(Database database, Clock clock, EscalationPolicies escalation) {
    this(database, clock, escalation, Muting.NONE);
  }

  IncidentService(Database database, Clock clock, EscalationPolicies escalation, Muting muting) {
    this.database = database;
    this.clock = clock;
    this.escalation = escalation;
    this.muting = muting;
    this.commits = new GroupCommitter(database, "incident-commits");
  }

  /** Where alerts' incident changes are committed; writes that must follow them go through it too. */
  GroupCommitter commits() {
    return commits;
  }

  /**
   * While a drill runs: the drill's name, and the escalation policy its incidents follow instead
   * of their rule's (null: the rule's own).
   */
  public record DrillMarking(String drill, String escalation) {}

  /**
   * Marks every incident opened from now on as a drill's: its summary starts with {@link
   * Incident#DRILL_PREFIX}, so that PagerDuty, Slack and the console all show it, its timeline
   * names the drill, and it follows the marking's escalation policy when one is given.
   */
  public void markDrills(DrillMarking marking) {
    if (marking.escalation() != null && !escalation.contains(marking.escalation())) {
      throw new IllegalArgumentException("no escalation policy '" + marking.escalation() + "'");
    }
    drillMarking = marking;
  }

  /** Incidents opened from now on are real ones again. */
  public void stopMarkingDrills() {
    drillMarking = null;
  }

  /** Whether the escalation section defines {@code policy} (or it is {@code default}). */
  public boolean knowsPolicy(String policy) {
    return escalation.contains(policy);
  }

  /** Tells {@code listener} every incident after it changed; it runs on the changing thread. */
  public void subscribe(Consumer<Incident> listener) {
    listeners.add(listener);
  }

  /** Tells {@code listener} every incident whose notifications may have been written, once committed. */
  void onOutboxWrite(Consumer<Incident> listener) {
    outboxListeners.add(listener);
  }

  /**
   * The outbox sender of this instance, which takes the notifications of the incidents opened
   * here without claiming them: no other instance can hold rows of an incident that did not exist
   * before, so they are written already claimed by it and handed over once committed, with no
   * claim's statements and commit of their own. Its outbox listeners are not told of such an
   * opening.
   */
  interface OpeningRows {
    /** Called before the opening is submitted; the ticket goes to {@link #committed}. */
    long begin();

    /** Written into the rows' claimed_by. */
    String claimant();

    /** When the claim of rows written at {@code now} ends. */
    Instant claimedUntil(Instant now);

    /** The rows of the opening, once committed; none when it opened nothing or failed. */
    void committed(long ticket, List<OutboxRow> rows);
  }

  /** From now on, openings hand their notifications to {@code rows}; null: they are claimed from the table again. */
  void handOpeningsTo(OpeningRows rows) {
    openingRows = rows;
  }

  /** Newest first: open incidents, then the most recently closed ones. */
  public List<Incident> recent(int limit) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM incident"
          + " ORDER BY CASE WHEN state = 'RESOLVED' THEN 1 ELSE 0 END, opened_at DESC, id DESC"
          + " FETCH FIRST ? ROWS ONLY")) {
        st.setInt(1, limit);
        return readAll(st);
      }
    });
  }

  /** Finds incidents for the console's list. */
  public IncidentSearch search() {
    return new IncidentSearch(database);
  }

  public Optional<Incident> find(long id) {
    return database.inTransaction(c -> find(c, id));
  }

  public List<IncidentEvent> timeline(long incidentId) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT at, kind, actor, detail FROM incident_event WHERE incident_id = ? ORDER BY id")) {
        st.setLong(1, incidentId);
        List<IncidentEvent> events = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            events.add(new IncidentEvent(incidentId, rs.getTimestamp(1).toInstant(),
                rs.getString(2), rs.getString(3), rs.getString(4)));
          }
        }
        return events;
      }
    });
  }

  /**
   * Acknowledges an open incident for {@code user}: escalation and reminders stop and every
   * receiver notified so far hears of it (PagerDuty acknowledge, Slack message edited).
   * Returns the incident as it now is; acknowledging twice changes nothing.
   */
  public Incident acknowledge(long id, String user) {
    Incident incident = database.inTransaction(c -> {
      Incident current = find(c, id).orElseThrow(() -> new IllegalArgumentException("no incident " + id));
      if (current.state() != State.TRIGGERED) {
        return current;
      }
      Instant now = clock.instant();
      try (PreparedStatement st = c.prepareStatement("UPDATE incident SET state = 'ACKNOWLEDGED',"
          + " acknowledged_at = ?, acknowledged_by = ?, next_repeat_at = NULL WHERE id = ? AND state = 'TRIGGERED'")) {
        st.setTimestamp(1, Timestamp.from(now));
        st.setString(2, user);
        st.setLong(3, id);
        st.executeUpdate();
      }
      addEvent(c, id, now, "acknowledged", user, null);
      tellNotified(c, current, "acknowledge", now);
      return find(c, id).orElseThrow();
    });
    changed(incident);
    return incident;
  }

  /**
   * Adds a note or status update by {@code user} to the incident's timeline. Notes are for the
   * people in the war room: they notify no receiver.
   */
  public Incident addNote(long id, String user, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a note needs some text");
    }
    return addToTimeline(id, "note", user, text.strip());
  }

  /**
   * Makes {@code commander} the incident commander, as {@code assignedBy} decided; the newest
   * assignment on the timeline is the one that holds.
   */
  public Incident assignCommander(long id, String assignedBy, String commander) {
    if (commander == null || commander.isBlank()) {
      throw new IllegalArgumentException("name the incident commander");
    }
    return addToTimeline(id, "commander", assignedBy, commander.strip());
  }

  private Incident addToTimeline(long id, String kind, String user, String detail) {
    Incident incident = database.inTransaction(c -> {
      Incident current = find(c, id).orElseThrow(() -> new IllegalArgumentException("no incident " + id));
      addEvent(c, id, clock.instant(), kind, user, detail);
      return current;
    });
    changed(incident);
    return incident;
  }

  /**
   * Opens an incident for a firing alert; returns null when it already has an open one (also one
   * another instance opened at the same moment), or when its episode (the same {@code startsAt})
   * already had its incident, which then notes the late firing on its timeline. An alert that a silence or inhibition mutes gets its incident, marked
   * so, and notifies nobody until it is unmuted. A firing whose resolve arrived first (see {@link
   * #resolveReportedLater}) opens its incident and resolves it at once.
   */
  Incident open(Alert alert) {
    return GroupCommitter.join(openLater(alert));
  }

  /**
   * {@link #open} in a group commit: the future gives the incident (or null) once it and its
   * outbox rows are committed, and fails when this alert could not be stored.
   */
  public CompletableFuture<Incident> openLater(Alert alert) {
    OpeningRows taker = openingRows;
    if (taker == null) {
      // On the committer's thread, as muting is reconciled: a silence expiring or a source
      // resolving meanwhile is decided before or after this incident is in, never beside it.
      return commits.submit(c -> openMutedOrNot(c, alert, alert.fingerprint(), null))
          .thenApply(i -> afterCommit(alert, i, true));
    }
    long ticket = taker.begin();
    // Filled by the unit's last run (a unit may run twice), read as it completes: both on the committer's thread.
    List<OutboxRow> handed = new ArrayList<>();
    return commits.submit(c -> {
      handed.clear();
      return openMutedOrNot(c, alert, alert.fingerprint(), new ClaimedRows(taker, handed));
    }).whenComplete((incident, e) -> taker.committed(ticket, e == null ? handed : List.of()))
        .thenApply(i -> afterCommit(alert, i, handed.isEmpty()));
  }

  /** Where an opening writes its rows claimed by {@code taker}, and the rows it wrote. */
  private record ClaimedRows(OpeningRows taker, List<OutboxRow> rows) {}

  private Incident afterCommit(Alert alert, Incident incident) {
    return afterCommit(alert, incident, true);
  }

  private Incident afterCommit(Alert alert, Incident incident, boolean tellOutbox) {
    if (incident != null) {
      changed(incident, tellOutbox);
      if (muting.mayInhibit(alert.labels())) {
        reconcileMuting();
      }
    }
    return incident;
  }

  /** {@code claimed}: where the rows of an opening are written already claimed, or null. */
  private Incident openMutedOrNot(Connection c, Alert alert, String fingerprint, ClaimedRows claimed)
      throws SQLException {
    Latest latest = latest(c, alert, fingerprint);
    if (latest != null && (!latest.resolved() || latest.resolvedByHandSince())) {
      return null;
    }
    if (latest != null && latest.sameEpisode()) {
      // A retried or overtaken copy of a firing whose incident resolved since: reopening it would
      // page for an alert that has ended, and no resolve would follow to close it again.
      addEvent(c, latest.id(), clock.instant(), "late firing", "scoville", "a firing of this alert (active since "
          + alert.activeSince() + ") arrived after it resolved: nothing reopened");
      return null;
    }
    String resolvedEarly = earlyResolve(c, alert, fingerprint);
    // Resolved at once, the incident gets a resolve row too, which its claim must cover with the
    // trigger: left to the claim from the table.
    Incident opened = openNew(c, alert, fingerprint, resolvedEarly == null ? claimed : null);
    if (opened == null || resolvedEarly == null) {
      return opened;
    }
    deleteEarlyResolve(c, alert, fingerprint);
    return resolveIn(c, alert, resolvedEarly + " before its firing arrived");
  }

  private Incident openNew(Connection c, Alert alert, String fingerprint, ClaimedRows claimed) throws SQLException {
    // As finely as both databases keep times, so that the incident returned is the one stored.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    // Reading every open incident is left to alerts that an inhibit rule may target.
    List<OpenAlert> sources = muting.mayBeInhibited(alert.labels()) ? openAlerts(c) : List.of();
    String mutedBy = muting.reason(0, alert.labels(), SilenceService.active(c, now), sources);
    long id;
    Handling handling = alert.handling();
    DrillMarking drill = drillMarking;
    String policyName = drill != null && drill.escalation() != null ? drill.escalation() : handling.escalation();
    String summary = drill != null ? Incident.DRILL_PREFIX + alert.summary() : alert.summary();
    EscalationPolicies.Policy policy = escalation.policy(policyName);
    Instant notifyFrom = now.plus(policy.groupWait());
    // The levels due at once are written with the incident, which no other transaction sees yet:
    // no receiver was reached before, so none is read back, and one row says how far it escalated.
    List<EscalationPolicies.Level> levels = policy.levels();
    int reached = 0;
    if (mutedBy == null && policy.groupWait().isZero()) {
      while (reached < levels.size() && levels.get(reached).after().isZero()) {
        reached++;
      }
    }
    Set<Target> targets = new LinkedHashSet<>();
    levels.subList(0, reached).forEach(level -> targets.add(new Target(level.channel(), level.target())));
    String labels = alert.labels().toString();
    String storedSummary = truncate(summary, 1024);
    Severity severity = Severity.fromLabel(alert.labels().get("severity"));
    String actions = handling.actions().isEmpty() ? null : String.join("\n", handling.actions());
    // Another instance may be opening this alert's incident right now: its open_key, unique, lets
    // one of the two in. The loser goes back to its savepoint (PostgreSQL refuses any further
    // statement in a transaction after a failed one) and attaches to the winner's incident.
    Savepoint beforeOpening = c.setSavepoint();
    try (PreparedStatement st = c.prepareStatement("INSERT INTO incident (dedup_key, rule,"
        + " fingerprint, labels, summary, severity, state, opened_at, escalation, runbook, actions,"
        + " next_escalation_at, label_set, muted_by, escalation_from, starts_at, open_key, escalation_level,"
        + " next_repeat_at) VALUES (NULL, ?, ?, ?, ?, ?, 'TRIGGERED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      // NULL until the id is known: NULLs are distinct in its unique index, so no other opening
      // waits for this transaction's commit, and the index gets one new entry per incident, not a
      // placeholder's and then the key's (each a page written at the commit).
      int i = 0;
      st.setString(++i, alert.rule());
      st.setString(++i, fingerprint);
      st.setString(++i, labels);
      st.setString(++i, storedSummary);
      st.setString(++i, severity.name());
      st.setTimestamp(++i, Timestamp.from(now));
      st.setString(++i, policyName);
      st.setString(++i, handling.runbook());
      st.setString(++i, actions);
      st.setTimestamp(++i, mutedBy != null || reached == levels.size() ? null
          : Timestamp.from(notifyFrom.plus(levels.get(reached).after())));
      st.setString(++i, labelSet(alert.labels()));
      st.setString(++i, mutedBy);
      st.setTimestamp(++i, Timestamp.from(notifyFrom));
      st.setTimestamp(++i, episodeStart(alert));
      st.setString(++i, openKey(alert.rule(), fingerprint));
      st.setInt(++i, reached);
      st.setTimestamp(++i, targets.isEmpty() ? null : Timestamp.from(now.plus(policy.repeatInterval())));
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(beforeOpening);
      return null;
    }
    c.releaseSavepoint(beforeOpening);
    // Stable for the incident's life and readable in PagerDuty: rule, fingerprint, incident id.
    String dedupKey = truncate("scoville-" + alert.rule() + "-" + fingerprint + "-" + id, 255);
    try (PreparedStatement st = c.prepareStatement("UPDATE incident SET dedup_key = ? WHERE id = ?")) {
      st.setString(1, dedupKey);
      st.setLong(2, id);
      st.executeUpdate();
    }
    // Alerts from Alertmanager and Grafana carry no value.
    addEvent(c, id, now, "triggered", "scoville", alert.summary() + " ("
        + (Double.isNaN(alert.value()) ? "" : "value " + alert.value() + ", ")
        + "active since " + alert.activeSince() + ")");
    if (drill != null) {
      addEvent(c, id, now, "drill", "scoville", "opened during drill " + drill.drill()
          + (drill.escalation() != null ? ": escalation policy " + drill.escalation() : ""));
    }
    if (mutedBy != null) {
      addEvent(c, id, now, "muted", "scoville", mutedBy + ": no notifications while it lasts");
    } else if (!policy.groupWait().isZero()) {
      addEvent(c, id, now, "waiting", "scoville", waitingFor(policy, now));
    }
    for (Target target : targets) {
      String action = target.channel().equals("slack") ? "post" : "trigger";
      if (claimed == null) {
        enqueue(c, id, dedupKey, target, action, now);
      } else {
        claimed.rows().add(enqueueClaimed(c, id, dedupKey, target, action, now, claimed.taker()));
      }
    }
    // As written: reading it back cost a statement per opening.
    return new Incident(id, dedupKey, alert.rule(), labels, storedSummary, severity, State.TRIGGERED, now, null,
        null, null, policyName, reached, handling.runbook(), actions == null ? List.of() : List.of(actions.split("\n")),
        mutedBy, notifyFrom);
  }

  /** Resolves the open incident of a rule's alert that stopped firing, if there is one. */
  void resolve(Alert alert) {
    resolve(alert, "the rule no longer fires");
  }

  /**
   * Resolves the open incident of an alert, if there is one, saying why on its timeline. The
   * receivers it reached hear of it even while it is muted, so that no page stays open.
   */
  void resolve(Alert alert, String why) {
    GroupCommitter.join(resolveLater(alert, why));
  }

  /** {@link #resolve(Alert, String)} in a group commit; the future completes once it is committed. */
  CompletableFuture<Incident> resolveLater(Alert alert, String why) {
    return commits.submit(c -> resolveIn(c, alert, why)).thenApply(i -> afterCommit(alert, i));
  }

  /**
   * {@link #resolveLater} for a resolve another system reports. When the alert's episode has no
   * incident yet, its resolve overtook its firing (several senders, retries): it is kept for a
   * day, and the firing, when it comes, opens its incident and resolves it at once.
   */
  public CompletableFuture<Incident> resolveReportedLater(Alert alert, String why) {
    return commits.submit(c -> {
      Incident resolved = resolveIn(c, alert, why);
      if (resolved == null) {
        Latest latest = latest(c, alert, alert.fingerprint());
        if (latest == null || !latest.sameEpisode()) {
          keepEarlyResolve(c, alert, why);
        }
      }
      return resolved;
    }).thenApply(i -> afterCommit(alert, i));
  }

  private Incident resolveIn(Connection c, Alert alert, String why) throws SQLException {
    Optional<Incident> open = openFor(c, alert.rule(), alert.fingerprint());
    if (open.isEmpty()) {
      return null;
    }
    Instant now = clock.instant();
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE incident SET state = 'RESOLVED', resolved_at = ?, next_repeat_at = NULL, open_key = NULL"
            + " WHERE id = ?")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setLong(2, open.get().id());
      st.executeUpdate();
    }
    addEvent(c, open.get().id(), now, "resolved", "scoville", why);
    tellNotified(c, open.get(), "resolve", now);
    return find(c, open.get().id()).orElseThrow();
  }

  /**
   * Resolves an open incident by hand for {@code user}, with the reason on its timeline: every
   * receiver it reached hears of it as of a normal resolve. The same alert, still firing, opens no
   * new incident; once it fires again after this (a later {@code startsAt} or a new activation
   * of the rule), it opens a new one. Returns the incident as it now is; resolving a resolved
   * incident changes nothing.
   */
  public Incident resolveByHand(long id, String user, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason: say why the incident is resolved by hand");
    }
    ResolvedByHand resolved = database.inTransaction(c -> {
      Incident current = find(c, id).orElseThrow(() -> new IllegalArgumentException("no incident " + id));
      if (current.state() == State.RESOLVED) {
        return null;
      }
      Instant now = clock.instant();
      try (PreparedStatement st = c.prepareStatement("UPDATE incident SET state = 'RESOLVED', resolved_at = ?,"
          + " next_repeat_at = NULL, next_escalation_at = NULL, open_key = NULL WHERE id = ? AND state <> 'RESOLVED'")) {
        st.setTimestamp(1, Timestamp.from(now));
        st.setLong(2, id);
        if (st.executeUpdate() == 0) {
          return null;
        }
      }
      addEvent(c, id, now, RESOLVED_BY_HAND, user, reason.strip());
      tellNotified(c, current, "resolve", now);
      return new ResolvedByHand(find(c, id).orElseThrow(), labelSetOf(c, id));
    });
    if (resolved == null) {
      return find(id).orElseThrow(() -> new IllegalArgumentException("no incident " + id));
    }
    changed(resolved.incident());
    if (resolved.labels() != null && muting.mayInhibit(resolved.labels())) {
      reconcileMuting();
    }
    return resolved.incident();
  }

  /**
   * Re-decides muting when a silence started or ended since the last call (the first call looks
   * at all of them, so a restart catches up); the outbox worker calls it on each pass.
   */
  void applySilenceBoundaries() {
    Instant now = clock.instant();
    Instant since = lastSilenceCheck;
    lastSilenceCheck = now;
    if (database.inTransaction(c -> SilenceService.startedOrEndedBetween(c, since, now))) {
      reconcileMuting();
    }
  }

  /**
   * Mutes the open incidents a silence or inhibition now covers (escalation and reminders stop)
   * and unmutes those no longer covered: they notify as if they had just fired, as Alertmanager
   * does. Each change goes on the incident's timeline. It runs on the committer's thread, one at
   * a time with the opening of incidents, so that two callers do not both unmute and none misses
   * an incident being opened; each update also checks the state it read.
   */
  void reconcileMuting() {
    Instant now = clock.instant();
    List<Incident> changed = commits.run(c -> {
      List<Silence> silences = SilenceService.active(c, now);
      List<OpenAlert> open = openAlerts(c);
      List<Incident> updated = new ArrayList<>();
      for (OpenAlert alert : open) {
        String reason = muting.reason(alert.incidentId(), alert.labels(), silences, open);
        if (!Objects.equals(reason, alert.mutedBy()) && setMuted(c, alert, reason, now)) {
          updated.add(find(c, alert.incidentId()).orElseThrow());
        }
      }
      return updated;
    });
    changed.forEach(this::changed);
  }

  private boolean setMuted(Connection c, OpenAlert alert, String reason, Instant now) throws SQLException {
    Incident incident = find(c, alert.incidentId()).orElseThrow();
    boolean unmuting = reason == null;
    boolean escalating = unmuting && incident.state() == State.TRIGGERED;
    EscalationPolicies.Policy policy = escalation.policy(incident.escalation());
    Instant notifyFrom = now.plus(policy.groupWait());
    // Receivers reached before the mute are reminded as if they had been notified when it ended.
    try (PreparedStatement st = c.prepareStatement("UPDATE incident SET muted_by = ?, next_escalation_at = ?,"
        + " escalation_from = CASE WHEN ? THEN ? ELSE escalation_from END,"
        + " escalation_level = CASE WHEN ? THEN 0 ELSE escalation_level END, next_repeat_at = ?"
        + " WHERE id = ? AND muted_by IS NOT DISTINCT FROM ?")) {
      st.setString(1, reason);
      st.setTimestamp(2, escalating ? Timestamp.from(notifyFrom.plus(policy.levels().get(0).after())) : null);
      st.setBoolean(3, escalating);
      st.setTimestamp(4, Timestamp.from(notifyFrom));
      st.setBoolean(5, escalating);
      st.setTimestamp(6, escalating ? Timestamp.from(notifyFrom.plus(policy.repeatInterval())) : null);
      st.setLong(7, alert.incidentId());
      st.setString(8, alert.mutedBy());
      if (st.executeUpdate() == 0) {
        return false;
      }
    }
    if (unmuting) {
      addEvent(c, alert.incidentId(), now, "unmuted", "scoville", "no longer muted by " + alert.mutedBy()
          + (escalating ? ": notifying as if it had just fired" : ""));
      if (escalating) {
        startEscalation(c, alert.incidentId(), policy, now);
      }
    } else {
      addEvent(c, alert.incidentId(), now, "muted", "scoville", reason + ": no notifications while it lasts");
    }
    return true;
  }

  /**
   * Notifies the levels due at once in this transaction, with no wait for the escalation pass;
   * with a group wait, says on the timeline why nothing was sent yet and leaves the levels to
   * that pass.
   */
  private void startEscalation(Connection c, long id, EscalationPolicies.Policy policy, Instant now)
      throws SQLException {
    if (policy.groupWait().isZero()) {
      escalate(c, find(c, id).orElseThrow(), Duration.ZERO, now);
    } else {
      addEvent(c, id, now, "waiting", "scoville", waitingFor(policy, now));
    }
  }

  private static String waitingFor(EscalationPolicies.Policy policy, Instant now) {
    return "group_wait " + PrometheusDuration.format(policy.groupWait()) + ": notifications from "
        + now.plus(policy.groupWait());
  }

  /**
   * Notifies the next levels of every unacknowledged incident whose wait for them is over. Reads
   * only the database, so escalation carries on after a restart; the outbox worker calls it on
   * each pass.
   */
  void escalateDue() {
    Instant now = clock.instant();
    // Bounded below: with "<= now" alone H2 walks its index from the start, through the NULLs of
    // every incident with nothing due (most of them), reading each row, every second.
    List<Incident> due = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM incident"
          + " WHERE state = 'TRIGGERED' AND next_escalation_at BETWEEN ? AND ? ORDER BY id")) {
        st.setTimestamp(1, Timestamp.from(Instant.EPOCH));
        st.setTimestamp(2, Timestamp.from(now));
        return readAll(st);
      }
    });
    for (Incident candidate : due) {
      Incident escalated = database.inTransaction(c -> {
        Set<Target> before = notified(c, candidate.id());
        List<EscalationPolicies.Level> fired =
            escalate(c, candidate, Duration.between(candidate.escalatingSince(), now), now);
        if (fired.isEmpty()) {
          return null;
        }
        for (int i = 0; i < fired.size(); i++) {
          addEvent(c, candidate.id(), now, "escalated", "scoville",
              "level " + (candidate.escalationLevel() + i + 1) + ": " + fired.get(i).describe());
        }
        // The Slack messages already out show the escalation level: edit them.
        for (Target target : before) {
          if (target.channel().equals("slack")) {
            enqueue(c, candidate, target, "update", now);
          }
        }
        return find(c, candidate.id()).orElseThrow();
      });
      if (escalated != null) {
        changed(escalated);
      }
    }
  }

  /**
   * Notifies the levels of {@code incident} due after it stayed unacknowledged that long, and
   * records how far it got; notifies nothing when another transaction acknowledged, resolved or
   * escalated it first. The caller passes the time (zero when opening) because the database
   * stores {@code opened_at} rounded.
   */
  private List<EscalationPolicies.Level> escalate(Connection c, Incident incident, Duration unacknowledgedFor,
      Instant now) throws SQLException {
    List<EscalationPolicies.Level> levels = escalation.levels(incident.escalation());
    int reached = incident.escalationLevel();
    while (reached < levels.size() && unacknowledgedFor.compareTo(levels.get(reached).after()) >= 0) {
      reached++;
    }
    if (reached == incident.escalationLevel()) {
      return List.of();
    }
    try (PreparedStatement st = c.prepareStatement("UPDATE incident SET escalation_level = ?,"
        + " next_escalation_at = ? WHERE id = ? AND state = 'TRIGGERED' AND escalation_level = ?"
        + " AND muted_by IS NULL")) {
      st.setInt(1, reached);
      st.setTimestamp(2, reached < levels.size()
          ? Timestamp.from(incident.escalatingSince().plus(levels.get(reached).after())) : null);
      st.setLong(3, incident.id());
      st.setInt(4, incident.escalationLevel());
      if (st.executeUpdate() == 0) {
        return List.of();
      }
    }
    List<EscalationPolicies.Level> fired = levels.subList(incident.escalationLevel(), reached);
    Set<Target> notified = notified(c, incident.id());
    boolean reachedSomeone = false;
    for (EscalationPolicies.Level level : fired) {
      Target target = new Target(level.channel(), level.target());
      // A level naming a receiver an earlier level already reached has nothing new to say.
      if (notified.add(target)) {
        enqueue(c, incident, target, target.channel().equals("slack") ? "post" : "trigger", now);
        reachedSomeone = true;
      }
    }
    if (reachedSomeone) {
      remindAfter(c, incident, now);
    }
    return fired;
  }

  /**
   * Reminds the receivers reached of every incident still triggered (not acknowledged, resolved
   * or muted) whose policy's repeat_interval has passed since its last notification: PagerDuty
   * gets the trigger again (it deduplicates by dedup_key, as Alertmanager relies on), Slack a
   * reply in the message's thread. Reads only the database, so reminders carry on after a
   * restart; the outbox worker calls it on each pass.
   */
  void remindDue() {
    Instant now = clock.instant();
    // Bounded below, as in escalateDue: acknowledged and resolved incidents have no next_repeat_at.
    List<Long> due = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT id FROM incident WHERE state = 'TRIGGERED'"
          + " AND muted_by IS NULL AND next_repeat_at BETWEEN ? AND ? ORDER BY id")) {
        st.setTimestamp(1, Timestamp.from(Instant.EPOCH));
        st.setTimestamp(2, Timestamp.from(now));
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        return ids;
      }
    });
    for (long id : due) {
      Incident reminded = database.inTransaction(c -> {
        Incident incident = find(c, id).orElseThrow();
        Set<Target> targets = notified(c, id);
        // Unmuted before anyone was reached: nobody to remind until escalation reaches someone.
        Instant next = targets.isEmpty() ? null : now.plus(escalation.policy(incident.escalation()).repeatInterval());
        // An acknowledge, resolve or mute committed meanwhile has cleared next_repeat_at.
        try (PreparedStatement st = c.prepareStatement("UPDATE incident SET next_repeat_at = ? WHERE id = ?"
            + " AND next_repeat_at <= ? AND state = 'TRIGGERED' AND muted_by IS NULL")) {
          st.setTimestamp(1, next == null ? null : Timestamp.from(next));
          st.setLong(2, id);
          st.setTimestamp(3, Timestamp.from(now));
          if (st.executeUpdate() == 0 || targets.isEmpty()) {
            return null;
          }
        }
        for (Target target : targets) {
          enqueue(c, incident, target, "remind", now);
        }
        addEvent(c, id, now, "reminded", "scoville", "unacknowledged for "
            + PrometheusDuration.format(Duration.between(incident.openedAt(), now).truncatedTo(ChronoUnit.SECONDS))
            + ": reminding " + targets.stream().map(Target::describe).collect(Collectors.joining(", ")));
        return incident;
      });
      if (reminded != null) {
        changed(reminded);
      }
    }
  }

  /** Arms the reminders: the receivers just notified hear again once the policy's repeat_interval passed. */
  private void remindAfter(Connection c, Incident incident, Instant now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE incident SET next_repeat_at = ? WHERE id = ?")) {
      st.setTimestamp(1, Timestamp.from(now.plus(escalation.policy(incident.escalation()).repeatInterval())));
      st.setLong(2, incident.id());
      st.executeUpdate();
    }
  }

  /** Queues {@code action} (acknowledge, resolve) for every receiver the incident reached. */
  private static void tellNotified(Connection c, Incident incident, String action, Instant now) throws SQLException {
    for (Target target : notified(c, incident.id())) {
      enqueue(c, incident, target, target.channel().equals("slack") ? "update" : action, now);
    }
  }

  /** The receivers an incident was sent to so far, in the order they were first notified. */
  private static Set<Target> notified(Connection c, long incidentId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT channel, target, MIN(id) FROM outbox"
        + " WHERE incident_id = ? AND action IN ('trigger', 'post') GROUP BY channel, target ORDER BY 3")) {
      st.setLong(1, incidentId);
      Set<Target> targets = new LinkedHashSet<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          targets.add(new Target(rs.getString(1), rs.getString(2)));
        }
      }
      return targets;
    }
  }

  /** Commits what alerts submitted, then stops taking more. */
  @Override
  public void close() {
    commits.close();
  }

  private void changed(Incident incident) {
    changed(incident, true);
  }

  private void changed(Incident incident, boolean tellOutbox) {
    listeners.forEach(l -> l.accept(incident));
    if (tellOutbox) {
      outboxListeners.forEach(l -> l.accept(incident));
    }
  }

  /**
   * The open incidents' alerts, oldest first; incidents opened before silences existed have no
   * label set and are left out.
   */
  static List<OpenAlert> openAlerts(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT id, label_set, muted_by FROM incident"
        + " WHERE state <> 'RESOLVED' AND label_set IS NOT NULL ORDER BY id")) {
      List<OpenAlert> alerts = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Map<String, String> labels = new HashMap<>();
          new JsonObject(rs.getString(2)).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
          alerts.add(new OpenAlert(rs.getLong(1), Labels.fromMap(labels), rs.getString(3)));
        }
      }
      return alerts;
    }
  }

  /** What makes an alert's open incident unique across instances: its rule and fingerprint. */
  private static String openKey(String rule, String fingerprint) {
    return truncate(rule, 200) + "/" + fingerprint;
  }

  private static String labelSet(Labels labels) {
    return new JsonObject(new HashMap<>(labels.toMap())).encode();
  }

  private Optional<Incident> openFor(Connection c, String rule, String fingerprint) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM incident"
        + " WHERE state <> 'RESOLVED' AND rule = ? AND fingerprint = ?")) {
      st.setString(1, rule);
      st.setString(2, fingerprint);
      return readAll(st).stream().findFirst();
    }
  }

  /**
   * The alert's latest incident, or null: whether it resolved, whether it was the same episode
   * (the same {@code startsAt}), and whether it was resolved by hand after the alert became
   * active, so that the alert is still the one resolved (Alertmanager re-sends firing alerts
   * every repeat_interval with the same startsAt, and incidents kept from before episodes were
   * recorded have none), not a new firing.
   */
  private static Latest latest(Connection c, Alert alert, String fingerprint) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT i.id, i.state = 'RESOLVED', i.starts_at = ?,"
        + " i.resolved_at >= ? AND EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = i.id AND e.kind = ?)"
        + " FROM incident i WHERE i.rule = ? AND i.fingerprint = ? ORDER BY i.id DESC FETCH FIRST 1 ROW ONLY")) {
      st.setTimestamp(1, episodeStart(alert));
      st.setTimestamp(2, Timestamp.from(alert.activeSince()));
      st.setString(3, RESOLVED_BY_HAND);
      st.setString(4, alert.rule());
      st.setString(5, fingerprint);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? new Latest(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)) : null;
      }
    }
  }

  private void keepEarlyResolve(Connection c, Alert alert, String why) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement prune = c.prepareStatement("DELETE FROM early_resolve WHERE received_at < ?");
        PreparedStatement insert = c.prepareStatement("INSERT INTO early_resolve (rule, fingerprint, starts_at,"
            + " received_at, reason) VALUES (?, ?, ?, ?, ?)")) {
      prune.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
      prune.executeUpdate();
      // The same resolve sent again replaces the one kept (portable SQL: H2 and PostgreSQL).
      deleteEarlyResolve(c, alert, alert.fingerprint());
      insert.setString(1, alert.rule());
      insert.setString(2, alert.fingerprint());
      insert.setTimestamp(3, episodeStart(alert));
      insert.setTimestamp(4, Timestamp.from(now));
      insert.setString(5, truncate(why, 4000));
      insert.executeUpdate();
    }
  }

  /** The reason of a resolve kept for this alert's episode; null when none. */
  private static String earlyResolve(Connection c, Alert alert, String fingerprint) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT reason FROM early_resolve"
        + " WHERE rule = ? AND fingerprint = ? AND starts_at = ?")) {
      st.setString(1, alert.rule());
      st.setString(2, fingerprint);
      st.setTimestamp(3, episodeStart(alert));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void deleteEarlyResolve(Connection c, Alert alert, String fingerprint) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM early_resolve"
        + " WHERE rule = ? AND fingerprint = ? AND starts_at = ?")) {
      st.setString(1, alert.rule());
      st.setString(2, fingerprint);
      st.setTimestamp(3, episodeStart(alert));
      st.executeUpdate();
    }
  }

  /**
   * An episode's start as kept: to the microsecond, the finest time PostgreSQL keeps, so that an
   * episode compares equal on either database although Alertmanager sends nanoseconds.
   */
  private static Timestamp episodeStart(Alert alert) {
    return Timestamp.from(alert.activeSince().truncatedTo(ChronoUnit.MICROS));
  }

  private static Labels labelSetOf(Connection c, long id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT label_set FROM incident WHERE id = ?")) {
      st.setLong(1, id);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return null;
        }
        Map<String, String> labels = new HashMap<>();
        new JsonObject(rs.getString(1)).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
        return Labels.fromMap(labels);
      }
    }
  }

  private static Optional<Incident> find(Connection c, long id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM incident WHERE id = ?")) {
      st.setLong(1, id);
      return readAll(st).stream().findFirst();
    }
  }

  private static void enqueue(Connection c, Incident incident, Target target, String action, Instant now)
      throws SQLException {
    enqueue(c, incident.id(), incident.dedupKey(), target, action, now);
  }

  private static void enqueue(Connection c, long incidentId, String dedupKey, Target target, String action,
      Instant now) throws SQLException {
    insertOutboxRow(c, incidentId, dedupKey, target, action, now, null, null);
  }

  /** {@link #enqueue}, the row claimed by {@code taker}; returns it as its sender holds it. */
  private static OutboxRow enqueueClaimed(Connection c, long incidentId, String dedupKey, Target target,
      String action, Instant now, OpeningRows taker) throws SQLException {
    Instant until = taker.claimedUntil(now);
    long id = insertOutboxRow(c, incidentId, dedupKey, target, action, now, taker.claimant(), until);
    return new OutboxRow(id, incidentId, target.channel(), target.target(), action, dedupKey, 0, now, now, null, until);
  }

  /** A pending row due now, claimed when {@code claimant} is not null; returns its id. */
  private static long insertOutboxRow(Connection c, long incidentId, String dedupKey, Target target, String action,
      Instant now, String claimant, Instant claimedUntil) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO outbox (incident_id, channel, target, action,"
        + " dedup_key, created_at, status, next_attempt_at, claimed_by, claimed_until)"
        + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      st.setLong(1, incidentId);
      st.setString(2, target.channel());
      st.setString(3, target.target());
      st.setString(4, action);
      st.setString(5, dedupKey);
      st.setTimestamp(6, Timestamp.from(now));
      st.setTimestamp(7, Timestamp.from(now));
      st.setString(8, claimant);
      st.setTimestamp(9, claimedUntil == null ? null : Timestamp.from(claimedUntil));
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  static void addEvent(Connection c, long incidentId, Instant at, String kind, String actor,
      String detail) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO incident_event (incident_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)")) {
      st.setLong(1, incidentId);
      st.setTimestamp(2, Timestamp.from(at));
      st.setString(3, kind);
      st.setString(4, actor);
      st.setString(5, detail == null ? null : truncate(detail, 4000));
      st.executeUpdate();
    }
  }

  static List<Incident> readAll(PreparedStatement st) throws SQLException {
    List<Incident> incidents = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        incidents.add(new Incident(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), Severity.valueOf(rs.getString(6)), State.valueOf(rs.getString(7)),
            instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), rs.getString(10),
            instant(rs.getTimestamp(11)), rs.getString(12), rs.getInt(13), rs.getString(14),
            rs.getString(15) == null ? List.of() : List.of(rs.getString(15).split("\n")),
            rs.getString(16), instant(rs.getTimestamp(17))));
      }
    }
    return incidents;
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** An alert's latest incident, as {@link #latest} reads it. */
  private record Latest(long id, boolean resolved, boolean sameEpisode, boolean resolvedByHandSince) {}

  /** An incident just resolved by hand, with the labels inhibition matches on (null for old incidents). */
  private record ResolvedByHand(Incident incident, Labels labels) {}

  /** An open incident's alert as silences and inhibition see it; {@code mutedBy} is null when it notifies. */
  record OpenAlert(long incidentId, Labels labels, String mutedBy) {}

  /** A receiver: the channel and where in it (Slack channel, PagerDuty routing key name or null). */
  private record Target(String channel, String target) {
    String describe() {
      return target == null ? channel : channel + ":" + target;
    }
  }
}
