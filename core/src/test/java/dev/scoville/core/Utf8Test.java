package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void decodesValidTextAndRefusesOverlongSurrogatesAndStrayBytes() {
    assertThat(Utf8.decode("{\"a\":\"Schärfe 🌶\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{\"a\":\"Schärfe 🌶\"}");
    for (byte[] bad : new byte[][] {
        {'"', (byte) 0xC0, (byte) 0xAF, '"'},               // overlong '/'
        {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'},  // overlong, three bytes
        {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},  // a lone surrogate
        {'"', (byte) 0xFF, '"'},                            // never in UTF-8
        {'"', (byte) 0xE2, (byte) 0x82}}) {                 // cut short
      assertThatThrownBy(() -> Utf8.decode(bad)).hasMessage("body: not valid UTF-8");
    }
  }
}
