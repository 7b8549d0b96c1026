package dev.scoville.core;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Scoville's database: H2 by default (a file under ./data), its schema made only by the Flyway
 * migrations under {@code db/migration} of every module. Calls block: never make them on an
 * event loop.
 */
public final class Database implements AutoCloseable {
  private final JdbcConnectionPool pool;

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  public static Database open(String jdbcUrl) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
    pool.setMaxConnections(16);
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return new Database(pool);
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
