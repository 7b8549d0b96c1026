package dev.scoville.rules;

import dev.scoville.core.Database;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Silences in the database, with Alertmanager's rules for them. Each change goes on the timeline
 * of the open incidents the silence matches, and their muting is re-decided at once; a silence
 * that starts or ends on its own is noticed by the outbox worker's next pass. Methods block on
 * JDBC: call them from worker threads, never from an event loop.
 */
public final class SilenceService {
  private static final String COLUMNS = "id, matchers, starts_at, ends_at, created_by, comment, updated_at";
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Database database;
  private final IncidentService incidents;
  private final Clock clock;

  SilenceService(Database database, IncidentService incidents, Clock clock) {
    this.database = database;
    this.incidents = incidents;
    this.clock = clock;
  }

  /**
   * Creates a silence. A start in the past means now, as in Alertmanager. Throws {@link
   * IllegalArgumentException} naming the field ({@code matchers[1].value: …}) for a silence
   * Alertmanager would refuse: no matchers, a bad label name or regex, only matchers that match
   * everything, an end not after the start or already past, no author or comment.
   */
  public Silence create(List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
      String comment) {
    Instant now = clock.instant();
    check(matchers, startsAt, endsAt, createdBy, comment, now);
    Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt.isBefore(now) ? now : startsAt,
        endsAt, createdBy, comment, now);
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO silence (id, matchers, starts_at, ends_at,"
          + " created_by, comment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        st.setString(1, silence.id());
        st.setString(2, encode(silence.matchers()));
        st.setTimestamp(3, Timestamp.from(silence.startsAt()));
        st.setTimestamp(4, Timestamp.from(silence.endsAt()));
        st.setString(5, createdBy);
        st.setString(6, comment);
        st.setTimestamp(7, Timestamp.from(now));
        st.executeUpdate();
      }
      note(c, silence, createdBy, "silence " + silence.id() + " created by " + createdBy + " for " + silence.startsAt()
          + " to " + silence.endsAt() + ": " + comment, now);
      return null;
    });
    incidents.reconcileMuting();
    return silence;
  }

  /**
   * Ends a silence now; empty when there is no such silence. Expiring an expired silence changes
   * nothing.
   */
  public Optional<Silence> expire(String id, String actor) {
    Instant now = clock.instant();
    Optional<Silence> expired = database.inTransaction(c -> {
      Optional<Silence> current = find(c, id);
      if (current.isEmpty() || current.get().state(now) == Silence.State.EXPIRED) {
        return current;
      }
      try (PreparedStatement st = c.prepareStatement("UPDATE silence SET ends_at = ?, updated_at = ?,"
          + " starts_at = LEAST(starts_at, ?) WHERE id = ?")) {
        st.setTimestamp(1, Timestamp.from(now));
        st.setTimestamp(2, Timestamp.from(now));
        st.setTimestamp(3, Timestamp.from(now));
        st.setString(4, id);
        st.executeUpdate();
      }
      note(c, current.get(), actor, "silence " + id + " expired by " + actor, now);
      return find(c, id);
    });
    incidents.reconcileMuting();
    return expired;
  }

  /** The silences not yet ended, active or pending, by start. */
  public List<Silence> current() {
    Instant now = clock.instant();
    return database.inTransaction(c -> select(c, "ends_at > ? ORDER BY starts_at, id", now));
  }

  /** The silences in force at {@code now}. */
  static List<Silence> active(Connection c, Instant now) throws SQLException {
    return select(c, "starts_at <= ? AND ends_at > ?", now, now);
  }

  /** Whether a silence started or ended in {@code (after, upTo]}. */
  static boolean startedOrEndedBetween(Connection c, Instant after, Instant upTo) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM silence WHERE (starts_at > ? AND starts_at <= ?)"
        + " OR (ends_at > ? AND ends_at <= ?) FETCH FIRST 1 ROWS ONLY")) {
      st.setTimestamp(1, Timestamp.from(after));
      st.setTimestamp(2, Timestamp.from(upTo));
      st.setTimestamp(3, Timestamp.from(after));
      st.setTimestamp(4, Timestamp.from(upTo));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Puts a silence change on the timeline of each open incident the silence matches. */
  private static void note(Connection c, Silence silence, String actor, String detail, Instant now)
      throws SQLException {
    for (IncidentService.OpenAlert alert : IncidentService.openAlerts(c)) {
      if (silence.matches(alert.labels())) {
        IncidentService.addEvent(c, alert.incidentId(), now, "silence", actor, detail);
      }
    }
  }

  private static void check(List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
      String comment, Instant now) {
    if (matchers == null || matchers.isEmpty()) {
      throw new IllegalArgumentException("matchers: at least one matcher is needed");
    }
    for (int i = 0; i < matchers.size(); i++) {
      Silence.Matcher m = matchers.get(i);
      if (m.name() == null || !LABEL_NAME.matcher(m.name()).matches()) {
        throw new IllegalArgumentException("matchers[" + i + "].name: '" + m.name() + "' is not a label name");
      }
      if (m.value() == null) {
        throw new IllegalArgumentException("matchers[" + i + "].value: missing");
      }
      try {
        m.toLabelMatcher();
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("matchers[" + i + "].value: invalid regex: " + e.getDescription(), e);
      }
    }
    // As Alertmanager: a silence must not cover every alert by accident.
    if (matchers.stream().allMatch(m -> m.toLabelMatcher().matches(""))) {
      throw new IllegalArgumentException("matchers: at least one matcher must not match the empty string");
    }
    if (startsAt == null) {
      throw new IllegalArgumentException("startsAt: missing");
    }
    if (endsAt == null) {
      throw new IllegalArgumentException("endsAt: missing");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException("endsAt: must be after startsAt");
    }
    if (!endsAt.isAfter(now)) {
      throw new IllegalArgumentException("endsAt: already past");
    }
    if (createdBy == null || createdBy.isBlank() || createdBy.length() > 200) {
      throw new IllegalArgumentException("createdBy: who creates the silence is needed (at most 200 characters)");
    }
    if (comment == null || comment.isBlank() || comment.length() > 2000) {
      throw new IllegalArgumentException("comment: why is needed (at most 2000 characters)");
    }
    if (encode(matchers).length() > 4000) {
      throw new IllegalArgumentException("matchers: too long (4000 characters as JSON)");
    }
  }

  private static Optional<Silence> find(Connection c, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM silence WHERE id = ?")) {
      st.setString(1, id);
      return readAll(st).stream().findFirst();
    }
  }

  private static List<Silence> select(Connection c, String where, Instant... times) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM silence WHERE " + where)) {
      for (int i = 0; i < times.length; i++) {
        st.setTimestamp(i + 1, Timestamp.from(times[i]));
      }
      return readAll(st);
    }
  }

  private static List<Silence> readAll(PreparedStatement st) throws SQLException {
    List<Silence> silences = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        silences.add(new Silence(rs.getString(1), decode(rs.getString(2)), rs.getTimestamp(3).toInstant(),
            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
      }
    }
    return silences;
  }

  private static String encode(List<Silence.Matcher> matchers) {
    JsonArray array = new JsonArray();
    matchers.forEach(m -> array.add(new JsonObject().put("name", m.name()).put("value", m.value())
        .put("isRegex", m.isRegex()).put("isEqual", m.isEqual())));
    return array.encode();
  }

  private static List<Silence.Matcher> decode(String json) {
    List<Silence.Matcher> matchers = new ArrayList<>();
    new JsonArray(json).forEach(o -> {
      JsonObject m = (JsonObject) o;
      matchers.add(new Silence.Matcher(m.getString("name"), m.getString("value"), m.getBoolean("isRegex"),
          m.getBoolean("isEqual")));
    });
    return matchers;
  }
}
