package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueFormatTest {
  @Test
  void roundsToWhatPeopleRead() {
    assertThat(ValueFormat.format(0.98765, "ratio")).isEqualTo("98.8 %");
    assertThat(ValueFormat.format(0.000987, "ratio")).isEqualTo("0.0987 %");
    assertThat(ValueFormat.format(0.6554, "seconds")).isEqualTo("655 ms");
    assertThat(ValueFormat.format(1.6234, "seconds")).isEqualTo("1.62 s");
    assertThat(ValueFormat.format(77.234, "/min")).isEqualTo("77.2/min");
    assertThat(ValueFormat.format(12345.6, "/s")).isEqualTo("12,346/s");
    assertThat(ValueFormat.format(29.5, "euros")).isEqualTo("€29.50");
    assertThat(ValueFormat.format(2, "statuspage")).isEqualTo("major");
    assertThat(ValueFormat.format(3, "units")).isEqualTo("3 units");
    assertThat(ValueFormat.format(Double.NaN, "ratio")).isEqualTo("–");
  }
}
