package dev.scoville.rules.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code receiver_health} table: the failing receivers as {@link ReceiverHealth} last saw
 * them. A row is replaced, never updated, so that writing it twice (a unit of a group commit may
 * run twice) is harmless. Instances sharing the database share the table: the receivers are the
 * same, and the instance that saw the latest change of a receiver's state has the last word.
 */
public final class ReceiverHealthTable {
  private ReceiverHealthTable() {}

  public static List<ReceiverHealth.Failing> load(Connection c) throws SQLException {
    List<ReceiverHealth.Failing> failing = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT receiver, failing_since, last_error, fallback_since FROM receiver_health ORDER BY receiver");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Timestamp fallbackSince = rs.getTimestamp(4);
        failing.add(new ReceiverHealth.Failing(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
            fallbackSince == null ? null : fallbackSince.toInstant()));
      }
    }
    return failing;
  }

  public static void failing(Connection c, ReceiverHealth.Failing failing) throws SQLException {
    healthy(c, failing.receiver());
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO receiver_health (receiver, failing_since, last_error, fallback_since) VALUES (?, ?, ?, ?)")) {
      String error = failing.lastError();
      insert.setString(1, failing.receiver());
      insert.setTimestamp(2, Timestamp.from(failing.failingSince()));
      insert.setString(3, error == null || error.length() <= 4000 ? error : error.substring(0, 4000));
      insert.setTimestamp(4, failing.fallbackSince() == null ? null : Timestamp.from(failing.fallbackSince()));
      insert.executeUpdate();
    }
  }

  public static void healthy(Connection c, String receiver) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM receiver_health WHERE receiver = ?")) {
      delete.setString(1, receiver);
      delete.executeUpdate();
    }
  }
}
