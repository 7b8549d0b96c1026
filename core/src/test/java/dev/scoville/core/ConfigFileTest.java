package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  record Login(String name, String password) {}

  record Port(int port) {}

  record Checked(String key) {
    Checked {
      if (key.length() != 4) {
        throw new IllegalArgumentException("key: must be 4 characters, got " + key.length());
      }
    }
  }

  /** Every character YAML could read as syntax, if the value were pasted into the text. */
  static final List<String> SECRETS = List.of("pass #word", "pass: word", "@leading", "dou\"ble", "sin'gle",
      "{brace", "per%cent", "back\\slash", "nön-ÄSCII-密码", "- dash", "*star", "&anchor", "!tag", "|pipe",
      ">fold", "[bracket", "trailing ", "$dollar", "#hash");

  @Test
  void aSecretFromTheEnvironmentIsTakenWholeWhateverItsCharacters() {
    for (String secret : SECRETS) {
      for (String written : List.of("${SECRET}", "\"${SECRET}\"", "'${SECRET}'")) {
        ConfigFile config = ConfigFile.parse("s.yaml", "users:\n  name: alice\n  password: " + written + "\n",
            Map.of("SECRET", secret));

        assertThat(config.section("users", Login.class, null).password()).as(written).isEqualTo(secret);
      }
    }
  }

  @Test
  void referencesInsideAValueAndInAListAreReplacedButNotInKeysOrComments() {
    ConfigFile config = ConfigFile.parse("s.yaml", """
        scrape:
          # ${NOT_SET} in a comment is only a comment
          targets:
            - url: http://${HOST}:9100/metrics
              interval: ${INTERVAL}
        """, Map.of("HOST", "shop #1", "INTERVAL", "15s"));

    assertThat(config.section("scrape", Scrape.class, null).targets())
        .containsExactly(new Target("http://shop #1:9100/metrics", Duration.ofSeconds(15)));
  }

  @Test
  void aNumberMayComeFromTheEnvironment() {
    ConfigFile config = ConfigFile.parse("s.yaml", "server:\n  port: ${PORT}\n", Map.of("PORT", "9090"));

    assertThat(config.section("server", Port.class, null).port()).isEqualTo(9090);
  }

  @Test
  void anErrorAboutAValueFromTheEnvironmentNamesTheVariableNeverTheValue() {
    for (String secret : SECRETS) {
      ConfigFile config = ConfigFile.parse("s.yaml", "server:\n  port: ${SECRET}\n", Map.of("SECRET", secret));

      assertThatThrownBy(() -> config.section("server", Port.class, null))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("s.yaml:2:9: server.port: ")
          .hasMessageContaining("${SECRET}")
          .satisfies(e -> assertThat(messagesOf(e)).doesNotContain(secret.strip()))
          .hasNoCause();
    }
  }

  @Test
  void aRecordRefusingAValueIsPlacedAtTheFieldAndNeverShowsTheValue() {
    ConfigFile config = ConfigFile.parse("s.yaml", "pagerduty:\n  key: ${KEY}\n", Map.of("KEY", "secret"));

    assertThatThrownBy(() -> config.section("pagerduty", Checked.class, null))
        .hasMessage("s.yaml:2:8: pagerduty.key: must be 4 characters, got 6");
  }

  @Test
  void aParseErrorShowsTheTextAsWrittenNeverAValue() {
    assertThatThrownBy(() -> ConfigFile.parse("s.yaml", "users:\n  password: ${SECRET}\n  - broken\n",
        Map.of("SECRET", "hunter2-top-secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("s.yaml:")
        .satisfies(e -> assertThat(messagesOf(e)).doesNotContain("hunter2"));
  }

  @Test
  void anUnknownSectionStopsTheStartNamingItsPlaceAndTheClosestKnownOne() {
    ConfigFile config = ConfigFile.parse("s.yaml", """
        server:
          port: 1
        escalations:
          - name: x
        """, Map.of());

    assertThatThrownBy(() -> config.requireKnownSections(Set.of("server", "escalation", "users")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("s.yaml:3:1: unknown section \"escalations\" (did you mean \"escalation\"?);"
            + " known sections: escalation, server, users");
    assertThatThrownBy(() -> ConfigFile.parse("s.yaml", "survers:\n  port: 1\n", Map.of())
        .requireKnownSections(Set.of("server", "users")))
        .hasMessageStartingWith("s.yaml:1:1: unknown section \"survers\" (did you mean \"server\"?)");
  }

  private static String messagesOf(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }
}
