package dev.scoville.rules;

import java.time.Duration;
import java.util.List;

/**
 * Rules evaluated together every {@code interval}, in their order, at one timestamp: a recording
 * rule's series are in the store before the next rule of the group reads them, as in Prometheus.
 * {@code source} is the file (or configuration) the group was written in.
 */
record RuleGroup(String source, String name, Duration interval, List<GroupRule> rules) {
  RuleGroup {
    rules = List.copyOf(rules);
  }
}
