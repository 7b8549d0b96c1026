package dev.scoville.collector;

import dev.scoville.collector.exposition.NumberParser;
import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One target's scrape cache, as Prometheus keeps one per scrape loop: the raw bytes of each series
 * as the target exposes it (name and label text) map to the store's series it was appended to. A
 * scrape whose every series is known costs a hash of those bytes and a number parse per line: no
 * label parsing, relabeling or allocation. It holds exactly the series of the last scrape, so a
 * series missing from a scrape gets its staleness marker from here, and the cache never outgrows
 * the target. Not thread-safe: used by the target's scrapes, one at a time.
 */
final class ScrapeCache {
  /**
   * How far ahead of the append each read-ahead stage works: the entry at three times this, its
   * series at twice, the chunk's next word at once. Each stage finds what the one before it
   * fetched in the cache, so every stage waits for one miss, not a chain of three, and the three
   * stages' misses overlap.
   */
  private static final int TOUCH_AHEAD = 6;

  private final SeriesStore store;
  /** What the touches read: kept so that the reads are not optimised away. */
  @SuppressWarnings("unused")
  private long touched;
  private Entry[] table = new Entry[64];
  private int size;
  private long scrape;
  /** Cached series this scrape has seen so far, each counted once. */
  private int seen;
  private int added;
  private Set<String> metricNames = Set.of();
  private boolean namesChanged;
  /**
   * The last scrape's series in the order the target exposed them, their raw bytes back to back.
   * A target writes its series in the same order every time, so a line is compared with the next
   * one here in a sequential pass over one array, with no hashing and no chasing of entries.
   */
  private byte[] orderKeys = new byte[0];
  private int[] orderEnds = new int[0];
  private Entry[] order = new Entry[0];
  private int orderSize;
  /** Lines of this scrape found where the order expected them; negative once the full parser saw it. */
  private int orderedHits;

  ScrapeCache(SeriesStore store) {
    this.store = store;
  }

  /**
   * A series as exposed: its labels once relabeled (none when metric relabeling drops it) and,
   * once a sample was appended, the store's series.
   */
  static final class Entry {
    /**
     * Its raw bytes are {@code key[keyFrom, keyTo)}: its own copy while new, then the cache's
     * order of the last scrape, so that the bytes of a series are kept once.
     */
    private byte[] key;
    private int keyFrom;
    private int keyTo;
    private final int hash;
    private final Labels labels;
    private MemSeries series;
    private long seenIn;
    /** Its index in the cache's order of the last scrape. */
    private int position;
    // As in Prometheus, a series exposed with its own timestamp gets no staleness marker when it leaves.
    private boolean ownTimestamp;

    private Entry(byte[] key, int hash, Labels labels) {
      this.key = key;
      this.keyTo = key.length;
      this.hash = hash;
      this.labels = labels;
    }

    Labels labels() {
      return labels;
    }
  }

  /** Samples in the batch that relabeling keeps: what a sample limit counts. */
  static int kept(Batch batch) {
    int kept = 0;
    for (int i = 0; i < batch.size; i++) {
      if (batch.entries[i].labels != null) {
        kept++;
      }
    }
    return kept;
  }

  /** The samples of one scrape, gathered before any is appended, so that a bad body appends nothing. */
  static final class Batch {
    private Entry[] entries;
    private long[] timestamps;
    private double[] values;
    private int size;

    /** Room for {@code expected} samples, the last scrape's count, so that a steady target never regrows it. */
    Batch(int expected) {
      int capacity = Math.max(16, expected);
      entries = new Entry[capacity];
      timestamps = new long[capacity];
      values = new double[capacity];
    }

    void clear() {
      size = 0;
    }

    void add(Entry entry, long timestamp, double value) {
      if (size == entries.length) {
        int grown = size * 2;
        entries = Arrays.copyOf(entries, grown);
        timestamps = Arrays.copyOf(timestamps, grown);
        values = Arrays.copyOf(values, grown);
      }
      entries[size] = entry;
      timestamps[size] = timestamp;
      values[size] = value;
      size++;
    }

    int size() {
      return size;
    }
  }

  int size() {
    return size;
  }

  /** Starts a scrape: entries seen from now on belong to it. */
  void startScrape() {
    scrape++;
    seen = 0;
    added = 0;
    orderedHits = 0;
  }

  /** Series this scrape exposed that the last one did not (and relabeling kept): {@code scrape_series_added}. */
  int added() {
    return added;
  }

