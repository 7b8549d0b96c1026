package dev.scoville.console.board;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdTest {
  @Test
  void readsThresholds() {
    assertThat(Threshold.parse("< 0.95")).isEqualTo(new Threshold("<", 0.95));
    assertThat(Threshold.parse(">=2")).isEqualTo(new Threshold(">=", 2));
    assertThat(Threshold.parse("<= 0").crossedBy(0)).isTrue();
    assertThat(Threshold.parse("> 0.8").crossedBy(Double.NaN)).isFalse();
  }
}
