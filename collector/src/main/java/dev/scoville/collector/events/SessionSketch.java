package dev.scoville.collector.events;

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

  void add(String session) {
    long h = hash(session);
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

  /**
   * FNV-1a over the characters, then SplitMix64's finalizer: String.hashCode has too few bits for
   * HyperLogLog.
   */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
