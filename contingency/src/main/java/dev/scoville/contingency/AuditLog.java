package dev.scoville.contingency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.scoville.core.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code action_runs} and {@code status_page_drafts} tables. Every call blocks. */
final class AuditLog {
  private static final String COLUMNS =
      "id, action_name, run_kind, requested_by, requested_role, requested_at, incident_id,"
          + " incident_title, reason, parameters, idempotency_key, dry_run, approved_by, sent,"
          + " answer, outcome, detail, finished_at, rollback_of, rolled_back_by, approval_of";
  private static final int MAX_TEXT = 60_000;

  private final Database database;

  AuditLog(Database database) {
    this.database = database;
  }

  /** The stored run, and whether it is new or an earlier run with the same idempotency key. */
  record Stored(ActionRun run, boolean fresh) {}

  Stored insert(ActionRun run, String previousValue) {
    try {
      long id =
          database.inTransaction(
              c -> {
                try (PreparedStatement s =
                    c.prepareStatement(
                        "INSERT INTO action_runs (action_name, run_kind, requested_by,"
                            + " requested_role, requested_at, incident_id, incident_title, reason,"
                            + " parameters, idempotency_key, dry_run, approved_by, sent, answer,"
                            + " outcome, detail, finished_at, rollback_of, approval_of,"
                            + " previous_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                            + " ?, ?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                  s.setString(1, run.action());
                  s.setString(2, run.kind().name());
                  s.setString(3, run.requestedBy());
                  s.setString(4, run.requestedRole().name());
                  s.setTimestamp(5, Timestamp.from(run.requestedAt()));
                  s.setString(6, run.incidentId());
                  s.setString(7, run.incidentTitle());
                  s.setString(8, run.reason());
                  s.setString(9, json(run.parameters()));
                  s.setString(10, run.idempotencyKey());
                  s.setBoolean(11, run.dryRun());
                  s.setString(12, run.approvedBy());
                  s.setString(13, clip(run.sent()));
                  s.setString(14, clip(run.answer()));
                  s.setString(15, run.outcome().name());
                  s.setString(16, clipDetail(run.detail()));
                  s.setTimestamp(
                      17, run.finishedAt() == null ? null : Timestamp.from(run.finishedAt()));
                  setLong(s, 18, run.rollbackOf());
                  setLong(s, 19, run.approvalOf());
                  s.setString(20, previousValue);
                  s.executeUpdate();
                  try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                  }
                }
              });
      return new Stored(find(id).orElseThrow(), true);
    } catch (Database.DatabaseException e) {
      if (run.idempotencyKey() != null
          && e.getCause() instanceof SQLException sql
          && "23505".equals(sql.getSQLState())) {
        return new Stored(findByKey(run.idempotencyKey()).orElseThrow(() -> e), false);
      }
      throw e;
    }
  }

