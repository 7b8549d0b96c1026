package dev.scoville.reports.drills;

import dev.scoville.core.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Drill reports in the database's {@code drill} table. Blocking JDBC: call it on worker threads. */
final class DrillStore {
  private static final String COLUMNS = "id, scenario, speed, started_by, started_at, scenario_ends_at, state,"
      + " finished_at, outcome, detected_at, acknowledged_at, mitigated_at, recovered_at, target_detect_ms,"
      + " target_acknowledge_ms, target_mitigate_ms, target_recover_ms, incidents, runbooks, actions, runbook_steps";

  private final Database database;

  DrillStore(Database database) {
    this.database = database;
    database.migrate("reports");
  }

  DrillReport insert(String scenario, double speed, String startedBy, Instant startedAt, Instant scenarioEndsAt,
      DrillsConfig.Targets targets) {
    return database.inTransaction(c -> {
      long id;
      try (PreparedStatement st = c.prepareStatement("INSERT INTO drill (scenario, speed, started_by, started_at,"
          + " scenario_ends_at, state, target_detect_ms, target_acknowledge_ms, target_mitigate_ms, target_recover_ms)"
          + " VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        st.setString(1, scenario);
        st.setDouble(2, speed);
        st.setString(3, startedBy);
        st.setTimestamp(4, Timestamp.from(startedAt));
        st.setTimestamp(5, Timestamp.from(scenarioEndsAt));
        st.setLong(6, targets.detect().toMillis());
        st.setLong(7, targets.acknowledge().toMillis());
        st.setLong(8, targets.mitigate().toMillis());
        st.setLong(9, targets.recover().toMillis());
        st.executeUpdate();
        try (ResultSet keys = st.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      return find(c, id).orElseThrow();
    });
  }

  /** Writes what the drill measured so far; with a state other than RUNNING, it is over. */
  DrillReport update(DrillReport drill) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE drill SET state = ?, finished_at = ?, outcome = ?,"
          + " detected_at = ?, acknowledged_at = ?, mitigated_at = ?, recovered_at = ?, score = ?, incidents = ?,"
          + " runbooks = ?, actions = ?, scenario_ends_at = ?, runbook_steps = ? WHERE id = ?")) {
        st.setString(1, drill.state().name());
        st.setTimestamp(2, timestamp(drill.finishedAt()));
        st.setString(3, drill.outcome());
        st.setTimestamp(4, timestamp(drill.detectedAt()));
        st.setTimestamp(5, timestamp(drill.acknowledgedAt()));
        st.setTimestamp(6, timestamp(drill.mitigatedAt()));
        st.setTimestamp(7, timestamp(drill.recoveredAt()));
        st.setInt(8, drill.score());
        st.setString(9, String.join("\n", drill.incidents().stream().map(String::valueOf).toList()));
        st.setString(10, String.join("\n", drill.runbooks()));
        st.setString(11, truncate(String.join("\n", drill.actions())));
        st.setTimestamp(12, Timestamp.from(drill.scenarioEndsAt()));
        st.setString(13, truncate(String.join("\n", drill.steps())));
        st.setLong(14, drill.id());
        st.executeUpdate();
      }
      return find(c, drill.id()).orElseThrow();
    });
  }

  Optional<DrillReport> find(long id) {
    return database.inTransaction(c -> find(c, id));
  }

  /** The drill still running, if one is (at most one runs at a time). */
  Optional<DrillReport> running() {
    return query("SELECT " + COLUMNS + " FROM drill WHERE state = 'RUNNING' ORDER BY id DESC", st -> {}).stream()
        .findFirst();
  }

  /** The newest {@code limit} drills, newest first. */
  List<DrillReport> recent(int limit) {
    return query("SELECT " + COLUMNS + " FROM drill ORDER BY id DESC FETCH FIRST ? ROWS ONLY", st -> st.setInt(1, limit));
  }

  /** Every run of {@code scenario} up to drill {@code id} (itself included), newest first. */
  List<DrillReport> runsOf(String scenario, long upToId) {
    return query("SELECT " + COLUMNS + " FROM drill WHERE scenario = ? AND id <= ? ORDER BY id DESC", st -> {
      st.setString(1, scenario);
      st.setLong(2, upToId);
    });
  }

  private interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  private List<DrillReport> query(String sql, Binder binder) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        binder.bind(st);
        return readAll(st);
      }
    });
  }

  private static Optional<DrillReport> find(Connection c, long id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM drill WHERE id = ?")) {
      st.setLong(1, id);
      return readAll(st).stream().findFirst();
    }
  }

  private static List<DrillReport> readAll(PreparedStatement st) throws SQLException {
    List<DrillReport> drills = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        drills.add(new DrillReport(rs.getLong(1), rs.getString(2), rs.getDouble(3), rs.getString(4),
            instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), DrillReport.State.valueOf(rs.getString(7)),
            instant(rs.getTimestamp(8)), rs.getString(9), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)),
            instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
            new DrillsConfig.Targets(Duration.ofMillis(rs.getLong(14)), Duration.ofMillis(rs.getLong(15)),
                Duration.ofMillis(rs.getLong(16)), Duration.ofMillis(rs.getLong(17))),
            lines(rs.getString(18)).stream().map(Long::valueOf).toList(), lines(rs.getString(19)),
            lines(rs.getString(21)), lines(rs.getString(20))));
      }
    }
    return drills;
  }

  private static List<String> lines(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  private static String truncate(String s) {
    return s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
  }
}
