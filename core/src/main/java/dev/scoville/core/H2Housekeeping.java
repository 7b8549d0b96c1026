package dev.scoville.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeping that H2 does on its own only when it writes commits late. Scoville writes each
 * commit at once ({@code WRITE_DELAY=0}), which turns off H2's background writer and with it the
 * rewriting of chunks that still hold a few live pages: every commit appends a chunk, a chunk whose
 * pages all died is freed after H2's retention time (45 s), and one that keeps a live page stays
 * for good. Under a steady load of incidents the file then grows for as long as the load lasts
 * ({@code DatabaseFileGrowth} at 400 incidents/s: from 1,303 MB after a minute to 2,188 MB after
 * four, still growing; with this, level at about 1,650 MB from the second minute). So every half second this rewrites live pages out of old chunks while less
 * than half of what the chunks hold is live, as H2's background writer does while the file is busy
 * ({@link MVStore#compact}); the chunks they leave are freed by the commits that follow. H2's public
 * compaction picks chunks by age and fill together, so it may also move some that are full: the
 * threshold keeps it to files that are mostly dead chunks, where that is the smaller cost.
 *
 * <p>The retention time stays H2's: with 5 s, the committer spent a quarter less CPU per alert at
 * 1,000 alerts/s, but a process killed with SIGKILL lost commits it had answered for
 * ({@code IntakeDurabilityTest} failed in 3 of 8 runs).
 */
final class H2Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  private static final Duration INTERVAL = Duration.ofMillis(500);
  /** Chunks are rewritten while less than this percentage of their bytes is live (H2's own while busy: 45). */
  private static final int TARGET_FILL_RATE = 50;
  /** Live bytes rewritten per run at most, so that one run holds H2's store lock briefly. */
  private static final int REWRITE_LIMIT = 8 << 20;

  private final MVStore store;
  private ScheduledExecutorService thread;

  private H2Housekeeping(MVStore store) {
    this.store = store;
  }

  /**
   * Housekeeping for the H2 database behind {@code pool}, or null when H2 keeps house itself (it
   * writes commits late) or there is nothing to keep (in memory).
   */
  static H2Housekeeping of(DataSource pool) throws SQLException {
    MVStore store;
    try (Connection connection = pool.getConnection()) {
      store = ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }
    if (store.getFileStore() == null || store.getAutoCommitDelay() != 0) {
      return null;
    }
    return new H2Housekeeping(store);
  }

  /** Starts running {@link #runOnce} every half second. */
  H2Housekeeping start() {
    thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread t = new Thread(runnable, "scoville-db-housekeeping");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::runSafely, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Rewrites sparse chunks; their space is freed at a later commit. */
  void runOnce() {
    store.compact(TARGET_FILL_RATE, REWRITE_LIMIT);
  }

  private void runSafely() {
    if (store.isClosed()) {
      return;
    }
    try {
      runOnce();
    } catch (MVStoreException | IllegalStateException e) {
      // Closed between the check and the work, or a rewrite that H2 refused this time: the next run tries again.
      if (!store.isClosed()) {
        LOG.warn("H2 housekeeping failed; trying again in {} ms", INTERVAL.toMillis(), e);
      }
    }
  }

  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
