package dev.scoville.benchmarks;

import dev.scoville.core.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * How an H2 file written at every commit grows, with H2 alone and with Scoville's {@link Database}
 * (which keeps house in it), one after the other on the same load: incidents opened, paged and
 * resolved as the alert pipeline writes them, three commits each. Prints the file's size and H2's
 * chunk count every 15 s. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.scoville.benchmarks.DatabaseFileGrowth [seconds each] [incidents per second]}.
 */
public final class DatabaseFileGrowth {
  /** Incidents stay open this many openings before they resolve. */
  private static final int OPEN = 100;

  private DatabaseFileGrowth() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 240;
    int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    Path directory = Files.createTempDirectory("scoville-file-growth");
    try {
      JdbcDataSource h2 = new JdbcDataSource();
      // The settings Scoville's Database gives an H2 file, without its housekeeping.
      h2.setURL("jdbc:h2:file:" + directory.resolve("alone") + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
      try (Connection keptOpen = h2.getConnection()) {
        run("H2 alone", h2, directory.resolve("alone.mv.db"), seconds, perSecond);
      }
      try (Database database = Database.open("jdbc:h2:file:" + directory.resolve("scoville"))) {
        run("Scoville's Database", database.dataSource(), directory.resolve("scoville.mv.db"), seconds, perSecond);
      }
    } finally {
      LocalResources.deleteTree(directory);
    }
  }

  private static void run(String name, DataSource db, Path file, int seconds, int perSecond) throws Exception {
    inTransaction(db, c -> {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE incident (id BIGINT PRIMARY KEY, state VARCHAR(20), summary VARCHAR(300), opened_at TIMESTAMP)");
        st.execute("CREATE TABLE incident_event (id BIGINT PRIMARY KEY, incident_id BIGINT, text VARCHAR(300))");
        st.execute("CREATE INDEX incident_event_incident ON incident_event (incident_id)");
        st.execute("CREATE TABLE outbox (id BIGINT PRIMARY KEY, incident_id BIGINT, status VARCHAR(20), payload VARCHAR(500))");
        st.execute("CREATE INDEX outbox_status ON outbox (status)");
      }
    });
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = start + TimeUnit.SECONDS.toNanos(15);
    long next = start;
    long incidents = 0;
    while (System.nanoTime() < end) {
      long id = incidents++;
      open(db, id);
      inTransaction(db, c -> update(c, "UPDATE outbox SET status = 'DELIVERED' WHERE id = ?", id * 2));
      if (id >= OPEN) {
        resolve(db, id - OPEN);
      }
      next += 1_000_000_000L / perSecond;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
      if (System.nanoTime() >= nextReport) {
        nextReport += TimeUnit.SECONDS.toNanos(15);
        System.out.printf("%s, %3d s: %,d incidents, file %,d MB, %,d chunks%n", name,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), incidents, Files.size(file) >> 20, chunks(db));
      }
    }
  }

  private static void open(DataSource db, long id) throws SQLException {
    inTransaction(db, c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO incident VALUES (?, 'TRIGGERED', ?, CURRENT_TIMESTAMP)")) {
        st.setLong(1, id);
        st.setString(2, "Queue " + id + " is stuck on the checkout path");
        st.executeUpdate();
      }
      insert(c, "INSERT INTO incident_event VALUES (?, ?, ?)", id * 2, id, "triggered: value 1.0, active since a second ago");
      insert(c, "INSERT INTO outbox VALUES (?, ?, 'PENDING', ?)", id * 2, id,
          "{\"routing_key\":\"0123456789abcdef0123456789abcdef\",\"event_action\":\"trigger\",\"dedup_key\":\"scoville-" + id + "\"}");
    });
  }

  private static void resolve(DataSource db, long id) throws SQLException {
    inTransaction(db, c -> {
      update(c, "UPDATE incident SET state = 'RESOLVED' WHERE id = ?", id);
      insert(c, "INSERT INTO incident_event VALUES (?, ?, ?)", id * 2 + 1, id, "resolved: the rule no longer fires");
      insert(c, "INSERT INTO outbox VALUES (?, ?, 'DELIVERED', ?)", id * 2 + 1, id, "{\"event_action\":\"resolve\"}");
    });
  }

  private static void insert(Connection c, String sql, long id, long incident, String text) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, id);
      st.setLong(2, incident);
      st.setString(3, text);
      st.executeUpdate();
    }
  }

  private static void update(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, id);
      st.executeUpdate();
    }
  }

  private static long chunks(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CHUNK_COUNT'")) {
      rs.next();
      return Long.parseLong(rs.getString(1));
    }
  }

  private static void inTransaction(DataSource db, Work work) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      work.run(c);
      c.commit();
    }
  }

  @FunctionalInterface
  private interface Work {
    void run(Connection c) throws SQLException;
  }
}
