package dev.scoville.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * One entry of the {@code escalation} section: ordered levels, each notified once the incident
 * has stayed unacknowledged for {@code after} since it opened. {@code notify} is {@code
 * slack:#channel}, {@code slack} (the default channel), {@code pagerduty} (the default routing
 * key) or {@code pagerduty:<name>} (a key of {@code pagerduty.routingKeys}).
 */
public record EscalationPolicy(String name, List<Level> levels) {

  public EscalationPolicy {
    levels = levels == null ? List.of() : List.copyOf(levels);
  }

  /** A level; its receiver is written {@code notify} in the file ({@code notify()} is Object's). */
  public record Level(@JsonProperty("notify") String receiver, Duration after) {
    public Level {
      after = after == null ? Duration.ZERO : after;
    }
  }
}
