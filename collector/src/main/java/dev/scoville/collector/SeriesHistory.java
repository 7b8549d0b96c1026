package dev.scoville.collector;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.SeriesReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's samples kept in the database beyond its in-memory retention, for restart and
 * reports: each series' labels once in {@code history_series}, and every minute the samples of
 * all series that got any as Gorilla chunks, a few thousand series to a {@code history_block} row
 * (see {@code V2__history_chunks.sql}). Calls block on JDBC: the application calls {@link
 * #writeCompleted()} and {@link #deleteExpired()} about once a minute on a worker thread.
 */
public final class SeriesHistory {
  private static final long MINUTE_MILLIS = 60_000;

  /** A scrape in flight at a minute's end still lands in that minute if it arrives this late. */
  private static final long LATENESS_MILLIS = 10_000;

  /** A block row is cut at about this size: big enough that rows are few, small enough to stream. */
  private static final int PART_BYTES = 256 * 1024;

  /**
   * Block rows read per query on restore: pages by key, because a driver may hold a whole result
   * in memory (H2 does, up to its MAX_MEMORY_ROWS), and hours of blocks are gigabytes.
   */
  static final int RESTORE_PAGE_ROWS = 8;

  /**
   * How stale a dictionary entry's last_written_millis may get while its series is written. A day:
   * marking an entry written rewrites the database page it sits on, and with 100,000 series marked
   * hourly that was most of the dictionary's pages every minute.
   */
  private static final long TOUCH_EVERY_MILLIS = 24 * 60 * MINUTE_MILLIS;

  /** Consecutive ids marked written in the same minute, so that a minute's marks share pages. */
  private static final long TOUCH_GROUP_IDS = 256;

  /**
   * Dictionary inserts and marks sent to the database per batch: the first write after a start
   * names every series, and a batch of 100,000 held all their rows in memory at once.
   */
  private static final int DICTIONARY_BATCH = 1_000;

  /**
   * Dictionary entries looked up per query, by their labels' hashes: the first write names every
   * series, one query each before (100,000 queries at a fresh database's first full write).
   */
  static final int LOOKUP_BATCH = 500;

  /** How many series ahead of the one written the read-ahead reads each series' head word. */
  private static final int READ_AHEAD = 6;

  private final SeriesStore store;
  private final Database database;
  private final Clock clock;
  private final Duration retention;
  private final NumberRange seriesIds;
  private final NumberRange parts;
  private boolean resumed;
  private long nextStartMillis = Long.MIN_VALUE;
  /** Until this instance wrote a series: no dictionary entry to look for when the table was empty. */
  private boolean dictionaryEmpty;

  /**
   * Expects the collector's migrations applied: {@code database.migrate("collector")}. History
   * older than {@code retention} is deleted by {@link #deleteExpired()}.
   */
  public SeriesHistory(SeriesStore store, Database database, Clock clock, Duration retention) {
    this.store = store;
    this.database = database;
    this.clock = clock;
    this.retention = retention;
    this.seriesIds = new NumberRange(database, "series_id", 1024);
    this.parts = new NumberRange(database, "block_part", 16);
  }

  /**
   * Writes the samples of every minute completed since the last call (on the first call, since
   * the end of the last block written, so that a restart neither skips nor repeats samples), in
   * one transaction. Returns the samples written.
   */
  public synchronized int writeCompleted() {
    resume();
    long end = Math.floorDiv(clock.millis() - LATENESS_MILLIS, MINUTE_MILLIS) * MINUTE_MILLIS;
    if (end <= nextStartMillis) {
      return 0;
    }
    long start = nextStartMillis;
    int written = database.inTransaction(connection -> new BlockWrite(connection, start, end).write());
    nextStartMillis = end;
    dictionaryEmpty = false;
    return written;
  }

  /**
   * The once-a-minute upkeep: the minutes completed go to the database, history older than its
   * retention is deleted, and then the store forgets what its own retention no longer keeps (by
   * now written). Blocks on JDBC.
   */
  public void upkeep() {
    writeCompleted();
    deleteExpired();
    store.dropExpired();
  }

  /**
   * Refills the store after a restart with every sample of the last {@code window} (staleness
   * markers included), exactly as it was written. Reads a few block rows at a time: memory grows
   * with the series restored, not with their samples. Returns the samples appended.
   */
  public synchronized long restore(Duration window) {
    // From here on this instance writes what it gathers: with several instances writing one
    // database, resuming only at the first write would take another's newer blocks for its own.
    resume();
    long cutoff = clock.millis() - window.toMillis();
    return database.inTransaction(connection -> {
      Map<Long, Labels> dictionary = dictionary(connection, cutoff - TOUCH_EVERY_MILLIS);
      Map<Long, MemSeries> restored = new HashMap<>();
      long[] appended = {0};
      forEachBlock(connection, cutoff, Long.MAX_VALUE,
          payload -> appended[0] += restoreBlock(payload, dictionary, restored, cutoff));
      restored.forEach((id, series) -> series.historyId = id);
      return appended[0];
    });
  }

  /** The dictionary's series written since {@code lastWrittenFrom}, by id. */
  static Map<Long, Labels> dictionary(Connection connection, long lastWrittenFrom) throws SQLException {
    Map<Long, Labels> dictionary = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT id, labels FROM history_series WHERE last_written_millis >= ?")) {
      query.setLong(1, lastWrittenFrom);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          dictionary.put(rows.getLong(1), LabelsText.parse(rows.getString(2)));
        }
      }
    }
    return dictionary;
  }

  /** What is done with each block row's payload. */
  @FunctionalInterface
  interface BlockPayload {
    void accept(byte[] payload) throws SQLException;
  }

  /**
   * Hands over the payload of every block row overlapping {@code [fromMillis, toMillis)}, oldest
   * first, reading {@link #RESTORE_PAGE_ROWS} rows per query.
   */
  static void forEachBlock(Connection connection, long fromMillis, long toMillis, BlockPayload payloads)
      throws SQLException {
    long afterStart = Long.MIN_VALUE;
    int afterPart = -1;
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT start_millis, part, payload FROM history_block WHERE end_millis > ? AND start_millis < ?"
            + " AND (start_millis > ? OR (start_millis = ? AND part > ?))"
            + " ORDER BY start_millis, part FETCH FIRST " + RESTORE_PAGE_ROWS + " ROWS ONLY")) {
      int read;
      do {
        query.setLong(1, fromMillis);
        query.setLong(2, toMillis);
        query.setLong(3, afterStart);
        query.setLong(4, afterStart);
        query.setInt(5, afterPart);
        read = 0;
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            read++;
            afterStart = rows.getLong(1);
            afterPart = rows.getInt(2);
            payloads.accept(rows.getBytes(3));
          }
        }
      } while (read == RESTORE_PAGE_ROWS);
    }
  }

  /** A reader of any window the history holds, joined with the store's recent samples: for one report. */
  public SeriesReader reader() {
    return new HistoryReader(database, store);
  }

  private long restoreBlock(byte[] payload, Map<Long, Labels> dictionary, Map<Long, MemSeries> restored, long cutoff) {
    long appended = 0;
    HistoryBlock.Reader block = new HistoryBlock.Reader(payload);
    while (block.next()) {
      Labels labels = dictionary.get(block.id());
      if (labels == null) {
        continue;
      }
      MemSeries series = restored.computeIfAbsent(block.id(), id -> store.seriesFor(labels));
      ChunkIterator samples = block.samples();
      while (samples.next()) {
        if (samples.timestamp() >= cutoff
            && series.append(samples.timestamp(), samples.value()) == MemSeries.AppendResult.APPENDED) {
          appended++;
        }
      }
    }
    return appended;
  }

  /**
   * Deletes blocks that ended before now − retention, and dictionary entries no block needs any
   * more. Returns the block rows deleted.
   */
  public synchronized int deleteExpired() {
    long cutoff = clock.millis() - retention.toMillis();
    return database.inTransaction(connection -> {
      int deleted;
      try (PreparedStatement blocks = connection.prepareStatement("DELETE FROM history_block WHERE end_millis <= ?")) {
        blocks.setLong(1, cutoff);
        deleted = blocks.executeUpdate();
      }
      // A series written at time t was marked written no earlier than t − TOUCH_EVERY: keep its
      // entry that much longer than the blocks that name it.
      try (PreparedStatement series = connection.prepareStatement(
          "DELETE FROM history_series WHERE last_written_millis < ?")) {
        series.setLong(1, cutoff - TOUCH_EVERY_MILLIS);
        series.executeUpdate();
      }
      return deleted;
    });
  }

  private void resume() {
    if (resumed) {
      return;
    }
    database.inTransaction(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
              "SELECT (SELECT MAX(end_millis) FROM history_block), (SELECT MIN(id) FROM history_series)");
          ResultSet rows = query.executeQuery()) {
        rows.next();
        long end = rows.getLong(1);
        if (!rows.wasNull()) {
          nextStartMillis = end;
        }
        rows.getLong(2);
        dictionaryEmpty = rows.wasNull();
      }
      return null;
    });
    resumed = true;
  }

  /** One window's write: its block rows, and the dictionary entries its series need. */
  private final class BlockWrite {
    private final Connection connection;
    private final long start;
    private final long end;
    private final long now = clock.millis();
    private final HistoryBlock.Builder block = new HistoryBlock.Builder();
    private final MemSeries.CopyScratch copy = new MemSeries.CopyScratch();
    private final boolean dictionaryWasEmpty = dictionaryEmpty;
    private int samples;
    private PreparedStatement insertBlock;
    private PreparedStatement insertSeries;
    private PreparedStatement findSeries;
    private PreparedStatement touchSeries;
    private int pendingInserts;
    private int pendingTouches;
    /** What the read-ahead read: kept so that the reads are not optimised away. */
    @SuppressWarnings("unused")
    private long touched;

    BlockWrite(Connection connection, long start, long end) {
      this.connection = connection;
      this.start = start;
      this.end = end;
    }

    int write() throws SQLException {
      try {
        insertBlock = connection.prepareStatement(
            "INSERT INTO history_block (start_millis, part, end_millis, series_count, payload) VALUES (?, ?, ?, ?, ?)");
        insertSeries = connection.prepareStatement(
            "INSERT INTO history_series (id, labels_hash, labels, last_written_millis) VALUES (?, ?, ?, ?)");
        findSeries = connection.prepareStatement("SELECT id, labels FROM history_series WHERE labels_hash IN ("
            + String.join(", ", Collections.nCopies(LOOKUP_BATCH, "?")) + ")");
        touchSeries = connection.prepareStatement("UPDATE history_series SET last_written_millis = ? WHERE id = ?");
        MemSeries[] all = store.memSeries().toArray(new MemSeries[0]);
        name(all);
        long touched = 0;
        for (int i = 0; i < all.length; i++) {
          // As the scrape's appends do (ScrapeCache): the series two steps ahead, then its head's
          // word one step ahead, so that the misses on 100,000 cold series overlap.
          if (i + 2 * READ_AHEAD < all.length) {
            touched += all[i + 2 * READ_AHEAD].touch();
          }
          if (i + READ_AHEAD < all.length) {
            touched += all[i + READ_AHEAD].nextWord();
          }
          MemSeries series = all[i];
          if (series.copy(start, end - 1, copy)) {
            block.add(idOf(series), copy.samples());
            samples += copy.samples().count();
            if (block.size() >= PART_BYTES) {
              flushPart();
            }
          }
        }
        flushPart();
        this.touched = touched;
        insertSeries.executeBatch();
        touchSeries.executeBatch();
        return samples;
      } finally {
        for (PreparedStatement statement : new PreparedStatement[] {insertBlock, insertSeries, findSeries, touchSeries}) {
          if (statement != null) {
            statement.close();
          }
        }
      }
    }

    private long idOf(MemSeries series) throws SQLException {
      if (now - series.historyTouchedMillis >= TOUCH_EVERY_MILLIS) {
        touch(series.historyId);
        series.historyTouchedMillis = now;
      }
      return series.historyId;
    }

    /**
     * Gives each series without a dictionary id the entry another writer (or this one before a
     * restart) made for the same labels, or a new one.
     */
    private void name(MemSeries[] all) throws SQLException {
      List<MemSeries> unnamed = new ArrayList<>();
      for (MemSeries series : all) {
        if (series.historyId == 0) {
          unnamed.add(series);
        }
      }
      for (int from = 0; from < unnamed.size(); from += LOOKUP_BATCH) {
        List<MemSeries> batch = unnamed.subList(from, Math.min(from + LOOKUP_BATCH, unnamed.size()));
        String[] texts = new String[batch.size()];
        long[] hashes = new long[batch.size()];
        for (int i = 0; i < texts.length; i++) {
          texts[i] = batch.get(i).labels().toString();
          hashes[i] = hash(texts[i]);
        }
        Map<String, Long> found = dictionaryWasEmpty ? Map.of() : find(hashes);
        for (int i = 0; i < texts.length; i++) {
          Long existing = found.get(texts[i]);
          long id = existing != null ? existing : insert(texts[i], hashes[i]);
          if (existing != null) {
            touch(id);
          }
          MemSeries series = batch.get(i);
          series.historyId = id;
          // Spread over the day, so that marking entries written is a trickle, not a daily burst.
          series.historyTouchedMillis = now - Math.floorMod(id / TOUCH_GROUP_IDS * 0x9E3779B97F4A7C15L, TOUCH_EVERY_MILLIS);
        }
      }
    }

    private long insert(String text, long hash) throws SQLException {
      long id = seriesIds.next();
      insertSeries.setLong(1, id);
      insertSeries.setLong(2, hash);
      insertSeries.setString(3, text);
      insertSeries.setLong(4, now);
      insertSeries.addBatch();
      if (++pendingInserts == DICTIONARY_BATCH) {
        insertSeries.executeBatch();
        pendingInserts = 0;
      }
      return id;
    }

    private void touch(long id) throws SQLException {
      touchSeries.setLong(1, now);
      touchSeries.setLong(2, id);
      touchSeries.addBatch();
      if (++pendingTouches == DICTIONARY_BATCH) {
        touchSeries.executeBatch();
        pendingTouches = 0;
      }
    }

    /** The dictionary's entries with any of the hashes, by their labels' text. */
    private Map<String, Long> find(long[] hashes) throws SQLException {
      for (int i = 0; i < LOOKUP_BATCH; i++) {
        // A short batch repeats its first hash in the places it does not fill.
        findSeries.setLong(i + 1, hashes[i < hashes.length ? i : 0]);
      }
      Map<String, Long> found = new HashMap<>();
      try (ResultSet rows = findSeries.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(2), rows.getLong(1));
        }
      }
      return found;
    }

    private void flushPart() throws SQLException {
      if (block.series() == 0) {
        return;
      }
      insertBlock.setLong(1, start);
      insertBlock.setInt(2, (int) parts.next());
      insertBlock.setLong(3, end);
      insertBlock.setInt(4, block.series());
      insertBlock.setBytes(5, block.toBytes());
      insertBlock.executeUpdate();
      block.clear();
    }
  }

  /**
   * Numbers unique across every instance writing to one database, taken from {@code
   * history_counter} a range at a time in a short transaction of its own, so that instances wait
   * for each other only that long (see {@code V3__history_counters.sql}).
   */
  private static final class NumberRange {
    private final Database database;
    private final String name;
    private final int size;
    private long next;
    private long end;

    NumberRange(Database database, String name, int size) {
      this.database = database;
      this.name = name;
      this.size = size;
    }

    long next() {
      if (next == end) {
        next = database.inTransaction(c -> {
          try (PreparedStatement take = c.prepareStatement(
              "UPDATE history_counter SET next_value = next_value + ? WHERE name = ?")) {
            take.setInt(1, size);
            take.setString(2, name);
            take.executeUpdate();
          }
          try (PreparedStatement taken = c.prepareStatement("SELECT next_value FROM history_counter WHERE name = ?")) {
            taken.setString(1, name);
            try (ResultSet rows = taken.executeQuery()) {
              rows.next();
              return rows.getLong(1) - size;
            }
          }
        });
        end = next + size;
      }
      return next++;
    }
  }

  /** 64-bit FNV-1a over the text's chars: stable across JVMs, unlike identity or seeds. */
  static long hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
