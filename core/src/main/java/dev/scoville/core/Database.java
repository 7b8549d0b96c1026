package dev.scoville.core;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Scoville's database: H2 by default (a file under ./data). Its schema is made only by Flyway
 * migrations, each module owning its own under {@code db/migration/<module>} with a history table
 * of its own, so modules evolve their tables independently. Calls block: never make them on an
 * event loop.
 */
public final class Database implements AutoCloseable {
  private final JdbcConnectionPool pool;

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  public static Database open(String jdbcUrl) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(tuned(jdbcUrl), "sa", "");
    pool.setMaxConnections(16);
    return new Database(pool);
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
    pool.dispose();
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
