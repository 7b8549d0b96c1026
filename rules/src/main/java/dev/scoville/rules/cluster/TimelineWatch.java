package dev.scoville.rules.cluster;

import dev.scoville.core.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this instance of incident changes other instances sharing its database made, so that its
 * console shows them live: every change of an incident adds a row to its timeline ({@code
 * incident_event}), and this counts the newest rows every {@code every}. Portable SQL, no
 * PostgreSQL-only LISTEN/NOTIFY. It cannot tell its own instance's rows from others', so a
 * change made here is told twice (at once by the instance, then by this): a redraw showing
 * nothing new, which is cheaper than a column naming the writer of every row.
 */
public final class TimelineWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimelineWatch.class);
  /**
   * Rows are counted from this many ids below the newest: a transaction that took its id before
   * another but commits after it (ids are handed out at insert) is still seen.
   */
  private static final long TRAILING_IDS = 1_000;

  private final Database database;
  private final Runnable onChange;
  private final ScheduledExecutorService timer;
  private long floor;
  private long count;
  private boolean failing;

  private TimelineWatch(Database database, Runnable onChange) {
    this.database = database;
    this.onChange = onChange;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "timeline-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code onChange} on its own thread after each poll that finds timeline rows added. */
  public static TimelineWatch start(Database database, Duration every, Runnable onChange) {
    TimelineWatch watch = new TimelineWatch(database, onChange);
    long[] now = watch.countAbove(0);
    watch.floor = Math.max(0, now[1] - TRAILING_IDS);
    watch.count = watch.countAbove(watch.floor)[0];
    watch.timer.scheduleWithFixedDelay(watch::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  private void poll() {
    try {
      long[] now = countAbove(floor);
      failing = false;
      if (now[0] != count) {
        count = now[0];
        onChange.run();
      }
      if (now[1] - floor > 2 * TRAILING_IDS) {
        floor = now[1] - TRAILING_IDS;
        count = countAbove(floor)[0];
      }
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn("Incident changes of other instances not followed: {}", e.getMessage());
      }
      failing = true;
    }
  }

  /** The timeline rows above {@code id}, and the newest id (0 when none). */
  private long[] countAbove(long id) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*), MAX(id) FROM incident_event WHERE id > ?")) {
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return new long[] {rs.getLong(1), rs.getLong(2)};
        }
      }
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
