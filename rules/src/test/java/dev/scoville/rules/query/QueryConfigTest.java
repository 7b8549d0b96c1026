package dev.scoville.rules.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryConfigTest {
  @Test
  void defaultsToPrometheusTwoMinutesAndFiftyMillionSamples() {
    QueryConfig config = QueryConfig.from(ConfigFile.parse("scoville.yaml", "scrape: {}\n", Map.of()));

    assertThat(config.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.maxSamples()).isEqualTo(50_000_000L);
  }

  @Test
  void bindsTheSection() {
    QueryConfig config = QueryConfig.from(
        ConfigFile.parse("scoville.yaml", "query:\n  timeout: 30s\n  maxSamples: 1000000\n", Map.of()));

    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxSamples()).isEqualTo(1_000_000L);
  }

  @Test
  void refusesAZeroSampleLimitNamingItsLine() {
    assertThatThrownBy(() -> QueryConfig.from(
            ConfigFile.parse("scoville.yaml", "query:\n  timeout: 30s\n  maxSamples: 0\n", Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:3:")
        .hasMessageContaining("query.maxSamples must be at least 1");
  }
}
