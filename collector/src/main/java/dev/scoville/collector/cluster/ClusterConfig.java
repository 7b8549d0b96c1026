package dev.scoville.collector.cluster;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.time.Duration;

/**
 * The {@code cluster} section: several instances sharing the scrape targets through a Kafka
 * consumer group. Absent, the instance scrapes every target itself, as a single instance does.
 *
 * <pre>
 * cluster:
 *   kafka: kafka-1:9092,kafka-2:9092   # bootstrap servers
 *   topic: scoville-members            # the membership topic; also the consumer group's name
 *   slots: 64                          # its partitions, made when the topic is created
 *   sessionTimeout: 10s                # how long a silent instance keeps its targets
 * </pre>
 */
public record ClusterConfig(String kafka, String topic, Integer slots, Duration sessionTimeout) {
  /** Kafka brokers accept session timeouts from 6 s to 5 min unless configured otherwise. */
  private static final Duration MIN_SESSION = Duration.ofSeconds(6);

  public ClusterConfig {
    topic = topic == null ? "scoville-members" : topic;
    slots = slots == null ? 64 : slots;
    sessionTimeout = sessionTimeout == null ? Duration.ofSeconds(10) : sessionTimeout;
  }

  public ClusterConfig(String kafka, String topic) {
    this(kafka, topic, null, null);
  }

  /** The {@code cluster} section of {@code file}, checked; null when there is none. */
  public static ClusterConfig from(ConfigFile file) {
    ClusterConfig config = file.section("cluster", ClusterConfig.class, null);
    if (config == null) {
      return null;
    }
    if (config.kafka == null || config.kafka.isBlank()) {
      throw bad(file, "kafka", "is required (the bootstrap servers, host:port,…)");
    }
    if (config.topic.isBlank()) {
      throw bad(file, "topic", "must not be blank");
    }
    if (config.slots < 1 || config.slots > 10_000) {
      throw bad(file, "slots", "must be from 1 to 10000");
    }
    if (config.sessionTimeout.compareTo(MIN_SESSION) < 0 || config.sessionTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw bad(file, "sessionTimeout", "must be from 6s to 5m (the broker's limits)");
    }
    return config;
  }

  private static ConfigException bad(ConfigFile file, String field, String why) {
    return new ConfigException(file.place("cluster", field) + ": cluster." + field + " " + why);
  }
}
