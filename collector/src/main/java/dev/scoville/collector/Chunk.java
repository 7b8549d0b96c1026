package dev.scoville.collector;

/**
 * Samples of one series Gorilla-encoded by {@link ChunkAppender}: immutable, so readers decode it
 * without any lock.
 */
final class Chunk {
  private final long[] words;
  private final int count;
  private final long minTime;
  private final long maxTime;

  Chunk(long[] words, int count, long minTime, long maxTime) {
    this.words = words;
    this.count = count;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  int count() {
    return count;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return maxTime;
  }

  boolean overlaps(long fromMillis, long toMillis) {
    return maxTime >= fromMillis && minTime <= toMillis;
  }

  /** The encoded bits, for writing the chunk elsewhere as is; never changed. */
  long[] words() {
    return words;
  }

  long bytes() {
    return words.length * 8L;
  }

  ChunkIterator iterator() {
    return new ChunkIterator(new BitInput(words), count);
  }
}
