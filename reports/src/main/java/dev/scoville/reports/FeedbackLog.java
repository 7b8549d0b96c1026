package dev.scoville.reports;

import dev.scoville.core.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customer feedback kept in the database's {@code feedback} table (reports migration V3), for the
 * post-peak report of any window: the series keep only the mean score, and only for the in-memory
 * retention. {@link #add} only queues (it is called from event sources, which must not wait on
 * JDBC); a writer thread stores the queue every second and deletes rows older than the
 * retention every hour.
 */
public final class FeedbackLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackLog.class);
  /** At the demo's pace (about 0.4 a second) this is days of a database that does not answer. */
  private static final int MAX_QUEUED = 100_000;
  private static final int BATCH = 5_000;
  private static final int MAX_TEXT = 200;
  private static final int MAX_COMMENT = 1000;

  private final Database database;
  private final Clock clock;
  private final Duration retention;
  private final Queue<Feedback> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "feedback-log");
    t.setDaemon(true);
    return t;
  });

  /** Applies the reports migrations; {@code retention}: how long rows are kept (the history's). */
  public FeedbackLog(Database database, Clock clock, Duration retention) {
    this.database = database;
    this.clock = clock;
    this.retention = retention;
    database.migrate("reports");
  }

  /** Queues one feedback for the writer; never blocks. Beyond 100,000 waiting, it is dropped and counted. */
  public void add(Feedback feedback) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      if (dropped.getAndIncrement() % 10_000 == 0) {
        LOG.warn("Feedback dropped: {} waiting for a database that does not take them ({} dropped so far)",
            MAX_QUEUED, dropped.get());
      }
      return;
    }
    queue.add(feedback);
  }

  /** Writes what is queued every second and expires old rows every hour, until closed. */
  public void start() {
    writer.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    writer.scheduleWithFixedDelay(() -> {
      try {
        expire();
      } catch (RuntimeException e) {
        LOG.warn("Old feedback not deleted: {}", e.toString());
      }
    }, 1, 60, TimeUnit.MINUTES);
  }

  /** Writes everything queued; returns how many. On a database error they stay queued. */
  public int flush() {
    int written = 0;
    while (true) {
      List<Feedback> batch = new ArrayList<>();
      Feedback next;
      while (batch.size() < BATCH && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        return written;
      }
      try {
        database.inTransaction(c -> insert(c, batch));
      } catch (RuntimeException e) {
        queue.addAll(batch);
        throw e;
      }
      queued.addAndGet(-batch.size());
      written += batch.size();
    }
  }

  /** Deletes feedback older than the retention; returns how many. */
  public int expire() {
    Timestamp before = Timestamp.from(clock.instant().minus(retention));
    return database.inTransaction(c -> {
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM feedback WHERE at < ?")) {
        delete.setTimestamp(1, before);
        return delete.executeUpdate();
      }
    });
  }

  /** The summary of {@code [from, to)}, with what is still queued written first. */
  public FeedbackSummary summary(Instant from, Instant to) {
    flushQuietly();
    return summary(database, from, to);
  }

  /**
   * The summary of {@code [from, to)} from a database a Scoville wrote (the report command reads
   * it so): the rows are read once, in time order, and added up as they come.
   */
  public static FeedbackSummary summary(Database database, Instant from, Instant to) {
    return database.inTransaction(c -> {
      FeedbackSummary.Tally tally = new FeedbackSummary.Tally(from, to);
      try (PreparedStatement select = c.prepareStatement(
          "SELECT at, score, page, topic FROM feedback WHERE at >= ? AND at < ?")) {
        select.setTimestamp(1, Timestamp.from(from));
        select.setTimestamp(2, Timestamp.from(to));
        select.setFetchSize(1000);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            tally.add(rows.getTimestamp(1).toInstant(), rows.getInt(2),
                Feedback.subject(rows.getString(3), rows.getString(4)));
          }
        }
      }
      List<Feedback> comments = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement("SELECT at, shop, score, page, topic, comment FROM feedback"
          + " WHERE at >= ? AND at < ? AND score <= ? AND comment <> '' ORDER BY at DESC, id DESC FETCH FIRST ? ROWS ONLY")) {
        select.setTimestamp(1, Timestamp.from(from));
        select.setTimestamp(2, Timestamp.from(to));
        select.setInt(3, FeedbackSummary.LOW);
        select.setInt(4, FeedbackSummary.COMMENTS);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            comments.add(new Feedback(rows.getTimestamp(1).toInstant(), rows.getString(2), rows.getInt(3),
                rows.getString(4), rows.getString(5), rows.getString(6)));
          }
        }
      }
      return tally.summary(comments);
    });
  }

  private static int insert(Connection c, List<Feedback> batch) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO feedback (at, shop, score, page, topic, comment) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Feedback f : batch) {
        insert.setTimestamp(1, Timestamp.from(f.at()));
        insert.setString(2, cut(f.shop(), MAX_TEXT));
        insert.setInt(3, f.score());
        insert.setString(4, cut(f.page(), MAX_TEXT));
        insert.setString(5, cut(f.topic(), MAX_TEXT));
        insert.setString(6, cut(f.comment(), MAX_COMMENT));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return batch.size();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Feedback not written yet ({} waiting): {}", queued.get(), e.toString());
    }
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  @Override
  public void close() {
    writer.shutdownNow();
    flushQuietly();
  }
}
