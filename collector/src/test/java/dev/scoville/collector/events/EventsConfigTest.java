package dev.scoville.collector.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsConfigTest {
  private static final String EXAMPLE =
      """
      events:
        window: 5m
        step: 5s
        kafka:
          bootstrapServers: kafka-1:9092,kafka-2:9092
          topics: [shop-events, shop-events-eu]
          groupId: scoville-war-room
          maxPollRecords: 20000
          commitInterval: 5s
        beacon:
          allowedOrigins: [https://shop.example, "http://localhost:8080"]
          token: ${BEACON_TOKEN}
          maxBatchBytes: 65536
      """;

  @Test
  void bindsTheExampleSection() {
    EventsConfig config =
        EventsConfig.from(
            ConfigFile.parse("scoville.yaml", EXAMPLE, Map.of("BEACON_TOKEN", "t0k")));

    assertThat(config.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.kafkaEnabled()).isTrue();
    assertThat(config.kafka().topics()).containsExactly("shop-events", "shop-events-eu");
    assertThat(config.kafka().groupId()).isEqualTo("scoville-war-room");
    assertThat(config.kafka().maxPollRecords()).isEqualTo(20000);
    assertThat(config.kafka().commitInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.beaconEnabled()).isTrue();
    assertThat(config.beacon().allowedOrigins())
        .containsExactly("https://shop.example", "http://localhost:8080");
    assertThat(config.beacon().token()).isEqualTo("t0k");
    assertThat(config.beacon().maxBatchBytes()).isEqualTo(65536);
  }

  @Test
  void withoutTheSectionBothSourcesAreOffAndTheWindowIsAMinuteEverySecond() {
    EventsConfig config =
        EventsConfig.from(ConfigFile.parse("scoville.yaml", "scrape: {}\n", Map.of()));

    assertThat(config.kafkaEnabled()).isFalse();
    assertThat(config.beaconEnabled()).isFalse();
    assertThat(config.window()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.step()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aKafkaSectionCanBeSwitchedOff() {
    EventsConfig config =
        EventsConfig.from(
            ConfigFile.parse("scoville.yaml", "events:\n  kafka:\n    enabled: false\n", Map.of()));

    assertThat(config.kafkaEnabled()).isFalse();
  }

  @Test
  void kafkaPollsTenThousandAtMostAndCommitsEverySecondByDefault() {
    EventsConfig config =
        EventsConfig.from(
            ConfigFile.parse(
                "scoville.yaml",
                "events:\n  kafka:\n    bootstrapServers: k:9092\n    topics: [t]\n",
                Map.of()));

    assertThat(config.kafka().maxPollRecords()).isEqualTo(10_000);
    assertThat(config.kafka().commitInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void refusesAZeroPollSizeNamingItsLine() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml",
                        "events:\n  kafka:\n    bootstrapServers: k:9092\n    topics: [t]\n"
                            + "    maxPollRecords: 0\n",
                        Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:5:")
        .hasMessageContaining("events.kafka.maxPollRecords must be from 1 to 1000000");
  }

  @Test
  void refusesAZeroCommitIntervalNamingItsLine() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml",
                        "events:\n  kafka:\n    bootstrapServers: k:9092\n    topics: [t]\n"
                            + "    commitInterval: 0s\n",
                        Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:5:")
        .hasMessageContaining("events.kafka.commitInterval must be at least 1ms");
  }

  @Test
  void refusesAWindowThatIsNotAMultipleOfTheStepNamingItsLine() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml", "events:\n  step: 7s\n  window: 1m\n", Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:3:")
        .hasMessageContaining("events.window must be a multiple of step");
  }

  @Test
  void refusesABeaconWithoutATokenNamingItsLine() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml",
                        "events:\n  beacon:\n    allowedOrigins: ['*']\n",
                        Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:3:")
        .hasMessageContaining("events.beacon needs a token");
  }

  @Test
  void refusesAnOriginWithAPathNamingItsLine() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml",
                        "events:\n"
                            + "  beacon:\n"
                            + "    token: x\n"
                            + "    allowedOrigins:\n"
                            + "      - https://shop.example\n"
                            + "      - https://shop.example/checkout\n",
                        Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scoville.yaml:6:")
        .hasMessageContaining(
            "events.beacon.allowedOrigins[1] 'https://shop.example/checkout' is not an origin");
  }

  @Test
  void refusesKafkaWithoutTopicsAndUnknownKeys() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml",
                        "events:\n  kafka:\n    bootstrapServers: k:9092\n    topics: []\n",
                        Map.of())))
        .hasMessageStartingWith("scoville.yaml:4:")
        .hasMessageContaining("events.kafka.topics needs at least one topic");
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml", "events:\n  kafka:\n    bootstrap: k:9092\n", Map.of())))
        .hasMessageStartingWith("scoville.yaml:3:")
        .hasMessageContaining("bootstrap");
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse("scoville.yaml", "events:\n  window: soon\n", Map.of())))
        .hasMessageStartingWith("scoville.yaml:2:");
  }

  @Test
  void maxBatchBytesMustBeANumber() {
    assertThatThrownBy(
            () ->
                EventsConfig.from(
                    ConfigFile.parse(
                        "scoville.yaml",
                        "events:\n"
                            + "  beacon:\n"
                            + "    token: x\n"
                            + "    allowedOrigins: ['*']\n"
                            + "    maxBatchBytes: lots\n",
                        Map.of())))
        .hasMessageStartingWith("scoville.yaml:5:");
  }
}
