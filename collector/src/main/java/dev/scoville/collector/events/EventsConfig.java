package dev.scoville.collector.events;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code events} section: the sliding window of the derived series, the Kafka source and the
 * browser beacon. A missing {@code kafka} or {@code beacon} turns that source off.
 *
 * <pre>
 * events:
 *   window: 1m          # derived series cover the last minute of event time
 *   step: 1s            # … and are evaluated, and written, every second
 *   kafka:
 *     bootstrapServers: kafka-1:9092,kafka-2:9092
 *     topics: [shop-events]
 *     groupId: scoville
 *     maxPollRecords: 10000   # the most records one poll hands over
 *     commitInterval: 1s      # how often applied offsets are committed
 *   beacon:
 *     allowedOrigins: [https://shop.example]
 *     token: ${BEACON_TOKEN}
 *     maxBatchBytes: 262144
 * </pre>
 */
public record EventsConfig(Duration window, Duration step, Kafka kafka, Beacon beacon) {
  private static final long MAX_BATCH_BYTES_LIMIT = 16L * 1024 * 1024;

  public EventsConfig {
    window = window == null ? Duration.ofMinutes(1) : window;
    step = step == null ? Duration.ofSeconds(1) : step;
  }

  /** A one-minute window every second, no sources: events arrive only through code. */
  public static EventsConfig defaults() {
    return new EventsConfig(null, null, null, null);
  }

  /**
   * Consumes {@code topics} as consumer group {@code groupId}; {@code enabled} defaults to true.
   * A poll hands over what the consumer has fetched, up to {@code maxPollRecords} (so batches grow
   * with the backlog and shrink when caught up); offsets of applied events are committed every
   * {@code commitInterval}, which is also how much a crash makes the next process read again.
   */
  public record Kafka(
      Boolean enabled,
      String bootstrapServers,
      List<String> topics,
      String groupId,
      Integer maxPollRecords,
      Duration commitInterval) {
    static final int MAX_POLL_RECORDS_LIMIT = 1_000_000;

    public Kafka {
      enabled = enabled == null || enabled;
      topics = topics == null ? List.of() : List.copyOf(topics);
      groupId = groupId == null ? "scoville" : groupId;
      maxPollRecords = maxPollRecords == null ? 10_000 : maxPollRecords;
      commitInterval = commitInterval == null ? Duration.ofSeconds(1) : commitInterval;
    }

    /** Defaults for all but the broker, topics and group. */
    public Kafka(String bootstrapServers, List<String> topics, String groupId) {
      this(true, bootstrapServers, topics, groupId, null, null);
    }
  }

  /**
   * Browser beacons: {@code allowedOrigins} for CORS (exact origins such as {@code
   * https://shop.example}, or {@code *}), the shared {@code token}, and the largest batch accepted.
   */
  public record Beacon(
      Boolean enabled, List<String> allowedOrigins, String token, Long maxBatchBytes) {
    public Beacon {
      enabled = enabled == null || enabled;
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
      maxBatchBytes = maxBatchBytes == null ? 256 * 1024L : maxBatchBytes;
    }
  }

  public boolean kafkaEnabled() {
    return kafka != null && kafka.enabled();
  }

  public boolean beaconEnabled() {
    return beacon != null && beacon.enabled();
  }

  /**
   * The {@code events} section of {@code file}, checked; a bad value fails naming its
   * file:line:column.
   */
  public static EventsConfig from(ConfigFile file) {
    EventsConfig config = file.section("events", EventsConfig.class, defaults());
    config.check(file);
    return config;
  }

  private void check(ConfigFile file) {
    if (window.isNegative() || window.isZero()) {
      throw bad(file, "must be positive", "window");
    }
    if (step.isNegative() || step.isZero() || step.toMillis() == 0) {
      throw bad(file, "must be at least 1ms", "step");
    }
    if (window.toMillis() % step.toMillis() != 0) {
      throw bad(file, "must be a multiple of step (" + step.toMillis() + "ms)", "window");
    }
    if (window.toMillis() / step.toMillis() > 3600) {
      throw bad(file, "must be at most 3600 steps long", "window");
    }
    if (kafkaEnabled()) {
      if (kafka.bootstrapServers() == null || kafka.bootstrapServers().isBlank()) {
        throw bad(file, "is required when kafka is enabled", "kafka");
      }
      if (kafka.topics().isEmpty()
          || kafka.topics().stream().anyMatch(t -> t == null || t.isBlank())) {
        throw bad(file, "needs at least one topic, none blank", "kafka", "topics");
      }
      if (kafka.groupId().isBlank()) {
        throw bad(file, "must not be blank", "kafka", "groupId");
      }
      if (kafka.maxPollRecords() < 1 || kafka.maxPollRecords() > Kafka.MAX_POLL_RECORDS_LIMIT) {
        throw bad(
            file, "must be from 1 to " + Kafka.MAX_POLL_RECORDS_LIMIT, "kafka", "maxPollRecords");
      }
      if (kafka.commitInterval().toMillis() < 1) {
        throw bad(file, "must be at least 1ms", "kafka", "commitInterval");
      }
    }
    if (beaconEnabled()) {
      if (beacon.token() == null || beacon.token().isBlank()) {
        throw bad(file, "needs a token (e.g. token: ${BEACON_TOKEN})", "beacon");
      }
      if (beacon.maxBatchBytes() < 1 || beacon.maxBatchBytes() > MAX_BATCH_BYTES_LIMIT) {
        throw bad(file, "must be from 1 to " + MAX_BATCH_BYTES_LIMIT, "beacon", "maxBatchBytes");
      }
      if (beacon.allowedOrigins().isEmpty()) {
        // Vert.x's CORS handler allows every origin when given none: make that a written choice.
        throw bad(file, "needs allowedOrigins (list the shop's origins, or * for any)", "beacon");
      }
      for (int i = 0; i < beacon.allowedOrigins().size(); i++) {
        String origin = beacon.allowedOrigins().get(i);
        if (!isOrigin(origin)) {
          throw bad(
              file,
              "'" + origin + "' is not an origin like https://shop.example or *",
              "beacon",
              "allowedOrigins",
              i);
        }
      }
    }
  }

  private static boolean isOrigin(String origin) {
    if ("*".equals(origin)) {
      return true;
    }
    try {
      URI uri = new URI(origin);
      return (uri.getScheme() != null
              && uri.getHost() != null
              && (uri.getPath() == null || uri.getPath().isEmpty()))
          && uri.getQuery() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static ConfigException bad(ConfigFile file, String why, Object... path) {
    Object[] full = new Object[path.length + 1];
    full[0] = "events";
    System.arraycopy(path, 0, full, 1, path.length);
    StringBuilder name = new StringBuilder("events");
    for (Object step : path) {
      name.append(step instanceof Integer i ? "[" + i + "]" : "." + step);
    }
    return new ConfigException(file.place(full) + ": " + name + " " + why);
  }
}
