package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.rules.Incident.Severity;
import dev.scoville.rules.Incident.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Incidents and their timeline in the database. Every change writes its notifications to the
 * outbox in the same transaction, so a crash can lose neither. Methods block on JDBC: call them
 * from worker threads, never from an event loop.
 */
public final class IncidentService {
  private static final String COLUMNS =
      "id, dedup_key, rule, labels, summary, severity, state, opened_at, acknowledged_at,"
          + " acknowledged_by, resolved_at, escalation, escalation_level, runbook, actions";

  private final Database database;
  private final Clock clock;
  private final EscalationPolicies escalation;
  private final List<Consumer<Incident>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> outboxListeners = new CopyOnWriteArrayList<>();

  IncidentService(Database database, Clock clock, EscalationPolicies escalation) {
    this.database = database;
    this.clock = clock;
    this.escalation = escalation;
  }

  /** Tells {@code listener} every incident after it changed; it runs on the changing thread. */
  public void subscribe(Consumer<Incident> listener) {
    listeners.add(listener);
  }

  void onOutboxWrite(Runnable listener) {
    outboxListeners.add(listener);
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
   * Acknowledges an open incident for {@code user}: escalation stops and every receiver notified
   * so far hears of it (PagerDuty acknowledge, Slack message edited).
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
          + " acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND state = 'TRIGGERED'")) {
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

  /** Opens an incident for a firing alert, or returns the open one it already has. */
  Incident open(Alert alert) {
    String fingerprint = alert.fingerprint();
    Incident incident = database.inTransaction(c -> {
      Optional<Incident> existing = openFor(c, alert.rule(), fingerprint);
      if (existing.isPresent()) {
        return null;
      }
      Instant now = clock.instant();
      long id;
      Handling handling = alert.handling();
      try (PreparedStatement st = c.prepareStatement("INSERT INTO incident (dedup_key, rule,"
          + " fingerprint, labels, summary, severity, state, opened_at, escalation, runbook, actions,"
          + " next_escalation_at) VALUES ('', ?, ?, ?, ?, ?, 'TRIGGERED', ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        st.setString(1, alert.rule());
        st.setString(2, fingerprint);
        st.setString(3, alert.labels().toString());
        st.setString(4, truncate(alert.summary(), 1024));
        st.setString(5, Severity.fromLabel(alert.labels().get("severity")).name());
        st.setTimestamp(6, Timestamp.from(now));
        st.setString(7, handling.escalation());
        st.setString(8, handling.runbook());
        st.setString(9, handling.actions().isEmpty() ? null : String.join("\n", handling.actions()));
        st.setTimestamp(10, Timestamp.from(now.plus(escalation.levels(handling.escalation()).get(0).after())));
        st.executeUpdate();
        try (ResultSet keys = st.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      // Stable for the incident's life and readable in PagerDuty: rule, fingerprint, incident id.
      String dedupKey = "scoville-" + alert.rule() + "-" + fingerprint + "-" + id;
      try (PreparedStatement st = c.prepareStatement("UPDATE incident SET dedup_key = ? WHERE id = ?")) {
        st.setString(1, truncate(dedupKey, 255));
        st.setLong(2, id);
        st.executeUpdate();
      }
      addEvent(c, id, now, "triggered", "scoville",
          alert.summary() + " (value " + alert.value() + ", active since " + alert.activeSince() + ")");
      // The levels due at once go out in this transaction: no wait for the escalation pass.
      escalate(c, find(c, id).orElseThrow(), Duration.ZERO, now);
      return find(c, id).orElseThrow();
    });
    if (incident != null) {
      changed(incident);
    }
    return incident;
  }

  /** Resolves the open incident of an alert that stopped firing, if there is one. */
  void resolve(Alert alert) {
    Incident incident = database.inTransaction(c -> {
      Optional<Incident> open = openFor(c, alert.rule(), alert.fingerprint());
      if (open.isEmpty()) {
        return null;
      }
      Instant now = clock.instant();
      try (PreparedStatement st = c.prepareStatement(
          "UPDATE incident SET state = 'RESOLVED', resolved_at = ? WHERE id = ?")) {
        st.setTimestamp(1, Timestamp.from(now));
        st.setLong(2, open.get().id());
        st.executeUpdate();
      }
      addEvent(c, open.get().id(), now, "resolved", "scoville", "the rule no longer fires");
      tellNotified(c, open.get(), "resolve", now);
      return find(c, open.get().id()).orElseThrow();
    });
    if (incident != null) {
      changed(incident);
    }
  }

  /**
   * Notifies the next levels of every unacknowledged incident whose wait for them is over. Reads
   * only the database, so escalation carries on after a restart; the outbox worker calls it on
   * each pass.
   */
  void escalateDue() {
    Instant now = clock.instant();
    List<Incident> due = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM incident"
          + " WHERE state = 'TRIGGERED' AND next_escalation_at <= ? ORDER BY id")) {
        st.setTimestamp(1, Timestamp.from(now));
        return readAll(st);
      }
    });
    for (Incident candidate : due) {
      Incident escalated = database.inTransaction(c -> {
        Set<Target> before = notified(c, candidate.id());
        List<EscalationPolicies.Level> fired =
            escalate(c, candidate, Duration.between(candidate.openedAt(), now), now);
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
        + " next_escalation_at = ? WHERE id = ? AND state = 'TRIGGERED' AND escalation_level = ?")) {
      st.setInt(1, reached);
      st.setTimestamp(2, reached < levels.size() ? Timestamp.from(incident.openedAt().plus(levels.get(reached).after())) : null);
      st.setLong(3, incident.id());
      st.setInt(4, incident.escalationLevel());
      if (st.executeUpdate() == 0) {
        return List.of();
      }
    }
    List<EscalationPolicies.Level> fired = levels.subList(incident.escalationLevel(), reached);
    Set<Target> notified = notified(c, incident.id());
    for (EscalationPolicies.Level level : fired) {
      Target target = new Target(level.channel(), level.target());
      // A level naming a receiver an earlier level already reached has nothing new to say.
      if (notified.add(target)) {
        enqueue(c, incident, target, target.channel().equals("slack") ? "post" : "trigger", now);
      }
    }
    return fired;
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

  void addEvent(long incidentId, String kind, String actor, String detail) {
    database.inTransaction(c -> {
      addEvent(c, incidentId, clock.instant(), kind, actor, detail);
      return null;
    });
  }

  private void changed(Incident incident) {
    listeners.forEach(l -> l.accept(incident));
    outboxListeners.forEach(Runnable::run);
  }

  private Optional<Incident> openFor(Connection c, String rule, String fingerprint) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM incident"
        + " WHERE state <> 'RESOLVED' AND rule = ? AND fingerprint = ?")) {
      st.setString(1, rule);
      st.setString(2, fingerprint);
      return readAll(st).stream().findFirst();
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
    try (PreparedStatement st = c.prepareStatement("INSERT INTO outbox (incident_id, channel, target, action,"
        + " dedup_key, created_at, status, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?)")) {
      st.setLong(1, incident.id());
      st.setString(2, target.channel());
      st.setString(3, target.target());
      st.setString(4, action);
      st.setString(5, incident.dedupKey());
      st.setTimestamp(6, Timestamp.from(now));
      st.setTimestamp(7, Timestamp.from(now));
      st.executeUpdate();
    }
  }

  private static void addEvent(Connection c, long incidentId, Instant at, String kind, String actor,
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

  private static List<Incident> readAll(PreparedStatement st) throws SQLException {
    List<Incident> incidents = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        incidents.add(new Incident(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), Severity.valueOf(rs.getString(6)), State.valueOf(rs.getString(7)),
            instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), rs.getString(10),
            instant(rs.getTimestamp(11)), rs.getString(12), rs.getInt(13), rs.getString(14),
            rs.getString(15) == null ? List.of() : List.of(rs.getString(15).split("\n"))));
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

  /** A receiver: the channel and where in it (Slack channel, PagerDuty routing key name or null). */
  private record Target(String channel, String target) {}
}
