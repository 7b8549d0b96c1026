package dev.scoville.reports;

import dev.scoville.core.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The follow-up list in the database (reports migration V2): staff add items, set their priority
 * and close them; the post-peak report ends with the open ones, highest priority first. Calls
 * block on JDBC: never make them on an event loop.
 */
public final class FollowUps {
  private static final int MAX_TITLE = 300;
  private static final String COLUMNS = "id, title, priority, incident_id, created_by, created_at, done_by, done_at";
  /** HIGH, MEDIUM, LOW in that order, whatever the text sorts to. */
  private static final String BY_PRIORITY =
      " ORDER BY CASE priority WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END, created_at, id";

  private final Database database;
  private final Clock clock;

  /** Expects the reports migrations applied: {@code database.migrate("reports")}. */
  public FollowUps(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Adds an item; a blank title or one over 300 characters is refused with the reason. */
  public FollowUp add(String title, FollowUp.Priority priority, Long incidentId, String by) {
    String text = title == null ? "" : title.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a follow-up needs a title");
    }
    if (text.length() > MAX_TITLE) {
      throw new IllegalArgumentException("a follow-up's title is at most " + MAX_TITLE + " characters, got "
          + text.length());
    }
    Timestamp now = Timestamp.from(clock.instant());
    long id = database.inTransaction(c -> {
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO follow_up (title, priority, incident_id,"
          + " created_by, created_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        insert.setString(1, text);
        insert.setString(2, priority.name());
        insert.setObject(3, incidentId);
        insert.setString(4, by);
        insert.setTimestamp(5, now);
        insert.executeUpdate();
        try (ResultSet keys = insert.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
    return find(id).orElseThrow();
  }

  /** Sets an open item's priority; false when there is no such open item. */
  public boolean prioritise(long id, FollowUp.Priority priority) {
    return database.inTransaction(c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE follow_up SET priority = ? WHERE id = ? AND done_at IS NULL")) {
        update.setString(1, priority.name());
        update.setLong(2, id);
        return update.executeUpdate() == 1;
      }
    });
  }

  /** Closes an open item as done by {@code by}; false when there is no such open item. */
  public boolean close(long id, String by) {
    return database.inTransaction(c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE follow_up SET done_by = ?, done_at = ? WHERE id = ? AND done_at IS NULL")) {
        update.setString(1, by);
        update.setTimestamp(2, Timestamp.from(clock.instant()));
        update.setLong(3, id);
        return update.executeUpdate() == 1;
      }
    });
  }

  /** The open items, highest priority first, then oldest first. */
  public List<FollowUp> open() {
    return database.inTransaction(c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM follow_up WHERE done_at IS NULL"
          + BY_PRIORITY)) {
        return read(select);
      }
    });
  }

  public Optional<FollowUp> find(long id) {
    return database.inTransaction(c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM follow_up WHERE id = ?")) {
        select.setLong(1, id);
        return read(select).stream().findFirst();
      }
    });
  }

  private static List<FollowUp> read(PreparedStatement select) throws SQLException {
    List<FollowUp> items = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        Timestamp done = rows.getTimestamp(8);
        items.add(new FollowUp(rows.getLong(1), rows.getString(2), FollowUp.Priority.valueOf(rows.getString(3)),
            rows.getObject(4, Long.class), rows.getString(5), rows.getTimestamp(6).toInstant(), rows.getString(7),
            done == null ? null : done.toInstant()));
      }
    }
    return items;
  }
}
