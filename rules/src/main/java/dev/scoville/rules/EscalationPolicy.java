package dev.scoville.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * One entry of the {@code escalation} section: ordered levels, each notified once the incident
 * has stayed unacknowledged for {@code after} since it opened. {@code notify} is {@code
 * slack:#channel}, {@code slack} (the default channel), {@code pagerduty} (the default routing
 * key) or {@code pagerduty:<name>} (a key of {@code pagerduty.routingKeys}). {@code group_wait}
 * holds every notification back for that long after the incident opens (default none: Scoville
 * pages at once); {@code repeat_interval} reminds the receivers reached while the incident stays
 * triggered (default 4h, as Alertmanager).
 */
public record EscalationPolicy(
    String name,
    List<Level> levels,
    @JsonProperty("group_wait") Duration groupWait,
    @JsonProperty("repeat_interval") Duration repeatInterval) {
  static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

  public EscalationPolicy {
    levels = levels == null ? List.of() : List.copyOf(levels);
    groupWait = groupWait == null ? Duration.ZERO : groupWait;
    repeatInterval = repeatInterval == null ? DEFAULT_REPEAT_INTERVAL : repeatInterval;
  }

  /** A level; its receiver is written {@code notify} in the file ({@code notify()} is Object's). */
  public record Level(@JsonProperty("notify") String receiver, Duration after) {
    public Level {
      after = after == null ? Duration.ZERO : after;
    }
  }
}
