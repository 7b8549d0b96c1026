package dev.scoville.collector;

import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes one-minute rollups of every series to {@code series_rollup} and reads them back, for
 * reports and for restart. Calls block on JDBC: the application schedules {@link
 * #writeCompletedMinutes()} about once a minute on a worker thread.
 */
public final class RollupWriter {
  private static final long MINUTE_MILLIS = 60_000;

  /** A scrape in flight at a minute's end still lands in that minute if it arrives this late. */
  private static final long LATENESS_MILLIS = 10_000;

  private static final int ROWS_PER_TRANSACTION = 5_000;

  private final SeriesStore store;
  private final Database database;
  private final Clock clock;
  private boolean resumed;
  private long nextMinuteMillis = Long.MIN_VALUE;

  /** Expects the collector's migrations applied: {@code database.migrate("collector")}. */
  public RollupWriter(SeriesStore store, Database database, Clock clock) {
    this.store = store;
    this.database = database;
    this.clock = clock;
  }

  /**
   * Writes a row per series for each minute completed since the last call (on the first call, since
   * the last minute in the table, so a restart neither skips nor repeats work). Returns the rows
   * written.
   */
  public synchronized int writeCompletedMinutes() {
    if (!resumed) {
      Long last = database.inTransaction(RollupWriter::lastWrittenMinute);
      if (last != null) {
        nextMinuteMillis = last + MINUTE_MILLIS;
      }
      resumed = true;
    }
    long end = Math.floorDiv(clock.millis() - LATENESS_MILLIS, MINUTE_MILLIS) * MINUTE_MILLIS;
    if (end <= nextMinuteMillis) {
      return 0;
    }
    int written = writeMinutes(nextMinuteMillis, end);
    nextMinuteMillis = end;
    return written;
  }

  /**
   * Rolls up the minutes in {@code [fromMillis, toMillis)}, replacing any rows already written for
   * the same series and minute.
   */
  int writeMinutes(long fromMillis, long toMillis) {
    PendingRows pending = new PendingRows();
    store.forEachSeries(fromMillis, toMillis - 1, series -> rollUp(series, pending));
    pending.flush();
    return pending.written;
  }

  /**
   * Refills the store after a restart with each series' last value of every minute still within
   * {@code retention}, stamped at the minute's end, so that rules and the board see the recent
   * past at one-minute resolution. Returns the samples appended.
   */
  public int restore(Duration retention) {
    long now = clock.millis();
    List<Rollup> rollups = read(List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Op.REGEX, ".+")),
        now - retention.toMillis(), now);
    List<Sample> samples = new ArrayList<>(rollups.size());
    for (Rollup rollup : rollups) {
      samples.add(new Sample(rollup.labels(), rollup.minuteStartMillis() + MINUTE_MILLIS - 1, rollup.last()));
    }
    // The store wants each series' samples in time order.
    samples.sort(Comparator.comparingLong(Sample::timestampMillis));
    return store.append(samples);
  }

  /**
   * Rollups of the series the matchers select whose minute starts in {@code [fromMillis,
   * toMillis]}.
   */
  public List<Rollup> read(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
    String metricName = null;
    for (LabelMatcher matcher : matchers) {
      if (matcher.name().equals(Labels.METRIC_NAME)
          && matcher.op() == LabelMatcher.Op.EQUAL
          && !matcher.value().isEmpty()) {
        metricName = matcher.value();
      }
    }
    String sql =
        "SELECT series, minute_start_millis, min_value, max_value, sum_value, sample_count,"
            + " last_value FROM series_rollup WHERE minute_start_millis BETWEEN ? AND ?"
            + (metricName == null ? "" : " AND metric_name = ?")
            + " ORDER BY series, minute_start_millis";
    String name = metricName;
    return database.inTransaction(
        connection -> {
          List<Rollup> rollups = new ArrayList<>();
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, fromMillis);
            query.setLong(2, toMillis);
            if (name != null) {
              query.setString(3, name);
            }
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                Labels labels = LabelsText.parse(rows.getString(1));
                if (matchers.stream().allMatch(m -> m.matches(labels))) {
                  rollups.add(
                      new Rollup(
                          labels,
                          rows.getLong(2),
                          rows.getDouble(3),
                          rows.getDouble(4),
                          rows.getDouble(5),
                          rows.getInt(6),
                          rows.getDouble(7)));
                }
              }
            }
          }
          return rollups;
        });
  }

  private static void rollUp(Series series, PendingRows pending) {
    long minute = 0;
    double min = 0;
    double max = 0;
    double sum = 0;
    int count = 0;
    double last = 0;
    for (int i = 0; i < series.size(); i++) {
      double value = series.valueAt(i);
      if (Double.isNaN(value)) {
        continue;
      }
      long sampleMinute = Math.floorDiv(series.timestampAt(i), MINUTE_MILLIS) * MINUTE_MILLIS;
      if (count > 0 && sampleMinute != minute) {
        pending.add(new Rollup(series.labels(), minute, min, max, sum, count, last));
        count = 0;
      }
      if (count == 0) {
        minute = sampleMinute;
        min = value;
        max = value;
        sum = 0;
      }
      min = Math.min(min, value);
      max = Math.max(max, value);
      sum += value;
      last = value;
      count++;
    }
    if (count > 0) {
      pending.add(new Rollup(series.labels(), minute, min, max, sum, count, last));
    }
  }

  private static Long lastWrittenMinute(Connection connection) throws SQLException {
    try (PreparedStatement query =
            connection.prepareStatement("SELECT MAX(minute_start_millis) FROM series_rollup");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      long last = rows.getLong(1);
      return rows.wasNull() ? null : last;
    }
  }

  /** Rows waiting to be written, committed in bounded transactions. */
  private final class PendingRows {
    private final List<Rollup> rows = new ArrayList<>();
    private int written;

    void add(Rollup rollup) {
      rows.add(rollup);
      if (rows.size() >= ROWS_PER_TRANSACTION) {
        flush();
      }
    }

    void flush() {
      if (!rows.isEmpty()) {
        written += database.inTransaction(this::replaceRows);
        rows.clear();
      }
    }

    // Delete-then-insert instead of MERGE or ON CONFLICT: plain SQL that H2 and PostgreSQL agree
    // on.
    private int replaceRows(Connection connection) throws SQLException {
      try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM series_rollup WHERE series = ? AND minute_start_millis = ?");
          PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO series_rollup (series, metric_name, minute_start_millis, min_value,"
                      + " max_value, sum_value, sample_count, last_value)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Rollup rollup : rows) {
          String series = rollup.labels().toString();
          String metricName = rollup.labels().metricName();
          delete.setString(1, series);
          delete.setLong(2, rollup.minuteStartMillis());
          delete.addBatch();
          insert.setString(1, series);
          insert.setString(2, metricName == null ? "" : metricName);
          insert.setLong(3, rollup.minuteStartMillis());
          insert.setDouble(4, rollup.min());
          insert.setDouble(5, rollup.max());
          insert.setDouble(6, rollup.sum());
          insert.setInt(7, rollup.count());
          insert.setDouble(8, rollup.last());
          insert.addBatch();
        }
        delete.executeBatch();
        insert.executeBatch();
      }
      return rows.size();
    }
  }
}
