package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusDurationTest {
  record Rule(Duration pause) {}

  @Test
  void readsEveryFormPrometheusReads() {
    assertThat(PrometheusDuration.parse("0")).isZero();
    assertThat(PrometheusDuration.parse("0s")).isZero();
    assertThat(PrometheusDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(PrometheusDuration.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(PrometheusDuration.parse("1w")).isEqualTo(Duration.ofDays(7));
    assertThat(PrometheusDuration.parse("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(PrometheusDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PrometheusDuration.parse("1y2w3d4h5m6s7ms"))
        .isEqualTo(Duration.ofDays(365 + 14 + 3).plusHours(4).plusMinutes(5).plusSeconds(6).plusMillis(7));
  }

  @Test
  void refusesWhatPrometheusRefuses() {
    for (String bad : new String[] {"", "5", "1.5h", "30m1h", "1h1h", "-1m", "1 h", "1H"}) {
      assertThatThrownBy(() -> PrometheusDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void configFilesMayWriteZeroQuotedOrBare() {
    ConfigFile config = ConfigFile.parse("c.yml", "a: {pause: \"0\"}\nb: {pause: 0}\nc: {pause: 1w}\n", Map.of());

    assertThat(config.section("a", Rule.class, null).pause()).isZero();
    assertThat(config.section("b", Rule.class, null).pause()).isZero();
    assertThat(config.section("c", Rule.class, null).pause()).isEqualTo(Duration.ofDays(7));
  }
}
