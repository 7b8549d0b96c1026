package dev.scoville.collector;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The payload of one {@code history_block} row: for each series, its dictionary id, its sample
 * count and its Gorilla chunk's words, the counts as variable-length integers. The store's own
 * encoding, so that a block costs about 1.5 bytes per sample and decodes as fast as memory does.
 */
final class HistoryBlock {
  private HistoryBlock() {}

  /** Collects chunks into one payload; not thread-safe. */
  static final class Builder {
    private byte[] bytes = new byte[4096];
    private int size;
    private int series;

    void add(long id, ChunkAppender chunk) {
      int words = chunk.wordCount();
      ensure(30 + words * 8);
      writeVarLong(id);
      writeVarLong(chunk.count());
      writeVarLong(words);
      for (int i = 0; i < words; i++) {
        long word = chunk.word(i);
        for (int shift = 56; shift >= 0; shift -= 8) {
          bytes[size++] = (byte) (word >>> shift);
        }
      }
      series++;
    }

    int series() {
      return series;
    }

    int size() {
      return size;
    }

    byte[] toBytes() {
      return Arrays.copyOf(bytes, size);
    }

    void clear() {
      size = 0;
      series = 0;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    private void writeVarLong(long value) {
      while ((value & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      bytes[size++] = (byte) value;
    }
  }

  /** Reads a payload's entries in the order they were added: {@code while (r.next()) use(r.id(), r.samples())}. */
  static final class Reader {
    private final ByteBuffer in;
    private long id;
    private ChunkIterator samples;

    Reader(byte[] payload) {
      this.in = ByteBuffer.wrap(payload);
    }

    boolean next() {
      if (!in.hasRemaining()) {
        return false;
      }
      id = readVarLong();
      int count = (int) readVarLong();
      long[] words = new long[(int) readVarLong()];
      for (int i = 0; i < words.length; i++) {
        words[i] = in.getLong();
      }
      samples = new ChunkIterator(new BitInput(words), count);
      return true;
    }

    long id() {
      return id;
    }

    ChunkIterator samples() {
      return samples;
    }

    private long readVarLong() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = in.get();
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }
  }
}
