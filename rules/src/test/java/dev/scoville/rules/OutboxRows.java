package dev.scoville.rules;

import dev.scoville.core.Database;
import java.util.ArrayList;
import java.util.List;

/** What the outbox holds for an incident at one channel, as "action STATUS" lines, oldest first. */
final class OutboxRows {
  private OutboxRows() {}

  static List<String> of(Database database, long incidentId, String channel) {
    return database.inTransaction(c -> {
      try (var st = c.prepareStatement("SELECT action, status FROM outbox WHERE incident_id = ? AND channel = ? ORDER BY id")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        List<String> rows = new ArrayList<>();
        try (var rs = st.executeQuery()) {
          while (rs.next()) {
            rows.add(rs.getString(1) + " " + rs.getString(2));
          }
        }
        return rows;
      }
    });
  }
}
