package dev.scoville.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies decoded strictly: an overlong sequence, a lone surrogate or a stray byte is an
 * error, never a replacement character stored as if it had been sent.
 */
public final class Utf8 {
  private Utf8() {}

  /** {@code bytes} as text; throws {@code IllegalArgumentException("body: not valid UTF-8")} otherwise. */
  public static String decode(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("body: not valid UTF-8");
    }
  }
}
