package dev.scoville.collector;

import java.util.Arrays;

/**
 * An append-only bit stream, most significant bit first, packed into a growing long array. Not
 * final: {@link ChunkAppender} is one, so that an append reaches the words through one object less.
 */
class BitOutput {
  private long[] words;
  private int bitCount;

  BitOutput(int initialWords) {
    words = new long[Math.max(1, initialWords)];
  }

  /** Writes the low {@code n} bits of {@code bits}, 1 ≤ n ≤ 64. */
  void write(long bits, int n) {
    int index = bitCount >>> 6;
    if (index + 1 >= words.length) {
      words = Arrays.copyOf(words, words.length * 2);
    }
    int free = 64 - (bitCount & 63);
    long value = n == 64 ? bits : bits & ((1L << n) - 1);
    if (n <= free) {
      words[index] |= value << (free - n);
    } else {
      int spill = n - free;
      words[index] |= value >>> spill;
      words[index + 1] |= value << (64 - spill);
    }
    bitCount += n;
  }

  /** Forgets what was written, with room for {@code initialWords} words. */
  void clear(int initialWords) {
    words = new long[Math.max(1, initialWords)];
    bitCount = 0;
  }

  /** Forgets what was written and keeps the words it grew to: for a stream written over and over. */
  void rewind() {
    // A write ORs into its word and the next one: those are the only ones not zero.
    Arrays.fill(words, 0, Math.min(words.length, (bitCount >>> 6) + 2), 0);
    bitCount = 0;
  }

  /**
   * The word the next bits go to, read without any lock for its memory to be fetched early (see
   * {@code ScrapeCache}): the value may be stale and means nothing.
   */
  long nextWord() {
    long[] w = words;
    int index = bitCount >>> 6;
    return index < w.length ? w[index] : 0;
  }

  int bitCount() {
    return bitCount;
  }

  /** The words written so far, copied and trimmed, so the copy never changes under a reader. */
  long[] copyWords() {
    return Arrays.copyOf(words, wordCount());
  }

  /**
   * Copies the words written so far into {@code into}, or into a larger array it returns when they
   * do not fit. A reader may call it under a writer (then validates): the fields it reads may
   * disagree, never to the point of reading outside the array.
   */
  long[] copyWordsInto(long[] into) {
    long[] w = words;
    int n = Math.min(w.length, (bitCount + 63) >>> 6);
    long[] target = n <= into.length ? into : new long[Math.max(n, into.length * 2)];
    System.arraycopy(w, 0, target, 0, n);
    return target;
  }

  int wordCount() {
    return (bitCount + 63) >>> 6;
  }

  long word(int index) {
    return words[index];
  }
}
