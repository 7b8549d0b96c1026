package dev.scoville.collector.scrape;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** A scrape's body, in a buffer a target reuses from scrape to scrape rather than allocating each. */
public final class ScrapeBody {
  private byte[] bytes = new byte[4096];
  private int length;

  /** The body's bytes: the first {@link #length()} of them. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** Empties the body, sized for {@code size} bytes so that a large body is not copied as it grows. */
  void expect(int size) {
    length = 0;
    if (size > bytes.length) {
      bytes = new byte[size];
    }
  }

  /** Copies the buffer's readable bytes straight from Netty's buffer, without a heap copy in between. */
  void append(ByteBuf chunk) {
    int n = chunk.readableBytes();
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + n));
    }
    chunk.getBytes(chunk.readerIndex(), bytes, length, n);
    length += n;
  }
}
