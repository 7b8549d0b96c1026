package dev.scoville.collector;

import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One series in memory: sealed immutable chunks plus an open head chunk, guarded by a sequence
 * lock rather than a monitor. A writer (an append, retention) makes {@code version} odd with one
 * compare-and-set, changes the series and makes it even again with a release store; a reader
 * copies what it needs without writing anything and keeps the copy only if {@code version} was
 * even and the same before and after. On x86 that leaves an append one locked instruction (the
 * monitor took two, enter and exit) and readers (rules, queries, history) never hold up the scrape
 * that appends, nor each other.
 *
 * <p>The series is its own head chunk (it extends {@link ChunkAppender}): with 100,000 series an
 * append's cost is the cache misses on its way to the chunk's bits, and a head of its own was one
 * more object to reach. The inherited methods are the head's, called by a writer or, copying, by a
 * reader that then validates.
 */
final class MemSeries extends ChunkAppender {
  private static final Chunk[] NO_CHUNKS = {};

  enum AppendResult {
    APPENDED,
    OUT_OF_ORDER,
    /** Dropped by retention meanwhile: append to the series that replaces it. */
    REMOVED
  }

  private static final VarHandle VERSION;

  static {
    try {
      VERSION = MethodHandles.lookup().findVarHandle(MemSeries.class, "version", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Odd while a writer changes the series; each write moves it on by two. */
  @SuppressWarnings("unused") // through VERSION
  private int version;

  private final Labels labels;
  private Chunk[] sealed = NO_CHUNKS;
  private long lastTimestamp;
  private boolean empty = true;
  private boolean removed;

  /** The series' id in the history dictionary, 0 until it has one; {@link SeriesHistory}'s alone. */
  long historyId;

  /** When history last marked the dictionary entry written; {@link SeriesHistory}'s alone. */
  long historyTouchedMillis;

  /**
   * Where history's last minute copy stopped decoding, so that the next one goes on from there
   * rather than decoding the head from its first sample again (five times the samples it copies,
   * with 120 samples to a chunk); history's alone, through {@link #copy}.
   */
  private ChunkIterator.Position historyPosition;

  MemSeries(Labels labels) {
    this.labels = labels;
  }

  Labels labels() {
    return labels;
  }

  /**
   * Reads the series' first and last fields, which an append writes, for their memory to be
   * fetched early (see {@code ScrapeCache}); without the lock, so the value means nothing.
   */
  long touch() {
    return bitCount() + lastTimestamp;
  }

  AppendResult append(long timestamp, double value) {
    int writing = beginWrite();
    try {
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
    } finally {
      endWrite(writing);
    }
  }

  /**
   * Waits for no writer and claims the series: returns the odd version it set. Writers of one
   * series are one scrape, now and then retention, rarely two sources of the same labels, so the
   * wait is short and rare.
   */
  private int beginWrite() {
    for (int spins = 0; ; spins++) {
      int current = (int) VERSION.getOpaque(this);
      if ((current & 1) == 0 && VERSION.compareAndSet(this, current, current + 1)) {
        return current + 1;
      }
      pause(spins);
    }
  }

  /** Publishes the write: everything written before it is seen by a reader that sees the version. */
  private void endWrite(int writing) {
    VERSION.setRelease(this, writing + 1);
  }

  /** The even version a read starts from, once no writer is at work. */
  private int beginRead() {
    for (int spins = 0; ; spins++) {
      int current = (int) VERSION.getAcquire(this);
      if ((current & 1) == 0) {
        return current;
      }
      pause(spins);
    }
  }

  /** Whether what was read since {@link #beginRead()} returned {@code version} is consistent. */
  private boolean validate(int version) {
    VarHandle.acquireFence();
    return (int) VERSION.getOpaque(this) == version;
  }

  /** A writer may be descheduled mid-write: after a short spin, give it the processor. */
  private static void pause(int spins) {
    if (spins < 100) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }

  /** The sealed chunks and a copy of the head's samples in the range (null if none), consistent. */
  private record Snapshot(Chunk[] sealed, Chunk head) {}

  private Snapshot snapshot(long fromMillis, long toMillis) {
    while (true) {
      int version = beginRead();
      Chunk[] chunks = sealed;
      // Fields read here may be torn by a writer; nothing is decided on them before validate.
      Chunk headCopy = count() > 0 && maxTime() >= fromMillis && minTime() <= toMillis ? toChunk() : null;
      if (validate(version)) {
        return new Snapshot(chunks, headCopy);
      }
    }
  }

  /** The samples in {@code [fromMillis, toMillis]}, or null when there are none. */
  Series read(long fromMillis, long toMillis) {
    Snapshot snapshot = snapshot(fromMillis, toMillis);
    Chunk[] chunks = snapshot.sealed;
    Chunk headCopy = snapshot.head;
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
   * The newest sample in {@code [fromMillis, toMillis]} alone, or null when there is none: what an
   * instant selector reads. It is the head's last when the range reaches it, as for a rule at the
   * time of evaluation, and needs no decoding then; otherwise the range is read.
   */
  Series newest(long fromMillis, long toMillis) {
    while (true) {
      int version = beginRead();
      // Fields read here may be torn by a writer; nothing is decided on them before validate.
      int count = count();
      long time = maxTime();
      double value = lastValue();
      if (validate(version)) {
        if (count == 0 || time > toMillis) {
          break;
        }
        return time < fromMillis ? null : new Series(labels, new long[] {time}, new double[] {value});
      }
    }
    return read(fromMillis, toMillis);
  }

  /**
   * What history's minute copy reuses from one series to the next, so that copying 100,000 series
   * a minute allocates nothing: a chunk, an appender and an iterator per series were about 40 of
   * the 70 MB that the minute's write allocated (JFR allocation samples).
   */
  static final class CopyScratch {
    private final ChunkAppender samples = new ChunkAppender();
    private final ChunkIterator iterator = new ChunkIterator(new BitInput(new long[0]), 0);
    private long[] head = new long[32];

    /** The last copy's samples, until the next copy. */
    ChunkAppender samples() {
      return samples;
    }
  }

  /**
   * Re-encodes the samples in {@code [fromMillis, toMillis]} into the scratch's chunk and returns
   * whether there were any: history's minute of a series, with no arrays of the samples in between.
   */
  boolean copy(long fromMillis, long toMillis, CopyScratch scratch) {
    Chunk[] chunks;
    int headCount;
    long headMinTime;
    while (true) {
      int version = beginRead();
      chunks = sealed;
      // Fields read here may be torn by a writer; nothing is decided on them before validate.
      headCount = count();
      headMinTime = minTime();
      if (headCount > 0 && maxTime() >= fromMillis && headMinTime <= toMillis) {
        scratch.head = copyWordsInto(scratch.head);
      } else {
        headCount = 0;
      }
      if (validate(version)) {
        break;
      }
    }
    scratch.samples.reuse();
    // History copies the last minute: from the newest chunk back, not through hours of chunks.
    int first = chunks.length;
    while (first > 0 && chunks[first - 1].maxTime() >= fromMillis) {
      first--;
    }
    for (int i = first; i < chunks.length; i++) {
      Chunk chunk = chunks[i];
      if (chunk.overlaps(fromMillis, toMillis)) {
        copy(chunk.words(), chunk.count(), chunk.minTime(), fromMillis, toMillis, scratch);
      }
    }
    if (headCount > 0) {
      copy(scratch.head, headCount, headMinTime, fromMillis, toMillis, scratch);
    }
    return scratch.samples.count() > 0;
  }

  /**
   * Re-encodes a chunk's samples in the range, from where the last copy stopped when that was in
   * this chunk (the head then, or the same head since sealed; retention's re-encoding starts
   * another first sample), and remembers where this one stopped.
   */
  private void copy(long[] words, int count, long chunkMinTime, long fromMillis, long toMillis, CopyScratch scratch) {
    ChunkIterator it = scratch.iterator;
    it.restart(words, count);
    if (historyPosition == null) {
      historyPosition = new ChunkIterator.Position();
    } else if (historyPosition.isIn(chunkMinTime, count, fromMillis)) {
      it.resume(historyPosition);
    }
    while (it.next()) {
      long t = it.timestamp();
      if (t > toMillis) {
        break;
      }
      if (t >= fromMillis) {
        scratch.samples.add(t, it.value());
      }
      it.saveTo(historyPosition, chunkMinTime);
    }
  }

  /**
   * Forgets samples older than {@code cutoffMillis}; a chunk holding both older and newer ones is
   * re-encoded, so that the store forgets exactly what retention says. Returns whether the series
   * is now empty, in which case it is marked removed and takes no more samples.
   */
  boolean dropBefore(long cutoffMillis) {
    int writing = beginWrite();
    try {
      return dropBeforeWriting(cutoffMillis);
    } finally {
      endWrite(writing);
    }
  }

  private boolean dropBeforeWriting(long cutoffMillis) {
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

  long sampleCount() {
    while (true) {
      int version = beginRead();
      long count = count();
      Chunk[] chunks = sealed;
      if (validate(version)) {
        for (Chunk chunk : chunks) {
          count += chunk.count();
        }
        return count;
      }
    }
  }

  long sampleBytes() {
    while (true) {
      int version = beginRead();
      long bytes = count() == 0 ? 0 : bytes();
      Chunk[] chunks = sealed;
      if (validate(version)) {
        for (Chunk chunk : chunks) {
          bytes += chunk.bytes();
        }
        return bytes;
      }
    }
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
