package dev.scoville.collector.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Distinct sessions, counted with HyperLogLog (4,096 one-byte registers, about 1.6% standard error;
 * exact in practice below a few dozen sessions, where linear counting rounds to the true number). A
 * set of session ids would grow with traffic; this stays 4 KiB per window slot, and slots merge by
 * taking the larger register.
 */
final class SessionSketch {
  private static final int P = 12;
  private static final int M = 1 << P;

  private final byte[] registers = new byte[M];

  /** Adds a session by its {@link #hash}. */
  void add(long h) {
    int index = (int) (h >>> (64 - P));
    int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
    }
  }

  void addAll(SessionSketch other) {
    for (int i = 0; i < M; i++) {
      if (other.registers[i] > registers[i]) {
        registers[i] = other.registers[i];
      }
    }
  }

  void clear() {
    Arrays.fill(registers, (byte) 0);
  }

  long estimate() {
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += 1.0 / (1L << r);
      if (r == 0) {
        zeros++;
      }
    }
    double alpha = 0.7213 / (1 + 1.079 / M);
    double estimate = alpha * M * M / sum;
    if (estimate <= 2.5 * M && zeros > 0) {
      estimate = M * Math.log((double) M / zeros);
    }
    return Math.round(estimate);
  }

  /** The hash of a session id, over its UTF-8 bytes. */
  static long hash(String session) {
    byte[] bytes = session.getBytes(StandardCharsets.UTF_8);
    return hash(bytes, 0, bytes.length);
  }

  /**
   * FNV-1a over the UTF-8 bytes of a session id, then SplitMix64's finalizer: String.hashCode has
   * too few bits for HyperLogLog. Over bytes, so that a parser can hash the id where it lies in the
   * record, without making a String of it.
   */
  static long hash(byte[] utf8, int from, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < from + length; i++) {
      h = (h ^ (utf8[i] & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
