package dev.scoville.rules.notify;

import java.net.URI;
import java.util.Map;

/**
 * The {@code pagerduty} section. {@code routingKey} is a secret: write it as {@code
 * ${PAGERDUTY_ROUTING_KEY}} so that it comes from the environment. {@code routingKeys} names
 * further services (their keys secrets too) that escalation levels reach as {@code
 * pagerduty:<name>}.
 */
public record PagerDutyConfig(URI eventsUrl, String routingKey, String source, URI consoleUrl,
    Map<String, String> routingKeys) {

  public PagerDutyConfig {
    source = source == null ? "scoville" : source;
    routingKeys = routingKeys == null ? Map.of() : Map.copyOf(routingKeys);
  }

  public PagerDutyConfig(URI eventsUrl, String routingKey, String source, URI consoleUrl) {
    this(eventsUrl, routingKey, source, consoleUrl, Map.of());
  }

  public PagerDutyConfig withEventsUrl(URI url) {
    return new PagerDutyConfig(url, routingKey, source, consoleUrl, routingKeys);
  }

  public PagerDutyConfig withConsoleUrl(URI url) {
    return new PagerDutyConfig(eventsUrl, routingKey, source, url, routingKeys);
  }

  /** The key for {@code name}, the default key when {@code name} is null. */
  public String routingKey(String name) {
    return name == null ? routingKey : routingKeys.get(name);
  }

  @Override
  public String toString() {
    return "PagerDutyConfig[eventsUrl=" + eventsUrl + ", routingKey=(secret), source=" + source
        + ", routingKeys=" + routingKeys.keySet() + " (secret)]";
  }
}