  /**
   * Gathers the samples of a body whose every series is known (the append marks them seen); false
   * (with the batch half filled) at the first line that is not a known series with a plain value,
   * which the caller then reads with the full parser. Comment lines are skipped unread. Reads
   * {@code b[0, end)}.
   */
  boolean gatherKnown(byte[] b, int end, boolean openMetrics, long defaultTimestamp, Batch into) {
    int pos = 0;
    int next = 0;
    while (pos < end) {
      if (!openMetrics) {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r')) {
          pos++;
        }
        if (pos == end) {
          return true;
        }
      }
      byte first = b[pos];
      if (first == '#') {
        if (openMetrics && isEof(b, pos, end)) {
          return true;
        }
        pos = lineEnd(b, pos, end) + 1;
        continue;
      }
      if (first == '\n') {
        if (openMetrics) {
          return false;
        }
        pos++;
        continue;
      }
      int start = pos;
      Entry entry = null;
      int position = -1;
      if (next < orderSize) {
        // The expected series' bytes followed by a blank are that series: a key ends with its
        // label block or, without labels, with its name. A name followed by blanks and then labels
        // ("name {...}") is another series; its value then fails to parse and the full parser
        // takes over.
        int from = next == 0 ? 0 : orderEnds[next - 1];
        int after = start + orderEnds[next] - from;
        if (after < end && (b[after] == ' ' || !openMetrics && b[after] == '\t')
            && Arrays.equals(orderKeys, from, orderEnds[next], b, start, after)) {
          entry = order[next];
          position = next;
          pos = after;
          orderedHits++;
        }
      }
      if (entry == null) {
        pos = seriesEnd(b, start, end, openMetrics);
        if (pos < 0) {
          return false;
        }
        entry = find(b, start, pos, hash(b, start, pos));
        if (entry == null || pos == end || b[pos] != ' ' && (openMetrics || b[pos] != '\t')) {
          return false;
        }
        position = entry.position;
      }
      // Where the order expected this line, the next line is expected after it without reading
      // the entry: with 100,000 series the entry is a cache miss, and the next line's compare
      // waiting for it made the misses one chain. The append reads the entries ahead instead.
      next = position + 1;
      int valueStart = skipBlanks(b, pos, end, openMetrics);
      int lineEnd = plainValueLine(b, valueStart, end, entry, defaultTimestamp, into);
      if (lineEnd >= 0) {
        pos = lineEnd + 1;
        continue;
      }
      pos = valueEnd(b, valueStart, end, openMetrics);
      double value;
      long timestamp = defaultTimestamp;
      try {
        value = NumberParser.parseFloat(b, valueStart, pos);
        if (pos < end && b[pos] != '\n') {
          int timestampStart = skipBlanks(b, pos, end, openMetrics);
          int timestampEnd = valueEnd(b, timestampStart, end, openMetrics);
          if (openMetrics && timestampEnd == timestampStart) {
            return false;
          }
          if (timestampEnd > timestampStart) {
            // An exemplar (" # {...}") is the full parser's business.
            if (b[timestampStart] == '#') {
              return false;
            }
            timestamp = openMetrics
                ? NumberParser.parseSecondsAsMillis(b, timestampStart, timestampEnd)
                : NumberParser.parseLong(b, timestampStart, timestampEnd);
          }
          pos = openMetrics ? timestampEnd : skipBlanks(b, timestampEnd, end, false);
          if (pos < end && b[pos] != '\n') {
            return false;
          }
        }
      } catch (NumberFormatException | ArithmeticException e) {
        return false;
      }
      into.add(entry, timestamp, value);
      pos++;
    }
    // OpenMetrics ends with "# EOF": without it the full parser reports the truncation.
    return !openMetrics;
  }

  /**
   * The common line's value, a plain decimal ({@code 12}, {@code -0.25}) of up to 15 digits that
   * ends the line: added to the batch as {@link NumberParser#parseFloat} reads it, in the same
   * pass that finds its end; returns where the line ends, or -1 (nothing added) for any other
   * value, which the general path then reads.
   */
  private static int plainValueLine(byte[] b, int from, int end, Entry entry, long timestamp, Batch into) {
    int pos = from;
    boolean negative = pos < end && b[pos] == '-';
    if (negative) {
      pos++;
    }
    long mantissa = 0;
    int digits = 0;
    int decimals = -1;
    for (; pos < end; pos++) {
      int digit = b[pos] - '0';
      if (digit >= 0 && digit <= 9) {
        mantissa = mantissa * 10 + digit;
        digits++;
        if (decimals >= 0) {
          decimals++;
        }
      } else if (b[pos] == '.' && decimals < 0) {
        decimals = 0;
      } else {
        break;
      }
    }
    // 15 digits stay below 2^53: the parser's exact conversion.
    if (digits == 0 || digits > 15 || pos < end && b[pos] != '\n') {
      return -1;
    }
    double value = NumberParser.exactDecimal(mantissa, decimals > 0 ? -decimals : 0);
    into.add(entry, timestamp, negative ? -value : value);
    return pos;
  }

  /**
   * Where the series (name and labels, as written) that starts at {@code start} ends, or -1 when
   * the line ends inside its labels.
   */
  private static int seriesEnd(byte[] b, int start, int end, boolean openMetrics) {
    int pos = start;
    while (pos < end && b[pos] != '{' && b[pos] != ' ' && b[pos] != '\t' && b[pos] != '\n') {
      pos++;
    }
    if (!openMetrics && pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
      int brace = skipBlanks(b, pos, end, false);
      if (brace < end && b[brace] == '{') {
        pos = brace;
      }
    }
    if (pos < end && b[pos] == '{') {
      boolean quoted = false;
      while (true) {
        if (pos == end || b[pos] == '\n') {
          return -1;
        }
        byte c = b[pos++];
        if (quoted && c == '\\' && pos < end) {
          pos++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == '}' && !quoted) {
          return pos;
        }
      }
    }
    return pos;
  }

  private static int hash(byte[] b, int from, int to) {
    int hash = 0;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + b[i];
    }
    return hash;
  }

  /**
   * The entry for the series exposed as {@code b[from, to)}, seen in this scrape; a new one gets
   * {@code label.apply(exposed)} as its labels (null: dropped by relabeling).
   */
  Entry see(byte[] b, int from, int to, Labels exposed, UnaryOperator<Labels> label) {
    orderedHits = Integer.MIN_VALUE;
    int hash = hash(b, from, to);
    Entry entry = find(b, from, to, hash);
    if (entry == null) {
      Labels labels = label.apply(exposed);
      entry = new Entry(Arrays.copyOfRange(b, from, to), hash, labels);
      insert(entry);
      namesChanged = true;
      if (labels != null) {
        added++;
      }
    }
    see(entry);
    return entry;
  }

  /**
   * Appends the batch, then a staleness marker at {@code timestamp} to every series of the last
   * scrape that this one lacked, and forgets those. Tells the store's listeners which metrics got
   * samples. Returns the samples appended.
   */
  int append(Batch batch, long timestamp) {
    int appended = 0;
    long touched = 0;
    Entry[] entries = batch.entries;
    int size = batch.size;
    for (int i = 0; i < size; i++) {
      if (i + 3 * TOUCH_AHEAD < size) {
        touched += touchEntry(entries[i + 3 * TOUCH_AHEAD]);
      }
      if (i + 2 * TOUCH_AHEAD < size) {
        touched += touchSeries(entries[i + 2 * TOUCH_AHEAD]);
      }
      if (i + TOUCH_AHEAD < size) {
        touched += touchWord(entries[i + TOUCH_AHEAD]);
      }
      Entry entry = entries[i];
      see(entry);
      entry.ownTimestamp = batch.timestamps[i] != timestamp;
      if (entry.labels != null && append(entry, batch.timestamps[i], batch.values[i])) {
        appended++;
      }
    }
    this.touched = touched;
    forgetUnseen(timestamp);
    if (orderedHits != batch.size || orderSize != batch.size) {
      rememberOrder(batch);
    }
    if (appended > 0) {
      store.notifyAppended(metricNames());
    }
    return appended;
  }

  private void see(Entry entry) {
    if (entry.seenIn != scrape) {
      entry.seenIn = scrape;
      seen++;
    }
  }

  /*
   * The read-ahead: with 100,000 series every append finds its entry, series and chunk cold, each
   * reached through the one before, and waiting for each in turn was most of the append's time.
   * Reads only, without the series' lock: the values may be stale and mean nothing.
   */

  private static long touchEntry(Entry ahead) {
    return ahead.seenIn;
  }

  private static long touchSeries(Entry ahead) {
    MemSeries series = ahead.series;
    return series == null ? 0 : series.touch();
  }

  private static long touchWord(Entry ahead) {
    MemSeries series = ahead.series;
    return series == null ? 0 : series.nextWord();
  }

  private void rememberOrder(Batch batch) {
    int bytes = 0;
    for (int i = 0; i < batch.size; i++) {
      bytes += batch.entries[i].keyTo - batch.entries[i].keyFrom;
    }
    orderKeys = new byte[bytes];
    orderEnds = new int[batch.size];
    order = Arrays.copyOf(batch.entries, batch.size);
    orderSize = batch.size;
    int at = 0;
    for (int i = 0; i < batch.size; i++) {
      Entry entry = batch.entries[i];
      int length = entry.keyTo - entry.keyFrom;
      System.arraycopy(entry.key, entry.keyFrom, orderKeys, at, length);
      orderEnds[i] = at + length;
      entry.position = i;
      at += length;
    }
    // Keys move only once all are copied: a series exposed twice in a scrape is copied twice.
    for (int i = 0; i < batch.size; i++) {
      Entry entry = batch.entries[i];
      entry.key = orderKeys;
      entry.keyFrom = entry.position == 0 ? 0 : orderEnds[entry.position - 1];
      entry.keyTo = orderEnds[entry.position];
    }
  }

  /** Marks every cached series stale, as when a scrape fails or the target goes, and forgets them. */
  void staleAll(long timestamp) {
    scrape++;
    seen = 0;
    forgetUnseen(timestamp);
    orderSize = 0;
  }

  private void forgetUnseen(long timestamp) {
    // Every entry seen was in the table or went in: as many seen as held means none to forget.
    if (seen == size) {
      return;
    }
    Entry[] old = table;
    table = new Entry[tableSizeFor(seen)];
    size = 0;
    for (Entry entry : old) {
      if (entry == null) {
        continue;
      }
      if (entry.seenIn == scrape) {
        insert(entry);
      } else if (entry.series != null && !entry.ownTimestamp) {
        append(entry, timestamp, Sample.STALE_NAN);
      }
    }
    namesChanged = true;
  }

  private boolean append(Entry entry, long timestamp, double value) {
    if (entry.series == null) {
      // Only now: a scrape that fails after reading its body creates no series.
      entry.series = store.seriesFor(entry.labels);
    }
    while (true) {
      switch (entry.series.append(timestamp, value)) {
        case APPENDED -> {
          return true;
        }
        case OUT_OF_ORDER -> {
          return false;
        }
        // Retention emptied the series since: follow it to the one that replaces it.
        case REMOVED -> entry.series = store.replacing(entry.series);
      }
    }
  }

  private Set<String> metricNames() {
    if (namesChanged) {
      Set<String> names = new HashSet<>();
      for (Entry entry : table) {
        if (entry != null && entry.labels != null && entry.labels.metricName() != null) {
          names.add(entry.labels.metricName());
        }
      }
      metricNames = Set.copyOf(names);
      namesChanged = false;
    }
    return metricNames;
  }

  private Entry find(byte[] b, int from, int to, int hash) {
    int mask = table.length - 1;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      Entry entry = table[i];
      if (entry == null) {
        return null;
      }
      if (entry.hash == hash && Arrays.equals(entry.key, entry.keyFrom, entry.keyTo, b, from, to)) {
        return entry;
      }
    }
  }

  private void insert(Entry entry) {
    if (2 * (size + 1) > table.length) {
      Entry[] old = table;
      table = new Entry[old.length * 2];
      size = 0;
      for (Entry each : old) {
        if (each != null) {
          insert(each);
        }
      }
    }
    int mask = table.length - 1;
    int i = spread(entry.hash) & mask;
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    table[i] = entry;
    size++;
  }

  private static int tableSizeFor(int entries) {
    return Math.max(64, Integer.highestOneBit(Math.max(1, entries * 2)) * 2);
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }

  private static boolean isEof(byte[] b, int pos, int end) {
    return pos + 5 <= end && b[pos + 1] == ' ' && b[pos + 2] == 'E' && b[pos + 3] == 'O' && b[pos + 4] == 'F'
        && (pos + 5 == end || (b[pos + 5] == '\n' && pos + 6 == end));
  }

  private static int lineEnd(byte[] b, int pos, int end) {
    while (pos < end && b[pos] != '\n') {
      pos++;
    }
    return pos;
  }

  private static int skipBlanks(byte[] b, int pos, int end, boolean openMetrics) {
    if (openMetrics) {
      return pos < end && b[pos] == ' ' ? pos + 1 : pos;
    }
    while (pos < end && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r')) {
      pos++;
    }
    return pos;
  }

  private static int valueEnd(byte[] b, int pos, int end, boolean openMetrics) {
    while (pos < end) {
      byte c = b[pos];
      if (c == ' ' || c == '\n' || (!openMetrics && (c == '\t' || c == '\r'))) {
        break;
      }
      pos++;
    }
    return pos;
  }
}
