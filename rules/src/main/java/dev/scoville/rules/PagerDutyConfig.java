package dev.scoville.rules;

import java.net.URI;

/**
 * The {@code pagerduty} section. {@code routingKey} is a secret: write it as {@code
 * ${PAGERDUTY_ROUTING_KEY}} so that it comes from the environment.
 */
public record PagerDutyConfig(URI eventsUrl, String routingKey, String source, URI consoleUrl) {

  public PagerDutyConfig {
    source = source == null ? "scoville" : source;
  }

  public PagerDutyConfig withEventsUrl(URI url) {
    return new PagerDutyConfig(url, routingKey, source, consoleUrl);
  }

  public PagerDutyConfig withConsoleUrl(URI url) {
    return new PagerDutyConfig(eventsUrl, routingKey, source, url);
  }

  @Override
  public String toString() {
    return "PagerDutyConfig[eventsUrl=" + eventsUrl + ", routingKey=(secret), source=" + source + "]";
  }
}