  ActionRun finish(
      long id,
      ActionRun.Outcome outcome,
      String sent,
      String answer,
      String detail,
      String previousValue,
      Instant at) {
    database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE action_runs SET outcome = ?, sent = ?,"
                      + " answer = ?, detail = ?, finished_at = ?,"
                      + " previous_value = COALESCE(?, previous_value) WHERE id = ?")) {
            s.setString(1, outcome.name());
            s.setString(2, clip(sent));
            s.setString(3, clip(answer));
            s.setString(4, clipDetail(detail));
            s.setTimestamp(5, Timestamp.from(at));
            s.setString(6, previousValue);
            s.setLong(7, id);
            s.executeUpdate();
          }
          return null;
        });
    return find(id).orElseThrow();
  }

  /**
   * Ends the runs a stopped process left running, as failed: nobody knows whether they took
   * effect, and an audit log that shows them running for ever would say something untrue.
   */
  int failInterrupted(Instant at) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE action_runs SET outcome = 'FAILED', detail = ?, finished_at = ?"
                      + " WHERE outcome = 'RUNNING'")) {
            s.setString(1, "interrupted: Scoville stopped while it ran; check whether it took"
                + " effect before running it again");
            s.setTimestamp(2, Timestamp.from(at));
            return s.executeUpdate();
          }
        });
  }

  /** Moves a run from awaiting approval to running; false when someone else got there first. */
  boolean claimApproval(long id, String approver) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE action_runs SET outcome = 'RUNNING',"
                      + " approved_by = ? WHERE id = ? AND outcome = 'AWAITING_APPROVAL'")) {
            s.setString(1, approver);
            s.setLong(2, id);
            return s.executeUpdate() == 1;
          }
        });
  }

  void markRolledBack(long id, long rollbackId) {
    database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE action_runs SET rolled_back_by = ? WHERE id = ?")) {
            s.setLong(1, rollbackId);
            s.setLong(2, id);
            return s.executeUpdate();
          }
        });
  }

  Optional<ActionRun> find(long id) {
    return one("SELECT " + COLUMNS + " FROM action_runs WHERE id = ?", s -> s.setLong(1, id));
  }

  Optional<ActionRun> findByKey(String key) {
    return one(
        "SELECT " + COLUMNS + " FROM action_runs WHERE idempotency_key = ?",
        s -> s.setString(1, key));
  }

  String previousValue(long id) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT previous_value FROM action_runs WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? rs.getString(1) : null;
            }
          }
        });
  }

  /** When the action last succeeded (rollbacks aside), for its cooldown. */
  Optional<Instant> lastSuccess(String action) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT MAX(finished_at) FROM action_runs"
                      + " WHERE action_name = ? AND outcome = 'SUCCEEDED' AND run_kind = 'RUN'")) {
            s.setString(1, action);
            try (ResultSet rs = s.executeQuery()) {
              Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
              return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
          }
        });
  }

  List<ActionRun> recent(int limit) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT " + COLUMNS + " FROM action_runs ORDER BY id DESC")) {
            s.setMaxRows(limit);
            try (ResultSet rs = s.executeQuery()) {
              List<ActionRun> runs = new ArrayList<>();
              while (rs.next()) {
                runs.add(run(rs));
              }
              return runs;
            }
          }
        });
  }

  StatusPageDraft insertDraft(
      long runId, String incidentId, String headline, String body, Instant at) {
    long id =
        database.inTransaction(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO status_page_drafts (run_id,"
                          + " incident_id, headline, body, created_at) VALUES (?, ?, ?, ?, ?)",
                      Statement.RETURN_GENERATED_KEYS)) {
                s.setLong(1, runId);
                s.setString(2, incidentId);
                s.setString(3, headline);
                s.setString(4, body);
                s.setTimestamp(5, Timestamp.from(at));
                s.executeUpdate();
                try (ResultSet keys = s.getGeneratedKeys()) {
                  keys.next();
                  return keys.getLong(1);
                }
              }
            });
    return new StatusPageDraft(id, runId, incidentId, headline, body, at);
  }

  List<StatusPageDraft> drafts() {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT id, run_id, incident_id, headline, body,"
                          + " created_at FROM status_page_drafts ORDER BY id DESC");
              ResultSet rs = s.executeQuery()) {
            List<StatusPageDraft> drafts = new ArrayList<>();
            while (rs.next()) {
              drafts.add(
                  new StatusPageDraft(
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getTimestamp(6).toInstant()));
            }
            return drafts;
          }
        });
  }

  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private Optional<ActionRun> one(String sql, Binder binder) {
    return database.inTransaction(c -> query(c, sql, binder));
  }

  private static Optional<ActionRun> query(Connection c, String sql, Binder binder)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(run(rs)) : Optional.empty();
      }
    }
  }

  private static ActionRun run(ResultSet rs) throws SQLException {
    Timestamp finished = rs.getTimestamp(18);
    return new ActionRun(
        rs.getLong(1),
        rs.getString(2),
        ActionRun.Kind.valueOf(rs.getString(3)),
        rs.getString(4),
        Actor.Role.valueOf(rs.getString(5)),
        rs.getTimestamp(6).toInstant(),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        parameters(rs.getString(10)),
        rs.getString(11),
        rs.getBoolean(12),
        rs.getString(13),
        rs.getString(14),
        rs.getString(15),
        ActionRun.Outcome.valueOf(rs.getString(16)),
        rs.getString(17),
        finished == null ? null : finished.toInstant(),
        nullableLong(rs, 19),
        nullableLong(rs, 20),
        nullableLong(rs, 21));
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  private static String json(Map<String, String> parameters) {
    try {
      return KillSwitches.JSON.writeValueAsString(parameters);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parameters(String json) {
    try {
      return KillSwitches.JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored parameters are not JSON: " + json, e);
    }
  }

  private static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
  }

  private static String clipDetail(String text) {
    return text == null || text.length() <= 1900 ? text : text.substring(0, 1900) + "…";
  }
}
