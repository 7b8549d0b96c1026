package dev.scoville.core;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * Scoville's database: H2 by default (a file under ./data), or PostgreSQL ({@code
 * jdbc:postgresql://…}) when several instances share one. Both through one HikariCP pool. Its
 * schema is made only by Flyway migrations, each module owning its own under {@code
 * db/migration/<module>} with a history table of its own, so modules evolve their tables
 * independently; the SQL is the part both databases accept. Calls block: never make them on an
 * event loop.
 */
public final class Database implements AutoCloseable {
  private static final int CONNECTIONS = 16;

  private final HikariDataSource pool;
  private final boolean embeddedFile;

  private Database(HikariDataSource pool, boolean embeddedFile) {
    this.pool = pool;
    this.embeddedFile = embeddedFile;
  }

  /** H2 as its default user: tests, benchmarks, and the embedded default. */
  public static Database open(String jdbcUrl) {
    return open(jdbcUrl, null, null);
  }

  /** {@code user} and {@code password} may be null: H2's {@code sa}, or what the URL says. */
  public static Database open(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("scoville-db");
    config.setJdbcUrl(tuned(jdbcUrl));
    config.setUsername(user == null && jdbcUrl.startsWith("jdbc:h2:") ? "sa" : user);
    config.setPassword(password);
    config.setMaximumPoolSize(CONNECTIONS);
    config.setMinimumIdle(2);
    return new Database(new HikariDataSource(config), embeddedFile(jdbcUrl));
  }

  /**
   * Whether this is an H2 file opened embedded: H2 then locks the file for this process alone, so
   * whatever a start finds in it that no one in this process wrote was left by a process that died.
   */
  public boolean embeddedFile() {
    return embeddedFile;
  }

  static boolean embeddedFile(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase();
    return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:") && !url.startsWith("jdbc:h2:tcp:")
        && !url.startsWith("jdbc:h2:ssl:") && !url.contains(";auto_server=true");
  }

  /** Applies the migrations of one module ({@code classpath:db/migration/<module>}). */
  public void migrate(String module) {
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration/" + module)
        .table("schema_history_" + module)
        // The schema already holds other modules' tables: start this module's history at zero.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /**
   * H2 writes a commit to its file up to half a second later by default, so a killed process
   * loses what it had committed: incidents and the outbox rows that must outlive it. Unless the
   * URL says otherwise, commits are written at once. H2 also parses a statement again once it
   * falls out of a session's cache of 8, fewer than opening an incident alone prepares.
   */
  static String tuned(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:h2:")) {
      return jdbcUrl;
    }
    String upper = jdbcUrl.toUpperCase();
    String url = jdbcUrl;
    if (!jdbcUrl.startsWith("jdbc:h2:mem:") && !upper.contains("WRITE_DELAY=")) {
      url += ";WRITE_DELAY=0";
    }
    return upper.contains("QUERY_CACHE_SIZE=") ? url : url + ";QUERY_CACHE_SIZE=64";
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T inTransaction(SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Work done with a connection inside a transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** An SQL failure, unchecked so that callers on worker threads can let it travel. */
  public static final class DatabaseException extends RuntimeException {
    DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
