package dev.scoville.rules;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.notify.PagerDutyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The escalation policies by name, checked against the notification settings. An incident whose
 * rule names no policy follows {@code default}: the policy of that name when there is one,
 * otherwise PagerDuty at once, plus the Slack channel when Slack is configured, without group
 * wait and with reminders every 4h.
 */
final class EscalationPolicies {
  static final String DEFAULT = "default";

  private final Map<String, Policy> policies;

  private EscalationPolicies(Map<String, Policy> policies) {
    this.policies = policies;
  }

  /** A policy resolved: its levels, how long a new incident waits before any, and how often to remind. */
  record Policy(List<Level> levels, Duration groupWait, Duration repeatInterval) {}

  /** One level resolved: the channel ({@code pagerduty}, {@code slack}) and where in it. */
  record Level(String channel, String target, Duration after) {
    String describe() {
      return target == null ? channel : channel + ":" + target;
    }

    Level after(Duration wait) {
      return new Level(channel, target, wait);
    }
  }

  /** The policies of the {@code escalation} section; fails naming the place of a bad one. */
  static EscalationPolicies of(ConfigFile config, List<EscalationPolicy> policies, PagerDutyConfig pagerDuty,
      SlackConfig slack) {
    return of(config, policies, pagerDuty, slack, Set.of());
  }

  /** As above, with the names of the {@code webhooks} section that levels reach as {@code webhook:<name>}. */
  static EscalationPolicies of(ConfigFile config, List<EscalationPolicy> policies, PagerDutyConfig pagerDuty,
      SlackConfig slack, Set<String> webhooks) {
    Map<String, Policy> byName = new HashMap<>();
    byName.put(DEFAULT, defaultPolicy(slack));
    for (int p = 0; p < policies.size(); p++) {
      EscalationPolicy policy = policies.get(p);
      if (policy.name() == null || policy.levels().isEmpty()) {
        throw new ConfigException(config.place("escalation", p) + ": a policy needs a name and at least one level");
      }
      // The file cannot spell a negative duration; zero would remind on every outbox pass, and
      // Alertmanager refuses it too.
      if (policy.repeatInterval().compareTo(Duration.ZERO) <= 0) {
        throw new ConfigException(config.place("escalation", p, "repeat_interval") + ": policy " + policy.name()
            + ": repeat_interval must be more than 0s");
      }
      List<Level> levels = new ArrayList<>();
      for (int l = 0; l < policy.levels().size(); l++) {
        EscalationPolicy.Level level = policy.levels().get(l);
        String problem = level.receiver() == null ? "a level needs 'notify'"
            : receiverProblem(level.receiver(), pagerDuty, slack, webhooks);
        if (problem == null && !levels.isEmpty() && level.after().compareTo(levels.get(levels.size() - 1).after()) < 0) {
          problem = "levels must be in the order of their 'after'";
        }
        if (problem != null) {
          throw new ConfigException(config.place("escalation", p, "levels", l) + ": policy " + policy.name() + ": " + problem);
        }
        levels.add(receiver(level.receiver(), slack).after(level.after()));
      }
      byName.put(policy.name(), new Policy(List.copyOf(levels), policy.groupWait(), policy.repeatInterval()));
    }
    return new EscalationPolicies(byName);
  }

  /** Only the built-in default: PagerDuty, and Slack's channel when there is one. */
  static EscalationPolicies defaults(SlackConfig slack) {
    return new EscalationPolicies(Map.of(DEFAULT, defaultPolicy(slack)));
  }

  boolean contains(String name) {
    return policies.containsKey(name);
  }

  /** The policy {@code name}, the default one when it is null or unknown. */
  Policy policy(String name) {
    return policies.getOrDefault(name == null ? DEFAULT : name, policies.get(DEFAULT));
  }

  /** The levels of {@code name}, of the default policy when it is null or unknown. */
  List<Level> levels(String name) {
    return policy(name).levels();
  }

  private static Policy defaultPolicy(SlackConfig slack) {
    List<Level> levels = new ArrayList<>(List.of(new Level("pagerduty", null, Duration.ZERO)));
    if (slack.enabled() && slack.channel() != null) {
      levels.add(new Level("slack", slack.channel(), Duration.ZERO));
    }
    return new Policy(List.copyOf(levels), Duration.ZERO, EscalationPolicy.DEFAULT_REPEAT_INTERVAL);
  }

  /**
   * Why {@code notify} names no receiver that the configuration can reach, or null when it does:
   * {@code slack:#channel}, {@code slack}, {@code pagerduty}, {@code pagerduty:<name>} or {@code
   * webhook:<name>}.
   */
  static String receiverProblem(String notify, PagerDutyConfig pagerDuty, SlackConfig slack, Set<String> webhooks) {
    if (notify.equals("pagerduty")) {
      return null;
    }
    if (notify.startsWith("pagerduty:")) {
      String name = notify.substring("pagerduty:".length());
      return pagerDuty.routingKey(name) == null ? "no routing key named '" + name + "' in pagerduty.routingKeys" : null;
    }
    if (notify.equals("slack") || notify.startsWith("slack:")) {
      if (!slack.enabled()) {
        return notify + " needs the slack section with a botToken";
      }
      return notify.equals("slack") && slack.channel() == null ? "'slack' needs slack.channel" : null;
    }
    if (notify.startsWith("webhook:")) {
      String name = notify.substring("webhook:".length());
      return webhooks.contains(name) ? null : "no webhook named '" + name + "' in the webhooks section";
    }
    return "'" + notify + "' is not slack:#channel, slack, pagerduty, pagerduty:<name> or webhook:<name>";
  }

  /** The receiver {@code notify} names (checked by {@link #receiverProblem}), notified at once. */
  static Level receiver(String notify, SlackConfig slack) {
    if (notify.equals("slack")) {
      return new Level("slack", slack.channel(), Duration.ZERO);
    }
    if (notify.equals("pagerduty")) {
      return new Level("pagerduty", null, Duration.ZERO);
    }
    int colon = notify.indexOf(':');
    return new Level(notify.substring(0, colon), notify.substring(colon + 1), Duration.ZERO);
  }
}
