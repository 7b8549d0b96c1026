package dev.scoville.console;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.EscalationPolicy;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Formats checked when the file is read rather than at the first page: a PagerDuty key that is
 * not 32 characters or a Slack channel Slack would refuse fails only when it is needed most.
 * Messages never show a key: it is a secret.
 */
final class ConfigChecks {
  private static final Pattern ROUTING_KEY = Pattern.compile("[A-Za-z0-9]{32}");
  /** Slack's rule for names (lower case, digits, - and _, up to 80), or a channel id such as C0123ABCD. */
  private static final Pattern CHANNEL = Pattern.compile("#[a-z0-9_\\-\\p{L}]{1,80}|[CG][A-Z0-9]{8,}");

  private ConfigChecks() {}

  static void check(ConfigFile config, PagerDutyConfig pagerDuty, SlackConfig slack, List<EscalationPolicy> policies) {
    if (pagerDuty.routingKey() != null) {
      routingKey(config, pagerDuty.routingKey(), "pagerduty", "routingKey");
    }
    for (Map.Entry<String, String> key : pagerDuty.routingKeys().entrySet()) {
      routingKey(config, key.getValue(), "pagerduty", "routingKeys", key.getKey());
    }
    httpUrl(config, pagerDuty.eventsUrl(), "pagerduty", "eventsUrl");
    httpUrl(config, slack.methodsUrl(), "slack", "methodsUrl");
    if (slack.channel() != null) {
      channel(config, slack.channel(), "slack", "channel");
    }
    for (int p = 0; p < policies.size(); p++) {
      List<EscalationPolicy.Level> levels = policies.get(p).levels();
      for (int l = 0; levels != null && l < levels.size(); l++) {
        String receiver = levels.get(l).receiver();
        if (receiver != null && receiver.startsWith("slack:")) {
          channel(config, receiver.substring("slack:".length()), "escalation", p, "levels", l, "notify");
        }
      }
    }
  }

  private static void routingKey(ConfigFile config, String key, Object... path) {
    if (!ROUTING_KEY.matcher(key).matches()) {
      throw new ConfigException(config.place(path) + ": " + dotted(path)
          + ": a PagerDuty routing (integration) key is 32 letters and digits; this one has " + key.length()
          + " characters");
    }
  }

  private static void httpUrl(ConfigFile config, URI url, Object... path) {
    if (url != null && (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())))) {
      throw new ConfigException(config.place(path) + ": " + dotted(path) + ": must be an http:// or https:// URL with a host");
    }
  }

  private static void channel(ConfigFile config, String channel, Object... path) {
    if (!CHANNEL.matcher(channel).matches()) {
      throw new ConfigException(config.place(path) + ": " + dotted(path) + ": '" + channel
          + "' is not a Slack channel: write #name (lower case letters, digits, - and _, up to 80) or a channel id");
    }
  }

  private static String dotted(Object... path) {
    StringBuilder out = new StringBuilder();
    for (Object step : path) {
      out.append(step instanceof Integer index ? "[" + index + "]" : (out.isEmpty() ? "" : ".") + step);
    }
    return out.toString();
  }
}
