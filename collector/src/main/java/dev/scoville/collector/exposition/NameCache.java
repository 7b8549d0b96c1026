package dev.scoville.collector.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings for ASCII byte ranges, made once per distinct content: metric names, label names and
 * common label values repeat on nearly every line of an exposition, so the samples share them
 * instead of each holding a copy.
 */
final class NameCache {
  /**
   * Past this many entries new strings are no longer kept, so a payload of unique values cannot
   * grow it without end.
   */
  private static final int MAX_ENTRIES = 1 << 16;

  private byte[][] keys = new byte[512][];
  private String[] strings = new String[512];
  private int size;

  /**
   * The string of {@code b[from, to)}, which must be ASCII; {@code hash} is {@link #hash} of it,
   * which callers compute while they scan the bytes anyway, saving a second pass.
   */
  String get(byte[] b, int from, int to, int hash) {
    hash ^= hash >>> 16;
    int mask = keys.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      byte[] key = keys[slot];
      if (key == null) {
        String s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        if (size < MAX_ENTRIES) {
          keys[slot] = Arrays.copyOfRange(b, from, to);
          strings[slot] = s;
          if (++size * 2 > keys.length) {
            grow();
          }
        }
        return s;
      }
      if (Arrays.equals(key, 0, key.length, b, from, to)) {
        return strings[slot];
      }
    }
  }

  static int hash(byte[] b, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = step(h, b[i]);
    }
    return h;
  }

  static int step(int hash, byte b) {
    return 31 * hash + b;
  }

  private void grow() {
    byte[][] oldKeys = keys;
    String[] oldStrings = strings;
    keys = new byte[oldKeys.length * 2][];
    strings = new String[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      byte[] key = oldKeys[i];
      if (key != null) {
        int h = hash(key, 0, key.length);
        int slot = (h ^ (h >>> 16)) & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        strings[slot] = oldStrings[i];
      }
    }
  }
}
