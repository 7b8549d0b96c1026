package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules' active alerts in the {@code alert_state} table, read at start and written as they
 * change, in the transaction of the incidents they opened or resolved.
 */
final class AlertStateStore {
  /**
   * Keeps nothing, for instances sharing their database: the table has no column saying whose
   * alerts a row holds, and an instance taking back another's alerts at start would resolve them
   * at its first evaluation, as its own series do not show them.
   */
  static final AlertStateStore NONE = new AlertStateStore(null);

  private final Database database;

  AlertStateStore(Database database) {
    this.database = database;
  }

  /** Whether alerts are kept at all. */
  boolean keeps() {
    return database != null;
  }

  /** Every rule's kept alerts, by rule name. */
  Map<String, List<AlertRule.Stored>> load() {
    if (database == null) {
      return Map.of();
    }
    return database.inTransaction(c -> {
      Map<String, List<AlertRule.Stored>> byRule = new LinkedHashMap<>();
      try (PreparedStatement st = c.prepareStatement(
          "SELECT rule, labels, group_labels, active_since, firing FROM alert_state ORDER BY rule, active_since");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byRule.computeIfAbsent(rs.getString(1), r -> new ArrayList<>()).add(new AlertRule.Stored(
              labels(rs.getString(2)), labels(rs.getString(3)), rs.getTimestamp(4).toInstant(), rs.getBoolean(5)));
        }
      }
      return byRule;
    });
  }

  /**
   * Replaces what is kept of {@code rule} by {@code now}, writing only the differences from {@code
   * before}, or everything when {@code before} is null (what is kept is not known).
   */
  static void save(Connection c, String rule, Map<Labels, AlertRule.Stored> before, Map<Labels, AlertRule.Stored> now)
      throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM alert_state WHERE rule = ? AND labels = ?");
        PreparedStatement insert = c.prepareStatement("INSERT INTO alert_state (rule, labels, group_labels,"
            + " active_since, firing) VALUES (?, ?, ?, ?, ?)")) {
      if (before == null) {
        try (PreparedStatement all = c.prepareStatement("DELETE FROM alert_state WHERE rule = ?")) {
          all.setString(1, rule);
          all.executeUpdate();
        }
      }
      Map<Labels, AlertRule.Stored> kept = before == null ? Map.of() : before;
      List<AlertRule.Stored> changed = now.values().stream().filter(s -> !s.equals(kept.get(s.labels()))).toList();
      for (Labels labels : kept.keySet()) {
        if (!now.containsKey(labels) || !now.get(labels).equals(kept.get(labels))) {
          delete.setString(1, rule);
          delete.setString(2, json(labels));
          delete.addBatch();
        }
      }
      delete.executeBatch();
      for (AlertRule.Stored s : changed) {
        insert.setString(1, rule);
        insert.setString(2, json(s.labels()));
        insert.setString(3, json(s.groupLabels()));
        insert.setTimestamp(4, Timestamp.from(s.since()));
        insert.setBoolean(5, s.firing());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Forgets a rule that is no longer loaded. */
  void forget(String rule) {
    if (database == null) {
      return;
    }
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM alert_state WHERE rule = ?")) {
        st.setString(1, rule);
        st.executeUpdate();
      }
      return null;
    });
  }

  /** The kept alerts of {@code stored} that fire, one per incident. */
  static Collection<AlertRule.Stored> firingGroups(List<AlertRule.Stored> stored) {
    Map<Labels, AlertRule.Stored> groups = new LinkedHashMap<>();
    stored.stream().filter(AlertRule.Stored::firing).forEach(s -> groups.putIfAbsent(s.groupLabels(), s));
    return groups.values();
  }

  private static String json(Labels labels) {
    return new JsonObject(new LinkedHashMap<>(new TreeMap<String, Object>(labels.toMap()))).encode();
  }

  private static Labels labels(String json) {
    Map<String, String> map = new HashMap<>();
    new JsonObject(json).forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    return Labels.fromMap(map);
  }
}
