package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
  record Target(String url, Duration interval) {}

  record Scrape(List<Target> targets) {}

  private static final String TEXT = """
      server:
        port: 8080
      scrape:
        targets:
          - url: http://127.0.0.1:9100/metrics
            interval: 15s
          - url: ${SHOP_URL}
            interval: 1m30s
      """;

  @Test
  void bindsASectionWithPrometheusDurationsAndEnvironmentVariables() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", TEXT, Map.of("SHOP_URL", "http://shop/metrics"));

    Scrape scrape = config.section("scrape", Scrape.class, null);

    assertThat(scrape.targets()).containsExactly(
        new Target("http://127.0.0.1:9100/metrics", Duration.ofSeconds(15)),
        new Target("http://shop/metrics", Duration.ofSeconds(90)));
  }

  @Test
  void returnsTheDefaultForAnAbsentSection() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", TEXT, Map.of("SHOP_URL", "x"));

    assertThat(config.section("rules", Scrape.class, new Scrape(List.of()))).isEqualTo(new Scrape(List.of()));
  }

  @Test
  void namesFileLineAndVariableWhenAnEnvironmentVariableIsMissing() {
    assertThatThrownBy(() -> ConfigFile.parse("scoville.yaml", TEXT, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("scoville.yaml:7:12: environment variable SHOP_URL is not set");
  }

  @Test
  void namesFileLineAndFieldOfAnUnknownKey() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", """
        scrape:
          targets:
            - url: http://a/metrics
              intervall: 15s
        """, Map.of());

    assertThatThrownBy(() -> config.section("scrape", Scrape.class, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:4:18: scrape.targets[0].intervall:")
        .hasMessageContaining("Unrecognized field \"intervall\"");
  }

  @Test
  void namesTheBadDuration() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", """
        scrape:
          targets:
            - url: http://a/metrics
              interval: soon
        """, Map.of());

    assertThatThrownBy(() -> config.section("scrape", Scrape.class, null))
        .hasMessageStartingWith("scoville.yaml:4:")
        .hasMessageContaining("not a duration: \"soon\"");
  }

  @Test
  void placesAValueByItsPath() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", TEXT, Map.of("SHOP_URL", "x"));

    assertThat(config.place("scrape", "targets", 1, "interval")).isEqualTo("scoville.yaml:8:17");
    assertThat(config.place("scrape", "targets", 5)).isEqualTo("scoville.yaml");
  }
}
