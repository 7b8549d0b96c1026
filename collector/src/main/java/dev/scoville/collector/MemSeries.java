package dev.scoville.collector;

import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import java.util.Arrays;

/**
 * One series in memory: sealed immutable chunks plus an open head chunk. Its monitor guards every
 * change and is held only for an append or a copy, never while decoding, so readers don't hold up
 * appends.
 *
 * <p>The series is its own head chunk (it extends {@link ChunkAppender}): with 100,000 series an
 * append's cost is the cache misses on its way to the chunk's bits, and a head of its own was one
 * more object to reach. The inherited methods are the head's, called under the monitor.
 */
final class MemSeries extends ChunkAppender {
  private static final Chunk[] NO_CHUNKS = {};

  enum AppendResult {
    APPENDED,
    OUT_OF_ORDER,
    /** Dropped by retention meanwhile: append to the series that replaces it. */
    REMOVED
  }

  private final Labels labels;
  private Chunk[] sealed = NO_CHUNKS;
  private long lastTimestamp;
  private boolean empty = true;
  private boolean removed;

  /** The series' id in the history dictionary, 0 until it has one; {@link SeriesHistory}'s alone. */
  long historyId;

  /** When history last marked the dictionary entry written; {@link SeriesHistory}'s alone. */
  long historyTouchedMillis;

  MemSeries(Labels labels) {
    this.labels = labels;
  }

  Labels labels() {
    return labels;
  }

  synchronized AppendResult append(long timestamp, double value) {
    if (removed) {
      return AppendResult.REMOVED;
    }
    if (!empty && timestamp <= lastTimestamp) {
      return AppendResult.OUT_OF_ORDER;
    }
    if (isFullFor(timestamp)) {
      seal();
    }
    add(timestamp, value);
    if (count() == MAX_SAMPLES) {
      seal();
    }
    lastTimestamp = timestamp;
    empty = false;
    return AppendResult.APPENDED;
  }

  /** The samples in {@code [fromMillis, toMillis]}, or null when there are none. */
  Series read(long fromMillis, long toMillis) {
    Chunk[] chunks;
    Chunk headCopy = null;
    synchronized (this) {
      chunks = sealed;
      if (count() > 0 && maxTime() >= fromMillis && minTime() <= toMillis) {
        headCopy = toChunk();
      }
    }
    int capacity = headCopy == null ? 0 : headCopy.count();
    for (Chunk chunk : chunks) {
      if (chunk.overlaps(fromMillis, toMillis)) {
        capacity += chunk.count();
      }
    }
    if (capacity == 0) {
      return null;
    }
    long[] timestamps = new long[capacity];
    double[] values = new double[capacity];
    int size = 0;
    for (Chunk chunk : chunks) {
      if (chunk.overlaps(fromMillis, toMillis)) {
        size = decode(chunk, fromMillis, toMillis, timestamps, values, size);
      }
    }
    if (headCopy != null) {
      size = decode(headCopy, fromMillis, toMillis, timestamps, values, size);
    }
    if (size == 0) {
      return null;
    }
    if (size < capacity) {
      timestamps = Arrays.copyOf(timestamps, size);
      values = Arrays.copyOf(values, size);
    }
    return new Series(labels, timestamps, values);
  }

  /**
   * The samples in {@code [fromMillis, toMillis]} encoded in a chunk of their own, or null when
   * there are none: history's minute of a series, re-encoded as it is decoded, with no arrays of
   * the samples in between.
   */
  Chunk copy(long fromMillis, long toMillis) {
    Chunk[] chunks;
    Chunk headCopy = null;
    synchronized (this) {
      chunks = sealed;
      if (count() > 0 && maxTime() >= fromMillis && minTime() <= toMillis) {
        headCopy = toChunk();
      }
    }
    ChunkAppender copy = new ChunkAppender();
    for (Chunk chunk : chunks) {
      if (chunk.overlaps(fromMillis, toMillis)) {
        copy(chunk, fromMillis, toMillis, copy);
      }
    }
    if (headCopy != null) {
      copy(headCopy, fromMillis, toMillis, copy);
    }
    return copy.count() == 0 ? null : copy.toChunk();
  }

  private static void copy(Chunk chunk, long fromMillis, long toMillis, ChunkAppender into) {
    ChunkIterator it = chunk.iterator();
    while (it.next()) {
      long t = it.timestamp();
      if (t > toMillis) {
        break;
      }
      if (t >= fromMillis) {
        into.add(t, it.value());
      }
    }
  }

  /**
   * Forgets samples older than {@code cutoffMillis}; a chunk holding both older and newer ones is
   * re-encoded, so that the store forgets exactly what retention says. Returns whether the series
   * is now empty, in which case it is marked removed and takes no more samples.
   */
  synchronized boolean dropBefore(long cutoffMillis) {
    int firstKept = 0;
    while (firstKept < sealed.length && sealed[firstKept].maxTime() < cutoffMillis) {
      firstKept++;
    }
    if (firstKept > 0) {
      sealed = Arrays.copyOfRange(sealed, firstKept, sealed.length);
    }
    if (sealed.length > 0 && sealed[0].minTime() < cutoffMillis) {
      // readers may be decoding the current array: replace it, never write into it
      Chunk[] trimmed = sealed.clone();
      trimmed[0] = reencodeFrom(sealed[0], cutoffMillis).toChunk();
      sealed = trimmed;
    }
    if (count() > 0 && minTime() < cutoffMillis) {
      Chunk head = toChunk();
      reset();
      ChunkIterator it = head.iterator();
      while (it.next()) {
        if (it.timestamp() >= cutoffMillis) {
          add(it.timestamp(), it.value());
        }
      }
    }
    removed = sealed.length == 0 && count() == 0;
    return removed;
  }

  synchronized long sampleCount() {
    long count = count();
    for (Chunk chunk : sealed) {
      count += chunk.count();
    }
    return count;
  }

  synchronized long sampleBytes() {
    long bytes = count() == 0 ? 0 : bytes();
    for (Chunk chunk : sealed) {
      bytes += chunk.bytes();
    }
    return bytes;
  }

  private void seal() {
    Chunk chunk = toChunk();
    Chunk[] grown = Arrays.copyOf(sealed, sealed.length + 1);
    grown[sealed.length] = chunk;
    sealed = grown;
    reset();
  }

  private static ChunkAppender reencodeFrom(Chunk chunk, long cutoffMillis) {
    ChunkAppender appender = new ChunkAppender();
    ChunkIterator it = chunk.iterator();
    while (it.next()) {
      if (it.timestamp() >= cutoffMillis) {
        appender.add(it.timestamp(), it.value());
      }
    }
    return appender;
  }

  private static int decode(
      Chunk chunk, long fromMillis, long toMillis, long[] timestamps, double[] values, int size) {
    ChunkIterator it = chunk.iterator();
    while (it.next()) {
      long t = it.timestamp();
      if (t > toMillis) {
        break;
      }
      if (t >= fromMillis) {
        timestamps[size] = t;
        values[size] = it.value();
        size++;
      }
    }
    return size;
  }
}
