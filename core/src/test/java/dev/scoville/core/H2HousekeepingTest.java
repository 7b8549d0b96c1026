package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2HousekeepingTest {
  private static final int COMMITS = 2_000;

  @Test
  void rewritesTheChunksThatCommitsWrittenAtOnceLeaveBehindAndKeepsEveryRow(@TempDir Path dir) throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    // No retention time, so that the chunks rewritten are freed at once rather than in 45 s.
    h2.setURL("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0;RETENTION_TIME=0");
    try (Connection c = h2.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE incident (id BIGINT PRIMARY KEY, state VARCHAR(20), summary VARCHAR(200))");
      }
      // As incidents are: each opened in a commit of its own and resolved a little later, so that
      // every chunk keeps some pages that later commits leave alone.
      for (int i = 0; i < COMMITS; i++) {
        try (PreparedStatement open = c.prepareStatement("INSERT INTO incident VALUES (?, 'TRIGGERED', ?)")) {
          open.setLong(1, i);
          open.setString(2, "queue " + i + " is stuck on the checkout path of the hot-sauce shop");
          open.executeUpdate();
        }
        if (i >= 10) {
          try (PreparedStatement resolve = c.prepareStatement("UPDATE incident SET state = 'RESOLVED' WHERE id = ?")) {
            resolve.setLong(1, i - 10);
            resolve.executeUpdate();
          }
        }
      }
      int leftBehind = chunks(c);
      // H2 alone frees only the chunks whose pages all died; one live page keeps a chunk.
      assertThat(leftBehind).isGreaterThan(50);

      H2Housekeeping housekeeping = H2Housekeeping.of(h2);
      for (int run = 0; run < 20; run++) {
        housekeeping.runOnce();
        // The rewritten pages are written, and the chunks they left freed, by the next commit.
        try (Statement st = c.createStatement()) {
          st.executeUpdate("UPDATE incident SET summary = 'run " + run + "' WHERE id = 0");
        }
      }

      assertThat(chunks(c)).isLessThan(leftBehind / 10);
      try (Statement st = c.createStatement();
          ResultSet rows = st.executeQuery("SELECT COUNT(*), SUM(CASE WHEN state = 'RESOLVED' THEN 1 ELSE 0 END) FROM incident")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(COMMITS);
        assertThat(rows.getInt(2)).isEqualTo(COMMITS - 10);
      }
    }
  }

  @Test
  void leavesAnH2ThatWritesCommitsLateToItsOwnHousekeeping(@TempDir Path dir) throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + dir.resolve("db"));
    try (Connection kept = h2.getConnection()) {
      assertThat(H2Housekeeping.of(h2)).isNull();
    }
  }

  private static int chunks(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CHUNK_COUNT'")) {
      rs.next();
      return Integer.parseInt(rs.getString(1));
    }
  }
}
